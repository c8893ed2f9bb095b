package ui

import (
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// The journeys of DESIGN.md, played through keys against the real
// in-process sandbox, checked on what the screen shows and on what
// reaches the clipboard.

const (
	scaleDocsKey   = "live_ScaleRocks"
	scaleDocsBasic = "bGl2ZV9TY2FsZVJvY2tzOg=="
	scalingDemoKey = "scl_live_0123456789abcdef0123456789abcdef"
	scalekitSecret = "sandbox_client_secret"
)

// j1Keys is J1 from launch to a copied header. The README's quick tour
// quotes this sequence and its length.
var j1Keys = []string{"3", "enter", "ctrl+d", "enter", "f", "y"}

func TestJ1BasicOnboarding(t *testing.T) {
	if len(j1Keys) > 8 {
		t.Fatalf("J1 takes %d keys; the target is 8 at most", len(j1Keys))
	}
	app, clip := newTestApp(t, Options{}, nil)
	d := drive(t, app, 80, 24)
	d.waitFor("Provider", "Scale AI")
	d.keys(j1Keys[:2]...) // Scale AI, its first environment: the sandbox
	d.waitFor("Credentials", "API key")
	d.keys(j1Keys[2]) // the demo key
	d.waitFor("demo: docs' key", "LIVE KEY")
	d.keys(j1Keys[3]) // the steps
	d.waitFor("Steps", "Authorization: Basic ••••••••Og==")
	d.keys(j1Keys[4]) // fire GET /v1/projects
	d.waitFor("GET /v1/projects", "200 OK")
	d.keys(j1Keys[5]) // copy the header
	d.waitFor("Copied header")
	if got, want := clip.last(t), "Authorization: Basic "+scaleDocsBasic; got != want {
		t.Fatalf("clipboard = %q, want %q", got, want)
	}
	noSecretsDrawn(t, d, scaleDocsKey, scaleDocsBasic)
}

func TestJ1FromFlagsStartsOnCredentials(t *testing.T) {
	app, clip := newTestApp(t, Options{Provider: "scale", Env: "sandbox"}, nil)
	d := drive(t, app, 80, 24)
	d.waitFor("Credentials", "Scale AI")
	d.keys("ctrl+d", "enter", "f")
	d.waitFor("200 OK")
	d.keys("y")
	d.waitFor("Copied header")
	if got := clip.last(t); got != "Authorization: Basic "+scaleDocsBasic {
		t.Fatalf("clipboard = %q", got)
	}
	// Back out: the answer, the samples, the steps, the credentials.
	d.keys("esc", "esc", "esc", "esc")
	d.waitFor("Provider", "Environment for Scale AI")
}

func TestJ1StepsRevealOnlyWhenAsked(t *testing.T) {
	app, _ := newTestApp(t, Options{Provider: "scale", Env: "sandbox"}, nil)
	d := drive(t, app, 100, 40)
	d.keys("ctrl+d", "enter")
	d.waitFor("Steps", "••••••••Og==")
	// Hidden until asked: nothing drawn so far shows the key, its
	// "key:" step or its Base64.
	noSecretsDrawn(t, d, scaleDocsKey+":", scaleDocsBasic, scaleDocsKey)
	d.keys("ctrl+r")
	d.waitFor(scaleDocsKey+":", scaleDocsBasic)
}

func TestJ2TokenExchange(t *testing.T) {
	app, clip := newTestApp(t, Options{}, nil)
	d := drive(t, app, 100, 40)
	d.keys("2", "enter", "ctrl+d", "enter")
	d.waitFor("Steps", "expires in", "Authorization: Bearer")
	d.keys("f")
	d.waitFor("GET /api/v1/organizations", "200 OK")
	d.keys("y")
	d.waitFor("Copied header")
	got := clip.last(t)
	token, ok := strings.CutPrefix(got, "Authorization: Bearer ")
	if !ok || strings.Count(token, ".") != 2 {
		t.Fatalf("clipboard should hold a Bearer JWT header, got %q", got)
	}
	noSecretsDrawn(t, d, scalekitSecret, token)
}

func TestJ3SupportWrongKey(t *testing.T) {
	app, clip := newTestApp(t, Options{}, nil)
	d := drive(t, app, 100, 30)
	d.keys("1", "enter")
	d.waitFor("Credentials", "Scaling")
	wrong := "scl_live_ffffffffffffffffffffffffffffffff"
	d.keys(wrong, "enter", "f")
	d.waitFor("Inspector", "invalid_api_key", "Request id")
	d.keys("y")
	d.waitFor("Copied request id")
	id := clip.last(t)
	if !regexp.MustCompile(`^[0-9a-f-]{36}$`).MatchString(id) {
		t.Fatalf("copied request id %q is not the sandbox's uuid", id)
	}
	final := d.final()
	if r := final.sess.resp; r == nil || r.result.Status != 401 || r.result.Header.Get("X-Request-Id") != id {
		t.Fatalf("the copied id should be the 401's X-Request-Id; session %+v", final.sess.resp)
	}
	if !strings.Contains(ansi.Strip(final.View()), id) {
		t.Fatal("the inspector should show the request id")
	}
	noSecretsDrawn(t, d, wrong)
}

func TestJ3WhatIfSample(t *testing.T) {
	app, _ := newTestApp(t, Options{Provider: "scaling", Env: "sandbox"}, nil)
	d := drive(t, app, 100, 30)
	d.keys("ctrl+d", "enter", "enter")
	d.waitFor("Requests", "What if: a wrong key")
	for range indexOfSample(t, "scaling", "wrong-key") {
		d.keys("down")
	}
	d.keys("enter")
	d.waitFor("Inspector", "invalid_api_key")
	noSecretsDrawn(t, d, scalingDemoKey)
}

func TestJ4DecodePastedRawResponse(t *testing.T) {
	app, clip := newTestApp(t, Options{}, nil)
	d := drive(t, app, 100, 30)
	d.keys("d")
	d.waitFor("Decode")
	raw := "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nX-Request-Id: 7d1e4b0a-9c3f-4e55-8a1b-2f6d0c9e8a71\r\n\r\n" +
		`{"statusCode":401,"type":"not_authorized_error","code":"invalid_api_key","requestId":"7d1e4b0a-9c3f-4e55-8a1b-2f6d0c9e8a71"}`
	d.paste(raw)
	d.waitFor("Inspector", "invalid_api_key", "7d1e4b0a-9c3f-4e55-8a1b-2f6d0c9e8a71")
	d.keys("y")
	d.waitFor("Copied request id")
	if got := clip.last(t); got != "7d1e4b0a-9c3f-4e55-8a1b-2f6d0c9e8a71" {
		t.Fatalf("clipboard = %q", got)
	}
}

func TestJ4DecodeTypedBodyHostileBytes(t *testing.T) {
	app, _ := newTestApp(t, Options{}, nil)
	d := drive(t, app, 100, 30)
	d.keys("d")
	d.waitFor("Decode")
	d.paste(`{"statusCode":401,"code":"invalid_api_key","requestId":"x` + "\x1b]52;c;ZXZpbA==\x07" + `y"}`)
	d.waitFor("Inspector")
	final := d.final()
	if v := final.View(); strings.Contains(v, "\x1b]52") || strings.Contains(v, "ZXZpbA==\x07") {
		t.Fatal("a pasted OSC 52 sequence reached the screen")
	}
}

func TestJ5CopyMenu(t *testing.T) {
	app, clip := newTestApp(t, Options{Provider: "scale", Env: "sandbox"}, nil)
	d := drive(t, app, 100, 40)
	d.keys("ctrl+d", "enter", "f")
	d.waitFor("200 OK")
	d.keys("c")
	d.waitFor("Copy", "curl command", "support bundle")
	checks := []struct {
		keys   []string
		toast  string
		has    []string
		hasNot []string
	}{
		{[]string{"1"}, "Copied header", []string{"Authorization: Basic " + scaleDocsBasic}, nil},
		{[]string{"2"}, "Copied curl", []string{"curl", "/scale/v1/projects", scaleDocsKey}, nil},
		{[]string{"3"}, "Copied env", []string{"export SCALE_API_KEY="}, nil},
		{[]string{"4"}, "Copied go", []string{"net/http", "package main"}, nil},
		{[]string{"5"}, "Copied python", []string{"import requests"}, nil},
		{[]string{"6"}, "Copied node", []string{"fetch("}, nil},
		{[]string{"7"}, "Copied request id", nil, []string{" "}},
		{[]string{"8"}, "Copied support bundle", []string{"authscope", "200"}, []string{scaleDocsKey, scaleDocsBasic}},
		{[]string{"e", "2"}, "Copied curl (from env vars)", []string{"SCALE_API_KEY"}, []string{scaleDocsKey, scaleDocsBasic}},
		{[]string{"1"}, "Copied header (from env vars)", []string{"SCALE_API_KEY"}, []string{scaleDocsKey, scaleDocsBasic}},
	}
	for _, c := range checks {
		d.keys(c.keys...)
		d.waitFor(c.toast)
		got := clip.last(t)
		for _, h := range c.has {
			if !strings.Contains(got, h) {
				t.Errorf("%s: copied text lacks %q:\n%s", c.toast, h, got)
			}
		}
		for _, h := range c.hasNot {
			if strings.Contains(got, h) {
				t.Errorf("%s: copied text holds %q:\n%s", c.toast, h, got)
			}
		}
	}
	noSecretsDrawn(t, d, scaleDocsKey, scaleDocsBasic)
}

// noSecretsDrawn checks everything the program drew so far.
func noSecretsDrawn(t *testing.T, d *driver, secrets ...string) {
	t.Helper()
	drawn := ansi.Strip(d.out.String())
	for _, s := range secrets {
		if strings.Contains(drawn, s) {
			t.Errorf("the screen showed a secret (%d characters) without reveal", len(s))
		}
	}
}

func TestJ2WrongSecretShowsTheRefusedExchange(t *testing.T) {
	app, _ := newTestApp(t, Options{Provider: "scalekit", Env: "sandbox"}, nil)
	d := drive(t, app, 100, 30)
	d.keys("ctrl+d", "enter")
	d.waitFor("expires in")
	d.keys("enter")
	d.waitFor("Requests")
	for range indexOfSample(t, "scalekit", "wrong-key") {
		d.keys("down")
	}
	d.keys("enter")
	d.waitFor("Inspector", "invalid_client")
	noSecretsDrawn(t, d, scalekitSecret)
}

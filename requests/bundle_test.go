package requests

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/authscope/authscope/model"
)

// TestBundleHoldsNoSecret sends a real request to a server that echoes
// every secret back (in a header and in the body, among backticks and
// escape sequences) and checks the report masks them all.
func TestBundleHoldsNoSecret(t *testing.T) {
	const (
		key          = "live_0123456789abcdef0123456789abcdef"
		clientSecret = "sandbox_client_secret"
		accessToken  = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJza2MifQ.c2lnbmF0dXJlc2lnbmF0dXJl"
	)
	basic := base64.StdEncoding.EncodeToString([]byte(key + ":"))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "req_abc")
		w.Header().Set("X-Echo", r.Header.Get("Authorization"))
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte("{\"error\":\"bad key " + key + "\",\"token\":\"" + accessToken + "\",\"secret\":\"" + clientSecret + "\"}\n" +
			"```\n# injected heading\n\x1b]52;c;ZXZpbA==\x07\x1b[2J" + strings.Repeat("y", 5000)))
	}))
	defer srv.Close()

	p, _ := model.Lookup("scale")
	target := model.Target{Provider: p, Env: p.Environments[0], BaseURL: srv.URL, Creds: map[string]string{"key": key}}
	req := model.HTTPRequest{Method: "GET", URL: srv.URL + "/v1/projects"}.
		WithHeader("Authorization", model.Concat(model.Plain("Basic "), model.SecretText(basic)))
	res, err := Send(context.Background(), req, Options{})
	if err != nil {
		t.Fatal(err)
	}
	decoded := &model.DecodedError{
		ShapeTitle: "Scale error", Code: "401", Message: "bad key " + key + " [click](http://evil.example)",
		Meaning: "The key is not valid.", Advice: "Check the key.", RequestID: "req_abc", RequestIDSource: "header X-Request-Id",
		LikelyCause: "the token " + accessToken + " was rejected",
		Fields:      []model.FieldMeaning{{Path: "error", Value: "bad key " + key + " | pipe", Meaning: "the message"}},
	}
	report := Bundle(BundleInput{
		Target: target, Sample: p.Samples[0], Request: res.Request, Result: res, Decoded: decoded,
		Secrets: []string{accessToken, clientSecret}, Created: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
	})

	for name, secret := range map[string]string{"key": key, "base64 of key:": basic, "access token": accessToken, "client secret": clientSecret} {
		if strings.Contains(report, secret) {
			t.Errorf("the report holds the %s", name)
		}
	}
	for _, want := range []string{
		"| Status | 401 Unauthorized |", "req\\_abc", "2026-01-02T03:04:05.000Z", "Authorization: Basic " + model.Mask(basic),
		"## Timing", "| total |", "Scale AI", "(first 4 KiB of a ", "\\[click\\]\\(http://evil.example\\)", "bad key live\\_" + strings.Repeat(model.MaskRune, 8) + "cdef \\| pipe",
	} {
		if !strings.Contains(report, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	if strings.ContainsRune(report, 0x1b) || strings.ContainsRune(report, 0x07) {
		t.Error("the report carries terminal escapes")
	}
	// The body's own ``` must not close the fence: the block is fenced
	// with four backticks, and the injected heading stays inside it.
	if !strings.Contains(report, "\n````http\nHTTP/1.1 401 Unauthorized") {
		t.Errorf("the response is not fenced past the body's backticks:\n%s", report)
	}
	inside := strings.Split(report, "````http\nHTTP/1.1")[1]
	if end := strings.Index(inside, "\n````\n"); end < strings.Index(inside, "# injected heading") {
		t.Error("the injected heading escaped the fenced block")
	}
}

func TestBundleReportsNoAnswer(t *testing.T) {
	p, _ := model.Lookup("scaling")
	key := "scl_live_0123456789abcdef0123456789abcdef"
	req := model.HTTPRequest{Method: "GET", URL: "http://127.0.0.1:1/v1/incidents"}.
		WithHeader("Authorization", model.Concat(model.Plain("Bearer "), model.SecretText(key)))
	report := Bundle(BundleInput{
		Target: model.Target{Provider: p, Env: p.Environments[0], Creds: map[string]string{"key": key}}, Request: req,
		Failure: &NoAnswerError{Phase: PhaseConnect, Host: "127.0.0.1:1", Err: errors.New("connection refused")},
	})
	if !strings.Contains(report, "no answer: could not connect to 127.0.0.1:1: connection refused") || strings.Contains(report, key) {
		t.Fatalf("report:\n%s", report)
	}
}

package doctor

import (
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fixedNow is the "local clock" of every test: a day after the fixtures'
// requests, so local-clock checks are deterministic.
func fixedNow() time.Time { return time.Date(2026, 12, 1, 19, 0, 0, 0, time.UTC) }

func examineFixture(t *testing.T, name string) *Report {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := Examine(f, Options{Name: name, Now: fixedNow})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return rep
}

func checks(rep *Report) []string {
	var out []string
	for _, f := range rep.Findings {
		out = append(out, f.Check)
	}
	return out
}

func has(rep *Report, check string) (Finding, bool) {
	for _, f := range rep.Findings {
		if f.Check == check {
			return f, true
		}
	}
	return Finding{}, false
}

// Each fixture holds one mistake; its check must find it (and the test
// fails if the check is removed), the provider and environment must be
// read from the host, and the top finding must be the mistake, not the
// symptom.
func TestEachFixtureFindsItsMistake(t *testing.T) {
	cases := []struct {
		file, check, provider, env, kind string
		first                            bool // the finding must rank first
		titleHas                         string
	}{
		{"curl-u-no-colon.txt", "curl-u-no-colon", "scale", "live", "curl", true, "prompts for a password"},
		{"scheme-twice.curlv", "scheme-twice", "scaling", "production", "curl-v", true, "twice"},
		{"wrong-scheme.txt", "wrong-scheme", "scale", "live", "curl", true, "expects HTTP Basic"},
		{"no-authorization.txt", "no-authorization", "scaling", "production", "curl", true, "No Authorization"},
		{"basic-no-colon.http", "basic-no-colon", "scale", "live", "raw-http", true, "no ':'"},
		{"key-newline.txt", "credential-shape", "scaling", "production", "curl", true, "newline"},
		{"other-provider-key.txt", "credential-shape", "scaling", "production", "curl", true, "Scale AI credential"},
		{"jwt-expired.http", "jwt-expired", "scalekit", "production", "raw-http", true, "response's Date"},
		{"jwt-not-yet-valid.http", "jwt-not-yet-valid", "scalekit", "production", "raw-http", true, "Clock skew"},
		{"jwt-dev-on-prod.txt", "jwt-iss-env", "scalekit", "production", "curl", true, "development token used on production"},
		{"jwt-aud.txt", "jwt-aud", "scalekit", "production", "curl", false, "audience"},
		{"token-json.txt", "token-json-body", "scalekit", "production", "curl", true, "form-encoded"},
		{"test-key-404.curlv", "test-key-404", "scale", "test", "curl-v", false, "test key"},
		{"shell-variable.txt", "shell-variable", "scaling", "production", "curl", true, "$SCALING_TOKEN"},
		{"error-body.json", "response", "scalekit", "unknown", "response", true, "Token empty"},
		{"clock-skew.har", "clock-skew", "scalekit", "production", "har", true, "5m0s ahead"},
		{"session.har", "stale-token", "scalekit", "production", "har", true, "stale token"},
		{"session.har", "racing-refresh", "scalekit", "production", "har", false, "raced"},
		{"session.har", "first-401", "scalekit", "production", "har", false, "first 401"},
	}
	for _, c := range cases {
		t.Run(c.file+"/"+c.check, func(t *testing.T) {
			rep := examineFixture(t, c.file)
			if string(rep.Input) != c.kind {
				t.Errorf("read as %q, want %q", rep.Input, c.kind)
			}
			if rep.Provider != c.provider || rep.Environment != c.env {
				t.Errorf("provider/env = %s/%s, want %s/%s", rep.Provider, rep.Environment, c.provider, c.env)
			}
			f, ok := has(rep, c.check)
			if !ok {
				t.Fatalf("no %s finding; got %v", c.check, checks(rep))
			}
			if !strings.Contains(f.Title, c.titleHas) {
				t.Errorf("title %q lacks %q", f.Title, c.titleHas)
			}
			if c.first && rep.Findings[0].Check != c.check {
				t.Errorf("ranked %v; want %s first", checks(rep), c.check)
			}
			if f.Severity == "" || f.Evidence == "" || f.Fix == "" {
				t.Errorf("finding lacks severity, evidence or fix: %+v", f)
			}
		})
	}
}

// A HAR recorded from a real Chromium session against the sandbox
// (testdata/chromium/make.sh): every mistake it made is found, on the
// entry that made it.
func TestChromiumHAR(t *testing.T) {
	rep := examineFixture(t, "chromium-sandbox.har")
	want := map[string][]int{
		"wrong-scheme": {9}, "scheme-twice": {10}, "stale-token": {7}, "jwt-expired": {7},
		"racing-refresh": {5, 6}, "first-401": {7},
	}
	for check, entries := range want {
		f, ok := has(rep, check)
		if !ok {
			t.Errorf("no %s finding: %v", check, checks(rep))
			continue
		}
		if fmt.Sprint(f.Entries) != fmt.Sprint(entries) {
			t.Errorf("%s on entries %v, want %v", check, f.Entries, entries)
		}
	}
	if len(rep.Exchanges) != 10 || len(rep.RequestIDs) != 10 {
		t.Errorf("%d entries, %d request ids; want 10 and 10", len(rep.Exchanges), len(rep.RequestIDs))
	}
}

// Scale takes live or test from the key: told the customer meant live, a
// test key is the finding (authschemes.Check's mode check, called as is).
func TestTestKeyOnLive(t *testing.T) {
	paste := "curl https://api.scale.com/v1/projects -u test_0123456789abcdef0123456789abcdef:"
	rep, err := ExamineText(paste, Options{Env: "live", Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	f, ok := has(rep, "credential-shape")
	if !ok || !strings.Contains(f.Title, "test key against the live environment") || rep.Environment != "live" {
		t.Fatalf("findings %v, env %s", checks(rep), rep.Environment)
	}
	rep, _ = ExamineText(paste, Options{Now: fixedNow})
	if _, ok := has(rep, "credential-shape"); ok || rep.Environment != "test" {
		t.Fatalf("without --env the key's own mode is the environment: %v %s", checks(rep), rep.Environment)
	}
}

// A correct request finds nothing wrong: the checks are not just noisy.
func TestCleanRequestsHaveNoErrors(t *testing.T) {
	for _, paste := range []string{
		"curl https://api.scale.com/v1/projects -u live_7f3a9c2e4b1d8f6a0c5e9b2d7a4f1c8e:",
		"curl -H 'Authorization: Bearer scl_live_9Qx7RkT2mWcY4bN8pLs1Vd6Hf3Jg0Aze' https://api.scaling.cloud/v1/incidents",
		"curl -X POST https://acme.scalekit.dev/oauth/token -d grant_type=client_credentials -d client_id=skc_1 -d client_secret=abc",
	} {
		rep, err := ExamineText(paste, Options{Now: fixedNow})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range rep.Findings {
			if f.Severity != SevInfo {
				t.Errorf("%q: unexpected %s %s: %s", paste, f.Severity, f.Check, f.Title)
			}
		}
	}
}

// The response's request id is reported, and across a HAR every id is
// collected.
func TestRequestIDsAreCollected(t *testing.T) {
	rep := examineFixture(t, "session.har")
	if len(rep.RequestIDs) != 6 {
		t.Fatalf("request ids %v, want the 6 in the HAR", rep.RequestIDs)
	}
	rep = examineFixture(t, "error-body.json")
	if len(rep.RequestIDs) != 1 || rep.RequestIDs[0] != "req_93jd82kd" {
		t.Fatalf("request ids %v, want req_93jd82kd from the body", rep.RequestIDs)
	}
	rep = examineFixture(t, "scheme-twice.curlv")
	f, _ := has(rep, "response")
	if !strings.Contains(f.Evidence, "7c9e6679-7425-40de-944b-e07fc1f90ae7") || f.RequestID != "7c9e6679-7425-40de-944b-e07fc1f90ae7" {
		t.Errorf("response evidence lacks the request id: %q", f.Evidence)
	}
}

// Clock skew is named from the response's Date, not this machine's clock:
// the same token pasted without a response only says it has expired now.
func TestTokenTimesUseTheResponseDate(t *testing.T) {
	rep := examineFixture(t, "jwt-expired.http")
	f, _ := has(rep, "jwt-expired")
	if !strings.Contains(f.Evidence, "2026-11-30 10:00:00Z") {
		t.Errorf("evidence should cite the response's Date: %q", f.Evidence)
	}
	rep = examineFixture(t, "jwt-not-yet-valid.http")
	if _, ok := has(rep, "jwt-expired"); ok {
		t.Errorf("a token valid at the response's Date reported as expired")
	}
}

// No secret reaches a finding: evidence masks keys to prefix + last 4.
func TestFindingsHoldNoSecret(t *testing.T) {
	files := fixtureFiles(t)
	for _, file := range files {
		name := filepath.Base(file)
		if strings.HasPrefix(name, "not-") || strings.HasPrefix(name, "bad-") {
			continue
		}
		rep := examineFixture(t, name)
		for _, f := range rep.Findings {
			text := f.Title + f.Evidence + f.Fix
			for _, s := range rep.Secrets {
				if len(s) >= 8 && strings.Contains(text, s) {
					t.Errorf("%s: finding %s shows a secret", name, f.Check)
				}
			}
		}
	}
}

// fixtureFiles lists the fixtures (files directly in testdata/).
func fixtureFiles(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() {
			out = append(out, filepath.Join("testdata", e.Name()))
		}
	}
	return out
}

// A HAR read days after it was recorded: with no Date header, a token is
// judged at the entry's startedDateTime, not at this machine's now.
func TestOldHARJudgesTheTokenWhenItWasSent(t *testing.T) {
	started := time.Now().Add(-7 * 24 * time.Hour).UTC()
	b64 := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	claims := fmt.Sprintf(`{"iss":"https://acme.scalekit.com","sub":"skc_1","iat":%d,"exp":%d}`, started.Add(-time.Minute).Unix(), started.Add(time.Hour).Unix())
	jwt := b64(`{"alg":"RS256","typ":"JWT","kid":"snk_1"}`) + "." + b64(claims) + "." + b64("signature-bytes")
	har := `{"log":{"version":"1.2","creator":{"name":"test","version":"1"},"entries":[{"startedDateTime":"` + started.Format(time.RFC3339Nano) + `","time":10,` +
		`"request":{"method":"GET","url":"https://acme.scalekit.com/api/v1/organizations","httpVersion":"HTTP/1.1","headers":[{"name":"Authorization","value":"Bearer ` + jwt + `"}],"queryString":[],"cookies":[],"headersSize":-1,"bodySize":0},` +
		`"response":{"status":403,"statusText":"Forbidden","httpVersion":"HTTP/1.1","headers":[{"name":"Content-Type","value":"application/json"}],"cookies":[],"content":{"size":2,"mimeType":"application/json","text":"{}"},"redirectURL":"","headersSize":-1,"bodySize":2},"cache":{},"timings":{"send":0,"wait":10,"receive":0}}]}}`
	rep, err := ExamineText(har, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if f, ok := has(rep, "jwt-expired"); ok {
		t.Errorf("a token valid when the request started is called expired: %s", f.Title)
	}
	if f, ok := has(rep, "jwt-expired-since"); !ok || !strings.Contains(f.Evidence, "when the request started") {
		t.Errorf("want 'valid when sent, expired since' citing the start time, got %+v", f)
	}
}

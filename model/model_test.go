package model

import (
	"strings"
	"testing"
)

func TestTextMasksEverySecretSegment(t *testing.T) {
	key := "scl_live_0123456789abcdef0123456789abcdef"
	text := Concat(Plain("Authorization: Bearer "), SecretText(key))
	if got := text.Reveal(); got != "Authorization: Bearer "+key {
		t.Fatalf("Reveal = %q", got)
	}
	masked := text.Masked()
	if strings.Contains(masked, key) || strings.Contains(masked, "0123456789abcdef0123") {
		t.Fatalf("Masked leaks the key: %q", masked)
	}
	if !strings.HasPrefix(masked, "Authorization: Bearer scl_live_"+MaskRune) {
		t.Fatalf("Masked should keep the public prefix: %q", masked)
	}
	if got := text.Secrets(); len(got) != 1 || got[0] != key {
		t.Fatalf("Secrets = %q", got)
	}
}

func TestMaskShortSecretsShowNoTail(t *testing.T) {
	mask8 := strings.Repeat(MaskRune, 8)
	cases := map[string]string{
		"live_ScaleRocks":                       "live_" + mask8,
		"bGl2ZV9TY2FsZVJvY2tzOg==":              mask8 + "Og==", // 24 characters: a tail of 4 is shown
		"sandbox_client_secret":                 mask8 + "cret",
		"short":                                 mask8,
		"test_0123456789abcdef0123456789abcdef": "test_" + mask8 + "cdef",
		// doctor's evidence and --redact mask with Mask too (they once kept
		// a tail from 12 characters; four of 14 is too much of a key).
		"scl_live_0123456789abcd":       "scl_live_" + mask8,
		"sk_live_0123456789abcdef0123":  "sk_live_" + mask8 + "0123",
		"sk_test_x":                     "sk_test_" + mask8,
		"Bearer 0123456789abcdef0123xy": "Bearer " + mask8 + "23xy",
	}
	for in, want := range cases {
		if got := Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
	if Mask("") != "" {
		t.Error("Mask of empty should be empty")
	}
}

func TestHasKeyPrefixKnowsKeysNotSchemeWords(t *testing.T) {
	for in, want := range map[string]bool{
		"scl_live_abc": true, "sk_test_abc": true, "skc_1": true, "live_ScaleRocks": true,
		"Bearer scl_live_abc": false, "Basic Og==": false, "eyJhbGciOi": false, "": false,
	} {
		if got := HasKeyPrefix(in); got != want {
			t.Errorf("HasKeyPrefix(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestScrubReplacesOccurrences(t *testing.T) {
	got := Scrub("dial failed for key sandbox_client_secret twice: sandbox_client_secret", "sandbox_client_secret")
	if strings.Contains(got, "sandbox_client_secret") {
		t.Fatalf("Scrub left the secret: %q", got)
	}
}

func TestSanitizeStripsTerminalControls(t *testing.T) {
	cases := map[string]string{
		"plain":                      "plain",
		"a\x1b[31mred\x1b[0m":        "ared",
		"x\x1b]52;c;ZXZpbA==\x07y":   "xy", // OSC 52 clipboard write, BEL-terminated
		"x\x1b]0;title\x1b\\y":       "xy", // OSC with ST
		"x\x1bP1;2|payload\x1b\\y":   "xy", // DCS
		"x\u009b31my":                "xy", // C1 CSI
		"x\u009d8;;http://e\u009cy":  "xy", // C1 OSC with C1 ST
		"bare\x1b":                   "bare",
		"keep\nnew\tline":            "keep\nnew\tline",
		"over\rwrite":                "overwrite",
		"bell\x07del\x7f":            "belldel",
		"bad\xffutf8":                "bad\uFFFDutf8",
		"héllo ✓":                    "héllo ✓",
		"x\x1b(By":                   "xy", // charset designation
		"unterminated\x1b]52;c;AAAA": "unterminated",
		"cursor\x1b[2J\x1b[Hhome":    "cursorhome",
	}
	for in, want := range cases {
		if got := Sanitize(in); got != want {
			t.Errorf("Sanitize(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzSanitize(f *testing.F) {
	for _, s := range []string{"a\x1b[31mb", "\x1b]52;c;AA\x07", "\u009b1m", "\xff\xfe", "ok\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Sanitize(s)
		for _, r := range out {
			if r == 0x1b || r == 0x07 || r == '\r' || (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r < 0xa0) {
				t.Fatalf("Sanitize(%q) kept control %U in %q", s, r, out)
			}
		}
		if Sanitize(out) != out {
			t.Fatalf("Sanitize is not idempotent on %q", s)
		}
	})
}

func TestProvidersTableIsConsistent(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range Providers {
		if seen[p.ID] {
			t.Errorf("duplicate provider %s", p.ID)
		}
		seen[p.ID] = true
		if len(p.Environments) == 0 || !p.Environments[0].Sandbox {
			t.Errorf("%s: sandbox must be the first environment", p.ID)
		}
		if len(p.Demos) == 0 || len(p.Samples) == 0 || p.SandboxPath == "" {
			t.Errorf("%s: needs demos, samples and a sandbox path", p.ID)
		}
		if p.SecretField().ID == "" {
			t.Errorf("%s: no secret field", p.ID)
		}
		for _, d := range p.Demos {
			for _, f := range p.Fields {
				if d.Values[f.ID] == "" {
					t.Errorf("%s demo %q lacks %s", p.ID, d.Label, f.ID)
				}
			}
		}
		names := map[string]bool{}
		for _, s := range p.Samples {
			if names[s.Name] {
				t.Errorf("%s: duplicate sample %s", p.ID, s.Name)
			}
			names[s.Name] = true
			if !strings.HasPrefix(s.Path, "/") || s.Method == "" || s.Expect == 0 {
				t.Errorf("%s/%s: incomplete sample", p.ID, s.Name)
			}
		}
		for _, w := range []WhatIf{WhatIfNoHeader, WhatIfWrongScheme, WhatIfWrongKey, WhatIfNotFound} {
			found := false
			for _, s := range p.Samples {
				found = found || s.WhatIf == w
			}
			if !found {
				t.Errorf("%s: no %s what-if", p.ID, w)
			}
		}
	}
}

func TestLookupErrorsListChoices(t *testing.T) {
	if _, err := Lookup("SCALE"); err != nil {
		t.Fatalf("Lookup is case-insensitive: %v", err)
	}
	_, err := Lookup("stripe")
	if err == nil || !strings.Contains(err.Error(), "scaling, scalekit, scale") {
		t.Fatalf("unknown provider error should list choices: %v", err)
	}
	p, _ := Lookup("scale")
	if _, err := p.Env("prod"); err == nil || !strings.Contains(err.Error(), "sandbox, live, test") {
		t.Fatalf("unknown env error should list choices: %v", err)
	}
}

func TestResolveBaseURL(t *testing.T) {
	sk, _ := Lookup("scalekit")
	dev, _ := sk.Env("development")
	custom, _ := sk.Env("custom")
	if got, err := ResolveBaseURL(dev, "acme"); err != nil || got != "https://acme.scalekit.dev" {
		t.Fatalf("development: %q %v", got, err)
	}
	for _, bad := range []string{"", "ac me", "-acme", "acme.evil.com"} {
		if _, err := ResolveBaseURL(dev, bad); err == nil {
			t.Errorf("subdomain %q accepted", bad)
		}
	}
	if got, err := ResolveBaseURL(custom, "https://auth.yourapp.com/"); err != nil || got != "https://auth.yourapp.com" {
		t.Fatalf("custom: %q %v", got, err)
	}
	if _, err := ResolveBaseURL(custom, "http://auth.yourapp.com"); err == nil || !strings.Contains(err.Error(), "plain http") {
		t.Fatalf("plain http off loopback must be refused: %v", err)
	}
	for _, ok := range []string{"http://127.0.0.1:8787/scalekit", "http://localhost:1", "http://[::1]:80"} {
		if _, err := CheckBaseURL(ok); err != nil {
			t.Errorf("loopback http %q refused: %v", ok, err)
		}
	}
	if _, err := CheckBaseURL("https://user:pw@host"); err == nil {
		t.Error("credentials in URL accepted")
	}
	if env, sub, err := MatchEnvironment(sk, "https://acme.scalekit.com"); err != nil || env.ID != "production" || sub != "acme" {
		t.Fatalf("MatchEnvironment prod: %v %q %v", env.ID, sub, err)
	}
	if env, _, err := MatchEnvironment(sk, "https://auth.yourapp.com"); err != nil || env.ID != "custom" {
		t.Fatalf("MatchEnvironment custom: %v %v", env.ID, err)
	}
}

func TestRawRequestKeepsSecretMarked(t *testing.T) {
	req := HTTPRequest{Method: "POST", URL: "https://acme.scalekit.dev/oauth/token",
		Headers: []Header{{Name: "Content-Type", Value: Plain("application/x-www-form-urlencoded")}},
		Body:    Concat(Plain("grant_type=client_credentials&client_id=skc_1&client_secret="), SecretText("s3cr3t-value"))}
	raw := req.Raw()
	if !strings.HasPrefix(raw.Reveal(), "POST /oauth/token HTTP/1.1\r\nHost: acme.scalekit.dev\r\n") {
		t.Fatalf("raw = %q", raw.Reveal())
	}
	if strings.Contains(raw.Masked(), "s3cr3t-value") {
		t.Fatal("raw masked leaks the secret")
	}
	r2 := req.WithHeader("authorization", SecretText("Bearer x")).WithHeader("Authorization", Plain("y"))
	if v, _ := r2.Header("AUTHORIZATION"); v.Reveal() != "y" || len(r2.Headers) != 2 {
		t.Fatalf("WithHeader should replace: %+v", r2.Headers)
	}
	if len(req.Headers) != 1 {
		t.Fatal("WithHeader mutated the receiver")
	}
}

// A key pasted with a trailing CR or space keeps them visible in its
// mask, so the trim step reads "…cdef␍␍" → "…cdef", not "…ef" → "…cdef".
func TestMaskShowsTrailingWhitespace(t *testing.T) {
	key := "scl_live_0123456789abcdef0123456789abcdef"
	if got := Mask(key + "\r\r"); !strings.HasSuffix(got, "ef␍␍") {
		t.Errorf("Mask(key+CR CR) = %q", got)
	}
	if got := Mask(key); !strings.HasSuffix(got, "cdef") {
		t.Errorf("Mask(key) = %q", got)
	}
}

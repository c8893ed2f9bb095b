package authschemes

import (
	"strings"
	"testing"

	"github.com/authscope/authscope/model"
)

func TestCheck(t *testing.T) {
	const good = "scl_live_0123456789abcdef0123456789abcdef"
	cases := []struct {
		provider, env, key string
		want               []string // substrings, one per expected warning, in order
	}{
		{"scaling", "production", good, nil},
		{"scaling", "production", good + "\n", []string{"ends with a newline"}},
		{"scaling", "production", " " + good, []string{"starts with whitespace"}},
		{"scaling", "production", "scl_test_0123456789abcdef0123456789abcdef", []string{"does not start with scl_live_"}},
		{"scaling", "production", "scl_live_0123456789abcdef", []string{"has 16 characters after scl_live_; Scaling keys have 32"}},
		{"scaling", "production", "scl_live_0123456789abcdef0123456789abcde-", []string{"'-' at position 41, where only alphanumeric"}},
		{"scaling", "production", "scl_live_0123456789abcdef012345678é9abcdef", []string{"non-ASCII character (U+00E9) at position 35", "33 characters"}},
		{"scaling", "production", "live_0123456789abcdef0123456789abcdef", []string{"looks like a Scale AI credential"}},
		{"scaling", "production", "Bearer " + good, []string{`starts with "Bearer"`}},
		{"scaling", "production", "Basic abc", []string{"expects a Bearer token"}},
		{"scale", "live", "live_ScaleRocks", nil},
		{"scale", "live", "live_0123456789abcdef0123456789abcdef", nil},
		{"scale", "live", "test_0123456789abcdef0123456789abcdef", []string{"test key against the live environment"}},
		{"scale", "test", "live_0123456789abcdef0123456789abcdef", []string{"live key against the test environment"}},
		{"scale", "sandbox", "test_0123456789abcdef0123456789abcdef", nil},
		{"scale", "live", "Bearer live_ScaleRocks", []string{"expects HTTP Basic"}},
		{"scale", "live", "live_0123456789ABCDEF0123456789abcdef", []string{"an uppercase letter at position 16, where only lowercase hex"}},
		{"scale", "live", "scl_live_0123456789abcdef0123456789abcdef", []string{"looks like a Scaling credential"}},
		{"scale", "live", "live_0123456789abcdef\x000123456789abcdef", []string{"control character", "33 characters"}},
	}
	for _, c := range cases {
		p := mustProvider(t, c.provider)
		ws := Check(p, mustEnv(t, p, c.env), Credentials{"key": c.key})
		if len(ws) != len(c.want) {
			t.Errorf("%s/%s %q: %d warnings %+v, want %q", c.provider, c.env, c.key, len(ws), ws, c.want)
			continue
		}
		for i, w := range ws {
			if !strings.Contains(w.Message+" "+w.Fix, c.want[i]) {
				t.Errorf("%s %q: warning %q, want it to say %q", c.provider, c.key, w.Message, c.want[i])
			}
			if w.Fix == "" || w.Field != "key" {
				t.Errorf("%s %q: warning %+v lacks a fix or field", c.provider, c.key, w)
			}
		}
	}
}

func TestCheckControlCharacterIsAnError(t *testing.T) {
	p := mustProvider(t, "scaling")
	ws := Check(p, mustEnv(t, p, "production"), Credentials{"key": "scl_live_0123456789abcdef\x010123456789abcde"})
	if len(ws) == 0 || ws[0].Severity != model.SeverityError {
		t.Fatalf("warnings %+v: a control character must be an error", ws)
	}
}

func TestCheckScalekitFields(t *testing.T) {
	p := mustProvider(t, "scalekit")
	env := mustEnv(t, p, "sandbox")
	if ws := Check(p, env, Credentials{"client_id": "skc_sandbox_client", "client_secret": "sandbox_client_secret"}); len(ws) != 0 {
		t.Fatalf("demo client: %+v", ws)
	}
	ws := Check(p, env, Credentials{"client_id": "client_123", "client_secret": "s3cret\n"})
	if len(ws) != 2 || ws[0].Field != "client_id" || !strings.Contains(ws[0].Message, "skc_") || ws[1].Field != "client_secret" {
		t.Fatalf("warnings %+v", ws)
	}
}

// No message or fix ever repeats the credential it is about.
func TestCheckNeverEchoesTheSecret(t *testing.T) {
	keys := []string{
		"scl_live_0123456789abcdef0123456789abcdef!", " scl_live_SECRETSECRETSECRET\n", "Bearer live_SECRETSECRETSECRET",
		"live_SECRETSECRETSECRET", "test_SECRETSECRETSECRETé", "sk_SECRETSECRET:SECRET",
	}
	for _, id := range model.ProviderIDs() {
		p := mustProvider(t, id)
		for _, env := range p.Environments {
			for _, key := range keys {
				creds := Credentials{}
				for _, f := range p.Fields {
					creds[f.ID] = key
				}
				for _, w := range Check(p, env, creds) {
					for _, s := range []string{w.Message, w.Fix} {
						if strings.Contains(s, "SECRETSECRET") || strings.Contains(s, "0123456789abcdef0123") {
							t.Errorf("%s/%s: %q echoes the key", id, env.ID, s)
						}
					}
				}
			}
		}
	}
}

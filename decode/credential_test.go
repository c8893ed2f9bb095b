package decode

import (
	"strings"
	"testing"
)

const testJWT = "eyJhbGciOiJSUzI1NiIsImtpZCI6InNua18xIn0.eyJpc3MiOiJodHRwczovL2FjbWUuc2NhbGVraXQuZGV2In0.c2ln"

// TestRecogniseEveryShape: each credential shape, with every line ending
// a terminal paste makes (LF, CRLF, CR, CR CR from an unbracketed CRLF
// paste in tmux), and none.
func TestRecogniseEveryShape(t *testing.T) {
	cases := []struct {
		text     string
		kind     CredentialKind
		provider string
	}{
		{testJWT, CredJWT, ""},
		{"Authorization: Bearer " + testJWT, CredAuthorization, ""},
		{"authorization:Basic bGl2ZV9TY2FsZVJvY2tzOg==", CredAuthorization, ""},
		{"Bearer scl_live_0123456789abcdef0123456789abcdef", CredBearer, "scaling"},
		{"Bearer Bearer scl_live_0123456789abcdef0123456789abcdef", CredBearer, "scaling"},
		{"Basic bGl2ZV9TY2FsZVJvY2tzOg==", CredBasic, ""},
		{"scl_live_0123456789abcdef0123456789abcdef", CredAPIKey, "scaling"},
		{"live_ScaleRocks", CredAPIKey, "scale"},
		{"test_0123456789abcdef0123456789abcdef", CredAPIKey, "scale"},
		{"skc_123\nsecret_value", CredClientPair, "scalekit"},
		{"SCALEKIT_CLIENT_ID=skc_1\nSCALEKIT_CLIENT_SECRET=abc", CredClientPair, "scalekit"},
		{`{"client_id":"skc_1","client_secret":"abc"}`, CredClientPair, "scalekit"},
		{`{"access_token":"` + testJWT + `","token_type":"Bearer","expires_in":86399}`, CredTokenResponse, ""},
		{`{"keys":[{"kty":"RSA","kid":"snk_1","n":"AQAB","e":"AQAB"}]}`, CredJWKS, ""},
		{`{"issuer":"https://a.scalekit.dev","jwks_uri":"https://a.scalekit.dev/keys"}`, CredDiscovery, ""},
	}
	for _, tc := range cases {
		for _, end := range []string{"", "\n", "\r\n", "\r", "\r\r"} {
			text := strings.ReplaceAll(tc.text, "\n", end)
			if end == "" {
				text = tc.text
			}
			c, ok := RecogniseCredential([]byte(text + end))
			if !ok || c.Kind != tc.kind || c.Provider != tc.provider {
				t.Errorf("%q (end %q): got %v %q %q, want %q %q", tc.text, end, ok, c.Kind, c.Provider, tc.kind, tc.provider)
			}
			if ok && c.Why == "" {
				t.Errorf("%q: no reason given", tc.text)
			}
		}
	}
}

// TestNotACredential: what decode and doctor read today stays theirs.
func TestNotACredential(t *testing.T) {
	for _, text := range []string{
		`{"statusCode":401,"type":"not_authorized_error","code":"invalid_api_key","requestId":"x"}`,
		`{"error":"invalid_client","error_description":"bad secret"}`,
		`{"code":16,"message":"Token empty"}`,
		"WWW-Authenticate: Bearer error=\"invalid_token\"",
		`Bearer realm="api", error="invalid_token"`,
		"HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n\r\n{}",
		"curl -H 'Authorization: Bearer x' https://api.scaling.cloud/v1/incidents",
		"Unauthorized",
		"test_mode_disabled",
		"live_only",
		"<html><body>401</body></html>",
		"[1,2,3]",
		"",
		"   \n",
	} {
		if c, ok := RecogniseCredential([]byte(text)); ok {
			t.Errorf("%q read as %s (%s)", text, c.Kind, c.Why)
		}
	}
}

func TestRecogniseSaysTheLineEnds(t *testing.T) {
	c, ok := RecogniseCredential([]byte("Authorization: Bearer " + testJWT + "\r\r"))
	if !ok || c.Value != testJWT {
		t.Fatalf("got %v %q", ok, c.Value)
	}
	c, _ = RecogniseCredential([]byte("skc_1\r\rsecret\r\r"))
	if c.LineEnds == "" || c.Secret != "secret" {
		t.Errorf("CR CR pair: %+v", c)
	}
}

package doctor

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// harOf is a one-entry HAR with the given request and response parts.
func harOf(url string, reqHeaders [][2]string, postText string, status int, respHeaders [][2]string, respText string) string {
	nv := func(hs [][2]string) []map[string]string {
		out := []map[string]string{}
		for _, h := range hs {
			out = append(out, map[string]string{"name": h[0], "value": h[1]})
		}
		return out
	}
	req := map[string]any{"method": "POST", "url": url, "httpVersion": "HTTP/1.1", "headers": nv(reqHeaders), "queryString": []any{}, "cookies": []any{}}
	if postText != "" {
		req["postData"] = map[string]any{"mimeType": "application/x-www-form-urlencoded", "text": postText}
	}
	e := map[string]any{"startedDateTime": "2026-11-30T10:00:00.000Z", "time": 5, "request": req,
		"response": map[string]any{"status": status, "statusText": "", "httpVersion": "HTTP/1.1", "headers": nv(respHeaders), "cookies": []any{},
			"content": map[string]any{"size": len(respText), "mimeType": "application/json", "text": respText}}}
	b, _ := json.MarshalIndent(map[string]any{"log": map[string]any{"version": "1.2", "creator": map[string]any{"name": "t", "version": "1"}, "entries": []any{e}}}, "", "  ")
	return string(b)
}

// redactProbes are the places issue 19 found a secret surviving
// --redact, and a few more of the same kind: each input, its format,
// and the secrets that must be gone in every form.
func redactProbes() []struct {
	name, file, in string
	secrets        []string
} {
	big := strings.Repeat("x", 70<<10)
	return []struct {
		name, file, in string
		secrets        []string
	}{
		{"curl -F multipart", "c.txt", `curl https://acme.scalekit.dev/oauth/token -F grant_type=client_credentials -F client_id=skc_1234567890 -F client_secret=MultipartSecret0123456789`, []string{"MultipartSecret0123456789", "skc_1234567890"}},
		{"nested JSON body", "c.txt", `curl https://acme.scalekit.dev/oauth/token -H 'Content-Type: application/json' -d '{"auth":{"client_secret":"NestedJsonSecret0123456789"}}'`, []string{"NestedJsonSecret0123456789"}},
		{"array JSON body", "c.txt", `curl https://acme.scalekit.dev/oauth/token --json '[{"client_secret":"ArrayJsonSecret0123456789"}]'`, []string{"ArrayJsonSecret0123456789"}},
		{"URL userinfo", "c.txt", `curl https://admin:UrlPassw0rd@api.scaling.cloud/v1/incidents`, []string{"UrlPassw0rd"}},
		{"URL userinfo short", "c.txt", `curl 'https://admin:pw1@api.scaling.cloud/v1/incidents'`, []string{":pw1@"}},
		{"-U proxy user", "c.txt", `curl -U proxyuser:ProxyUserPass0123 https://api.scaling.cloud/v1/incidents`, []string{"ProxyUserPass0123"}},
		{"-x proxy userinfo", "c.txt", `curl -x http://u:ProxyUrlPass0123@proxy.example:3128 https://api.scaling.cloud/v1/incidents`, []string{"ProxyUrlPass0123"}},
		{"X-Authorization opaque", "c.txt", `curl https://api.scaling.cloud/v1/incidents -H 'X-Authorization: OpaqueXAuthToken0123456789'`, []string{"OpaqueXAuthToken0123456789"}},
		{"Authentication opaque", "c.txt", `curl https://api.scaling.cloud/v1/incidents -H 'Authentication: OpaqueAuthnToken0123456789'`, []string{"OpaqueAuthnToken0123456789"}},
		{"?signature= in URL", "c.txt", `curl 'https://api.scaling.cloud/v1/export?expires=1&signature=UrlSignatureValue0123456789'`, []string{"UrlSignatureValue0123456789"}},
		{"X-Amz-Signature in the query", "c.txt", `curl 'https://api.scaling.cloud/v1/x?access_token=QueryAccessToken0123456789&X-Amz-Signature=abcdef0123456789abcdef'`, []string{"QueryAccessToken0123456789", "abcdef0123456789abcdef"}},
		{"200 echoing api_key (raw)", "x.http", "POST /v1/keys HTTP/1.1\r\nHost: api.scaling.cloud\r\n\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{\"api_key\":\"EchoedApiKeyValue0123456789\"}", []string{"EchoedApiKeyValue0123456789"}},
		{"HAR postData over 64 KiB", "s.har", harOf("https://acme.scalekit.dev/oauth/token", nil, "pad="+big+"&client_secret=BigPostDataSecret0123456789", 200, nil, "{}"), []string{"BigPostDataSecret0123456789"}},
		{"HAR nested response token", "s.har", harOf("https://acme.scalekit.dev/api/v1/session", nil, "", 200, nil, `{"data":{"access_token":"NestedRespToken0123456789ab"}}`), []string{"NestedRespToken0123456789ab"}},
		{"HAR 200 echoing client_secret", "s.har", harOf("https://acme.scalekit.dev/api/v1/clients", nil, "", 200, nil, `{"client":{"id":"c1","client_secret":"EchoedClientSecret0123456789"}}`), []string{"EchoedClientSecret0123456789"}},
		{"HAR 200 echoing api_key", "s.har", harOf("https://api.scaling.cloud/v1/keys", nil, "", 200, nil, `{"data":{"api_key":"EchoedHarApiKey0123456789ab"}}`), []string{"EchoedHarApiKey0123456789ab"}},
		{"HAR Set-Cookie joined by newline", "s.har", harOf("https://api.scaling.cloud/v1/login", nil, "", 200, [][2]string{{"Set-Cookie", "a=FirstCookieValue0123; Path=/\nb=SecondCookieValue0123; Path=/"}}, "{}"), []string{"FirstCookieValue0123", "SecondCookieValue0123"}},
		{"HAR X-Authorization", "s.har", harOf("https://api.scaling.cloud/v1/incidents", [][2]string{{"X-Authorization", "HarXAuthToken0123456789ab"}}, "", 401, nil, "{}"), []string{"HarXAuthToken0123456789ab"}},
		{"HAR URL userinfo and signature", "s.har", harOf("https://u:HarUrlPassw0rd@api.scaling.cloud/v1/x?signature=HarSignature0123456789", nil, "", 200, nil, "{}"), []string{"HarUrlPassw0rd", "HarSignature0123456789"}},
	}
}

// Every probe redacts (not refused) and keeps no secret in any form.
// With AUTHSCOPE_PROBE_DIR set, each probe is also written there
// (NN-name.ext, and NN-name.secrets one a line) to run through a built
// binary, before and after a change.
func TestRedactProbes(t *testing.T) {
	dir := os.Getenv("AUTHSCOPE_PROBE_DIR")
	for i, p := range redactProbes() {
		if dir != "" {
			base := filepath.Join(dir, fmt.Sprintf("%02d-%s", i+1, strings.NewReplacer(" ", "-", "/", "-", "?", "", "=", "").Replace(p.name)))
			if err := os.WriteFile(base+filepath.Ext(p.file), []byte(p.in), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(base+".secrets", []byte(strings.Join(p.secrets, "\n")+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		t.Run(p.name, func(t *testing.T) {
			out, err := Redact([]byte(p.in), Options{Name: p.file})
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			for _, s := range p.secrets {
				for _, f := range secretForms(s) {
					if bytes.Contains(out, []byte(f)) {
						t.Errorf("%q survived as %q:\n%.2000s", s, f, out)
					}
				}
			}
			if _, err := Examine(bytes.NewReader(out), Options{Name: p.file}); err != nil {
				t.Errorf("the redacted copy no longer reads: %v", err)
			}
		})
	}
}

// The safety net catches what the parser does not know as a secret,
// and --redact then writes nothing and says where. Each of these is
// redacted by no rule of the parser: disabling the net (leftover) fails
// this test.
func TestRedactSafetyNetRefuses(t *testing.T) {
	cases := []struct{ name, file, in, what string }{
		{"a Basic value in an unknown header", "c.txt", "curl https://api.scaling.cloud/v1/x -H 'X-Upstream: Basic dXNlcjpodW50ZXIy'", "a Basic credential at line 1"},
		{"a credential-named JSON field", "c.txt", `curl https://api.scaling.cloud/v1/x -d '{"db_passphrase_secretish":"Zq8xR2vLm9TtY4pWk7"}'`, "a long random value in db_passphrase_secretish"},
		{"a key in a free-text comment", "x.http", "GET /v1/x HTTP/1.1\r\nHost: api.scaling.cloud\r\nX-Note: my key is sk_live_4eC39HqLyjWDarjtT1zdp7dc\r\n\r\n", "a secret key at line 3"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := Redact([]byte(c.in), Options{Name: c.file})
			if err == nil || out != nil {
				t.Fatalf("not refused; wrote:\n%s", out)
			}
			if !strings.Contains(err.Error(), c.what) || !strings.Contains(err.Error(), "nothing was written") {
				t.Fatalf("the refusal does not say where: %v", err)
			}
		})
	}
}

// The net on its own: each shape it knows, found in a clean text, and
// what redaction leaves (masks, REDACTED, a shell variable) not found.
func TestSafetyNetShapes(t *testing.T) {
	found := []string{
		"key scl_live_9Qx7RkT2mWcY4bN8pLs1Vd6Hf3Jg0Aze here",
		"Authorization: Basic " + "bGl2ZV9TY2FsZVJvY2tzOg==",
		"k=live_ScaleRocks",
		"token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
		"curl -u user:hunter2 https://x",
		"https://user:hunter2@host/x",
		`{"client_secret":"Zq8xR2vLm9TtY4pWk7"}`,
		`{"name":"X-Api-Key","value":"Zq8xR2vLm9TtY4pWk7aa"}`,
		"client_id=skc_sandbox_client",
	}
	for _, s := range found {
		if leftover([]byte(s)) == "" {
			t.Errorf("not caught: %s", s)
		}
	}
	clean := []string{
		"key scl_live_••••••••0Aze here",
		"Authorization: Basic " + "bGl2ZV/igKLigKLigKLigKLigKLigKLigKLigKIxYzhl",
		"token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.REDACTED",
		"curl -u user:REDACTED https://x",
		"https://user:REDACTED@host/x",
		`{"client_secret":"REDACTED","next_page_token":"Zq8xR2vLm9TtY4pWk7"}`,
		"Authorization: Bearer $TOKEN",
		"the test_suite and live_reload",
		"client_id=skc_••••••••ient",
	}
	for _, s := range clean {
		if w := leftover([]byte(s)); w != "" {
			t.Errorf("a false alarm (%s): %s", w, s)
		}
	}
}

// leakPastTheBackstop is a paste where the structural pass cannot reach
// a secret: more secrets than the backstop scrubs in every spelling (70
// cookies), and one cookie's value again in Base64 in a header no rule
// knows. Only the leak check stands between it and the output.
func leakPastTheBackstop() (paste, secret string) {
	var cookies []string
	for i := 0; i < 70; i++ {
		cookies = append(cookies, fmt.Sprintf("c%d=CookieValueNumber%05d", i, i))
	}
	secret = "CookieValueNumber00007"
	paste = "GET /v1/incidents HTTP/1.1\r\nHost: api.scaling.cloud\r\nCookie: " + strings.Join(cookies, "; ") +
		"\r\nX-Echo: " + base64.StdEncoding.EncodeToString([]byte(secret)) + "\r\n\r\n"
	return paste, secret
}

// A redaction that leaves a known secret is refused: nothing written,
// and the error names the form it survived in. Turning off the leak
// check in Redact fails this test.
func TestRedactRefusesASurvivingSecret(t *testing.T) {
	paste, _ := leakPastTheBackstop()
	out, err := Redact([]byte(paste), Options{Name: "x.http"})
	if err == nil || out != nil {
		t.Fatalf("not refused; wrote:\n%s", out)
	}
	if !strings.Contains(err.Error(), "would survive redaction") || !strings.Contains(err.Error(), "Base64") {
		t.Fatalf("the refusal does not say how it survived: %v", err)
	}
}

package cli

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/authscope/authscope/internal/hostile"
)

// sandboxToken fetches a real access token from the sandbox's token endpoint.
func sandboxToken(t *testing.T, base string, ttl string) string {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"skc_sandbox_client"}, "client_secret": {"sandbox_client_secret"}}
	if ttl != "" {
		form.Set("authscope_ttl", ttl)
	}
	resp, err := http.PostForm(base+"/scalekit/oauth/token", form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || body.AccessToken == "" {
		t.Fatalf("token: %v", err)
	}
	return body.AccessToken
}

// forge re-signs a token's claims with a key of its own, keeping the kid.
func forge(t *testing.T, token string) string {
	t.Helper()
	parsed, _, err := jwt.NewParser().ParseUnverified(token, jwt.MapClaims{})
	if err != nil {
		t.Fatal(err)
	}
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	f := jwt.NewWithClaims(jwt.SigningMethodRS256, parsed.Claims)
	if kid, ok := parsed.Header["kid"]; ok {
		f.Header["kid"] = kid
	}
	s, err := f.SignedString(k)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// secretForms is every spelling of a pasted secret an output could leak.
func secretForms(s string) []string {
	goJSON, _ := json.Marshal(s)
	return []string{s, base64.StdEncoding.EncodeToString([]byte(s)), url.QueryEscape(s), strings.Trim(string(goJSON), `"`)}
}

// TestDecodeReadsSandboxTokens is the "Done when" through the
// command: a sandbox token (with its newline), a forged one, an expired
// one, a Basic header and a bare key, read for what they are, the secret
// never printed, text or JSON, through decode and doctor.
func TestDecodeReadsSandboxTokens(t *testing.T) {
	base := sandboxURL(t)
	good := sandboxToken(t, base, "")
	short := sandboxToken(t, base, "1")
	cases := []struct {
		name, paste, first string
		want               []string
		secret             string
	}{
		{"sandbox token", good + "\n", "Read as a JWT", []string{"scalekit, sandbox", "signature verified", "jwt-signature-ok"}, good},
		{"forged", forge(t, good) + "\n", "Read as a JWT", []string{"scalekit, sandbox", "jwt-bad-signature", "altered or forged"}, ""},
		{"expired", short + "\n", "Read as a JWT", []string{"jwt-expired", "expired"}, short},
		{"basic header", "Authorization: Basic bGl2ZV9TY2FsZVJvY2tzOg==\r\r", "Read as an Authorization header line", []string{"scale, live", "basic-ok"}, "live_ScaleRocks"},
		{"bare key", "scl_live_0123456789abcdef0123456789abcdef\n", "Read as an API key", []string{"scaling, production", "key-shape-ok"}, "0123456789abcdef0123456789abcdef"},
	}
	time.Sleep(1100 * time.Millisecond) // the short token expires
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var all string
			for _, cmd := range []string{"decode", "doctor"} {
				for _, extra := range [][]string{nil, {"--json"}} {
					code, out, errOut := runDecodeCmdAs(t, cmd, tc.paste, extra...)
					if code != ExitOK {
						t.Fatalf("%s %v: exit %d: %s", cmd, extra, code, errOut)
					}
					if extra == nil && !strings.HasPrefix(out, tc.first) {
						t.Errorf("%s: first line %q, want %q", cmd, strings.SplitN(out, "\n", 2)[0], tc.first)
					}
					all += out
				}
			}
			for _, w := range tc.want {
				w = strings.TrimPrefix(w, "jwt-")
				if !strings.Contains(all, w) {
					t.Errorf("output lacks %q:\n%s", w, all)
				}
			}
			if tc.secret != "" {
				for _, f := range secretForms(tc.secret) {
					if strings.Contains(all, f) {
						t.Fatalf("the output shows the secret (%.16s…)", f)
					}
				}
			}
		})
	}
	// --reveal shows it.
	_, out, _ := runDecodeCmdAs(t, "decode", "scl_live_0123456789abcdef0123456789abcdef\n", "--reveal")
	if !strings.Contains(out, "scl_live_0123456789abcdef0123456789abcdef") {
		t.Errorf("--reveal does not show the key:\n%s", out)
	}
}

func runDecodeCmdAs(t *testing.T, cmd, stdin string, args ...string) (int, string, string) {
	t.Helper()
	if cmd == "decode" {
		return runDecodeCmd(t, stdin, false, nil, args...)
	}
	var out, errOut strings.Builder
	sys := IO{In: strings.NewReader(stdin), Out: &out, Err: &errOut, Getenv: func(string) string { return "" }}
	code := Main(t.Context(), sys, append([]string{"doctor"}, args...), nil)
	return code, out.String(), errOut.String()
}

// TestJWKSFlag: --jwks FILE verifies; a URL that redirects forever,
// drips, is silent or answers 1 GiB ends in one line, within --timeout.
func TestJWKSFlag(t *testing.T) {
	base := sandboxURL(t)
	good := sandboxToken(t, base, "")
	resp, err := http.Get(base + "/scalekit/keys")
	if err != nil {
		t.Fatal(err)
	}
	keys, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	path := t.TempDir() + "/keys.json"
	if err := os.WriteFile(path, keys, 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, _ := runDecodeCmd(t, good, false, nil, "--jwks", path)
	if code != ExitOK || !strings.Contains(out, "signature verified") || !strings.Contains(out, "keys.json") {
		t.Fatalf("--jwks FILE: exit %d\n%s", code, out)
	}
	code, out, _ = runDecodeCmd(t, good, false, nil, "--jwks", base+"/scalekit/keys")
	if code != ExitOK || !strings.Contains(out, "signature verified") {
		t.Fatalf("--jwks URL: exit %d\n%s", code, out)
	}

	loopSrv := hostile.NewRecorder(hostile.Redirect(http.StatusFound, "/again"))
	defer loopSrv.Close()
	for _, mode := range []hostile.Mode{hostile.GiantBody, hostile.EndlessBody, hostile.Silent} {
		srv, err := hostile.Start(mode)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		code, out, errOut := runDecodeCmd(t, good, false, nil, "--jwks", srv.URL+"/keys", "--timeout", "2s")
		srv.Close()
		if code == ExitOK || out != "" || strings.Count(errOut, "\n") != 1 || time.Since(start) > 6*time.Second {
			t.Errorf("%s: exit %d in %v, stdout %q, stderr %q", mode, code, time.Since(start), out, errOut)
		}
		noSecrets(t, string(mode), errOut, good)
	}
	code, out, errOut := runDecodeCmd(t, good, false, nil, "--jwks", loopSrv.URL+"/keys", "--timeout", "3s")
	if code == ExitOK || out != "" || strings.Count(errOut, "\n") != 1 {
		t.Errorf("redirect loop: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// TestNoIssuerKeysFetchedByDefault: a development token is decoded, its
// signature not verified, and no request is made without --fetch-jwks.
func TestNoIssuerKeysFetchedByDefault(t *testing.T) {
	tok := forge(t, mustHS(t))
	code, out, _ := runDecodeCmd(t, tok, false, nil)
	if code != ExitOK || !strings.Contains(out, "not done by default") || !strings.Contains(out, "scalekit, development") {
		t.Fatalf("exit %d\n%s", code, out)
	}
}

func mustHS(t *testing.T) string {
	t.Helper()
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"iss": "https://acme.scalekit.dev", "exp": time.Now().Add(time.Hour).Unix()}).SignedString([]byte("k"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestHostileClaims: escapes, bidi and zero-width characters in a token's
// claims and header reach no output raw; the token is masked everywhere.
func TestHostileClaims(t *testing.T) {
	evil := "\x1b[2J\x1b]52;c;ZXZpbA==\x07\u202eadmin\u200b\ufeff"
	claims := jwt.MapClaims{"iss": "https://acme.scalekit.dev", "sub": evil, "exp": time.Now().Add(time.Hour).Unix(), evil: "x"}
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"] = "snk_" + evil
	tok.Header["jku"] = "http://127.0.0.1:1/keys"
	k, _ := rsa.GenerateKey(rand.Reader, 2048)
	s, err := tok.SignedString(k)
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{nil, {"--json"}} {
		code, out, errOut := runDecodeCmd(t, s+"\r\r", false, nil, args...)
		if code != ExitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		for _, bad := range []string{"\x1b", "\x07", "\u202e", "\u200b", "\ufeff"} {
			if strings.Contains(out, bad) {
				t.Errorf("%v: the output holds %q raw", args, bad)
			}
		}
		if !strings.Contains(out, "U+202E") || !strings.Contains(out, "never fetched") {
			t.Errorf("%v: bidi not shown or jku not reported:\n%s", args, out)
		}
		for _, f := range secretForms(s) {
			if strings.Contains(out, f) {
				t.Fatalf("%v: the token is printed", args)
			}
		}
	}
}

// TestCredentialJSONShape: --json has doctor's shape plus the credential's
// kind, the read-as line, where the provider came from and its parts.
func TestCredentialJSONShape(t *testing.T) {
	code, out, _ := runDecodeCmd(t, "Authorization: Basic bGl2ZV9TY2FsZVJvY2tzOg==\n", false, nil, "--json")
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	var v struct {
		Input, Kind, Provider, Environment string
		ReadAs                             string `json:"read_as"`
		ProviderFrom                       string `json:"provider_from"`
		Findings                           []struct{ Check, Severity, Title, Evidence, Fix string }
		Credential                         struct {
			Basic struct {
				User, Password string
				Colon          bool
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	if v.Input != "credential" || v.Kind != "authorization-header" || v.Provider != "scale" || v.Environment != "live" ||
		!strings.HasPrefix(v.ReadAs, "Read as an Authorization header line") || !strings.HasPrefix(v.ProviderFrom, "detected from the key prefix") ||
		len(v.Findings) == 0 || v.Findings[0].Fix == "" || !v.Credential.Basic.Colon || strings.Contains(v.Credential.Basic.User, "ScaleRocks") {
		t.Errorf("JSON: %+v\n%s", v, out)
	}
}

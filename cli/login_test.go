package cli

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/authscope/authscope/internal/ssofake"
)

// browserEnv plays the browser with curl: it follows the authorization
// redirect to authscope's listener, as a browser would.
func browserEnv() map[string]string {
	env := map[string]string{"BROWSER": "curl -s -o /dev/null -L"}
	for k, v := range scalekitEnv {
		env[k] = v
	}
	return env
}

func TestLoginThroughABrowser(t *testing.T) {
	f := ssofake.New(t)
	code, out, stderr := runCmd(t, browserEnv(), "login", "--provider", "scalekit", "--base-url", f.URL(), "--timeout", "20s")
	if code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, stderr, out)
	}
	for _, want := range []string{"PKCE verifier", "S256 challenge", "code_challenge_method=S256", "Loopback listener", "Callback",
		"Code exchange", "✓ signature", "✓ nonce", "✓ aud", "Logout URL", "Signed in as ada@acme.example", "Opened the browser"} {
		if !strings.Contains(out+stderr, want) {
			t.Errorf("no %q in:\n%s", want, out)
		}
	}
	if !strings.Contains(lastLine(out), "••••") {
		t.Errorf("the last line should be the masked access token: %q", lastLine(out))
	}
	noSecrets(t, "stdout", out, "sandbox_client_secret")
	if strings.Contains(out, "code=") && !strings.Contains(out, "code=••") {
		t.Errorf("the code shows:\n%s", out)
	}
}

func TestLoginJSONMasksEveryToken(t *testing.T) {
	f := ssofake.New(t)
	code, out, stderr := runCmd(t, browserEnv(), "login", "--base-url", f.URL(), "--json", "--timeout", "20s")
	if code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, stderr, out)
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, k := range []string{"access_token", "id_token", "refresh_token"} {
		s, _ := v[k].(string)
		if !strings.Contains(s, "•") || strings.Count(s, ".") == 2 {
			t.Errorf("%s = %q", k, s)
		}
	}
	if s, _ := v["logout_url"].(string); !strings.Contains(s, "id_token_hint=••") {
		t.Errorf("logout_url = %q", s)
	}
	noSecrets(t, "json", out, "sandbox_client_secret")
}

func TestLoginAccessDeniedIsDecoded(t *testing.T) {
	f := ssofake.New(t)
	code, out, stderr := runCmd(t, browserEnv(), "login", "--base-url", f.URL(), "--login-hint", "deny@acme.example", "--timeout", "20s")
	if code != ExitHTTPError || !strings.Contains(out, "access_denied") || !strings.Contains(out, "Sign in again") {
		t.Fatalf("exit %d: %s\n%s", code, stderr, out)
	}
}

func TestLoginWaitsNoLongerThanTimeout(t *testing.T) {
	f := ssofake.New(t)
	start := time.Now()
	code, _, stderr := runCmd(t, scalekitEnv, "login", "--base-url", f.URL(), "--no-browser", "--timeout", "300ms")
	if code != ExitNoAnswer || !strings.Contains(stderr, "no callback within") || time.Since(start) > 3*time.Second {
		t.Fatalf("exit %d after %s: %s", code, time.Since(start), stderr)
	}
}

func TestLoginBadUsage(t *testing.T) {
	for _, args := range [][]string{
		{"login", "--login-hint", "a@b.c", "--domain", "b.c"},
		{"login", "--redirect-port", "70000"},
		{"login", "--provider", "scale"},
		{"login", "--timeout", "0s"},
	} {
		code, _, stderr := runCmd(t, scalekitEnv, args...)
		if code != ExitUsage || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, %s", args, code, stderr)
		}
	}
}

func TestLoginOnTheSandboxWithNoBrowser(t *testing.T) {
	base := sandboxURL(t) + "/scalekit"
	code, out, stderr := runCmd(t, scalekitEnv, "login", "--provider", "scalekit", "--base-url", base, "--login-hint", "ada@acme.example", "--timeout", "20s")
	if code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, stderr, out)
	}
	for _, want := range []string{"Signed in as ada@acme.example", "✓ nonce", "✓ signature", "identities", "Logout URL", "follows the authorization redirect"} {
		if !strings.Contains(out+stderr, want) {
			t.Errorf("no %q in:\n%s\n%s", want, out, stderr)
		}
	}
	noSecrets(t, "stdout", out, "sandbox_client_secret")
	// --reveal ends with the access token itself.
	code, out, _ = runCmd(t, scalekitEnv, "login", "--base-url", base, "--login-hint", "ada@acme.example", "--reveal", "--timeout", "20s")
	if tok := lastLine(out); code != 0 || strings.Count(tok, ".") != 2 || strings.Contains(tok, "•") || !strings.Contains(out, "code_verifier=") {
		t.Fatalf("--reveal: exit %d, last line %q", code, tok)
	}
	// The in-process sandbox, as a user runs it: no --base-url, no
	// credentials.
	code, out, stderr = runCmd(t, nil, "login", "--login-hint", "ada@acme.example", "--json", "--timeout", "20s")
	var v struct {
		IDChecks []struct{ OK bool } `json:"id_token_checks"`
		IDToken  string              `json:"id_token"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &v) != nil || len(v.IDChecks) < 5 || !strings.Contains(v.IDToken, "•") {
		t.Fatalf("exit %d: %s\n%s", code, stderr, out)
	}
	for _, c := range v.IDChecks {
		if !c.OK {
			t.Errorf("a check failed: %s", out)
		}
	}
}

func TestLoginOnTheSandboxRefusals(t *testing.T) {
	base := sandboxURL(t) + "/scalekit"
	// A login_hint at a domain no organization has: the callback brings
	// the error back, decoded, exit 1.
	code, out, stderr := runCmd(t, scalekitEnv, "login", "--base-url", base, "--login-hint", "someone@nowhere.example", "--timeout", "20s")
	if code != ExitHTTPError || !strings.Contains(out, "invalid_request") || !strings.Contains(out, "Request id") && !strings.Contains(out, "request id") {
		t.Fatalf("exit %d: %s\n%s", code, stderr, out)
	}
	// A wrong client id: an error page, never a redirect.
	env := map[string]string{"SCALEKIT_CLIENT_ID": "skc_nobody", "SCALEKIT_CLIENT_SECRET": "x"}
	code, out, stderr = runCmd(t, env, "login", "--base-url", base, "--login-hint", "ada@acme.example", "--timeout", "20s")
	if code != ExitHTTPError || !strings.Contains(out, "error page") {
		t.Fatalf("exit %d: %s\n%s", code, stderr, out)
	}
}

// Hostile token endpoints behind a working authorization step, through
// the whole command: a redirect is never followed (the code and secret
// stay with the origin named), a drip ends at --timeout, an echo of the
// request is masked.
func TestLoginAgainstHostileTokenEndpoints(t *testing.T) {
	var elsewhere int
	other := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { elsewhere++ }))
	defer other.Close()

	f := ssofake.New(t)
	f.Token = func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/steal", http.StatusTemporaryRedirect)
	}
	code, out, stderr := runCmd(t, browserEnv(), "login", "--base-url", f.URL(), "--timeout", "20s")
	if code != ExitHTTPError || elsewhere != 0 || !strings.Contains(stderr, "redirect") {
		t.Fatalf("redirect: exit %d, %d hits elsewhere: %s\n%s", code, elsewhere, stderr, out)
	}

	f = ssofake.New(t)
	f.Token = func(w http.ResponseWriter, r *http.Request) {
		fl := w.(http.Flusher)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(200)
		for i := 0; i < 100; i++ {
			if _, err := w.Write([]byte(" ")); err != nil {
				return
			}
			fl.Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(100 * time.Millisecond):
			}
		}
	}
	start := time.Now()
	code, _, stderr = runCmd(t, browserEnv(), "login", "--base-url", f.URL(), "--timeout", "1500ms")
	if code != ExitNoAnswer || time.Since(start) > 5*time.Second {
		t.Fatalf("drip: exit %d after %s: %s", code, time.Since(start), stderr)
	}

	f = ssofake.New(t)
	f.Echo = true
	code, out, stderr = runCmd(t, browserEnv(), "login", "--base-url", f.URL(), "--timeout", "20s")
	if code != ExitHTTPError {
		t.Fatalf("echo: exit %d: %s\n%s", code, stderr, out)
	}
	noSecrets(t, "echo stdout", out, "sandbox_client_secret")
	// The echo holds the code and the verifier: masked wherever they are.
	if leak := regexp.MustCompile(`(^|[^_])code=[A-Za-z0-9_-]|code_verifier=[A-Za-z0-9_-]`).FindString(out); leak != "" || !strings.Contains(out, "code_verifier=••") {
		t.Errorf("echo output shows %q:\n%s", leak, out)
	}
	code, out, _ = runCmd(t, browserEnv(), "login", "--base-url", f.URL(), "--timeout", "20s", "--json")
	noSecrets(t, "echo json", out, "sandbox_client_secret")
}

// A real environment: the URL is built for it and nothing is sent
// before the browser comes back; the wait ends at --timeout.
func TestLoginBuildsTheURLForARealEnvironment(t *testing.T) {
	code, out, stderr := runCmd(t, nil, "login", "--env", "development", "--subdomain", "acme",
		"--client-id", "skc_123", "--client-secret", "s3cret_value_here", "--organization-id", "org_1",
		"--redirect-port", "0", "--no-browser", "--timeout", "300ms", "--json")
	var v struct {
		URL      string `json:"authorization_url"`
		Redirect string `json:"redirect_uri"`
		Phase    string `json:"error_phase"`
		Step     string `json:"error_step"`
	}
	if code != ExitNoAnswer || json.Unmarshal([]byte(out), &v) != nil {
		t.Fatalf("exit %d: %s\n%s", code, stderr, out)
	}
	if !strings.HasPrefix(v.URL, "https://acme.scalekit.dev/oauth/authorize?response_type=code&client_id=skc_123&") ||
		!strings.Contains(v.URL, "organization_id=org_1") || !strings.HasPrefix(v.Redirect, "http://127.0.0.1:") || v.Step != "callback" {
		t.Fatalf("%+v", v)
	}
	noSecrets(t, "json", out+stderr, "s3cret_value_here")
}

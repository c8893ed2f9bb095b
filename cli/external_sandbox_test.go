package cli

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestExternalSandboxGetsTheDemoCredentials: a sandbox reached with
// --base-url says it is one, so with no credentials set it gets the demo
// ones; any other server does not, and the command stops with "no API
// key" instead of sending (or printing) the demo key.
func TestExternalSandboxGetsTheDemoCredentials(t *testing.T) {
	url := sandboxURL(t)
	code, out, errOut := runCmd(t, nil, "header", "--provider", "scaling", "--base-url", url+"/scaling")
	if code != ExitOK || !strings.Contains(out, "Bearer "+scalingKey) || !strings.Contains(errOut, "sandbox demo") {
		t.Fatalf("header against an external sandbox: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = runCmd(t, nil, "request", "--provider", "scaling", "--base-url", url+"/scaling", "--sample", "wrong-key")
	if code != ExitHTTPError || !strings.Contains(out, "invalid_api_key") {
		t.Fatalf("the banner's Try line: exit %d\n%s\n%s", code, out, errOut)
	}

	var sawAuth []string
	notSandbox := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sawAuth = append(sawAuth, r.Header.Get("Authorization"))
		w.WriteHeader(http.StatusNotFound)
	}))
	t.Cleanup(notSandbox.Close)
	for _, args := range [][]string{
		{"header", "--provider", "scale", "--base-url", notSandbox.URL},
		{"header", "--provider", "scalekit", "--base-url", notSandbox.URL},
		{"request", "--provider", "scaling", "--base-url", notSandbox.URL},
		{"token", "--provider", "scalekit", "--base-url", notSandbox.URL},
		{"header", "--provider", "scale", "--env", "live"},
		{"header", "--provider", "scaling", "--env", "production"},
	} {
		code, out, errOut := runCmd(t, nil, args...)
		if code != ExitUsage || !strings.Contains(errOut, "no ") || out != "" {
			t.Errorf("%q against a server that is no sandbox: exit %d\nstdout %q\nstderr %q", args, code, out, errOut)
		}
	}
	for _, a := range sawAuth {
		if a != "" {
			t.Fatalf("a server that is no sandbox got credentials: %q", a)
		}
	}
}

// TestFromEnvSnippetNeedsNoSecret: printing a --from-env snippet for a
// real environment works with no credential set (it holds none); inline
// it still needs one.
func TestFromEnvSnippetNeedsNoSecret(t *testing.T) {
	for _, args := range [][]string{
		{"request", "--provider", "scaling", "--env", "production", "--print", "curl", "--from-env"},
		{"request", "--provider", "scale", "--env", "live", "--print", "python", "--from-env"},
		{"request", "--provider", "scalekit", "--env", "production", "--subdomain", "acme", "--print", "go", "--from-env"},
		{"request", "--provider", "scalekit", "--env", "production", "--subdomain", "acme", "--print", "header", "--from-env", "--client-auth", "basic"},
	} {
		code, out, errOut := runCmd(t, nil, args...)
		if code != ExitOK || !strings.Contains(out, "_") || strings.Contains(out, "sandbox") {
			t.Errorf("%q: exit %d\n%s\n%s", args, code, out, errOut)
		}
	}
	code, _, errOut := runCmd(t, nil, "request", "--provider", "scaling", "--env", "production", "--print", "curl")
	if code != ExitUsage || !strings.Contains(errOut, "no API key") {
		t.Fatalf("an inline snippet without a key: exit %d, %q", code, errOut)
	}
}

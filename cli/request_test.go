package cli

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/authscope/authscope/internal/hostile"
	"github.com/authscope/authscope/sandbox"
)

const (
	scalingKey = "scl_live_0123456789abcdef0123456789abcdef"
	scaleKey   = "live_0123456789abcdef0123456789abcdef"
)

// runCmd runs a command as main would, with the given environment.
func runCmd(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	io := IO{In: strings.NewReader(""), Out: &out, Err: &errOut, Getenv: func(k string) string { return env[k] }}
	code = Main(context.Background(), io, args, nil)
	return code, out.String(), errOut.String()
}

// sandboxURL starts the real sandbox on a free loopback port.
func sandboxURL(t *testing.T) string {
	t.Helper()
	srv, err := sandbox.Start(context.Background(), sandbox.Options{Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv.URL()
}

func noSecrets(t *testing.T, where, text string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if strings.Contains(text, s) {
			t.Fatalf("%s holds a secret (%.12s…):\n%s", where, s, text)
		}
	}
}

func oneLine(t *testing.T, stderr, want string) {
	t.Helper()
	if strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, want) {
		t.Fatalf("stderr should be one line naming %q, got:\n%s", want, stderr)
	}
}

func TestRequestExitCodes(t *testing.T) {
	url := sandboxURL(t)
	env := map[string]string{"SCALING_API_KEY": scalingKey}
	base := url + "/scaling"

	t.Run("0 success", func(t *testing.T) {
		code, out, stderr := runCmd(t, env, "request", "--provider", "scaling", "--base-url", base)
		if code != 0 || !strings.Contains(out, "Status: HTTP/1.1 200 OK") || !strings.Contains(out, `"incidents"`) {
			t.Fatalf("exit %d\n%s\n%s", code, out, stderr)
		}
		if !strings.Contains(out, "Authorization: Bearer scl_live_••••") || !strings.Contains(out, "Timing: ") {
			t.Fatalf("the request or timing is missing:\n%s", out)
		}
		noSecrets(t, "stdout", out, scalingKey)
	})
	t.Run("1 the server answered 401", func(t *testing.T) {
		code, out, _ := runCmd(t, env, "request", "--provider", "scaling", "--base-url", base, "--sample", "wrong-key")
		if code != 1 || !strings.Contains(out, "Decoded error") || !strings.Contains(out, "invalid_api_key") || !strings.Contains(out, "request id ") {
			t.Fatalf("exit %d\n%s", code, out)
		}
		noSecrets(t, "stdout", out, scalingKey)
	})
	t.Run("2 unknown sample", func(t *testing.T) {
		code, _, stderr := runCmd(t, env, "request", "--provider", "scaling", "--base-url", base, "--sample", "nope")
		if code != 2 {
			t.Fatalf("exit %d", code)
		}
		oneLine(t, stderr, "choose one of: incidents")
	})
	t.Run("3 closed port", func(t *testing.T) {
		l, _ := net.Listen("tcp", "127.0.0.1:0")
		addr := l.Addr().String()
		l.Close()
		code, _, stderr := runCmd(t, env, "request", "--provider", "scaling", "--base-url", "http://"+addr)
		if code != 3 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		oneLine(t, stderr, "no answer (connect)")
	})
	t.Run("3 accepts and never answers", func(t *testing.T) {
		code, _, stderr := runCmd(t, env, "request", "--provider", "scaling", "--base-url", hostileURL(t, hostile.Silent), "--timeout", "300ms")
		if code != 3 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		oneLine(t, stderr, "no answer (timeout)")
	})
	t.Run("3 untrusted certificate", func(t *testing.T) {
		srv := httptest.NewUnstartedServer(http.NotFoundHandler())
		srv.Config.ErrorLog = nil
		srv.StartTLS()
		defer srv.Close()
		code, _, stderr := runCmd(t, env, "request", "--provider", "scaling", "--base-url", srv.URL)
		if code != 3 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		oneLine(t, stderr, "no answer (TLS)")
	})
}

func TestRequestJSONParsesAndHoldsNoSecret(t *testing.T) {
	url := sandboxURL(t)
	env := map[string]string{"SCALE_API_KEY": scaleKey}
	code, out, stderr := runCmd(t, env, "request", "--provider", "scale", "--base-url", url+"/scale", "--json", "--sample", "wrong-scheme")
	if code != 1 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var v struct {
		Response struct{ Status int }
		Request  struct {
			Headers []struct{ Name, Value string }
		}
		Timing struct {
			Total float64 `json:"total_ms"`
		}
		Decoded *struct{ Code string } `json:"decoded_error"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("--json is not one JSON object: %v\n%s", err, out)
	}
	if v.Response.Status != 401 || v.Decoded == nil || v.Timing.Total <= 0 || len(v.Request.Headers) == 0 {
		t.Fatalf("parsed: %+v\n%s", v, out)
	}
	noSecrets(t, "--json", out, scaleKey, base64.StdEncoding.EncodeToString([]byte(scaleKey+":")))
}

func TestRequestScalekitExchangesFirst(t *testing.T) {
	url := sandboxURL(t)
	env := map[string]string{"SCALEKIT_CLIENT_ID": "skc_sandbox_client", "SCALEKIT_CLIENT_SECRET": "sandbox_client_secret"}
	code, out, stderr := runCmd(t, env, "request", "--provider", "scalekit", "--base-url", url+"/scalekit", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, stderr, out)
	}
	var v struct {
		Exchange *struct {
			Status int
			Token  struct {
				AccessToken string `json:"access_token"`
			}
		}
		Response struct{ Status int }
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil || v.Exchange == nil || v.Exchange.Status != 200 || v.Response.Status != 200 {
		t.Fatalf("err %v, parsed %+v\n%s", err, v, out)
	}
	if !strings.Contains(v.Exchange.Token.AccessToken, "••••") {
		t.Fatalf("the access token is not masked: %q", v.Exchange.Token.AccessToken)
	}
	noSecrets(t, "--json", out, "sandbox_client_secret")

	t.Run("wrong secret is refused with 1", func(t *testing.T) {
		code, out, _ := runCmd(t, env, "request", "--provider", "scalekit", "--base-url", url+"/scalekit", "--sample", "wrong-key")
		if code != 1 || !strings.Contains(out, "invalid_client") {
			t.Fatalf("exit %d\n%s", code, out)
		}
		noSecrets(t, "stdout", out, "sandbox_client_secret")
	})
}

func TestRequestLiveNonGETNeedsConsent(t *testing.T) {
	url := sandboxURL(t)
	env := map[string]string{"SCALE_API_KEY": scaleKey}
	args := []string{"request", "--provider", "scale", "--env", "live", "--base-url", url + "/scale", "--sample", "create-project"}
	code, _, stderr := runCmd(t, env, args...)
	if code != 2 {
		t.Fatalf("exit %d without --yes and without a TTY", code)
	}
	oneLine(t, stderr, "--yes")
	if code, out, stderr := runCmd(t, env, append(args, "--yes")...); code != 0 {
		t.Fatalf("with --yes: exit %d\n%s\n%s", code, out, stderr)
	}
}

func TestRequestPrintAndBundle(t *testing.T) {
	url := sandboxURL(t)
	env := map[string]string{"SCALING_API_KEY": scalingKey}
	base := url + "/scaling"
	_, inline, _ := runCmd(t, env, "request", "--provider", "scaling", "--base-url", base, "--print", "curl")
	if !strings.Contains(inline, scalingKey) {
		t.Fatalf("--print curl should carry the key, as asked:\n%s", inline)
	}
	_, shared, _ := runCmd(t, env, "request", "--provider", "scaling", "--base-url", base, "--print", "curl", "--from-env")
	if !strings.Contains(shared, "-H @- <<EOF\nAuthorization: Bearer $(trim \"$SCALING_API_KEY\")\nEOF") {
		t.Fatalf("--from-env should read the variable:\n%s", shared)
	}
	noSecrets(t, "--from-env", shared, scalingKey)

	code, report, _ := runCmd(t, env, "request", "--provider", "scaling", "--base-url", base, "--sample", "wrong-key", "--bundle")
	if code != 1 || !strings.Contains(report, "# authscope support report") || !strings.Contains(report, "invalid") {
		t.Fatalf("exit %d\n%s", code, report)
	}
	noSecrets(t, "--bundle", report, scalingKey)
}

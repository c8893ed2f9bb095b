package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/authscope/authscope/internal/hostile"
)

// slowChainTimeout is the --timeout of the slow-chain runs: short, so
// the suite stays fast, long enough that process start-up is noise.
const slowChainTimeout = 2 * time.Second

// deadlineSlack is how far past --timeout a run may end: the process
// exits and the test reads it back. A run that waited once per request
// (token, JWKS, request) would take two or three times the timeout.
const deadlineSlack = 1500 * time.Millisecond

var scalekitCreds = []string{"SCALEKIT_CLIENT_ID=" + awkwardClientID, "SCALEKIT_CLIENT_SECRET=" + awkwardSecret}

// A chain that answers the token at once and drips everything else: the
// one --timeout bounds the whole command and the line names the step
// that ran out.
func TestSlowChainEndsAtTheOneDeadline(t *testing.T) {
	cases := []struct {
		name     string
		dripKeys bool
		args     []string
		step     string
	}{
		{"request, JWKS drips", true, []string{"request", "--provider", "scalekit"}, "JWKS fetch"},
		{"request, API drips", false, []string{"request", "--provider", "scalekit"}, "request"},
		{"token, JWKS drips", true, []string{"token", "--provider", "scalekit"}, "JWKS fetch"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			rec := hostile.NewRecorder(hostile.SlowChain(c.dripKeys))
			defer rec.Close()
			args := append(append([]string{}, c.args...), "--base-url", rec.URL, "--timeout", slowChainTimeout.String())
			run := runBinary(t, scalekitCreds, args...)
			t.Logf("slow chain %q: exit %d after %s with --timeout %s", c.name, run.code, run.wall.Round(time.Millisecond), slowChainTimeout)
			if run.code != ExitNoAnswer {
				t.Fatalf("exit %d, want 3\n%s", run.code, run.stderr)
			}
			want := fmt.Sprintf("no answer (timeout): timed out reading the body (%s, ", c.step)
			if !strings.Contains(lastLine(run.stderr), want) {
				t.Errorf("the line should name the step: want %q in %q", want, lastLine(run.stderr))
			}
			if run.wall < slowChainTimeout-100*time.Millisecond || run.wall > slowChainTimeout+deadlineSlack {
				t.Errorf("ran %s with --timeout %s", run.wall, slowChainTimeout)
			}
		})
	}
}

// header prints the token; it does not wait for a JWKS check it does not
// print, however slow the key set is.
func TestHeaderDoesNotWaitForTheJWKS(t *testing.T) {
	rec := hostile.NewRecorder(hostile.SlowChain(true))
	defer rec.Close()
	run := runBinary(t, scalekitCreds, "header", "--provider", "scalekit", "--base-url", rec.URL, "--timeout", "20s")
	t.Logf("header against a dripping JWKS: exit %d after %s with --timeout 20s", run.code, run.wall.Round(time.Millisecond))
	if run.code != ExitOK || !strings.HasPrefix(run.stdout, "Authorization: Bearer eyJ") {
		t.Fatalf("exit %d\n%s%s", run.code, run.stdout, run.stderr)
	}
	if run.wall > 10*time.Second {
		t.Errorf("header took %s: it waited for something", run.wall)
	}
	for _, r := range rec.Requests() {
		if strings.HasSuffix(r.URL, "/keys") {
			t.Errorf("header fetched the JWKS")
		}
	}
}

func TestSlowChainJSONNamesPhaseAndStep(t *testing.T) {
	rec := hostile.NewRecorder(hostile.SlowChain(true))
	defer rec.Close()
	for _, cmd := range []string{"request", "token"} {
		run := runBinary(t, scalekitCreds, cmd, "--provider", "scalekit", "--base-url", rec.URL, "--timeout", "1s", "--json")
		var out map[string]any
		if err := json.Unmarshal([]byte(run.stdout), &out); err != nil {
			t.Fatalf("%s --json: %v\n%s", cmd, err, run.stdout)
		}
		if run.code != ExitNoAnswer || out["error_phase"] != "timeout" || out["error_step"] != "JWKS fetch" {
			t.Errorf("%s --json: exit %d, %v / %v", cmd, run.code, out["error_phase"], out["error_step"])
		}
	}
}

func TestTokenJSONOnEveryFailure(t *testing.T) {
	run := runBinary(t, scalekitCreds, "token", "--provider", "scalekit", "--base-url", closedPort(t), "--json")
	var out map[string]any
	if err := json.Unmarshal([]byte(run.stdout), &out); err != nil {
		t.Fatalf("%v\n%s", err, run.stdout)
	}
	if run.code != ExitNoAnswer || out["error_phase"] != "connect" || out["provider"] != "scalekit" {
		t.Fatalf("exit %d, %v", run.code, out)
	}
	run = runBinary(t, scalekitCreds, "token", "--provider", "scalekit", "--base-url", "ftp://nowhere", "--json")
	out = nil
	if err := json.Unmarshal([]byte(run.stdout), &out); err != nil {
		t.Fatalf("%v\n%s", err, run.stdout)
	}
	if run.code != ExitUsage || out["error_phase"] != "usage" || !strings.Contains(out["error"].(string), "not a base URL") {
		t.Fatalf("bad input: exit %d, %v", run.code, out)
	}
}

// Usage and unusable answers: each with its exit code and its own line.
func TestTrustExitCodes(t *testing.T) {
	bigToken := `{"access_token":"` + strings.Repeat("a", 11<<20) + `","token_type":"Bearer","expires_in":60}`
	huge := hostile.NewRecorder(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, bigToken)
	}))
	t.Cleanup(huge.Close)
	html := hostile.NewRecorder(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = io.WriteString(w, "<html><body>Welcome to nginx!</body></html>")
	}))
	t.Cleanup(html.Close)
	bigError := hostile.NewRecorder(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, strings.Repeat("denied ", 200<<10/7))
	}))
	t.Cleanup(bigError.Close)
	malformed := rawServer(t, "HTTP/1.1 200 OK\r\nthis is not a header line\r\n\r\n")

	cases := []struct {
		name string
		env  []string
		args []string
		code int
		want string // in the last stderr line (or stdout when it starts with "stdout:")
	}{
		{"--timeout 0", nil, []string{"request", "--provider", "scaling", "--timeout", "0"}, ExitUsage, "--timeout 0s: give a positive duration"},
		{"--timeout -1s", nil, []string{"token", "--provider", "scalekit", "--timeout", "-1s"}, ExitUsage, "--timeout -1s: give a positive duration"},
		{"header --timeout 0", nil, []string{"header", "--provider", "scalekit", "--timeout", "0s"}, ExitUsage, "give a positive duration"},
		{"--max-body over the ceiling", nil, []string{"request", "--provider", "scaling", "--max-body", "65MiB"}, ExitUsage, "over the 64MiB ceiling"},
		{"token response over the 10 MiB cap", scalekitCreds, []string{"token", "--provider", "scalekit", "--base-url", huge.URL}, ExitNoAnswer, "no usable answer: the token response from Scalekit was cut at the 10 MiB body cap"},
		{"token response over --max-body", scalekitCreds, []string{"request", "--provider", "scalekit", "--base-url", huge.URL, "--max-body", "1KiB"}, ExitNoAnswer, "cut at the 1 KiB body cap"},
		{"token response not JSON", scalekitCreds, []string{"token", "--provider", "scalekit", "--base-url", html.URL}, ExitNoAnswer, "no usable answer: the token response from Scalekit is unusable"},
		{"malformed header line", scalekitCreds, []string{"token", "--provider", "scalekit", "--base-url", malformed}, ExitNoAnswer, "no answer (malformed): "},
		{"token text caps a raw body at 64 KiB", scalekitCreds, []string{"token", "--provider", "scalekit", "--base-url", bigError.URL}, ExitHTTPError, "stdout:(showing 64 KiB of 200 KiB; --json for the whole response)"},
		{"base URL with a password that does not parse", nil, []string{"request", "--provider", "scaling", "--base-url", "https://admin:hunter2-Pa55word@bad host:99999/x"}, ExitUsage, `"https://…@bad host:99999/x" is not a base URL`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			run := runBinary(t, c.env, c.args...)
			t.Logf("%s: exit %d: %s", c.name, run.code, lastLine(run.stderr))
			if run.code != c.code {
				t.Fatalf("exit %d, want %d\n%s", run.code, c.code, run.stderr)
			}
			if want, ok := strings.CutPrefix(c.want, "stdout:"); ok {
				if !strings.Contains(run.stdout, want) || len(run.stdout) > 100<<10 {
					t.Errorf("stdout (%d bytes) should hold %q", len(run.stdout), want)
				}
			} else if !strings.Contains(lastLine(run.stderr), c.want) {
				t.Errorf("want %q in %q", c.want, lastLine(run.stderr))
			}
			if strings.Contains(run.all(), "hunter2") {
				t.Errorf("the URL's password was echoed")
			}
		})
	}
}

// Request ids with bidi and zero-width characters: shown visibly in the
// body, and the id that is highlighted and copied holds none of them.
func TestBidiRequestIDs(t *testing.T) {
	rec := hostile.NewRecorder(hostile.BidiIDs())
	defer rec.Close()
	for _, mode := range []string{"text", "json", "bundle"} {
		args := []string{"request", "--provider", "scaling", "--base-url", rec.URL, "--path", "/v1/incidents"}
		if mode != "text" {
			args = append(args, "--"+mode)
		}
		run := runBinary(t, []string{"SCALING_API_KEY=" + awkwardScalingKey}, args...)
		if run.code != ExitHTTPError {
			t.Fatalf("%s: exit %d\n%s", mode, run.code, run.stderr)
		}
		for _, r := range run.all() {
			if r == 0x202e || r == 0x200b || r == 0xfeff || r == 0x2066 || r == 0x2069 {
				t.Errorf("%s: raw %U in the output", mode, r)
			}
		}
		switch mode {
		case "text":
			if !strings.Contains(run.stdout, "request id   "+hostile.BidiCleanID+"  (") {
				t.Errorf("text: the request id line should hold the clean id:\n%s", run.stdout)
			}
			if !strings.Contains(run.stdout, "req_⟨U+202E⟩7f3a⟨U+200B⟩9c2e⟨U+FEFF⟩-11d4") {
				t.Errorf("text: the body should show the invisible characters:\n%s", run.stdout)
			}
		case "json":
			var out struct {
				Response struct {
					RequestID string `json:"request_id"`
					Body      string `json:"body"`
				} `json:"response"`
				Decoded struct {
					RequestID string `json:"request_id"`
				} `json:"decoded_error"`
			}
			if err := json.Unmarshal([]byte(run.stdout), &out); err != nil {
				t.Fatal(err)
			}
			if out.Response.RequestID != hostile.BidiCleanID || out.Decoded.RequestID != hostile.BidiCleanID {
				t.Errorf("json: request ids %q / %q", out.Response.RequestID, out.Decoded.RequestID)
			}
			if !strings.Contains(run.stdout, `\u202e`) || !strings.Contains(out.Response.Body, "\u202e") {
				t.Errorf("json: the body should keep the override, escaped:\n%s", run.stdout)
			}
		case "bundle":
			if !strings.Contains(run.stdout, "| Request id | "+strings.ReplaceAll(hostile.BidiCleanID, "_", `\_`)+` \(`) {
				t.Errorf("bundle: request id row:\n%s", run.stdout)
			}
		}
	}
}

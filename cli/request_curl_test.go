package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// echoSandbox answers every request with what it received, as JSON, and
// says it is a sandbox, so `request URL` gives it the demo credentials.
func echoSandbox(t *testing.T) (string, *int) {
	t.Helper()
	hits := new(int)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		*hits++
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("X-Authscope-Sandbox", "1")
		w.Header().Set("X-Request-Id", "req_echo")
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"method": r.Method, "uri": r.RequestURI, "headers": r.Header, "body": string(body)})
	}))
	t.Cleanup(srv.Close)
	return srv.URL, hits
}

func runWithIn(t *testing.T, in string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	sys := IO{In: strings.NewReader(in), Out: &out, Err: &errOut, Getenv: func(string) string { return "" }}
	code := Main(context.Background(), sys, args, nil)
	return code, out.String(), errOut.String()
}

// `authscope request -X POST -H … -d @- URL` works as curl does: the
// method, the headers and the body read from stdin go out, the steps'
// Authorization with them, and -o writes the body.
func TestRequestCurlHabits(t *testing.T) {
	base, _ := echoSandbox(t)
	dir := t.TempDir()
	outFile := filepath.Join(dir, "body.json")
	code, stdout, stderr := runWithIn(t, `{"name":"x"}`+"\n",
		"request", "-X", "PUT", "-H", "Content-Type: application/json", "-H", "X-Debug: 1",
		"-d", "@-", "-o", outFile, "-v", "--timeout", "5", base+"/scaling/v1/incidents?limit=2")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	data, err := os.ReadFile(outFile)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Method, URI, Body string
		Headers           map[string][]string
	}
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatalf("%v: %s", err, data)
	}
	if got.Method != "PUT" || got.URI != "/scaling/v1/incidents?limit=2" || got.Body != `{"name":"x"}` ||
		got.Headers["X-Debug"][0] != "1" || got.Headers["Content-Type"][0] != "application/json" ||
		got.Headers["Authorization"][0] != "Bearer "+scalingKey {
		t.Fatalf("the server got %+v", got)
	}
	for _, want := range []string{"> PUT /scaling/v1/incidents?limit=2 HTTP/1.1", "> X-Debug: 1", "< X-Request-Id: req_echo"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("-v: stderr lacks %q:\n%s", want, stderr)
		}
	}
	noSecrets(t, "stderr", stderr, scalingKey)
	noSecrets(t, "stdout", stdout, scalingKey)
	if !strings.Contains(stdout, "written to "+outFile) || !strings.Contains(stdout, "header X-Debug added") {
		t.Errorf("stdout:\n%s", stdout)
	}
}

// -d without -X posts; -H Authorization replaces the built one and says so.
func TestRequestCurlDataPostsAndAuthorizationWarns(t *testing.T) {
	base, _ := echoSandbox(t)
	code, stdout, stderr := runWithIn(t, "", "request", "-d", "a=1", "-H", "Authorization: Bearer mine_0123456789", "--json", base+"/scaling/v1/incidents")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, `\"method\":\"POST\"`) || !strings.Contains(stdout, "application/x-www-form-urlencoded") {
		t.Fatalf("stdout:\n%s", stdout)
	}
	if strings.Contains(stdout, "mine_0123456789") {
		t.Fatalf("the Authorization from -H is shown unmasked:\n%s", stdout)
	}
	code, _, stderr = runWithIn(t, "", "request", "-H", "Authorization: Bearer mine_0123456789", base+"/scaling/v1/incidents")
	if code != 0 || !strings.Contains(stderr, "replaces the one the steps build") {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
}

// Bad input is refused before anything is sent, with one clear line.
func TestRequestCurlBadInputNotSent(t *testing.T) {
	base, hits := echoSandbox(t)
	big := filepath.Join(t.TempDir(), "big")
	if err := os.WriteFile(big, bytes.Repeat([]byte("a"), 20<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	u := base + "/scaling/v1/incidents"
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"CRLF in a header", []string{"-H", "X-A: b\r\nX-Evil: 1", u}, "line break"},
		{"NUL in a header", []string{"-H", "X-A: b\x00c", u}, "NUL"},
		{"space in a name", []string{"-H", "Bad Name: 1", u}, "holds a space"},
		{"no colon", []string{"-H", "Nocolon", u}, "Name: value"},
		{"userinfo", []string{strings.Replace(u, "http://", "http://user:hunter2pass@", 1)}, "user name or password"},
		{"20 MB body", []string{"-d", "@" + big, u}, "over 8 MiB"},
		{"missing file", []string{"-d", "@/nonexistent/x", u}, "no such file"},
		{"unknown host", []string{"https://example.com/v1/x"}, "none of the providers"},
		{"two URLs", []string{u, u}, "one URL at most"},
		{"bad timeout", []string{"--timeout", "soon", u}, "write seconds"},
	} {
		code, stdout, stderr := runWithIn(t, "", append([]string{"request"}, tc.args...)...)
		if code != ExitUsage || !strings.Contains(stderr, tc.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%s: exit %d, stderr %q, stdout %q", tc.name, code, stderr, stdout)
		}
		if strings.Contains(stderr, "hunter2pass") {
			t.Errorf("%s: the password is echoed: %s", tc.name, stderr)
		}
	}
	if *hits != 0 {
		t.Fatalf("%d requests reached the server", *hits)
	}
	// Invalid JSON with a JSON type: a warning, and sent.
	code, _, stderr := runWithIn(t, "", "request", "-H", "Content-Type: application/json", "-d", "{bad", u)
	if code != 0 || !strings.Contains(stderr, "not valid JSON") || *hits != 1 {
		t.Fatalf("exit %d, hits %d, stderr %q", code, *hits, stderr)
	}
}

// --timeout 5 is five seconds (curl's -m 5); --version and version --json.
func TestTimeoutSecondsAndVersion(t *testing.T) {
	var d time.Duration
	if err := (seconds{&d}).Set("5"); err != nil || d != 5*time.Second {
		t.Fatalf("5 → %v, %v", d, err)
	}
	if err := (seconds{&d}).Set("250ms"); err != nil || d != 250*time.Millisecond {
		t.Fatalf("250ms → %v, %v", d, err)
	}
	code, stdout, _ := runWithIn(t, "", "--version")
	if code != 0 || !strings.HasPrefix(stdout, "authscope ") {
		t.Fatalf("--version: %d %q", code, stdout)
	}
	code, stdout, _ = runWithIn(t, "", "version", "--json")
	var v map[string]any
	if code != 0 || json.Unmarshal([]byte(stdout), &v) != nil || v["go"] == nil || v["version"] == nil {
		t.Fatalf("version --json: %d %q", code, stdout)
	}
	code, stdout, _ = runWithIn(t, "", "request", "--provider", "scale", "--sample", "list", "--json")
	var list struct{ Samples []map[string]any }
	if code != 0 || json.Unmarshal([]byte(stdout), &list) != nil || len(list.Samples) == 0 {
		t.Fatalf("--sample list --json: %d %q", code, stdout)
	}
}

// --har writes the command's requests as a redacted HAR that doctor reads
// back; an existing file is refused (nothing sent) unless --force, and a
// place that cannot be written is refused before sending.
func TestRequestHARExport(t *testing.T) {
	base, hits := echoSandbox(t)
	har := filepath.Join(t.TempDir(), "session.har")
	u := base + "/scaling/v1/incidents"
	code, _, stderr := runWithIn(t, "", "request", "-H", "X-Debug: 1", "--har", har, u)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	data, _ := os.ReadFile(har)
	noSecrets(t, "the HAR", string(data), scalingKey)
	code, stdout, stderr := runWithIn(t, "", "doctor", "--json", har)
	if code > 1 || !strings.Contains(stdout, `"input": "har"`) || !strings.Contains(stdout, "req_echo") {
		t.Fatalf("doctor read back: exit %d\n%s\n%s", code, stdout, stderr)
	}
	before := *hits
	code, _, stderr = runWithIn(t, "", "request", "--har", har, u)
	if code != ExitUsage || !strings.Contains(stderr, "exists: add --force") || *hits != before {
		t.Fatalf("existing file: exit %d, hits %d→%d, %s", code, before, *hits, stderr)
	}
	code, _, stderr = runWithIn(t, "", "request", "--har", har, "--force", u)
	if code != 0 || *hits != before+1 {
		t.Fatalf("--force: exit %d: %s", code, stderr)
	}
	code, _, stderr = runWithIn(t, "", "request", "--har", filepath.Join(t.TempDir(), "no", "dir.har"), u)
	if code != ExitUsage || !strings.Contains(stderr, "cannot write") || *hits != before+1 {
		t.Fatalf("unwritable: exit %d: %s", code, stderr)
	}
}

// The pre-send checks run on a key given with -H.
func TestRequestCurlHeaderKeyIsChecked(t *testing.T) {
	base, _ := echoSandbox(t)
	_, _, stderr := runWithIn(t, "", "request", "-H", "Authorization: Bearer Bearer "+scalingKey, base+"/scaling/v1/incidents")
	if !strings.Contains(stderr, `starts with "Bearer"`) || strings.Contains(stderr, scalingKey) {
		t.Fatalf("stderr:\n%s", stderr)
	}
}

// -X and -H complete methods and header names.
func TestCurlFlagCompletions(t *testing.T) {
	for _, tc := range []struct{ flag, want string }{{"-X", "PATCH"}, {"-H", "Content-Type: application/json"}} {
		_, stdout, _ := runWithIn(t, "", "__complete", "request", tc.flag, "")
		if !strings.Contains(stdout, tc.want) {
			t.Errorf("%s completes to:\n%s", tc.flag, stdout)
		}
	}
}

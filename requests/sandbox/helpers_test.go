package sandbox

import (
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// The demo credentials, spelled out rather than read from the model, so a
// change to the table shows up here as a failing test.
const (
	demoScalingKey = "scl_live_0123456789abcdef0123456789abcdef"
	clientID       = "skc_sandbox_client"
	clientSecret   = "sandbox_client_secret"
	scaleLiveKey   = "live_0123456789abcdef0123456789abcdef"
	scaleDocsKey   = "live_ScaleRocks"
	scaleTestKey   = "test_0123456789abcdef0123456789abcdef"
	formType       = "application/x-www-form-urlencoded"
	scalingBearer  = "Bearer " + demoScalingKey
)

// fixedNow is the clock the tests run the sandbox at, so that created_at
// and iat are the same on every run.
var fixedNow = time.Date(2025, 6, 14, 10, 0, 0, 0, time.UTC)

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// sandbox is a Server behind a real loopback listener.
type sandbox struct {
	*Server
	http *httptest.Server
	t    *testing.T
}

func newSandbox(t *testing.T) *sandbox {
	t.Helper()
	s := New(Options{})
	s.clock = func() time.Time { return fixedNow }
	srv := httptest.NewServer(s)
	t.Cleanup(func() { srv.Close(); s.Close() })
	return &sandbox{Server: s, http: srv, t: t}
}

// with is the same sandbox reporting to t, for subtests.
func (sb *sandbox) with(t *testing.T) *sandbox {
	c := *sb
	c.t = t
	return &c
}

// answer is one response, read whole.
type answer struct {
	status int
	header http.Header
	body   string
}

// do sends one request; headers alternate name, value.
func (sb *sandbox) do(method, path, body string, headers ...string) answer {
	sb.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, sb.http.URL+path, r)
	if err != nil {
		sb.t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i] == "Host" {
			req.Host = headers[i+1]
			continue
		}
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := sb.http.Client().Do(req)
	if err != nil {
		sb.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		sb.t.Fatal(err)
	}
	return answer{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

func (sb *sandbox) get(path string, headers ...string) answer {
	sb.t.Helper()
	return sb.do(http.MethodGet, path, "", headers...)
}

// requestID checks the X-Request-Id every answer must carry.
func (a answer) requestID(t *testing.T) string {
	t.Helper()
	id := a.header.Get("X-Request-Id")
	if !uuidV4.MatchString(id) {
		t.Fatalf("X-Request-Id %q is not a UUID v4", id)
	}
	return id
}

// goldenHeaders are the headers a client acts on; the rest (Date,
// Content-Length) vary or say nothing.
var goldenHeaders = []string{"Allow", "Cache-Control", "Content-Type", "Pragma", "Retry-After", "Www-Authenticate"}

// render is the answer as a golden file holds it: status, the headers
// that matter, the body. The request id and the server's address vary per
// run and are replaced by placeholders, after checking them.
func (sb *sandbox) render(a answer, replace ...string) string {
	sb.t.Helper()
	id := a.requestID(sb.t)
	var b strings.Builder
	b.WriteString("HTTP " + strconv.Itoa(a.status) + " " + http.StatusText(a.status) + "\n")
	for _, name := range goldenHeaders {
		if v := a.header.Values(name); len(v) > 0 {
			b.WriteString(name + ": " + strings.Join(v, ", ") + "\n")
		}
	}
	b.WriteString("\n")
	body := strings.ReplaceAll(a.body, id, "<request-id>")
	body = strings.ReplaceAll(body, sb.http.URL, "http://<sandbox>")
	for i := 0; i+1 < len(replace); i += 2 {
		body = strings.ReplaceAll(body, replace[i], replace[i+1])
	}
	b.WriteString(body)
	b.WriteString("\n")
	return b.String()
}

// golden compares got with testdata/name.golden (rewritten with -update).
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update to create it)", err, t.Name())
	}
	if got != string(want) {
		t.Errorf("%s differs from %s\n--- got\n%s\n--- want\n%s", t.Name(), path, got, want)
	}
}

// expectGolden is the common case: one request, one golden file.
func (sb *sandbox) expectGolden(name string, a answer, replace ...string) {
	sb.t.Helper()
	golden(sb.t, name, sb.render(a, replace...))
}

// Package sbtest is what the sandbox's tests share: a provider (or the
// whole sandbox) behind a real loopback listener with a clock the test
// holds, one-call requests, and golden files of status, headers and body.
// It is imported by tests only.
package sbtest

import (
	"encoding/base64"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authscope/authscope/sandbox/wire"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// The demo credentials, spelled out rather than read from the model, so a
// change to the table shows up here as a failing test.
const (
	DemoScalingKey = "scl_live_0123456789abcdef0123456789abcdef"
	ClientID       = "skc_sandbox_client"
	ClientSecret   = "sandbox_client_secret"
	ScaleLiveKey   = "live_0123456789abcdef0123456789abcdef"
	ScaleDocsKey   = "live_ScaleRocks"
	ScaleTestKey   = "test_0123456789abcdef0123456789abcdef"
	FormType       = "application/x-www-form-urlencoded"
	ScalingBearer  = "Bearer " + DemoScalingKey
)

// FixedNow is the clock the tests run the sandbox at, so that created_at
// and iat are the same on every run.
var FixedNow = time.Date(2025, 6, 14, 10, 0, 0, 0, time.UTC)

// UUIDv4 is the shape of every request id the sandbox makes.
var UUIDv4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// Clock is a time the test sets; Now is what the sandbox is handed.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// Now is the time last set.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the clock.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

// Sandbox is a handler behind a real loopback listener.
type Sandbox struct {
	URL   string
	Clock *Clock
	T     *testing.T
	srv   *httptest.Server
}

// Mount builds a provider on a fresh mux with the test's clock, wrapped
// in wire.Serve as the real server wraps it, and listens on loopback.
// mount gets the Env to build the provider with.
func Mount(t *testing.T, mount func(env wire.Env)) *Sandbox {
	t.Helper()
	clock := &Clock{now: FixedNow}
	mux := http.NewServeMux()
	mount(wire.Env{Mux: mux, Now: clock.Now})
	return Listen(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { wire.Serve(w, r, mux, nil) }), clock)
}

// Listen serves h (already wrapped) on loopback until the test ends.
func Listen(t *testing.T, h http.Handler, clock *Clock) *Sandbox {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &Sandbox{URL: srv.URL, Clock: clock, T: t, srv: srv}
}

// Client is a client for the listener.
func (sb *Sandbox) Client() *http.Client { return sb.srv.Client() }

// With is the same sandbox reporting to t, for subtests.
func (sb *Sandbox) With(t *testing.T) *Sandbox {
	c := *sb
	c.T = t
	return &c
}

// Answer is one response, read whole.
type Answer struct {
	Status int
	Header http.Header
	Body   string
}

// Do sends one request; headers alternate name, value ("Host" sets the
// request's Host).
func (sb *Sandbox) Do(method, path, body string, headers ...string) Answer {
	sb.T.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, sb.URL+path, r)
	if err != nil {
		sb.T.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i] == "Host" {
			req.Host = headers[i+1]
			continue
		}
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := sb.Client().Do(req)
	if err != nil {
		sb.T.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		sb.T.Fatal(err)
	}
	return Answer{Status: resp.StatusCode, Header: resp.Header, Body: string(b)}
}

// Get is Do with GET and no body.
func (sb *Sandbox) Get(path string, headers ...string) Answer {
	sb.T.Helper()
	return sb.Do(http.MethodGet, path, "", headers...)
}

// RequestID checks the X-Request-Id every answer must carry.
func (a Answer) RequestID(t *testing.T) string {
	t.Helper()
	id := a.Header.Get("X-Request-Id")
	if !UUIDv4.MatchString(id) {
		t.Fatalf("X-Request-Id %q is not a UUID v4", id)
	}
	return id
}

// goldenHeaders are the headers a client acts on; the rest (Date,
// Content-Length) vary or say nothing.
var goldenHeaders = []string{"Allow", "Cache-Control", "Content-Type", "Location", "Pragma", "Retry-After", "Www-Authenticate"}

// Render is the answer as a golden file holds it: status, the headers
// that matter, the body. The request id and the server's address vary per
// run and are replaced by placeholders, after checking them.
func (sb *Sandbox) Render(a Answer, replace ...string) string {
	sb.T.Helper()
	id := a.RequestID(sb.T)
	var b strings.Builder
	b.WriteString("HTTP " + strconv.Itoa(a.Status) + " " + http.StatusText(a.Status) + "\n")
	for _, name := range goldenHeaders {
		if v := a.Header.Values(name); len(v) > 0 {
			b.WriteString(name + ": " + strings.Join(v, ", ") + "\n")
		}
	}
	b.WriteString("\n")
	body := strings.ReplaceAll(a.Body, id, "<request-id>")
	body = strings.ReplaceAll(body, sb.URL, "http://<sandbox>")
	for i := 0; i+1 < len(replace); i += 2 {
		body = strings.ReplaceAll(body, replace[i], replace[i+1])
	}
	b.WriteString(body)
	b.WriteString("\n")
	return b.String()
}

// Golden compares got with testdata/name.golden (rewritten with -update).
func Golden(t *testing.T, name, got string) {
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

// ExpectGolden is the common case: one request, one golden file.
func (sb *Sandbox) ExpectGolden(name string, a Answer, replace ...string) {
	sb.T.Helper()
	Golden(sb.T, name, sb.Render(a, replace...))
}

// TokenForm is the demo client's client-credentials request body.
const TokenForm = "grant_type=client_credentials&client_id=" + ClientID + "&client_secret=" + ClientSecret

// Token fetches an access token for the demo client (extra is appended to
// the form) and fails the test on anything but 200.
func (sb *Sandbox) Token(extra string) string {
	sb.T.Helper()
	a := sb.Do("POST", "/scalekit/oauth/token", TokenForm+extra, "Content-Type", FormType)
	if a.Status != 200 {
		sb.T.Fatalf("token: %d %s", a.Status, a.Body)
	}
	var body struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal([]byte(a.Body), &body); err != nil {
		sb.T.Fatal(err)
	}
	return body.AccessToken
}

// BasicKey is Scale's Authorization value for key: Basic, key as user
// name, empty password.
func BasicKey(key string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(key+":"))
}

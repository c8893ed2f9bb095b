package cli

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is written by the serving command and read by the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// runSandboxArgs runs `authscope sandbox args…` through the command line
// and returns the command's error.
func runSandboxArgs(ctx context.Context, io IO, args []string) error {
	_, err := execute(ctx, io, append([]string{"sandbox"}, args...), nil)
	return err
}

func sandboxIO() (IO, *lockedBuffer, *lockedBuffer) {
	out, errOut := &lockedBuffer{}, &lockedBuffer{}
	return IO{In: strings.NewReader(""), Out: out, Err: errOut, Getenv: func(string) string { return "" }}, out, errOut
}

func TestSandboxRefusesNonLoopbackAddr(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:8787", ":8787", "192.168.1.5:8787"} {
		io, _, _ := sandboxIO()
		err := runSandboxArgs(context.Background(), io, []string{"--addr", addr})
		var ee *ExitError
		if !errors.As(err, &ee) || ee.Code != ExitUsage || !strings.Contains(err.Error(), "--allow-remote") {
			t.Errorf("--addr %s: %v, want a usage error naming --allow-remote", addr, err)
		}
	}
}

func TestSandboxBadUsage(t *testing.T) {
	for _, args := range [][]string{{"extra"}, {"--addr", "nonsense"}, {"--port", "1"}} {
		io, _, _ := sandboxIO()
		err := runSandboxArgs(context.Background(), io, args)
		var ee *ExitError
		if !errors.As(err, &ee) || ee.Code != ExitUsage || strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: %v, want a one-line usage error", args, err)
		}
	}
}

func TestSandboxHelpTeaches(t *testing.T) {
	io, out, _ := sandboxIO()
	if err := runSandboxArgs(context.Background(), io, []string{"--help"}); err != nil {
		t.Fatalf("--help: %v", err)
	}
	for _, want := range []string{"--addr", "--allow-remote", "X-Authscope-Whatif: rate-limit", "authscope_ttl", "Examples:"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("--help does not mention %q", want)
		}
	}
}

// The command serves, prints what a newcomer needs, answers requests,
// and stops cleanly when its context ends (Ctrl-C in main).
func TestSandboxServesUntilInterrupted(t *testing.T) {
	io, out, errOut := sandboxIO()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runSandboxArgs(ctx, io, []string{"--addr", "127.0.0.1:0"}) }()

	urlPattern := regexp.MustCompile(`sandbox on (http://127\.0\.0\.1:\d+) `)
	var base string
	for deadline := time.Now().Add(10 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if m := urlPattern.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
		}
	}
	if base == "" {
		cancel()
		t.Fatalf("no banner: %q %q", out.String(), errOut.String())
	}
	banner := out.String()
	for _, want := range []string{
		base + "/scaling", base + "/scalekit", base + "/scale ",
		"scl_live_0123456789abcdef0123456789abcdef", "skc_sandbox_client", "sandbox_client_secret",
		"live_ScaleRocks", "test_0123456789abcdef0123456789abcdef", "curl -i", "loopback only",
	} {
		if !strings.Contains(banner, want) {
			t.Errorf("banner lacks %q:\n%s", want, banner)
		}
	}

	req, _ := http.NewRequest("GET", base+"/scale/v1/projects", nil)
	req.SetBasicAuth("live_ScaleRocks", "")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("GET /scale/v1/projects: %d", resp.StatusCode)
	}

	cancel()
	if err := <-done; err != nil {
		t.Errorf("after interrupt: %v", err)
	}
	if !strings.Contains(errOut.String(), "GET /scale/v1/projects → 200") || !strings.Contains(errOut.String(), "sandbox stopped") {
		t.Errorf("stderr lacks the request log or the stop line: %q", errOut.String())
	}
	if _, err := http.Get(base + "/"); err == nil {
		t.Error("the sandbox still answers after the command returned")
	}
}

// StartSandbox hands every caller the same server; it closes when the
// last caller stops.
func TestStartSandboxIsSharedAndStops(t *testing.T) {
	if StartSandbox == nil {
		t.Fatal("cli.StartSandbox is not set")
	}
	shared.mu.Lock()
	leftOver := shared.users // a test before this one that never called stop
	shared.mu.Unlock()
	url1, stop1, err := StartSandbox(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	url2, stop2, err := StartSandbox(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if url1 != url2 || !strings.HasPrefix(url1, "http://127.0.0.1:") {
		t.Fatalf("two sandboxes or not loopback: %s %s", url1, url2)
	}
	stop1()
	stop1() // a second call is harmless and does not count twice
	resp, err := http.Get(url2 + "/")
	if err != nil {
		t.Fatalf("stopped while still in use: %v", err)
	}
	resp.Body.Close()
	stop2()
	if leftOver > 0 {
		t.Skipf("%d earlier users never stopped the shared sandbox; cannot check that the last stop closes it", leftOver)
	}
	if _, err := http.Get(url1 + "/"); err == nil {
		t.Error("still answering after the last stop")
	}
}

// --tls: the CA's certificate is written where asked, the banner names the
// variables each SDK reads, and a client trusting only that file gets
// HTTP/2 over TLS.
func TestSandboxTLSWritesCAAndTeachesTrust(t *testing.T) {
	caPath := filepath.Join(t.TempDir(), "dir with space", "ca.pem")
	if err := os.MkdirAll(filepath.Dir(caPath), 0o700); err != nil {
		t.Fatal(err)
	}
	io, out, errOut := sandboxIO()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- runSandboxArgs(ctx, io, []string{"--addr", "127.0.0.1:0", "--tls", "--ca-cert", caPath, "--quiet"})
	}()
	defer func() { cancel(); <-done }()

	urlPattern := regexp.MustCompile(`sandbox on (https://127\.0\.0\.1:\d+) `)
	var base string
	for deadline := time.Now().Add(10 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if m := urlPattern.FindStringSubmatch(out.String()); m != nil && strings.Contains(out.String(), "REQUESTS_CA_BUNDLE") {
			base = m[1]
		}
	}
	if base == "" {
		t.Fatalf("no TLS banner: %q %q", out.String(), errOut.String())
	}
	for _, name := range []string{"SSL_CERT_FILE", "NODE_EXTRA_CA_CERTS", "GRPC_DEFAULT_SSL_ROOTS_FILE_PATH", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"} {
		if want := "export " + name + "='" + caPath + "'"; !strings.Contains(out.String(), want) {
			t.Errorf("banner lacks %q:\n%s", want, out.String())
		}
	}
	// The banner names every gRPC service the sandbox serves, from the
	// sandbox itself.
	for _, svc := range []string{"OrganizationService", "UserService", "ClientService", "ConnectionService", "DomainService"} {
		if !regexp.MustCompile(`Official SDKs \(Scalekit gRPC, scalekit\.v1: [^)]*\b` + svc + `\b`).MatchString(out.String()) {
			t.Errorf("banner does not name %s:\n%s", svc, out.String())
		}
	}
	if want := "curl --cacert '" + caPath + "' -i " + base + "/scale/v1/projects"; !strings.Contains(out.String(), want) {
		t.Errorf("banner's curl lines lack --cacert: want %q in\n%s", want, out.String())
	}
	pemBytes, err := os.ReadFile(caPath)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemBytes) || strings.Contains(string(pemBytes), "PRIVATE KEY") {
		t.Fatalf("%s is not a lone PEM certificate", caPath)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, ForceAttemptHTTP2: true}}
	res, err := client.Get(base + "/scalekit/keys")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || res.ProtoMajor != 2 {
		t.Errorf("GET /scalekit/keys over TLS: %d HTTP/%d", res.StatusCode, res.ProtoMajor)
	}
}

// Without --ca-cert the certificate is a new file in the user's runtime
// directory, named by the banner and removed when the sandbox stops; a
// --ca-cert in a directory others can write to is refused with exit 2.
func TestSandboxTLSCertInAPrivatePlace(t *testing.T) {
	rt := t.TempDir()
	os.Chmod(rt, 0o700)
	t.Setenv("XDG_RUNTIME_DIR", rt)
	io, out, errOut := sandboxIO()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runSandboxArgs(ctx, io, []string{"--addr", "127.0.0.1:0", "--tls", "--quiet"}) }()
	pattern := regexp.MustCompile(`export CURL_CA_BUNDLE=(\S+)`)
	var caPath string
	for deadline := time.Now().Add(10 * time.Second); caPath == "" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if m := pattern.FindStringSubmatch(out.String()); m != nil {
			caPath = m[1]
		}
	}
	if filepath.Dir(caPath) != filepath.Join(rt, "authscope") {
		cancel()
		<-done
		t.Fatalf("CA at %q: %q %q", caPath, out.String(), errOut.String())
	}
	if fi, err := os.Stat(caPath); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("CA file: %v %v", fi, err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(caPath); err == nil {
		t.Errorf("%s left behind after the sandbox stopped", caPath)
	}

	shared := filepath.Join(t.TempDir(), "shared")
	os.Mkdir(shared, 0o700)
	os.Chmod(shared, 0o1777)
	err := runSandboxArgs(context.Background(), io, []string{"--addr", "127.0.0.1:0", "--tls", "--ca-cert", filepath.Join(shared, "ca.pem")})
	var ee *ExitError
	if !errors.As(err, &ee) || ee.Code != ExitUsage || !strings.Contains(err.Error(), "writable by other users") {
		t.Errorf("--ca-cert in a world-writable directory: %v", err)
	}
}

func TestSandboxCACertNeedsTLS(t *testing.T) {
	io, _, _ := sandboxIO()
	err := runSandboxArgs(context.Background(), io, []string{"--ca-cert", "/tmp/x.pem"})
	var ee *ExitError
	if !errors.As(err, &ee) || ee.Code != ExitUsage || !strings.Contains(err.Error(), "--tls") {
		t.Errorf("--ca-cert without --tls: %v", err)
	}
}

package main

import (
	"bufio"
	"bytes"
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/authscope/authscope/sandbox"
)

// readmeExample is one command line from the README's examples, with the
// output lines the README shows under it ("#   …").
type readmeExample struct {
	line  string
	shown []string
}

// readmeExamples reads the sh block that follows "teaches by example".
func readmeExamples(t *testing.T) []readmeExample {
	t.Helper()
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(b), "teaches by example")
	if !ok {
		t.Fatal("README: the examples block is gone")
	}
	_, block, _ := strings.Cut(after, "```sh\n")
	block, _, _ = strings.Cut(block, "```")
	var out []readmeExample
	for _, line := range strings.Split(strings.TrimSpace(block), "\n") {
		if shown, ok := strings.CutPrefix(line, "#"); ok {
			out[len(out)-1].shown = append(out[len(out)-1].shown, strings.TrimSpace(shown))
			continue
		}
		out = append(out, readmeExample{line: line})
	}
	if len(out) < 5 {
		t.Fatalf("README: only %d examples found", len(out))
	}
	return out
}

// readmeExpectation is what one example must do, found by a substring of
// its line. Every example needs one: a new example without it fails.
type readmeExpectation struct {
	match string
	env   []string // besides PATH and HOME
	exit  int
	want  []string // in stdout
	not   []string // never in stdout
	files map[string]string
}

var readmeExpectations = []readmeExpectation{
	{match: "header --provider scale --key live_ScaleRocks", want: []string{"Authorization: Basic bGl2ZV9TY2FsZVJvY2tzOg=="}},
	{match: `curl -H "$(authscope header --provider scale --env live)"`, env: []string{"SCALE_API_KEY=live_0123456789abcdef0123456789abcdef"}, want: []string{`"name"`, `"param_history"`}},
	{match: "--sample wrong-key      #", exit: 1, want: []string{"invalid_api_key", "Likely cause"}},
	{match: "--sample list", want: []string{"test-key-live", "GET"}},
	{match: "--print curl --from-env", want: []string{"$SCALING_API_KEY", "-H @-"}, not: []string{"scl_live_0123456789abcdef0123456789abcdef"}},
	{match: "--bundle > report.md", exit: 1, files: map[string]string{"report.md": "# authscope support report"}},
	{match: "jq .jwks_check", want: []string{`"valid": true`, `"alg": "RS256"`}},
	{match: "login --provider scalekit --login-hint", want: []string{`"name":"nonce","ok":true`, `"name":"aud","ok":true`, `"name":"signature","ok":true`}},
	{match: "| authscope decode", want: []string{"missing_authorization_header", "401"}},
	{match: "authscope sandbox --addr"},
	{match: "--base-url http://127.0.0.1:8787/scaling", want: []string{"200 OK", "Credentials: API key from sandbox demo"}},
	{match: `-d '{"name":"demo"`, want: []string{"200 OK", "header Content-Type added", "POST /scale/v1/projects"}},
	{match: "-d @- -o project.json", want: []string{"200 OK", "written to project.json"}, files: map[string]string{"project.json": `"demo-2"`, "session.har": `"version": "1.2"`}},
	{match: "authscope doctor session.har", want: []string{"HAR file", "scale"}, not: []string{"live_ScaleRocks"}},
}

// TestReadmeExamplesRunAsWritten runs every example of the README as
// written, in bash, with the built binary on PATH and no credentials in
// the environment. What would reach the network is pointed at the
// sandbox instead: the real hosts are replaced by the sandbox's address
// and 127.0.0.1:8787 by a free port; nothing else is changed.
func TestReadmeExamplesRunAsWritten(t *testing.T) {
	bin := buildBinary(t)
	srv, err := sandbox.Start(context.Background(), sandbox.Options{Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	port := freeAddr(t)
	rewrite := strings.NewReplacer(
		"https://api.scale.com", srv.URL()+"/scale",
		"https://api.scaling.cloud", srv.URL()+"/scaling",
		"127.0.0.1:8787", port,
	)
	work := t.TempDir()
	base := []string{"PATH=" + filepath.Dir(bin) + string(os.PathListSeparator) + os.Getenv("PATH"), "HOME=" + work, "NO_COLOR=1"}
	for _, ex := range readmeExamples(t) {
		exp, ok := expectationFor(ex.line)
		if !ok {
			t.Errorf("README example without an expectation in readme_test.go: %s", ex.line)
			continue
		}
		line := rewrite.Replace(ex.line)
		command, _, _ := strings.Cut(line, " #")
		if strings.HasSuffix(strings.TrimSpace(command), "&") {
			startBackground(t, strings.TrimSuffix(strings.TrimSpace(command), "&"), port, work, base)
			continue
		}
		stdout, stderr, code := runBash(t, line, work, append(base, exp.env...))
		if code != exp.exit {
			t.Errorf("%s\nexit %d, want %d\nstdout:\n%s\nstderr:\n%s", ex.line, code, exp.exit, stdout, stderr)
			continue
		}
		for _, want := range append(exp.want, ex.shown...) {
			if !strings.Contains(stdout, want) {
				t.Errorf("%s\nstdout lacks %q:\n%s\nstderr:\n%s", ex.line, want, stdout, stderr)
			}
		}
		for _, bad := range exp.not {
			if strings.Contains(stdout, bad) {
				t.Errorf("%s\nstdout holds %q:\n%s", ex.line, bad, stdout)
			}
		}
		for name, want := range exp.files {
			b, err := os.ReadFile(filepath.Join(work, name))
			if err != nil || !bytes.Contains(b, []byte(want)) {
				t.Errorf("%s\n%s lacks %q (%v):\n%s", ex.line, name, want, err, b)
			}
		}
	}
}

// TestReadmeHeaderExampleNeverSendsTheDemoKey: the README's curl example
// aimed at the real Scale host, run without $SCALE_API_KEY, must not send
// the sandbox's demo key there: `header --env live` stops with "no API
// key", and the host (here the sandbox standing in for it) gets no
// credentials and answers 401.
func TestReadmeHeaderExampleNeverSendsTheDemoKey(t *testing.T) {
	bin := buildBinary(t)
	srv, err := sandbox.Start(context.Background(), sandbox.Options{Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	var line string
	for _, ex := range readmeExamples(t) {
		if strings.Contains(ex.line, "https://api.scale.com") {
			line = strings.ReplaceAll(ex.line, "https://api.scale.com", srv.URL()+"/scale")
		}
	}
	if line == "" {
		t.Fatal("README: the curl example aimed at api.scale.com is gone")
	}
	work := t.TempDir()
	stdout, stderr, _ := runBash(t, line, work, []string{"PATH=" + filepath.Dir(bin) + ":" + os.Getenv("PATH"), "HOME=" + work})
	if !strings.Contains(stderr, "no API key") || !strings.Contains(stdout, `"status_code":401`) || strings.Contains(stdout, "param_history") {
		t.Fatalf("without a key the real host must get no credentials:\nstdout:\n%s\nstderr:\n%s", stdout, stderr)
	}
}

// TestSandboxBannerTryLinesWork starts `authscope sandbox` as a user would
// and runs every line of its banner's "Try" section.
func TestSandboxBannerTryLinesWork(t *testing.T) {
	bin := buildBinary(t)
	addr := freeAddr(t)
	cmd := exec.Command(bin, "sandbox", "--addr", addr)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	var tries []string
	sc := bufio.NewScanner(stdout)
	inTry := false
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "Try":
			inTry = true
		case inTry && strings.TrimSpace(line) == "":
			inTry = false
		case inTry:
			tries = append(tries, strings.TrimSpace(line))
		}
		if strings.HasPrefix(line, "Sandbox-only") {
			break
		}
	}
	go func() { _, _ = bufio.NewReader(stdout).WriteTo(&bytes.Buffer{}) }() // keep the pipe drained
	if len(tries) < 4 {
		t.Fatalf("the banner has %d Try lines", len(tries))
	}
	work := t.TempDir()
	env := []string{"PATH=" + filepath.Dir(bin) + ":" + os.Getenv("PATH"), "HOME=" + work, "NO_COLOR=1"}
	for _, line := range tries {
		out, stderr, code := runBash(t, line, work, env)
		switch {
		case strings.HasPrefix(line, "curl"):
			if code != 0 || !strings.Contains(out, "HTTP/1.1 200") {
				t.Errorf("%s\nexit %d\n%s\n%s", line, code, out, stderr)
			}
		case strings.Contains(line, "--sample wrong-key"):
			if code != 1 || !strings.Contains(out, "invalid_api_key") {
				t.Errorf("%s\nexit %d (want 1: the what-if's 401)\n%s\n%s", line, code, out, stderr)
			}
		default:
			if code != 0 {
				t.Errorf("%s\nexit %d\n%s\n%s", line, code, out, stderr)
			}
		}
	}
}

func expectationFor(line string) (readmeExpectation, bool) {
	for _, e := range readmeExpectations {
		if strings.Contains(line, e.match) {
			return e, true
		}
	}
	return readmeExpectation{}, false
}

func runBash(t *testing.T, line, dir string, env []string) (stdout, stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", line)
	cmd.Dir, cmd.Env = dir, env
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatalf("%s: %v", line, err)
	}
	return out.String(), errOut.String(), cmd.ProcessState.ExitCode()
}

// startBackground runs a `… &` example as the shell would, in its own
// process group, waits until addr answers and stops it when the test ends.
func startBackground(t *testing.T, command, addr, dir string, env []string) {
	t.Helper()
	cmd := exec.Command("bash", "-c", "exec "+command)
	cmd.Dir, cmd.Env = dir, env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM); cmd.Wait() })
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get("http://" + addr + "/"); err == nil {
			resp.Body.Close()
			return
		}
	}
	t.Fatalf("%s: nothing answers on %s", command, addr)
}

// freeAddr is a loopback address with a port nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

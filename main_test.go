package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "authscope")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// Secrets are never written to disk: every command that handles them runs
// with its home, temp, cache and working directories pointing at empty
// folders, which must hold no file with a secret afterwards.
func TestNoSecretWrittenToDisk(t *testing.T) {
	bin := buildBinary(t)
	root := t.TempDir()
	env := append(os.Environ(), "HOME="+root, "TMPDIR="+root, "XDG_CACHE_HOME="+root, "XDG_CONFIG_HOME="+root,
		"SCALING_API_KEY=scl_live_0123456789abcdef0123456789abcdef", "SCALE_API_KEY=live_ScaleRocks",
		"SCALEKIT_CLIENT_ID=skc_sandbox_client", "SCALEKIT_CLIENT_SECRET=sandbox_client_secret")
	for _, args := range [][]string{
		{"header", "--provider", "scale"}, {"header", "--provider", "scalekit"}, {"token", "--provider", "scalekit"},
		{"request", "--provider", "scaling"}, {"request", "--provider", "scaling", "--sample", "wrong-key", "--bundle"},
		{"request", "--provider", "scalekit", "--json"}, {"request", "--provider", "scale", "--print", "python"},
	} {
		cmd := exec.Command(bin, args...)
		cmd.Env, cmd.Dir = env, root
		if out, err := cmd.CombinedOutput(); err != nil && cmd.ProcessState.ExitCode() > 1 {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	secrets := []string{"scl_live_0123456789abcdef0123456789abcdef", "live_ScaleRocks", "bGl2ZV9TY2FsZVJvY2tzOg==", "sandbox_client_secret", "eyJ"}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, s := range secrets {
			if strings.Contains(string(b), s) {
				t.Errorf("%s holds a secret (%.8s…)", path, s)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// The built binary, as a user or a script runs it: dispatch, exit codes
// and the anchor header byte for byte.
func TestBinary(t *testing.T) {
	bin := buildBinary(t)
	cases := []struct {
		args      []string
		code      int
		stdout    string // exact when set
		stderrHas string
		stdoutHas string
	}{
		{[]string{"header", "--provider", "scale", "--key", "live_ScaleRocks"}, 0, "Authorization: Basic bGl2ZV9TY2FsZVJvY2tzOg==\n", "", ""},
		{[]string{"--version"}, 0, "", "", "authscope "},
		{[]string{"--help"}, 0, "", "", "Commands:"},
		{[]string{"help"}, 0, "", "", "header"},
		{nil, 2, "", "needs a terminal", ""}, // stdin is not a TTY here
		{[]string{"bogus"}, 2, "", `unknown command "bogus"`, ""},
		{[]string{"--bogus"}, 2, "", "bogus", ""},
		{[]string{"header", "--provider", "scale", "--key", "a:b"}, 2, "", "RFC 7617", ""},
	}
	for _, c := range cases {
		cmd := exec.Command(bin, c.args...)
		var out, errOut strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		code := 0
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			code = exit.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		name := strings.Join(c.args, " ")
		if code != c.code {
			t.Errorf("%q: exit %d, want %d (stderr %q)", name, code, c.code, errOut.String())
		}
		if c.stdout != "" && out.String() != c.stdout {
			t.Errorf("%q: stdout %q, want %q", name, out.String(), c.stdout)
		}
		if !strings.Contains(out.String(), c.stdoutHas) || !strings.Contains(errOut.String(), c.stderrHas) {
			t.Errorf("%q: stdout %q / stderr %q", name, out.String(), errOut.String())
		}
		if strings.Contains(errOut.String(), "goroutine ") {
			t.Errorf("%q: a stack trace", name)
		}
	}
}

// startSandbox runs the built binary's sandbox on a free port and returns
// the process, its base URL and its stderr so far.
func startSandbox(t *testing.T, bin string) (*exec.Cmd, string, *syncBuffer) {
	t.Helper()
	cmd := exec.Command(bin, "sandbox", "--addr", "127.0.0.1:0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := &syncBuffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("sandbox banner: %v (stderr %s)", err, stderr)
	}
	go io.Copy(io.Discard, stdout)
	fields := strings.Fields(line) // authscope sandbox on http://127.0.0.1:PORT (loopback only)…
	if len(fields) < 4 || !strings.HasPrefix(fields[3], "http://127.0.0.1:") {
		t.Fatalf("banner %q", line)
	}
	return cmd, fields[3], stderr
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// SIGTERM stops the sandbox as Ctrl-C does: a request in flight when the
// signal arrives is finished and answered, the process exits 0 and says
// so; one that never finishes holds the exit no longer than the bound.
func TestSandboxStopsCleanlyOnSIGTERM(t *testing.T) {
	bin := buildBinary(t)
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd, base, stderr := startSandbox(t, bin)
			// A request whose body is still arriving when the signal comes.
			pr, pw := io.Pipe()
			req, _ := http.NewRequest("POST", base+"/scale/v1/projects", pr)
			req.SetBasicAuth("test_0123456789abcdef0123456789abcdef", "")
			req.ContentLength = -1
			answer := make(chan int, 1)
			go func() {
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					answer <- -1
					return
				}
				resp.Body.Close()
				answer <- resp.StatusCode
			}()
			pw.Write([]byte(`{"type":"categorization",`))
			time.Sleep(200 * time.Millisecond) // the request is being read
			cmd.Process.Signal(sig)
			time.Sleep(300 * time.Millisecond)
			pw.Write([]byte(`"name":"in-flight-at-shutdown"}`))
			pw.Close()
			if status := <-answer; status != 200 {
				t.Errorf("the request in flight got %d, want 200", status)
			}
			err := cmd.Wait()
			if err != nil || cmd.ProcessState.ExitCode() != 0 || !strings.Contains(stderr.String(), "sandbox stopped") {
				t.Errorf("exit %v (code %d), stderr %q", err, cmd.ProcessState.ExitCode(), stderr)
			}
		})
	}
	t.Run("stuck request", func(t *testing.T) {
		cmd, base, _ := startSandbox(t, bin)
		conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		fmt.Fprintf(conn, "POST /scale/v1/projects HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{") // and nothing more
		time.Sleep(200 * time.Millisecond)
		start := time.Now()
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
		if took := time.Since(start); took > 8*time.Second || cmd.ProcessState.ExitCode() != 0 {
			t.Errorf("a stuck request held the exit %v, code %d", took, cmd.ProcessState.ExitCode())
		}
	})
}

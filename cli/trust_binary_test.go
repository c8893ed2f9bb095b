package cli

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// The trust tests run the built binary, as a user does: its real
// environment handling (proxies, SSL_CERT_FILE), its real exit codes and
// its wall time.

var (
	binOnce sync.Once
	binPath string
	binErr  error
	binDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// authscopeBinary builds the binary once per test run.
func authscopeBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "authscope-trust-")
		if binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "authscope")
		out, err := exec.Command("go", "build", "-o", binPath, "..").CombinedOutput()
		if err != nil {
			binErr = errors.New("go build: " + err.Error() + "\n" + string(out))
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// binRun is one finished run of the binary.
type binRun struct {
	code           int
	stdout, stderr string
	wall           time.Duration
}

func (r binRun) all() string { return r.stdout + "\n" + r.stderr }

// runBinary runs authscope with a clean credential and proxy environment
// plus env ("NAME=value"), stdin closed, and a hard stop at 60 s so a
// hang fails the test instead of the suite.
func runBinary(t *testing.T, env []string, args ...string) binRun {
	t.Helper()
	bin := authscopeBinary(t)
	cmd := exec.Command(bin, args...)
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch strings.ToUpper(name) {
		case "SCALING_API_KEY", "SCALE_API_KEY", "SCALEKIT_ENVIRONMENT_URL", "SCALEKIT_CLIENT_ID", "SCALEKIT_CLIENT_SECRET",
			"HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY", "SSL_CERT_FILE", "SSL_CERT_DIR":
			continue
		}
		cmd.Env = append(cmd.Env, kv)
	}
	cmd.Env = append(cmd.Env, env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		_ = cmd.Process.Kill()
		<-done
		t.Fatalf("authscope %s: still running after 60 s", strings.Join(args, " "))
	}
	return binRun{code: cmd.ProcessState.ExitCode(), stdout: out.String(), stderr: errOut.String(), wall: time.Since(start)}
}

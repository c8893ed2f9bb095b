package main

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
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

package main

import (
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The built binary, as a user or a script runs it: dispatch, exit codes
// and the anchor header byte for byte.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "authscope")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
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

package cli

import (
	"strings"
	"testing"
)

// Each command's help shows the flags it uses, under their groups, with
// the variables beside each credential flag; `help CMD` is `CMD --help`.
func TestHelpShowsEachCommandsOwnFlags(t *testing.T) {
	cases := []struct {
		cmd      string
		want     []string
		dontWant []string
	}{
		{"request", []string{"Target flags:", "Credential flags:", "Request flags:", "Output flags:",
			"--key string", "$SCALING_API_KEY / $SCALE_API_KEY", "--client-secret string", "$SCALEKIT_CLIENT_SECRET", "--sample string", "Examples:"}, nil},
		{"token", []string{"--client-id string", "--client-auth string", "Examples:"}, []string{"--key string", "--sample string"}},
		{"header", []string{"--key string", "--client-auth string"}, []string{"--reveal", "--sample string"}},
		{"decode", []string{"--provider string", "--json", "--jwks string", "--at string", "--fetch-jwks", "--timeout duration"}, []string{"--key string", "--sample string"}},
		{"sandbox", []string{"--addr string", "--tls", "--ca-cert string"}, []string{"--provider string", "--key string"}},
		{"doctor", []string{"--redact", "--replay", "--as string", "--jwks string", "--client-id string"}, []string{"--key string"}},
	}
	for _, c := range cases {
		code, viaFlag, _ := runCmd(t, nil, c.cmd, "--help")
		if code != 0 {
			t.Fatalf("%s --help: exit %d", c.cmd, code)
		}
		code, viaHelp, _ := runCmd(t, nil, "help", c.cmd)
		if code != 0 || viaHelp != viaFlag {
			t.Errorf("help %s differs from %s --help (exit %d)", c.cmd, c.cmd, code)
		}
		for _, w := range c.want {
			if !strings.Contains(viaFlag, w) {
				t.Errorf("%s --help lacks %q", c.cmd, w)
			}
		}
		for _, w := range c.dontWant {
			if strings.Contains(viaFlag, w) {
				t.Errorf("%s --help shows %q, which it does not use", c.cmd, w)
			}
		}
	}
}

// Mistyped commands and flags get a suggestion and exit 2, in one line.
func TestSuggestionsForTypos(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"reqest"}, `unknown command "reqest" (did you mean request?)`},
		{[]string{"request", "--tiemout", "3s"}, "unknown flag --tiemout (did you mean --timeout?)"},
		{[]string{"token", "--client-secrte", "x"}, "(did you mean --client-secret?)"},
		{[]string{"help", "reqest"}, `unknown help topic "reqest" (did you mean request?)`},
		{[]string{"completion"}, "name a shell: bash, zsh, fish or powershell"},
		{[]string{"completion", "tcsh"}, `unknown shell "tcsh"`},
	} {
		code, _, errOut := runCmd(t, nil, c.args...)
		if code != ExitUsage || !strings.Contains(errOut, c.want) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and one line with %q", c.args, code, errOut, c.want)
		}
	}
}

func TestVersionCommand(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		code, out, _ := runCmd(t, nil, args...)
		if code != 0 || !strings.HasPrefix(out, "authscope ") || !strings.Contains(out, "go1.") {
			t.Errorf("%v: exit %d, %q", args, code, out)
		}
	}
}

// Bad explorer flags are named before the terminal check, so a script
// learns what is wrong.
func TestExplorerFlagsCheckedBeforeTheTerminal(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--theme", "purple"}, `--theme "purple": choose`},
		{[]string{"--provider", "scallng"}, `unknown provider "scallng"`},
		{[]string{"--theme", "hc"}, "needs a terminal"},
	} {
		code, _, errOut := runCmd(t, nil, c.args...)
		if code != ExitUsage || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, %q; want %q", c.args, code, errOut, c.want)
		}
	}
}

// Main builds only the command it runs (rootFor): each command's
// registered name must be its own, and what it prints must not depend on
// whether the rest of the tree was built.
func TestOneCommandTreeMatchesTheWholeTree(t *testing.T) {
	for _, c := range constructors {
		if got := c.build(IO{}).Name(); got != c.name {
			t.Errorf("registered as %q, the command is named %q: Main would build the whole tree, or the wrong command", c.name, got)
		}
		for _, sub := range rootFor(IO{}, nil, []string{c.name}).Commands() {
			for _, other := range constructors {
				if other.name == sub.Name() && other.name != c.name {
					t.Errorf("%s: the tree built for it holds %s too", c.name, other.name)
				}
			}
		}
		for _, args := range [][]string{{c.name, "--help"}, {c.name, "--no-such-flag"}, {c.name, "extra", "args", "--timeout", "x"}} {
			lazyCode, lazyOut, lazyErr := runCmd(t, nil, args...)
			var out, errOut strings.Builder
			whole := NewRoot(IO{In: strings.NewReader(""), Out: &out, Err: &errOut, Getenv: func(string) string { return "" }}, nil)
			whole.SetArgs(args)
			cmd, err := whole.ExecuteC()
			wholeCode := report(IO{Err: &errOut, Getenv: func(string) string { return "" }}, cmd.CommandPath(), args, err)
			if lazyCode != wholeCode || lazyOut != out.String() || lazyErr != errOut.String() {
				t.Errorf("%v: alone exit %d\n%s%s\nin the whole tree exit %d\n%s%s", args, lazyCode, lazyOut, lazyErr, wholeCode, out.String(), errOut.String())
			}
		}
	}
}

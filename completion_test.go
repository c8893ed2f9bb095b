package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The generated bash completion, sourced in a real bash, completes values
// (providers, a provider's environments and samples, print kinds, client
// auth methods), not only flag names.
func TestBashCompletionCompletesValues(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Fatal("bash is needed for the completion test")
	}
	// cobra's bash script uses the bash-completion package's helpers, as
	// every distribution's interactive bash has them (.ci/run installs it).
	if _, err := os.Stat(bashCompletion); err != nil {
		t.Fatalf("%s is missing: install the bash-completion package", bashCompletion)
	}
	dir, scriptPath, _ := completionScript(t, "bash", "authscope.bash")

	cases := []struct {
		line     string
		want     []string
		dontWant []string
	}{
		{"authscope req", []string{"request"}, []string{"header"}},
		{"authscope request --provider sc", []string{"scaling", "scalekit", "scale"}, nil},
		{"authscope request --provider scalekit --env ", []string{"sandbox", "development", "production", "custom"}, []string{"live"}},
		{"authscope request --provider scale --env ", []string{"sandbox", "live", "test"}, []string{"development"}},
		{"authscope request --provider scaling --sample wr", []string{"wrong-key", "wrong-scheme"}, []string{"incidents"}},
		{"authscope request --provider scaling --print ", []string{"curl", "go", "python", "node", "env", "header"}, nil},
		{"authscope token --client-auth ", []string{"post", "basic"}, nil},
		{"authscope login --provider ", []string{"scalekit"}, []string{"scaling", "scale"}},
		{"authscope login --env ", []string{"sandbox", "development"}, []string{"live"}},
		{"authscope login --login-hint ", []string{"ada@acme.example"}, nil},
		{"authscope --theme ", []string{"dark", "light", "high-contrast"}, nil},
		{"authscope completion ", []string{"bash", "zsh", "fish"}, nil},
	}
	for _, c := range cases {
		got := complete(t, dir, scriptPath, c.line)
		for _, w := range c.want {
			if !slices.Contains(got, w) {
				t.Errorf("%q completes to %q, want it to offer %q", c.line, got, w)
			}
		}
		for _, w := range c.dontWant {
			if slices.Contains(got, w) {
				t.Errorf("%q completes to %q, should not offer %q", c.line, got, w)
			}
		}
	}
}

const bashCompletion = "/usr/share/bash-completion/bash_completion"

// complete runs bash's completion function for line (the cursor at its
// end) and returns COMPREPLY.
func complete(t *testing.T, binDir, script, line string) []string {
	t.Helper()
	words := strings.Fields(line)
	cword := len(words) - 1
	if strings.HasSuffix(line, " ") {
		words = append(words, "")
		cword++
	}
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = "'" + w + "'"
	}
	prog := `source ` + bashCompletion + `
source "$1"
COMP_WORDS=(` + strings.Join(quoted, " ") + `)
COMP_CWORD=` + strconv.Itoa(cword) + `
COMP_LINE="$2"; COMP_POINT=${#COMP_LINE}; COMP_TYPE=9
__start_authscope authscope
printf '%s\n' "${COMPREPLY[@]}"`
	cmd := exec.Command("bash", "--noprofile", "--norc", "-c", prog, "bash", script, line)
	cmd.Env = withBinDir(binDir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("completing %q: %v\n%s", line, err, out)
	}
	var got []string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			got = append(got, l)
		}
	}
	return got
}

// completionScript builds the binary and writes `authscope completion
// SHELL` next to it as name: the binary's directory, the script's path
// and the script.
func completionScript(t *testing.T, shell, name string) (dir, path, script string) {
	t.Helper()
	bin := buildBinary(t)
	dir = filepath.Dir(bin)
	out, err := exec.Command(bin, "completion", shell).Output()
	if err != nil {
		t.Fatalf("authscope completion %s: %v", shell, err)
	}
	path = filepath.Join(dir, name)
	if err := os.WriteFile(path, out, 0o600); err != nil {
		t.Fatal(err)
	}
	return dir, path, string(out)
}

// shellOrSkip finds the shell on PATH; without it the test is skipped,
// or fails under CI.
func shellOrSkip(t *testing.T, shell string) string {
	t.Helper()
	p, err := exec.LookPath(shell)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI: %s is missing (.ci/run installs it)", shell)
		}
		t.Skipf("%s is not installed (under CI this fails)", shell)
	}
	return p
}

// withBinDir is the environment with binDir first on PATH, so the
// completion script finds the binary under test.
func withBinDir(binDir string) []string {
	return append(os.Environ(), "PATH="+binDir+string(os.PathListSeparator)+os.Getenv("PATH"))
}

// TestBashCompletionNeverRunsTheLine: `$(…)` and backticks typed on the
// line are words to complete, never commands: cobra's own script evals
// the line when TAB is pressed; authscope's calls the binary with the
// words as they are.
func TestBashCompletionNeverRunsTheLine(t *testing.T) {
	if _, err := os.Stat(bashCompletion); err != nil {
		t.Fatalf("%s is missing: install the bash-completion package", bashCompletion)
	}
	dir, scriptPath, script := completionScript(t, "bash", "authscope.bash")
	if strings.Contains(script, "eval") {
		t.Fatal("the bash completion script still holds an eval")
	}
	marker := filepath.Join(t.TempDir(), "ran")
	for _, line := range []string{
		"authscope request --provider $(touch " + marker + ")",
		"authscope request --provider scaling --env `touch " + marker + "`",
		"authscope request --provider $(touch${IFS}" + marker + ") --env ",
		"authscope request --key x;touch${IFS}" + marker + " --env ",
	} {
		complete(t, dir, scriptPath, line)
		if _, err := os.Stat(marker); err == nil {
			t.Fatalf("completing %q ran the command it holds", line)
		}
	}
	// Completion still works after such a word.
	got := complete(t, dir, scriptPath, "authscope request --provider scaling --print ")
	if !slices.Contains(got, "curl") {
		t.Fatalf("completion broke: %q", got)
	}
}

// TestZshCompletionNeverRunsTheLine drives the generated zsh script's
// completion function in a real zsh, with zsh's completion builtins
// (_describe, _arguments) replaced by stubs that print what they are
// given: values still come from the binary, and neither a `$(…)` typed
// as a word nor one hidden in a flag's "--name=" prefix (which cobra's
// script evaluated through _describe's -P) runs.
func TestZshCompletionNeverRunsTheLine(t *testing.T) {
	zsh := shellOrSkip(t, "zsh")
	dir, scriptPath, _ := completionScript(t, "zsh", "_authscope")
	marker := filepath.Join(t.TempDir(), "ran")
	zcomplete := func(words ...string) string {
		t.Helper()
		quoted := make([]string, len(words))
		for i, w := range words {
			quoted[i] = "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
		}
		prog := `compdef() { : }
source "$1"
_describe() { print -rl -- "${completions[@]}"; return 0 }
_arguments() { print -r -- "_arguments $*"; return 0 }
words=(` + strings.Join(quoted, " ") + `)
CURRENT=${#words}
_authscope`
		cmd := exec.Command(zsh, "-f", "-c", prog, "zsh", scriptPath)
		cmd.Env = withBinDir(dir)
		out, _ := cmd.CombinedOutput()
		return string(out)
	}
	if got := zcomplete("authscope", "request", "--provider", "scale", "--env", ""); !strings.Contains(got, "live:") || strings.Contains(got, "development:") {
		t.Fatalf("zsh completion of Scale's environments: %q", got)
	}
	for _, words := range [][]string{
		{"authscope", "request", "--provider", "$(touch", marker + ")", "--env", ""},
		{"authscope", "request", "--provider", "`touch " + marker + "`", "--env", ""},
		{"authscope", "request", "--provider", "scale", "--env=$(:>" + marker + ")=li"},
	} {
		zcomplete(words...)
		if _, err := os.Stat(marker); err == nil {
			t.Fatalf("completing %q ran the command it holds", words)
		}
	}
}

// TestFishCompletionNeverRunsTheLine: fish's own `complete -C` drives the
// generated script as TAB would; a command substitution typed on the line,
// (…) or $(…), is a word to complete, never run (cobra's script evals it).
func TestFishCompletionNeverRunsTheLine(t *testing.T) {
	fish := shellOrSkip(t, "fish")
	dir, scriptPath, _ := completionScript(t, "fish", "authscope.fish")
	fcomplete := func(line string) string {
		t.Helper()
		cmd := exec.Command(fish, "--no-config", "-c", `source $argv[1]; complete -C $argv[2]`, scriptPath, line)
		cmd.Env = append(withBinDir(dir), "HOME="+t.TempDir())
		out, _ := cmd.CombinedOutput()
		return string(out)
	}
	if got := fcomplete("authscope request --provider scale --env "); !strings.Contains(got, "live\t") || strings.Contains(got, "development") {
		t.Fatalf("fish completion of Scale's environments: %q", got)
	}
	marker := filepath.Join(t.TempDir(), "ran")
	for _, line := range []string{
		"authscope request --provider (touch " + marker + ") --env ",
		"authscope request --provider $(touch " + marker + ") --env ",
		"authscope request --env=(touch " + marker + ")",
	} {
		fcomplete(line)
		if _, err := os.Stat(marker); err == nil {
			t.Fatalf("completing %q ran the command it holds", line)
		}
	}
}

package snippets

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// snippetRunner runs one kind of snippet as a user would, in a child
// process with the given extra environment.
type snippetRunner struct {
	kind Kind
	file string   // the file the snippet is written to
	argv []string // the command, the file appended
}

// runners returns a runner per kind whose tool is installed; a missing
// tool skips that kind (and says so), never the whole test.
func runners(t *testing.T) map[Kind]snippetRunner {
	t.Helper()
	out := map[Kind]snippetRunner{}
	if _, err := exec.LookPath("bash"); err == nil {
		if _, err := exec.LookPath("curl"); err == nil {
			out[Curl] = snippetRunner{Curl, "snippet.sh", []string{"bash"}}
		}
	}
	if goBin, err := exec.LookPath("go"); err == nil {
		out[Go] = snippetRunner{Go, "main.go", []string{goBin, "run"}}
	}
	if err := exec.Command("/usr/bin/python3", "-c", "import requests").Run(); err == nil {
		out[Python] = snippetRunner{Python, "snippet.py", []string{"/usr/bin/python3"}}
	} else {
		t.Logf("python snippets not run: /usr/bin/python3 with requests (Debian python3-requests) is missing: %v", err)
	}
	if node, err := exec.LookPath("node"); err == nil {
		out[Node] = snippetRunner{Node, "snippet.js", []string{node}}
	} else {
		t.Log("node snippets not run: node is not installed")
	}
	// In CI every runner must be there (.ci/run installs them): a missing
	// tool there is a broken pipeline, not a reason to test less.
	if os.Getenv("CI") != "" && len(out) < 4 {
		t.Fatalf("CI: only %d of 4 snippet runners are installed (curl, go, /usr/bin/python3 with requests, node)", len(out))
	}
	return out
}

// missingTool fails the test under CI (where .ci/run installs every
// tool, so a missing one is a broken pipeline) and skips it elsewhere,
// saying what to install.
func missingTool(t *testing.T, msg string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatal("CI: " + msg)
	}
	t.Skip(msg + " (under CI this fails)")
}

// run writes code to a temp dir and runs it; it returns stdout.
func (r snippetRunner) run(t *testing.T, code string, env ...string) string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, r.file)
	if err := os.WriteFile(path, []byte(code), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, r.argv[0], append(r.argv[1:], path)...)
	cmd.Dir = dir
	cmd.Env = append(childEnv(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s snippet failed: %v\nstderr: %s\nsnippet:\n%s", r.kind, err, stderr.String(), code)
	}
	return stdout.String()
}

// childEnv is this process's environment without any provider variable,
// so a snippet reads only what the test gives it.
func childEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "SCALING_") || strings.HasPrefix(name, "SCALE_") || strings.HasPrefix(name, "SCALEKIT_") {
			continue
		}
		out = append(out, kv)
	}
	return out
}

// statusOf finds the HTTP status a snippet printed: curl -i's status line,
// or the first line of the Go, Python and Node programs.
func statusOf(kind Kind, out string) string {
	first, _, _ := strings.Cut(out, "\n")
	first = strings.TrimSpace(first)
	if kind == Curl || kind == Header {
		fields := strings.Fields(first) // HTTP/1.1 200 OK
		if len(fields) > 1 {
			return fields[1]
		}
		return first
	}
	status, _, _ := strings.Cut(first, " ") // "200 OK" from Go, "200" from the others
	return status
}

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// readmeBlock is one fenced code block of the README.
type readmeBlock struct {
	line         int    // of the opening fence
	first        string // its first line
	body         string
	before, next string // the README text just before and just after it
}

func readmeBlocks(t *testing.T) []readmeBlock {
	t.Helper()
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	var out []readmeBlock
	for i := 0; i < len(lines); i++ {
		if !strings.HasPrefix(lines[i], "```") {
			continue
		}
		j := i + 1
		for j < len(lines) && !strings.HasPrefix(lines[j], "```") {
			j++
		}
		body := strings.Join(lines[i+1:min(j, len(lines))], "\n")
		first, _, _ := strings.Cut(body, "\n")
		out = append(out, readmeBlock{line: i + 1, first: first, body: body,
			before: strings.Join(lines[max(0, i-12):i], "\n"), next: strings.Join(lines[min(j+1, len(lines)):min(j+12, len(lines))], "\n")})
		i = j
	}
	return out
}

// readmeBlockRules says, for every code block of the README (by its first
// line), which test runs it, or the words beside it in the README that say
// why it is not run. A block without a rule fails: a new example is run,
// or explained, on purpose.
var readmeBlockRules = map[string]struct{ runBy, why string }{
	"go run .":       {why: "scripts/tui-tmux.sh"},
	"./scripts/test": {why: "the test command itself"},
	"go install .        # puts authscope in $(go env GOPATH)/bin, usually ~/go/bin: add that to PATH":                  {runBy: "TestEveryReadmeBlockRunsOrSaysWhy"},
	"authscope [--provider P] [--env E] [--theme T]   the explorer":                                                     {why: "A synopsis, not command lines"},
	"source <(authscope completion bash)          # bash (needs the bash-completion package)":                           {runBy: "TestEveryReadmeBlockRunsOrSaysWhy"},
	"authscope header --provider scale --key live_ScaleRocks":                                                           {runBy: "TestReadmeExamplesRunAsWritten"},
	"go run . sandbox --addr 127.0.0.1:8787":                                                                            {runBy: "TestEveryReadmeBlockRunsOrSaysWhy"},
	"import { ScalekitClient } from '@scalekit-sdk/node';":                                                              {why: "scripts/sdk-scalekit-node.sh"},
	`sc := scalekit.NewScalekitClient("http://127.0.0.1:8787/scalekit", "skc_sandbox_client", "sandbox_client_secret")`: {why: "Not run by the test command"},
	"go run . sandbox --addr 127.0.0.1:8787 --tls          # prints the lines below with the CA's path":                 {why: "skips without the SDK's source"},
	"import scaleapi": {why: "Not run by the test command"},
	"code=$(curl -si 'http://127.0.0.1:8787/scalekit/oauth/authorize?response_type=code&client_id=skc_sandbox_client&redirect_uri=http://127.0.0.1:53682/callback&scope=openid+profile+email&state=s1&login_hint=ada@acme.example' |": {runBy: "TestEveryReadmeBlockRunsOrSaysWhy"},
	"curl -s http://127.0.0.1:8787/scale/v1/sandbox/callbacks -u 'test_0123456789abcdef0123456789abcdef:'":                                                                                                                            {runBy: "TestEveryReadmeBlockRunsOrSaysWhy"},
	"git clone https://github.com/scaleapi/scaleapi-python-client && cd scaleapi-python-client":                                                                                                                                       {why: "is not run by the test command"},
	"printf '%s\\n' \"$TOKEN\" | authscope decode                       # a JWT, access or ID token":                                                                                                                                  {runBy: "TestEveryReadmeBlockRunsOrSaysWhy"},
	"xclip -selection clipboard -o | authscope doctor   # Linux (X11); pbpaste on macOS, wl-paste on Wayland":                                                                                                                         {runBy: "TestEveryReadmeBlockRunsOrSaysWhy"},
}

// TestEveryReadmeBlockRunsOrSaysWhy: each code block of the README is run
// as written (here or by the test its rule names), or the README says
// beside it why it cannot be. The blocks this test runs: go install, the
// completion lines, the sandbox started with go run, the doctor examples.
func TestEveryReadmeBlockRunsOrSaysWhy(t *testing.T) {
	blocks := readmeBlocks(t)
	if len(blocks) < 10 {
		t.Fatalf("README: only %d code blocks found", len(blocks))
	}
	byFirst := map[string]readmeBlock{}
	for _, b := range blocks {
		rule, ok := readmeBlockRules[b.first]
		switch {
		case !ok:
			t.Errorf("README line %d: a code block no test runs and no rule explains: %q (add it to readmeBlockRules)", b.line, b.first)
		case rule.why != "" && !strings.Contains(b.before+"\n"+b.next, rule.why):
			t.Errorf("README line %d: the block is not run, and the text beside it does not say why (%q)", b.line, rule.why)
		}
		byFirst[b.first] = b
	}
	for first := range readmeBlockRules {
		if _, ok := byFirst[first]; !ok {
			t.Errorf("readmeBlockRules names a block the README no longer has: %q", first)
		}
	}
	bin := buildBinary(t)
	work := t.TempDir()
	path := filepath.Dir(bin) + string(os.PathListSeparator) + os.Getenv("PATH")
	env := []string{"PATH=" + path, "HOME=" + work, "NO_COLOR=1"}

	t.Run("go install", func(t *testing.T) {
		gobin := t.TempDir()
		b := byFirst["go install .        # puts authscope in $(go env GOPATH)/bin, usually ~/go/bin: add that to PATH"]
		wd, _ := os.Getwd()
		_, stderr, code := runBash(t, b.body, wd, append(os.Environ(), "GOBIN="+gobin))
		if _, err := os.Stat(filepath.Join(gobin, "authscope")); code != 0 || err != nil {
			t.Fatalf("exit %d, %v\n%s", code, err, stderr)
		}
	})

	t.Run("completion", func(t *testing.T) {
		b := byFirst["source <(authscope completion bash)          # bash (needs the bash-completion package)"]
		lines := strings.Split(b.body, "\n")
		// bash: sourced as written, the completion is registered.
		out, stderr, code := runBash(t, lines[0]+"\ncomplete -p authscope", work, env)
		if code != 0 || !strings.Contains(out, "authscope") {
			t.Errorf("%s: exit %d\n%s\n%s", lines[0], code, out, stderr)
		}
		// fish: on a fresh home, as written.
		_, stderr, code = runBash(t, lines[2], work, env)
		got, err := os.ReadFile(filepath.Join(work, ".config/fish/completions/authscope.fish"))
		if code != 0 || err != nil || !strings.Contains(string(got), "complete -c authscope") {
			t.Errorf("%s: exit %d, %v\n%s", lines[2], code, err, stderr)
		}
		// zsh: the script the line writes (the README says why the line
		// itself is not run).
		if !strings.Contains(lines[1], "completion zsh") {
			t.Fatalf("the zsh line moved: %q", lines[1])
		}
		out, _, code = runBash(t, "authscope completion zsh", work, env)
		if code != 0 || !strings.HasPrefix(out, "#compdef authscope") {
			t.Errorf("authscope completion zsh: exit %d\n%.200s", code, out)
		}
	})

	t.Run("sandbox with go run", func(t *testing.T) {
		b := byFirst["go run . sandbox --addr 127.0.0.1:8787"]
		addr := freeAddr(t)
		wd, _ := os.Getwd()
		cmd := exec.Command("bash", "-c", "exec "+strings.ReplaceAll(b.body, "127.0.0.1:8787", addr))
		cmd.Dir, cmd.Env = wd, os.Environ()
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		defer func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM); cmd.Wait() }()
		for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(100 * time.Millisecond) {
			out, _, code := runBash(t, "curl -sS -i http://"+addr+"/scaling/v1/incidents -H 'Authorization: Bearer scl_live_0123456789abcdef0123456789abcdef'", work, env)
			if code == 0 && strings.Contains(out, "200 OK") {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: nothing answers on %s", b.body, addr)
			}
		}
	})

	t.Run("doctor", func(t *testing.T) {
		b := byFirst["xclip -selection clipboard -o | authscope doctor   # Linux (X11); pbpaste on macOS, wl-paste on Wayland"]
		ticket := "curl 'https://api.scaling.cloud/v1/incidents?limit=10' \\\n  -H 'Authorization: Bearer Bearer scl_live_9Qx7RkT2mWcY4bN8pLs1Vd6Hf3Jg0Aze'\n"
		if err := os.WriteFile(filepath.Join(work, "ticket.txt"), []byte(ticket), 0o600); err != nil {
			t.Fatal(err)
		}
		har, err := os.ReadFile("doctor/testdata/session.har")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(work, "session.har"), har, 0o600); err != nil {
			t.Fatal(err)
		}
		// The clipboard holds the ticket: xclip stands in for the desktop's.
		shim := t.TempDir()
		if err := os.WriteFile(filepath.Join(shim, "xclip"), []byte("#!/bin/sh\ncat "+filepath.Join(work, "ticket.txt")+"\n"), 0o700); err != nil {
			t.Fatal(err)
		}
		denv := []string{"PATH=" + shim + string(os.PathListSeparator) + path, "HOME=" + work, "NO_COLOR=1"}
		want := map[string][]string{
			"xclip":    {"is pasted twice"},
			"jq":       {`"check"`, `"severity"`},
			"--redact": {},
			"--replay": {"Replay on the sandbox", "keep one scheme word"},
		}
		for _, line := range strings.Split(b.body, "\n") {
			out, stderr, code := runBash(t, line, work, denv)
			if code != 0 {
				t.Errorf("%s: exit %d\n%s\n%s", line, code, out, stderr)
				continue
			}
			for key, ws := range want {
				if !strings.Contains(line, key) {
					continue
				}
				for _, w := range ws {
					if !strings.Contains(out, w) {
						t.Errorf("%s: output lacks %q:\n%s", line, w, out)
					}
				}
			}
		}
		safe, err := os.ReadFile(filepath.Join(work, "ticket.safe.txt"))
		if err != nil || !strings.Contains(string(safe), "scl_live_••••••••0Aze") || strings.Contains(string(safe), "9Qx7RkT2mWcY4bN8pLs1Vd6Hf3Jg0Aze") {
			t.Errorf("ticket.safe.txt: %v\n%s", err, safe)
		}
	})

	// The sandbox's own curl examples and the credential examples, as
	// written, against `authscope sandbox` on a free port.
	t.Run("sandbox curl and credential examples", func(t *testing.T) {
		addr := freeAddr(t)
		srv := exec.Command(bin, "sandbox", "--addr", addr)
		srv.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		if err := srv.Start(); err != nil {
			t.Fatal(err)
		}
		defer func() { syscall.Kill(-srv.Process.Pid, syscall.SIGTERM); srv.Wait() }()
		base := "http://" + addr
		for deadline := time.Now().Add(time.Minute); ; time.Sleep(50 * time.Millisecond) {
			if _, _, code := runBash(t, "curl -sf "+base+"/ >/dev/null", work, env); code == 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the sandbox does not answer on %s", addr)
			}
		}
		at := func(body string) string { return strings.ReplaceAll(body, "127.0.0.1:8787", addr) }

		b := byFirst["code=$(curl -si 'http://127.0.0.1:8787/scalekit/oauth/authorize?response_type=code&client_id=skc_sandbox_client&redirect_uri=http://127.0.0.1:53682/callback&scope=openid+profile+email&state=s1&login_hint=ada@acme.example' |"]
		out, stderr, code := runBash(t, at(b.body), work, env)
		if code != 0 || !strings.Contains(out, `"id_token":"`) || !strings.Contains(out, `"refresh_token":"`) {
			t.Errorf("the SSO curl block: exit %d\n%s\n%s", code, out, stderr)
		}

		b = byFirst["curl -s http://127.0.0.1:8787/scale/v1/sandbox/callbacks -u 'test_0123456789abcdef0123456789abcdef:'"]
		out, stderr, code = runBash(t, at(b.body), work, env)
		if code != 0 || !strings.HasPrefix(strings.TrimSpace(out), "{") && !strings.HasPrefix(strings.TrimSpace(out), "[") {
			t.Errorf("the callbacks curl: exit %d\n%s\n%s", code, out, stderr)
		}

		// The credential examples: $TOKEN is a sandbox token, token.txt
		// holds it, keys.json is the sandbox's JWKS, the clipboard (xclip
		// stands in) holds the token.
		out, _, code = runBash(t, "curl -s -d grant_type=client_credentials -d client_id=skc_sandbox_client -d client_secret=sandbox_client_secret "+base+"/scalekit/oauth/token", work, env)
		token := between(out, `"access_token":"`, `"`)
		if code != 0 || token == "" {
			t.Fatalf("no sandbox token: %s", out)
		}
		keys, _, _ := runBash(t, "curl -s "+base+"/scalekit/keys", work, env)
		for name, content := range map[string]string{"token.txt": token + "\n", "keys.json": keys} {
			if err := os.WriteFile(filepath.Join(work, name), []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		shim := t.TempDir()
		if err := os.WriteFile(filepath.Join(shim, "xclip"), []byte("#!/bin/sh\ncat "+filepath.Join(work, "token.txt")+"\n"), 0o700); err != nil {
			t.Fatal(err)
		}
		cenv := []string{"PATH=" + shim + string(os.PathListSeparator) + path, "HOME=" + work, "NO_COLOR=1", "TOKEN=" + token}
		b = byFirst["printf '%s\\n' \"$TOKEN\" | authscope decode                       # a JWT, access or ID token"]
		for _, line := range strings.Split(b.body, "\n") {
			out, stderr, code := runBash(t, line, work, cenv)
			if code != 0 || strings.TrimSpace(out) == "" {
				t.Errorf("%s: exit %d\n%s\n%s", line, code, out, stderr)
			}
			if strings.Contains(out+stderr, token) {
				t.Errorf("%s: the token is printed unmasked", line)
			}
		}
	})
}

// between is the text of s after the first open and before the next close.
func between(s, open, close string) string {
	_, rest, ok := strings.Cut(s, open)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, close)
	return v
}

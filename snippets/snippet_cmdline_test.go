package snippets

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authscope/authscope/authschemes"
	"github.com/authscope/authscope/internal/sandboxtest"
	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
)

// TestFromEnvShellSnippetsPutNoSecretOnACommandLine runs the env flavour
// of the curl, header and export snippets with every external command
// they may start (curl, base64, tr, sed) wrapped by a shim that records
// its arguments, and checks that no secret appears in any of them: a
// command line is readable by every local user (ps, /proc/PID/cmdline).
func TestFromEnvShellSnippetsPutNoSecretOnACommandLine(t *testing.T) {
	url := sandboxtest.Start(t)
	if _, ok := runners(t)[Curl]; !ok {
		t.Skip("bash or curl is missing")
	}
	shims, argvLog := commandShims(t, "curl", "base64", "tr", "sed")
	for _, p := range model.Providers {
		auths := []authschemes.ClientAuth{authschemes.ClientSecretPost}
		if p.Scheme == model.SchemeOAuth2 {
			auths = append(auths, authschemes.ClientSecretBasic)
		}
		for _, auth := range auths {
			for _, kind := range []Kind{Curl, Header, Env} {
				t.Run(fmt.Sprintf("%s/%s/%s", p.ID, auth, kind), func(t *testing.T) {
					os.WriteFile(argvLog, nil, 0o600)
					out := requests.NewOutgoing(sandboxtest.Target(t, p, url), auth)
					code, _, env := snippetProgram(t, kind, out, p.Samples[0], SecretFromEnv, nil)
					r := snippetRunner{Curl, "snippet.sh", []string{"bash"}}
					env = append(env, "PATH="+shims+string(os.PathListSeparator)+os.Getenv("PATH"))
					if got := statusOf(Curl, r.run(t, code, env...)); got != "200" {
						t.Fatalf("status %s; snippet:\n%s", got, code)
					}
					logged, _ := os.ReadFile(argvLog)
					if !strings.Contains(string(logged), "curl") {
						t.Fatalf("the shims saw no curl: %q", logged)
					}
					for _, secret := range out.Target.Secrets() {
						if strings.Contains(string(logged), secret) {
							t.Fatalf("a secret is on a command line:\n%s\nsnippet:\n%s", logged, code)
						}
					}
				})
			}
		}
	}
}

// commandShims writes, for each named command, a script that appends its
// name and arguments to a log and then runs the real command.
func commandShims(t *testing.T, names ...string) (dir, log string) {
	t.Helper()
	dir = t.TempDir()
	log = filepath.Join(dir, "argv.log")
	for _, name := range names {
		real, err := exec.LookPath(name)
		if err != nil {
			t.Fatalf("%s is missing: %v", name, err)
		}
		script := fmt.Sprintf("#!/bin/sh\nprintf '%%s\\n' \"%s $*\" >> %s\nexec %s \"$@\"\n", name, shellQuote(log), shellQuote(real))
		if err := os.WriteFile(filepath.Join(dir, name), []byte(script), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	return dir, log
}

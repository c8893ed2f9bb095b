package snippets

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
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
	run := runners(t)
	if _, ok := run[Curl]; !ok {
		t.Fatal("bash or curl is missing: these snippets are run, not skipped")
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
					code, _, env := snippetProgram(t, kind, out, p.Samples[0], SecretFromEnv, run)
					r := snippetRunner{Curl, "snippet.sh", []string{"bash"}}
					env = append(env, "PATH="+shims+string(os.PathListSeparator)+os.Getenv("PATH"))
					if got := statusOf(Curl, r.run(t, code, env...)); got != "200" {
						t.Fatalf("status %s; snippet:\n%s", got, code)
					}
					logged, _ := os.ReadFile(argvLog)
					if !strings.Contains(string(logged), "curl") {
						t.Fatalf("the shims saw no curl: %q", logged)
					}
					for form, spelling := range secretSpellings(out.Target) {
						if strings.Contains(string(logged), spelling) {
							t.Fatalf("a secret is on a command line (%s):\n%s\nsnippet:\n%s", form, logged, code)
						}
					}
					if jwt := jwtOnLine.FindString(string(logged)); jwt != "" {
						t.Fatalf("an access token is on a command line:\n%s\nsnippet:\n%s", logged, code)
					}
				})
			}
		}
	}
}

// jwtOnLine is any JWT: the access token a snippet fetched must not
// reach a command line either, whatever its value.
var jwtOnLine = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+`)

// secretSpellings is every form a target's secrets could take on a
// command line: raw and trimmed, the Basic value (Base64 of "key:" and
// of "client_id:client_secret", as is and trimmed), URL-encoded,
// JSON-escaped.
func secretSpellings(target model.Target) map[string]string {
	out := map[string]string{}
	add := func(name, v string) {
		if len(v) >= 6 {
			out[name+" "+v[:4]+"…"] = v
		}
	}
	var ids []string
	for _, f := range target.Provider.Fields {
		if !f.Secret {
			ids = append(ids, target.Creds[f.ID], strings.TrimSpace(target.Creds[f.ID]))
		}
	}
	for _, sec := range target.Secrets() {
		add("raw", sec)
		add("URL-encoded", url.QueryEscape(sec))
		j, _ := json.Marshal(sec)
		add("JSON-escaped", string(j[1:len(j)-1]))
		add("Base64 of key:", base64.StdEncoding.EncodeToString([]byte(sec+":")))
		add("Base64", base64.StdEncoding.EncodeToString([]byte(sec)))
		for _, id := range ids {
			if id != "" {
				add("Base64 of id:secret", base64.StdEncoding.EncodeToString([]byte(id+":"+sec)))
				add("Base64 of id:secret, form-encoded", base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id)+":"+url.QueryEscape(sec))))
			}
		}
	}
	return out
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
		script := fmt.Sprintf("#!/bin/sh\nprintf '%%s\\n' \"%s $*\" >> %s\nexec %s \"$@\"\n", name, requests.ShellQuote(log), requests.ShellQuote(real))
		if err := os.WriteFile(filepath.Join(dir, name), []byte(script), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	return dir, log
}

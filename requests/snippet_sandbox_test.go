package requests

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests/sandbox"
)

// startSandbox runs the real sandbox on a free loopback port.
func startSandbox(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := sandbox.Start(ctx, sandbox.Options{Addr: "127.0.0.1:0"})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close(); cancel() })
	return srv.URL()
}

// sandboxTarget is the provider's sandbox environment with its first demo
// credentials.
func sandboxTarget(t *testing.T, p model.Provider, url string) model.Target {
	t.Helper()
	env, err := p.Env("sandbox")
	if err != nil {
		t.Fatal(err)
	}
	creds := map[string]string{}
	for k, v := range p.Demos[0].Values {
		creds[k] = v
	}
	return model.Target{Provider: p, Env: env, BaseURL: url + p.SandboxPath, Creds: creds}
}

// bodyMarker is a string the default sample's success body holds.
var bodyMarker = map[string]string{"scaling": `"incidents"`, "scalekit": `"organizations"`, "scale": `"name"`}

// TestSnippetsRunAgainstTheSandbox runs every snippet kind, in both
// flavours, for every provider's default sample and checks the status and
// the body; the env flavour gets its variables in the child's environment
// and nothing else.
func TestSnippetsRunAgainstTheSandbox(t *testing.T) {
	url := startSandbox(t)
	run := runners(t)
	shell, haveShell := run[SnippetCurl]
	for _, p := range model.Providers {
		target := sandboxTarget(t, p, url)
		sample := p.Samples[0]
		for _, kind := range SnippetKinds {
			for _, flavour := range []Flavour{SecretInline, SecretFromEnv} {
				t.Run(fmt.Sprintf("%s/%s/%s", p.ID, kind, flavourName(flavour)), func(t *testing.T) {
					code, r, env := snippetProgram(t, kind, target, sample, flavour, run)
					if code == "" {
						return
					}
					if (kind == SnippetHeader || kind == SnippetEnv) && !haveShell {
						t.Skip("bash or curl is missing")
					}
					if kind == SnippetHeader || kind == SnippetEnv {
						r = shell
					}
					out := r.run(t, code, env...)
					if got := statusOf(r.kind, out); got != "200" {
						t.Fatalf("status %q; output:\n%s\nsnippet:\n%s", got, out, code)
					}
					if !strings.Contains(out, bodyMarker[p.ID]) {
						t.Fatalf("the body lacks %s:\n%s", bodyMarker[p.ID], out)
					}
				})
			}
		}
	}
}

// snippetProgram is the program a test runs for a snippet: the snippet
// itself, or for the header and export snippets a short bash script that
// uses them with curl the way the help suggests.
func snippetProgram(t *testing.T, kind SnippetKind, target model.Target, s model.Sample, flavour Flavour, run map[SnippetKind]snippetRunner) (string, snippetRunner, []string) {
	t.Helper()
	r, ok := run[kind]
	if !ok && kind != SnippetHeader && kind != SnippetEnv {
		t.Skipf("no %s to run it with", kind)
	}
	token := ""
	if kind == SnippetHeader && flavour == SecretInline && target.Provider.Scheme == model.SchemeOAuth2 {
		var err error
		if token, err = FetchToken(context.Background(), target, "post", Options{}); err != nil {
			t.Fatal(err)
		}
	}
	text, err := Snippet(kind, target, s, flavour, token)
	if err != nil {
		t.Fatal(err)
	}
	checkSnippetSecrets(t, text, target, flavour)
	var env []string
	if flavour == SecretFromEnv {
		env = envFor(target)
	}
	url := target.BaseURL + s.Path
	switch kind {
	case SnippetHeader:
		if flavour == SecretInline {
			return fmt.Sprintf("curl -sS -i -H %s %s\n", shellQuote(strings.TrimSpace(text.Reveal())), shellQuote(url)), r, env
		}
		return fmt.Sprintf("curl -sS -i -H %s %s\n", strings.TrimSpace(text.Reveal()), shellQuote(url)), r, env
	case SnippetEnv:
		// The exports, then the env-flavour curl snippet reading them; a
		// secret the exports ask for is typed on stdin.
		curl, err := Snippet(SnippetCurl, target, s, SecretFromEnv, "")
		if err != nil {
			t.Fatal(err)
		}
		script := text.Reveal()
		if flavour == SecretFromEnv {
			f := target.Provider.SecretField()
			script = strings.ReplaceAll(script, "read -rs "+f.EnvVar+";", "read -rs "+f.EnvVar+" <<< "+shellQuote(target.Creds[f.ID])+";")
		}
		return script + curl.Reveal(), r, nil
	}
	return text.Reveal(), r, env
}

// checkSnippetSecrets: the env flavour holds no secret at all; the inline
// flavour holds the secret, marked, so that its preview is masked.
func checkSnippetSecrets(t *testing.T, text model.Text, target model.Target, flavour Flavour) {
	t.Helper()
	for _, secret := range target.Secrets() {
		if flavour == SecretFromEnv && strings.Contains(text.Reveal(), secret) {
			t.Fatalf("the env flavour holds a secret:\n%s", text.Reveal())
		}
		if strings.Contains(text.Masked(), secret) {
			t.Fatalf("the masked preview holds a secret:\n%s", text.Masked())
		}
	}
	if flavour == SecretFromEnv && text.HasSecret() {
		t.Fatalf("the env flavour has secret segments: %q", text.Secrets())
	}
}

// TestWhatIfSnippetsReproduceTheFailure: a what-if written as a snippet
// gets the same status from the sandbox as authscope's own request.
func TestWhatIfSnippetsReproduceTheFailure(t *testing.T) {
	url := startSandbox(t)
	run := runners(t)
	r, ok := run[SnippetCurl]
	if !ok {
		t.Skip("bash or curl is missing")
	}
	for _, p := range model.Providers {
		target := sandboxTarget(t, p, url)
		for _, s := range p.Samples {
			if !s.IsWhatIf() {
				continue
			}
			t.Run(p.ID+"/"+s.Name, func(t *testing.T) {
				text, err := Snippet(SnippetCurl, target, s, SecretFromEnv, "")
				if s.WhatIf == model.WhatIfWrongKey || s.WhatIf == model.WhatIfBadSignature || s.WhatIf == model.WhatIfExpiredToken {
					if err == nil {
						t.Fatalf("a snippet was written for %s, which alters the secret", s.Name)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				staged := target
				if staged.Creds, err = stagedCreds(target, s); err != nil {
					t.Fatal(err)
				}
				out := r.run(t, text.Reveal(), envFor(staged)...)
				if got := statusOf(SnippetCurl, out); got != fmt.Sprint(s.Expect) {
					t.Fatalf("status %s, want %d; output:\n%s\nsnippet:\n%s", got, s.Expect, out, text.Reveal())
				}
			})
		}
	}
}

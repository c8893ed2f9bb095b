package snippets

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/authscope/authscope/authschemes"
	"github.com/authscope/authscope/internal/sandboxtest"
	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
)

// bodyMarker is a string the default sample's success body holds.
var bodyMarker = map[string]string{"scaling": `"incidents"`, "scalekit": `"organizations"`, "scale": `"name"`}

// parityCase is a credential as typed, and how the client authenticates.
type parityCase struct {
	name  string
	creds map[string]string
	auth  authschemes.ClientAuth
}

// parityCases are the ways a person types credentials that must give the
// same result from every snippet as from authscope's own request: the
// demo values, the same with stray whitespace around each (authscope
// trims it), Scalekit with client_secret_basic, and another provider's key
// (a 401 every copy must reproduce).
func parityCases(p model.Provider) []parityCase {
	demo := p.Demos[0].Values
	spaced := map[string]string{}
	for k, v := range demo {
		spaced[k] = "  " + v + " \n"
	}
	cases := []parityCase{{"demo", demo, authschemes.ClientSecretPost}, {"stray-whitespace", spaced, authschemes.ClientSecretPost}}
	switch p.Scheme {
	case model.SchemeOAuth2:
		cases = append(cases, parityCase{"client-auth-basic", spaced, authschemes.ClientSecretBasic})
	case model.SchemeBearer:
		scale, _ := model.Lookup("scale")
		cases = append(cases, parityCase{"other-providers-key", map[string]string{"key": scale.Demos[0].Values["key"]}, authschemes.ClientSecretPost})
	case model.SchemeBasic:
		scaling, _ := model.Lookup("scaling")
		cases = append(cases, parityCase{"other-providers-key", map[string]string{"key": scaling.Demos[0].Values["key"]}, authschemes.ClientSecretPost})
	}
	return cases
}

// TestEverySnippetGetsTheStatusAuthscopeGets runs every snippet kind, in
// both flavours, for every provider's default sample, for credentials
// typed with stray whitespace and (Scalekit) client_secret_basic, against
// the real sandbox, and checks it gets the status authscope's own request
// gets; a success must also carry the body. The env flavour gets its
// variables, as typed, in the child's environment and nothing else.
func TestEverySnippetGetsTheStatusAuthscopeGets(t *testing.T) {
	url := sandboxtest.Start(t)
	run := runners(t)
	shell, haveShell := run[Curl]
	for _, p := range model.Providers {
		sample := p.Samples[0]
		for _, c := range parityCases(p) {
			target := sandboxtest.Target(t, p, url)
			target.Creds = c.creds
			own, err := requests.SendSample(context.Background(), target, sample, requests.SampleOptions{ClientAuth: c.auth})
			if err != nil {
				t.Fatalf("%s/%s: authscope's own request: %v", p.ID, c.name, err)
			}
			want := fmt.Sprint(own.Status())
			if c.name != "other-providers-key" && want != "200" {
				t.Fatalf("%s/%s: authscope got %s, want 200", p.ID, c.name, want)
			}
			out := requests.NewOutgoing(target, c.auth)
			for _, kind := range Kinds {
				for _, flavour := range []Flavour{SecretInline, SecretFromEnv} {
					t.Run(fmt.Sprintf("%s/%s/%s/%s", p.ID, c.name, kind, flavourName(flavour)), func(t *testing.T) {
						t.Parallel() // each runs its own process; the sandbox serves them all at once
						code, r, env := snippetProgram(t, kind, out, sample, flavour, run)
						if env != nil {
							env = envFor(target) // the variables as typed, stray whitespace and all: the snippet trims as authscope does
						}
						if (kind == Header || kind == Env) && !haveShell {
							missingTool(t, "bash or curl is missing")
						}
						if kind == Header || kind == Env {
							r = shell
						}
						output := r.run(t, code, env...)
						if got := statusOf(r.kind, output); got != want {
							t.Fatalf("status %q, authscope got %s; output:\n%s\nsnippet:\n%s", got, want, output, code)
						}
						if want == "200" && !strings.Contains(output, bodyMarker[p.ID]) {
							t.Fatalf("the body lacks %s:\n%s", bodyMarker[p.ID], output)
						}
					})
				}
			}
		}
	}
}

// snippetProgram is the program a test runs for a snippet: the snippet
// itself, or for the header and export snippets a short bash script that
// uses them with curl the way the help suggests.
func snippetProgram(t *testing.T, kind Kind, out requests.Outgoing, s model.Sample, flavour Flavour, run map[Kind]snippetRunner) (string, snippetRunner, []string) {
	t.Helper()
	r, ok := run[kind]
	if !ok && kind != Header && kind != Env {
		missingTool(t, fmt.Sprintf("no %s to run it with", kind))
	}
	target := out.Target
	token := ""
	if kind == Header && flavour == SecretInline && target.Provider.Scheme == model.SchemeOAuth2 {
		var err error
		if token, err = requests.FetchToken(context.Background(), target, out.ClientAuth, requests.Options{}); err != nil {
			t.Fatal(err)
		}
	}
	text, err := Write(kind, out, s, flavour, token)
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
	case Header:
		if flavour == SecretInline {
			return fmt.Sprintf("curl -sS -i -H %s %s\n", requests.ShellQuote(strings.TrimSpace(text.Reveal())), requests.ShellQuote(url)), r, env
		}
		// The env flavour prints the header line; curl reads it on stdin.
		return fmt.Sprintf("{\n%s} | curl -sS -i -H @- %s\n", text.Reveal(), requests.ShellQuote(url)), r, env
	case Env:
		// The exports, then the env-flavour curl snippet reading them; a
		// secret the exports ask for is typed on stdin.
		curl, err := Write(Curl, out, s, SecretFromEnv, "")
		if err != nil {
			t.Fatal(err)
		}
		script := text.Reveal()
		if flavour == SecretFromEnv {
			f := target.Provider.SecretField()
			script = strings.ReplaceAll(script, "read -rs "+f.EnvVar+";", "read -rs "+f.EnvVar+" <<< "+requests.ShellQuote(target.Creds[f.ID])+";")
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
	url := sandboxtest.Start(t)
	run := runners(t)
	r, ok := run[Curl]
	if !ok {
		missingTool(t, "bash or curl is missing")
	}
	for _, p := range model.Providers {
		target := sandboxtest.Target(t, p, url)
		for _, s := range p.Samples {
			if !s.IsWhatIf() {
				continue
			}
			t.Run(p.ID+"/"+s.Name, func(t *testing.T) {
				text, err := Write(Curl, requests.NewOutgoing(target, ""), s, SecretFromEnv, "")
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
				if staged.Creds, err = requests.StagedCreds(target, s); err != nil {
					t.Fatal(err)
				}
				out := r.run(t, text.Reveal(), envFor(staged)...)
				if got := statusOf(Curl, out); got != fmt.Sprint(s.Expect) {
					t.Fatalf("status %s, want %d; output:\n%s\nsnippet:\n%s", got, s.Expect, out, text.Reveal())
				}
			})
		}
	}
}

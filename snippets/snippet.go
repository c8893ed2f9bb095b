package snippets

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/authscope/authscope/authschemes"
	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
)

// Kind is a way to write a request down for someone to run.
type Kind string

const (
	Header Kind = "header" // the Authorization line
	Curl   Kind = "curl"
	Env    Kind = "env" // export lines for the provider's variables
	Go     Kind = "go"  // a complete package main, standard library only
	Python Kind = "python"
	Node   Kind = "node" // Node 20+, global fetch
)

// Kinds lists every kind, in menu order.
var Kinds = []Kind{Header, Curl, Env, Go, Python, Node}

// ParseKind reads a --print value.
func ParseKind(s string) (Kind, error) {
	for _, k := range Kinds {
		if string(k) == strings.ToLower(strings.TrimSpace(s)) {
			return k, nil
		}
	}
	names := make([]string, len(Kinds))
	for i, k := range Kinds {
		names[i] = string(k)
	}
	return "", fmt.Errorf("unknown snippet %q; choose one of: %s", s, strings.Join(names, ", "))
}

// Flavour is where a snippet takes the secret from.
type Flavour int

const (
	SecretInline  Flavour = iota // the secret written into the snippet (marked secret in the Text)
	SecretFromEnv                // read from the provider's environment variables: no secret at all, safe to share
)

// Snippet writes the sample's request as a snippet from the outgoing
// credential, so it carries exactly what authscope sends: the trimmed
// credential, the chosen client authentication and the same URL. The Text
// marks every secret, so a preview shows Masked() and the copy for use
// Reveal(); the SecretFromEnv flavour holds none, and when run it puts no
// secret on any process's command line (curl reads its header or form on
// standard input). For OAuth2 providers each snippet runs the token
// exchange first; token is needed only for the inline header of an OAuth2
// provider (the header is the token). What-ifs that authscope stages by
// altering a secret or a token (wrong key, bad signature, expired token)
// have no snippet: a snippet runs the real thing.
func Write(kind Kind, out requests.Outgoing, s model.Sample, flavour Flavour, token string) (model.Text, error) {
	spec, err := describe(out, s, flavour)
	if err != nil {
		return nil, err
	}
	switch kind {
	case Header:
		return headerSnippet(spec, out.Target, s, token)
	case Curl:
		return curlSnippet(spec), nil
	case Env:
		return envSnippet(spec), nil
	case Go:
		return goSnippet(spec), nil
	case Python:
		return pythonSnippet(spec), nil
	case Node:
		return nodeSnippet(spec), nil
	}
	_, err = ParseKind(string(kind))
	return nil, err
}

// snippetSpec is the one request description every snippet is written
// from.
type snippetSpec struct {
	provider   model.Provider
	title      string
	method     string
	base       snippetVar // the base URL: a literal, or the provider's URL variable for OAuth2
	path       string
	body       string
	headers    []model.Header // everything but Authorization, all plain
	mode       requests.AuthMode
	oauth      bool                   // fetch a token first; the header then carries it
	clientAuth authschemes.ClientAuth // how the exchange authenticates the client
	creds      map[string]snippetVar  // by Field.ID
	fields     []model.Field
	inline     bool
	sandbox    bool // aimed at the in-process sandbox: the snippet works only while authscope runs
}

// snippetVar is one value a snippet needs: written in, or read from the
// environment.
type snippetVar struct {
	name   string // "key", "clientSecret": the variable's role, spelled per language
	envVar string
	value  string
	secret bool
	inline bool // write value; otherwise read envVar
}

func describe(out requests.Outgoing, s model.Sample, flavour Flavour) (snippetSpec, error) {
	switch s.WhatIf {
	case model.WhatIfWrongKey, model.WhatIfBadSignature, model.WhatIfExpiredToken:
		return snippetSpec{}, fmt.Errorf("the %s what-if is staged by authscope itself (it alters your secret or token); a snippet sends the real request: pick another sample", s.Name)
	}
	t := out.Target
	if err := requests.CheckSample(t, s); err != nil {
		return snippetSpec{}, err
	}
	inline := flavour == SecretInline
	creds := t.Creds
	if inline {
		// A from-env snippet writes no value: it needs none to be printed.
		var err error
		if creds, err = requests.StagedCreds(t, s); err != nil {
			return snippetSpec{}, err
		}
	}
	p := t.Provider
	spec := snippetSpec{
		provider: p, title: s.Title, method: s.Method, path: s.Path, body: s.Body,
		mode: requests.ModeFor(p, s), oauth: p.Scheme == model.SchemeOAuth2, clientAuth: out.ClientAuth,
		creds: map[string]snippetVar{}, fields: p.Fields, inline: inline, sandbox: t.Env.Sandbox,
		base: snippetVar{name: "baseURL", envVar: p.EnvURLVar, value: t.BaseURL, inline: inline || p.EnvURLVar == ""},
	}
	if spec.method == "" {
		spec.method = "GET"
	}
	if spec.title == "" {
		spec.title = spec.method + " " + spec.path
	}
	spec.headers = requests.SampleHeaders(s)
	for _, f := range p.Fields {
		spec.creds[f.ID] = snippetVar{name: varName(f.ID), envVar: f.EnvVar, value: creds[f.ID], secret: f.Secret, inline: inline}
	}
	return spec, nil
}

// basicClient reports whether the exchange sends the client id and secret
// with HTTP Basic (client_secret_basic) instead of in the form.
func (s snippetSpec) basicClient() bool {
	return s.clientAuth == authschemes.ClientSecretBasic
}

// sandboxNote is the comment a snippet aimed at authscope's sandbox
// carries: its port lives only as long as authscope does. Short lines: it
// is previewed in an 80-column copy menu.
func (s snippetSpec) sandboxNote(prefix string) string {
	if !s.sandbox {
		return ""
	}
	return prefix + " Aimed at authscope's sandbox: works only while authscope runs\n" +
		prefix + " (the explorer or `authscope sandbox`); use the real base URL to keep it.\n"
}

// varName turns a field id into the variable name snippets use.
func varName(id string) string {
	parts := strings.Split(id, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] == "id" {
			parts[i] = "ID"
		} else if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

// snakeName is varName for Python.
func snakeName(name string) string {
	var b strings.Builder
	for i, r := range name {
		if r >= 'A' && r <= 'Z' {
			if i > 0 && !(name[i-1] >= 'A' && name[i-1] <= 'Z') {
				b.WriteByte('_')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// keyVar is the variable for the secret field: the key that goes into the
// header for Basic and Bearer providers (the client secret for OAuth2).
func (s snippetSpec) keyVar() snippetVar { return s.creds[s.provider.SecretField().ID] }

// textBuilder assembles a Text, keeping secret runs marked.
type textBuilder struct{ text model.Text }

func (b *textBuilder) add(format string, args ...any) {
	b.text = append(b.text, model.Segment{Text: fmt.Sprintf(format, args...)})
}

// quoted writes v with a language's quoting; the inside of the quotes is
// marked secret when v is. Every quoting used here is open + inside + close.
func (b *textBuilder) quoted(v string, secret bool, quote func(string) string) {
	q := quote(v)
	if !secret || len(q) < 2 {
		b.add("%s", q)
		return
	}
	b.text = append(b.text, model.Segment{Text: q[:1]}, model.Segment{Text: q[1 : len(q)-1], Secret: true}, model.Segment{Text: q[len(q)-1:]})
}

// goQuote is a Go string literal.
func goQuote(s string) string { return strconv.Quote(s) }

// jsonQuote is a JSON string, which is also a valid Python and JavaScript
// string literal (json.Marshal escapes U+2028/U+2029 for JavaScript).
func jsonQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

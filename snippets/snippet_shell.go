package snippets

import (
	"encoding/base64"
	"net/url"
	"strings"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
)

// Shell snippets read from the environment never put a secret on a
// process's command line, where any local user can read it (ps, /proc):
// the secret stays in the shell (printf is a builtin, a here-document is
// expanded by the shell itself) and reaches curl or base64 on standard
// input (curl -H @-, --data-urlencode name@-).

// trimFunc trims surrounding whitespace with shell builtins only (sh,
// bash, zsh): a variable read from the environment is sent trimmed, as
// authscope sends it.
const trimFunc = `trim() { set -- "${1#"${1%%[![:space:]]*}"}"; printf '%s' "${1%"${1##*[![:space:]]}"}"; }` + "\n"

// envRef is a credential variable, trimmed, inside a double-quoted word
// or a here-document.
func envRef(name string) string { return `$(trim "$` + name + `")` }

// shellWord writes prefix+value as one shell word: single-quoted when
// inline, double-quoted around the trimmed "$VAR" when read from the
// environment.
func shellWord(b *textBuilder, prefix string, v snippetVar) {
	if !v.inline {
		b.add(`"%s%s"`, doubleQuoted(prefix), envRef(v.envVar))
		return
	}
	if !v.secret {
		b.add("%s", requests.ShellQuote(prefix+v.value))
		return
	}
	b.add("%s", requests.ShellQuote(prefix)[:len(requests.ShellQuote(prefix))-1]) // open quote and prefix
	b.text = append(b.text, model.Segment{Text: strings.ReplaceAll(v.value, "'", `'\''`), Secret: true})
	b.add("'")
}

// shellURL writes the request URL (or the token URL) as one word.
func shellURL(b *textBuilder, s snippetSpec, path string) {
	if s.base.inline {
		b.add("%s", requests.ShellQuote(s.base.value+path))
		return
	}
	b.add(`"$%s%s"`, s.base.envVar, doubleQuoted(path))
}

// doubleQuoted escapes what is special inside a double-quoted shell word.
func doubleQuoted(s string) string {
	return strings.NewReplacer(`\`, `\\`, `$`, `\$`, "`", "\\`", `"`, `\"`).Replace(s)
}

// formEncodeFunc is a bash/zsh function that form-encodes its argument
// with builtins only, as RFC 6749 §2.3.1 asks of the client id and secret
// before HTTP Basic encoding (url.QueryEscape on authscope's side).
const formEncodeFunc = `formenc() { local LC_ALL=C s="$1" out= c i; for ((i = 0; i < ${#s}; i++)); do c=${s:i:1}; case $c in [a-zA-Z0-9._~-]) out+=$c ;; *) out+=$(printf '%%%02X' "'$c") ;; esac; done; printf '%s' "$out"; }` + "\n"

// clientBasicInline is the client_secret_basic value, computed here
// exactly as authschemes.TokenRequest computes it.
func clientBasicInline(s snippetSpec) string {
	id, secret := s.creds["client_id"].value, s.creds["client_secret"].value
	return base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id) + ":" + url.QueryEscape(secret)))
}

// shellToken writes the token exchange as `token=$(curl … | sed …)`.
func shellToken(b *textBuilder, s snippetSpec) {
	b.add("# 1. Exchange the client credentials for an access token (%s).\n", clientAuthName(s))
	if !s.inline && s.basicClient() {
		b.add("%s", formEncodeFunc)
	}
	b.add("token=$(")
	shellTokenCommand(b, s, " \\\n  ")
	b.add(")\n# 2. Call the API with it.\n")
}

func clientAuthName(s snippetSpec) string {
	if s.basicClient() {
		return "client_secret_basic: id and secret in HTTP Basic"
	}
	return "client_secret_post, as every Scalekit SDK sends it"
}

// shellTokenCommand is the curl | sed pipeline that prints the access
// token; sep separates its arguments (a line continuation, or a space).
// Read from the environment, the secret reaches curl on standard input.
func shellTokenCommand(b *textBuilder, s snippetSpec, sep string) {
	pipe := strings.Replace(sep, " \\", "", 1)
	fromStdin := !s.inline
	switch {
	case fromStdin && s.basicClient():
		b.add(`printf 'Authorization: Basic %%s\n' "$(printf '%%s:%%s' "$(formenc "%s")" "$(formenc "%s")" | base64 | tr -d '\n')" |%s`,
			envRef(s.creds["client_id"].envVar), envRef(s.creds["client_secret"].envVar), pipe)
	case fromStdin:
		for _, f := range s.fields {
			if f.Secret {
				b.add(`printf '%%s' "%s" |%s`, envRef(s.creds[f.ID].envVar), pipe)
			}
		}
	}
	b.add("curl -sS ")
	shellURL(b, s, s.provider.TokenPath)
	b.add("%s--data-urlencode grant_type=client_credentials", sep)
	switch {
	case s.basicClient() && fromStdin:
		b.add("%s-H @-", sep)
	case s.basicClient():
		b.add("%s-H ", sep)
		b.quoted("Authorization: Basic "+clientBasicInline(s), true, requests.ShellQuote)
	default:
		for _, f := range s.fields {
			v := s.creds[f.ID]
			b.add("%s--data-urlencode ", sep)
			if fromStdin && f.Secret {
				b.add("%s@-", f.ID)
				continue
			}
			shellWord(b, f.ID+"=", v)
		}
	}
	b.add(" |%ssed -n 's/.*\"access_token\" *: *\"\\([^\"]*\\)\".*/\\1/p'", pipe)
}

// authLine is the Authorization header line, for the env flavour's
// here-document: the shell expands it; the result goes to curl on stdin.
func authLine(s snippetSpec) string {
	cred := envRef(s.keyVar().envVar)
	if s.oauth {
		cred = "$token"
	}
	switch s.mode {
	case requests.AuthBasic:
		return "Authorization: Basic $basic"
	case requests.AuthBearer:
		return "Authorization: Bearer " + cred
	case requests.AuthBare:
		return "Authorization: " + cred
	}
	return ""
}

// shellAuth writes the curl arguments that carry the credential inline.
func shellAuth(b *textBuilder, s snippetSpec) {
	cred := s.keyVar()
	if s.oauth { // the shell variable the exchange set
		switch s.mode {
		case requests.AuthBearer:
			b.add(" \\\n  -H \"Authorization: Bearer $token\"")
		case requests.AuthBare:
			b.add(" \\\n  -H \"Authorization: $token\"")
		}
		return
	}
	switch s.mode {
	case requests.AuthBasic:
		b.add(" \\\n  -u ") // curl builds Basic from user:password; the password is empty
		b.quoted(cred.value+":", cred.secret, requests.ShellQuote)
	case requests.AuthBearer:
		b.add(" \\\n  -H ")
		shellWord(b, "Authorization: Bearer ", cred)
	case requests.AuthBare:
		b.add(" \\\n  -H ")
		shellWord(b, "Authorization: ", cred)
	}
}

func curlSnippet(s snippetSpec) model.Text {
	var b textBuilder
	b.add("%s", s.sandboxNote("#"))
	fromStdin := !s.inline && s.mode != requests.AuthNone
	if fromStdin {
		b.add("# Reads %s from the environment; secrets reach curl on standard input, never on a command line.\n", strings.Join(s.envNames(), ", "))
	}
	if !s.inline && (s.oauth || s.mode != requests.AuthNone) {
		b.add("%s", trimFunc)
	}
	if s.oauth {
		shellToken(&b, s)
	}
	if fromStdin && s.mode == requests.AuthBasic {
		b.add("basic=$(printf '%%s:' \"%s\" | base64 | tr -d '\\n')\n", envRef(s.keyVar().envVar))
	}
	b.add("curl -sS -i")
	if s.method != "GET" {
		b.add(" -X %s", s.method)
	}
	b.add(" ")
	shellURL(&b, s, s.path)
	if fromStdin {
		b.add(" \\\n  -H @-")
	} else if s.oauth || s.inline {
		shellAuth(&b, s)
	}
	for _, h := range s.headers {
		b.add(" \\\n  -H %s", requests.ShellQuote(h.Name+": "+h.Value.Reveal()))
	}
	if s.body != "" {
		b.add(" \\\n  --data-raw %s", requests.ShellQuote(s.body))
	}
	if fromStdin {
		b.add(" <<EOF\n%s\nEOF", authLine(s))
	}
	b.add("\n")
	return b.text
}

// envNames lists the environment variables a snippet reads.
func (s snippetSpec) envNames() []string {
	var names []string
	for _, v := range s.vars() {
		if !v.inline {
			names = append(names, v.envVar)
		}
	}
	return names
}

// envSnippet writes export lines. Read from the environment, a secret is
// asked for with `read -rs` (not echoed, bash and zsh) instead of written.
func envSnippet(s snippetSpec) model.Text {
	var b textBuilder
	b.add("%s", s.sandboxNote("#"))
	if s.provider.EnvURLVar != "" {
		b.add("export %s=%s\n", s.provider.EnvURLVar, requests.ShellQuote(s.base.value))
	}
	for _, f := range s.fields {
		v := s.creds[f.ID]
		if v.secret && !v.inline {
			b.add("printf '%s: ' >&2; read -rs %s; echo >&2; export %s\n", f.Label, f.EnvVar, f.EnvVar)
			continue
		}
		if v.value == "" {
			b.add("printf '%s: ' >&2; read -r %s; export %s\n", f.Label, f.EnvVar, f.EnvVar)
			continue
		}
		b.add("export %s=", f.EnvVar)
		b.quoted(v.value, v.secret, requests.ShellQuote)
		b.add("\n")
	}
	return b.text
}

// headerFromEnv prints the Authorization line, computed from the
// environment with shell builtins (and base64 or curl reading standard
// input): pipe it into `curl -H @- URL`, so the secret is on no command
// line.
func headerFromEnv(s snippetSpec) model.Text {
	var b textBuilder
	cred := envRef(s.keyVar().envVar)
	if s.oauth {
		b.add("%s", s.sandboxNote("#"))
	}
	if s.mode != requests.AuthNone {
		b.add("# Prints the Authorization line from %s; pipe it into curl -H @- URL (nothing secret on a command line).\n", strings.Join(s.envNames(), ", "))
		b.add("%s", trimFunc)
	}
	if s.oauth {
		if s.basicClient() {
			b.add("%s", formEncodeFunc)
		}
		b.add(`printf 'Authorization: Bearer %%s\n' "$(`)
		shellTokenCommand(&b, s, " ")
		b.add(`)"` + "\n")
		return b.text
	}
	switch s.mode {
	case requests.AuthNone:
		return b.text
	case requests.AuthBasic:
		b.add(`printf 'Authorization: Basic %%s\n' "$(printf '%%s:' "%s" | base64 | tr -d '\n')"`+"\n", cred)
	case requests.AuthBearer:
		b.add(`printf 'Authorization: Bearer %%s\n' "%s"`+"\n", cred)
	case requests.AuthBare:
		b.add(`printf 'Authorization: %%s\n' "%s"`+"\n", cred)
	}
	return b.text
}

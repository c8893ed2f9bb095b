package requests

import (
	"strings"

	"github.com/authscope/authscope/model"
)

// shellWord writes prefix+value as one shell word: single-quoted when
// inline, double-quoted around "$VAR" when read from the environment.
func shellWord(b *textBuilder, prefix string, v snippetVar) {
	if !v.inline {
		b.add(`"%s$%s"`, doubleQuoted(prefix), v.envVar)
		return
	}
	if !v.secret {
		b.add("%s", shellQuote(prefix+v.value))
		return
	}
	b.add("%s", shellQuote(prefix)[:len(shellQuote(prefix))-1]) // open quote and prefix
	b.text = append(b.text, model.Segment{Text: strings.ReplaceAll(v.value, "'", `'\''`), Secret: true})
	b.add("'")
}

// shellURL writes the request URL (or the token URL) as one word.
func shellURL(b *textBuilder, s snippetSpec, path string) {
	if s.base.inline {
		b.add("%s", shellQuote(s.base.value+path))
		return
	}
	b.add(`"$%s%s"`, s.base.envVar, doubleQuoted(path))
}

// doubleQuoted escapes what is special inside a double-quoted shell word.
func doubleQuoted(s string) string {
	return strings.NewReplacer(`\`, `\\`, `$`, `\$`, "`", "\\`", `"`, `\"`).Replace(s)
}

// shellToken writes the token exchange as `token=$(curl … | sed …)`:
// client_secret_post, as every Scalekit SDK sends it.
func shellToken(b *textBuilder, s snippetSpec) {
	b.add("# 1. Exchange the client credentials for an access token (client_secret_post).\n")
	b.add("token=$(")
	shellTokenCommand(b, s, " \\\n  ")
	b.add(")\n# 2. Call the API with it.\n")
}

// shellTokenCommand is the curl | sed pipeline that prints the access
// token; sep separates its arguments (a line continuation, or a space).
func shellTokenCommand(b *textBuilder, s snippetSpec, sep string) {
	b.add("curl -sS ")
	shellURL(b, s, s.provider.TokenPath)
	b.add("%s--data-urlencode grant_type=client_credentials", sep)
	for _, f := range s.fields {
		b.add("%s--data-urlencode ", sep)
		shellWord(b, f.ID+"=", s.creds[f.ID])
	}
	b.add(" |%ssed -n 's/.*\"access_token\" *: *\"\\([^\"]*\\)\".*/\\1/p'", strings.Replace(sep, " \\", "", 1))
}

// shellAuth writes the curl arguments that carry the credential.
func shellAuth(b *textBuilder, s snippetSpec) {
	cred := s.keyVar()
	if s.oauth {
		cred = snippetVar{envVar: "token"} // the shell variable the exchange set
	}
	switch s.mode {
	case authBasic:
		b.add(" \\\n  -u ") // curl builds Basic from user:password; the password is empty
		if cred.inline {
			b.quoted(cred.value+":", cred.secret, shellQuote)
		} else {
			b.add(`"$%s:"`, cred.envVar)
		}
	case authBearer:
		b.add(" \\\n  -H ")
		shellWord(b, "Authorization: Bearer ", cred)
	case authBare:
		b.add(" \\\n  -H ")
		shellWord(b, "Authorization: ", cred)
	}
}

func curlSnippet(s snippetSpec) model.Text {
	var b textBuilder
	if s.oauth {
		shellToken(&b, s)
	}
	b.add("curl -sS -i")
	if s.method != "GET" {
		b.add(" -X %s", s.method)
	}
	b.add(" ")
	shellURL(&b, s, s.path)
	shellAuth(&b, s)
	for _, h := range s.headers {
		b.add(" \\\n  -H %s", shellQuote(h.Name+": "+h.Value.Reveal()))
	}
	if s.body != "" {
		b.add(" \\\n  --data-raw %s", shellQuote(s.body))
	}
	b.add("\n")
	return b.text
}

// envSnippet writes export lines. Read from the environment, a secret is
// asked for with `read -rs` (not echoed, bash and zsh) instead of written.
func envSnippet(s snippetSpec) model.Text {
	var b textBuilder
	if s.provider.EnvURLVar != "" {
		b.add("export %s=%s\n", s.provider.EnvURLVar, shellQuote(s.base.value))
	}
	for _, f := range s.fields {
		v := s.creds[f.ID]
		if v.secret && !v.inline {
			b.add("printf '%s: ' >&2; read -rs %s; echo >&2; export %s\n", f.Label, f.EnvVar, f.EnvVar)
			continue
		}
		b.add("export %s=", f.EnvVar)
		b.quoted(v.value, v.secret, shellQuote)
		b.add("\n")
	}
	return b.text
}

// headerFromEnv is the Authorization line as one double-quoted shell word
// that computes the value from the environment: ready for curl -H.
func headerFromEnv(s snippetSpec) model.Text {
	var b textBuilder
	cred := s.keyVar().envVar
	if s.oauth {
		b.add(`"Authorization: Bearer $(`)
		shellTokenCommand(&b, s, " ")
		b.add(`)"` + "\n")
		return b.text
	}
	switch s.mode {
	case authNone:
		return b.text
	case authBasic:
		b.add(`"Authorization: Basic $(printf '%%s:' "$%s" | base64 | tr -d '\n')"`+"\n", cred)
	case authBearer:
		b.add(`"Authorization: Bearer $%s"`+"\n", cred)
	case authBare:
		b.add(`"Authorization: $%s"`+"\n", cred)
	}
	return b.text
}

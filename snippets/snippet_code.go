package snippets

import (
	"strings"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
)

// codeLang is what differs between the Go, Python and Node snippets: how a
// string is quoted, how a variable is named and read from the environment.
type codeLang struct {
	quote  func(string) string
	name   func(string) string // role ("clientSecret") → variable name
	getenv string              // format with the variable name: os.Getenv lookup
	plus   string              // string concatenation, spaced as the language's formatter does
}

var (
	goLang     = codeLang{quote: goQuote, name: func(s string) string { return s }, getenv: `mustEnv(%s)`, plus: "+"}
	pythonLang = codeLang{quote: jsonQuote, name: snakeName, getenv: `os.environ[%s].strip()`, plus: " + "}
	nodeLang   = codeLang{quote: jsonQuote, name: func(s string) string { return strings.ReplaceAll(s, "ID", "Id") }, getenv: `requireEnv(%s)`, plus: " + "}
)

// value writes a variable's value: the quoted literal, or the lookup.
func (l codeLang) value(b *textBuilder, v snippetVar) {
	if v.inline {
		b.quoted(v.value, v.secret, l.quote)
		return
	}
	b.add(l.getenv, l.quote(v.envVar))
}

// vars lists the variables a snippet declares first, in order.
func (s snippetSpec) vars() []snippetVar {
	var out []snippetVar
	if s.oauth {
		out = append(out, s.base)
		for _, f := range s.fields {
			out = append(out, s.creds[f.ID])
		}
		return out
	}
	if s.mode != requests.AuthNone {
		out = append(out, s.keyVar())
	}
	return out
}

// readsEnv reports whether any variable comes from the environment.
func (s snippetSpec) readsEnv() bool {
	for _, v := range s.vars() {
		if !v.inline {
			return true
		}
	}
	return false
}

// urlExpr is the request URL as an expression: a literal, or the base URL
// variable plus the path.
func (s snippetSpec) urlExpr(l codeLang) string {
	if s.oauth {
		return l.name(s.base.name) + l.plus + l.quote(s.path)
	}
	return l.quote(s.base.value + s.path)
}

// credName is the variable holding what goes into the header.
func (s snippetSpec) credName(l codeLang) string {
	if s.oauth {
		return "token"
	}
	return l.name(s.keyVar().name)
}

// headerComment is the first line of every code snippet.
func (s snippetSpec) headerComment(prefix string) string {
	line := s.sandboxNote(prefix) + prefix + " authscope: " + sanitizeComment(s.title+" on "+s.provider.Name+" ("+s.method+" "+s.path+")")
	if s.readsEnv() {
		var names []string
		for _, v := range s.vars() {
			if !v.inline {
				names = append(names, v.envVar)
			}
		}
		line += "\n" + prefix + " Reads " + strings.Join(names, ", ") + " from the environment."
	}
	return line + "\n"
}

// authExpr is the Authorization value for modes written as a header.
func (s snippetSpec) authExpr(l codeLang, basic string) string {
	cred := s.credName(l)
	switch s.mode {
	case requests.AuthBearer:
		return l.quote("Bearer ") + l.plus + cred
	case requests.AuthBare:
		return cred
	case requests.AuthBasic:
		return basic
	}
	return ""
}

func declareVars(b *textBuilder, s snippetSpec, l codeLang, assign, end string) {
	for _, v := range s.vars() {
		b.add(assign, l.name(v.name))
		l.value(b, v)
		b.add("%s\n", end)
	}
}

// sanitizeComment keeps a title on one comment line.
func sanitizeComment(s string) string {
	return strings.NewReplacer("\n", " ", "\r", " ", "*/", "* /").Replace(model.Sanitize(s))
}

package authschemes

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/authscope/authscope/model"
)

// Check finds what is off about credentials before anything is sent: stray
// whitespace, characters no key holds, a pasted scheme, a prefix, length or
// character set that does not fit the provider, a Scale key whose mode does
// not fit the environment. It is cheap enough to run on every keystroke.
// Messages name positions and kinds of characters, never the secret.
func Check(p model.Provider, env model.Environment, creds Credentials) []model.Warning {
	var out []model.Warning
	for _, f := range p.Fields {
		v := creds[f.ID]
		if v == "" {
			continue
		}
		out = append(out, checkField(p, env, f, v)...)
	}
	return out
}

func checkField(p model.Provider, env model.Environment, f model.Field, raw string) []model.Warning {
	var out []model.Warning
	warn := func(sev model.Severity, msg, fix string) {
		out = append(out, model.Warning{Field: f.ID, Severity: sev, Message: msg, Fix: fix})
	}
	name := "The " + f.Label

	v := strings.TrimSpace(raw)
	if v != raw {
		warn(model.SeverityWarn, name+" "+describeSurroundingSpace(raw)+"; authscope trimmed it.",
			"Remove it where the value is stored: `echo` adds a newline, `printf %s` does not.")
	}
	if v == "" {
		return out
	}
	if scheme, ok := PastedScheme(v); ok {
		warn(model.SeverityWarn, fmt.Sprintf("%s starts with %q: paste only the credential, authscope adds the scheme.", name, scheme),
			schemeFix(p, scheme))
		return out // the format checks below would only repeat this
	}
	if pos, r, ok := OddCharacter(v); ok {
		sev := model.SeverityWarn
		if isControl(r) {
			sev = model.SeverityError // cannot go into a header at all
		}
		warn(sev, fmt.Sprintf("%s contains %s at position %d.", name, describeRune(r), pos),
			"Credentials are plain ASCII: copy it again from the provider's dashboard, not from a document or chat.")
	}
	checkFormat(p, f, v, warn)
	if f.Secret {
		out = append(out, checkMode(env, f, v)...)
	}
	return out
}

// checkFormat compares v with the field's documented format and says
// exactly which part is off: prefix, length or characters.
func checkFormat(p model.Provider, f model.Field, v string, warn func(model.Severity, string, string)) {
	format := f.Format
	if len(format.Prefixes) == 0 {
		return
	}
	for _, ok := range format.Exceptions {
		if v == ok {
			return
		}
	}
	name := "The " + f.Label
	prefix, ok := matchPrefix(v, format.Prefixes)
	if !ok {
		if other := OwnerOf(v, p.ID); other != "" {
			warn(model.SeverityWarn, fmt.Sprintf("%s looks like a %s credential, not a %s one.", name, other, p.Name),
				fmt.Sprintf("%s expects %s.", p.Name, f.Hint))
		} else {
			warn(model.SeverityWarn, fmt.Sprintf("%s does not start with %s.", name, strings.Join(format.Prefixes, " or ")),
				fmt.Sprintf("%s expects %s.", p.Name, f.Hint))
		}
		return
	}
	body := v[len(prefix):]
	if n := utf8.RuneCountInString(body); format.BodyLen > 0 && n != format.BodyLen {
		warn(model.SeverityWarn, fmt.Sprintf("%s has %d characters after %s; %s keys have %d.", name, n, prefix, p.Name, format.BodyLen),
			"A character was lost or added when copying: copy the whole key again.")
	}
	if i, r, bad := firstRune(body, func(r rune) bool { return !format.Charset.Allows(r) }); bad && r > ' ' && r < 0x7f {
		warn(model.SeverityWarn, fmt.Sprintf("%s has %s at position %d, where only %s characters belong.", name, describeRune(r), len(prefix)+i+1, format.Charset),
			fmt.Sprintf("%s expects %s.", p.Name, f.Hint))
	}
}

// checkMode warns when a Scale key's mode does not fit the environment:
// Scale picks live or test from the key, not from the URL.
func checkMode(env model.Environment, f model.Field, v string) []model.Warning {
	mode := KeyMode(v)
	if env.KeyMode == "" || mode == "" || mode == env.KeyMode {
		return nil
	}
	w := model.Warning{Field: f.ID, Severity: model.SeverityWarn}
	if mode == "test" {
		w.Message = "A test key against the live environment: test keys see only test data, so live projects answer 404."
		w.Fix = "Use a live_ key, or choose the test environment."
	} else {
		w.Message = "A live key against the test environment: Scale takes the mode from the key, so these requests are live — done by people and charged."
		w.Fix = "Use a test_ key for test work, or choose the live environment."
	}
	return []model.Warning{w}
}

// PastedScheme spots a whole header or scheme pasted where only the
// credential belongs ("Bearer scl_…", "Authorization: Basic …").
func PastedScheme(v string) (string, bool) {
	lower := strings.ToLower(v)
	for _, s := range []string{"authorization:", "bearer ", "basic "} {
		if strings.HasPrefix(lower, s) {
			return strings.TrimSpace(v[:len(s)]), true
		}
	}
	return "", false
}

func schemeFix(p model.Provider, scheme string) string {
	s := strings.ToLower(scheme)
	switch {
	case p.Scheme == model.SchemeBasic && s == "bearer":
		return p.Name + " expects HTTP Basic with the key as the user name, not Bearer: paste the bare key."
	case p.Scheme != model.SchemeBasic && s == "basic":
		return p.Name + " expects a Bearer token, not HTTP Basic: paste the bare key."
	}
	return "Paste the bare value; the header is built for you."
}

func describeSurroundingSpace(raw string) string {
	lead := raw[:len(raw)-len(strings.TrimLeftFunc(raw, unicode.IsSpace))]
	trail := raw[len(strings.TrimRightFunc(raw, unicode.IsSpace)):]
	switch {
	case lead == "" && strings.HasSuffix(trail, "\n"):
		return "ends with a newline"
	case lead == "":
		return "ends with whitespace"
	case trail == "":
		return "starts with whitespace"
	}
	return "has whitespace around it"
}

func matchPrefix(v string, prefixes []string) (string, bool) {
	for _, p := range prefixes {
		if strings.HasPrefix(v, p) {
			return p, true
		}
	}
	return "", false
}

// OwnerOf names another provider whose credential format v fits.
func OwnerOf(v, except string) string {
	for _, p := range model.Providers {
		if p.ID == except {
			continue
		}
		for _, f := range p.Fields {
			if _, ok := matchPrefix(v, f.Format.Prefixes); ok {
				return p.Name
			}
		}
	}
	return ""
}

// firstRune returns the rune index and value of the first rune matching bad.
// OddCharacter finds the first character of a credential that has no
// place in it: a space, a control, an invisible or non-ASCII character.
// pos counts characters from 1, as the warnings say it.
func OddCharacter(v string) (pos int, r rune, ok bool) {
	i, r, ok := firstRune(v, func(r rune) bool { return r <= ' ' || r >= 0x7f })
	return i + 1, r, ok
}

func firstRune(s string, bad func(rune) bool) (int, rune, bool) {
	i := 0
	for _, r := range s {
		if bad(r) {
			return i, r, true
		}
		i++
	}
	return 0, 0, false
}

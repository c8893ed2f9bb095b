package decode

import (
	"strings"

	"github.com/authscope/authscope/model"
)

// challenge is one WWW-Authenticate challenge (RFC 9110 §11.3):
// auth-scheme [ 1*SP ( token68 / #auth-param ) ].
type challenge struct {
	Scheme  string
	Token68 string
	Params  []authParam // names lower-cased; values unquoted
}

type authParam struct{ Name, Value string }

// param returns the value of a named parameter.
func (c challenge) param(name string) (string, bool) {
	for _, p := range c.Params {
		if p.Name == name {
			return p.Value, true
		}
	}
	return "", false
}

// Bounds on one header: nothing a real server sends comes near them.
const (
	maxChallengeHeader = 8 << 10
	maxChallenges      = 16
	maxAuthParams      = 32
)

// parseChallenges reads every challenge in a WWW-Authenticate value. It
// accepts what servers actually send: several challenges in one header,
// quoted strings with escapes, empty list elements, stray white space.
// Anything it cannot read is skipped, never fatal.
func parseChallenges(s string) []challenge {
	if len(s) > maxChallengeHeader {
		s = s[:maxChallengeHeader]
	}
	p := &challengeParser{s: s}
	var out []challenge
	for len(out) < maxChallenges {
		p.skipListSeparators()
		if p.done() {
			break
		}
		scheme := p.token()
		if scheme == "" {
			p.i++ // not a token character: skip it
			continue
		}
		c := challenge{Scheme: scheme}
		p.skipSpace()
		if t := p.token68(); t != "" {
			c.Token68 = t
		} else {
			p.params(&c)
		}
		out = append(out, c)
	}
	return out
}

type challengeParser struct {
	s string
	i int
}

func (p *challengeParser) done() bool { return p.i >= len(p.s) }

func (p *challengeParser) skipSpace() {
	for !p.done() && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

func (p *challengeParser) skipListSeparators() {
	for !p.done() && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == ',') {
		p.i++
	}
}

// isTchar is RFC 9110's token character set.
func isTchar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

func (p *challengeParser) token() string {
	start := p.i
	for !p.done() && isTchar(p.s[p.i]) {
		p.i++
	}
	return p.s[start:p.i]
}

// token68 reads a token68 credential (base64-like, '=' padded) when one
// stands alone before a comma or the end; otherwise it reads nothing.
func (p *challengeParser) token68() string {
	j := p.i
	for j < len(p.s) && (isTchar(p.s[j]) || p.s[j] == '/') && p.s[j] != '=' {
		j++
	}
	if j == p.i {
		return ""
	}
	for j < len(p.s) && p.s[j] == '=' {
		j++
	}
	k := j
	for k < len(p.s) && (p.s[k] == ' ' || p.s[k] == '\t') {
		k++
	}
	if k < len(p.s) && p.s[k] != ',' {
		return "" // name=value: parameters follow
	}
	if k < len(p.s) {
		if strings.IndexByte(p.s[p.i:j], '=') < 0 {
			return "" // a bare word before a comma starts the next challenge
		}
		if p.paramFollows(k) {
			return "" // "error=, realm=…": an empty parameter, then more
		}
	}
	t := p.s[p.i:j]
	p.i = j
	return t
}

// paramFollows reports whether the list element after position i is an
// auth-param (token BWS "=").
func (p *challengeParser) paramFollows(i int) bool {
	q := &challengeParser{s: p.s, i: i}
	q.skipListSeparators()
	if q.token() == "" {
		return false
	}
	q.skipSpace()
	return !q.done() && q.s[q.i] == '='
}

// params reads auth-params until the list runs out or the next element
// is a new challenge (a token not followed by '=').
func (p *challengeParser) params(c *challenge) {
	for len(c.Params) < maxAuthParams {
		p.skipListSeparators()
		start := p.i
		name := p.token()
		if name == "" {
			return
		}
		p.skipSpace()
		if p.done() || p.s[p.i] != '=' {
			p.i = start // the next challenge's scheme
			return
		}
		p.i++
		p.skipSpace()
		var value string
		if !p.done() && p.s[p.i] == '"' {
			value = p.quoted()
		} else {
			value = p.token()
		}
		c.Params = append(c.Params, authParam{Name: strings.ToLower(name), Value: value})
	}
}

// quoted reads a quoted-string, undoing backslash escapes; an unclosed
// quote runs to the end.
func (p *challengeParser) quoted() string {
	p.i++ // opening quote
	var b strings.Builder
	for !p.done() {
		c := p.s[p.i]
		p.i++
		switch {
		case c == '"':
			return b.String()
		case c == '\\' && !p.done():
			b.WriteByte(p.s[p.i])
			p.i++
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// challengeParamMeanings explain the parameters of a challenge.
var challengeParamMeanings = map[string]string{
	"realm":             "the protection space the credentials are for",
	"scope":             "the scope(s) a token needs for this resource",
	"error":             "the RFC 6750 error code",
	"error_description": "human-readable detail about the error",
	"error_uri":         "a page that explains the error",
	"charset":           "the character set the server expects for user-id:password",
	"resource_metadata": "where the protected resource's metadata is published (RFC 9728)",
}

// applyChallenges reads WWW-Authenticate. Its parameters are listed as
// headers; a Bearer challenge becomes the shape when the body said
// nothing more specific.
func (x *decoding) applyChallenges() {
	var all []challenge
	for _, v := range x.header.Values("WWW-Authenticate") {
		all = append(all, parseChallenges(v)...)
	}
	var bearer, basic *challenge
	for i := range all {
		switch c := &all[i]; {
		case strings.EqualFold(c.Scheme, "Bearer") && bearer == nil:
			bearer = c
		case strings.EqualFold(c.Scheme, "Basic") && basic == nil:
			basic = c
		}
	}
	weak := x.d.Shape == model.ShapeEmpty || x.d.Shape == model.ShapeHTML || x.d.Shape == model.ShapeText ||
		x.d.Shape == model.ShapeUnknown || x.d.Shape == model.ShapeGenericJSON
	switch {
	case bearer != nil && weak:
		x.decodeBearerChallenge(bearer)
	case basic != nil && weak && x.d.Meaning == "":
		x.explain(basicChallenge)
	}
	// Parameters not already listed as the shape's fields go with the
	// headers, one line each.
	for i := range all {
		c := &all[i]
		if c == bearer && x.d.Shape == model.ShapeBearerChallenge {
			continue
		}
		for _, p := range c.Params {
			x.d.Headers = append(x.d.Headers, model.FieldMeaning{
				Path: "WWW-Authenticate " + c.Scheme + " " + p.Name, Value: clip(p.Value, maxValueText), Meaning: challengeParamMeanings[p.Name],
			})
		}
	}
}

func (x *decoding) decodeBearerChallenge(c *challenge) {
	d := x.d
	bodyFields := d.Fields
	d.Fields = nil
	d.Meaning, d.Advice = "", ""
	x.setShape(model.ShapeBearerChallenge, true)
	for _, p := range c.Params {
		d.Fields = append(d.Fields, model.FieldMeaning{Path: "Bearer " + p.Name, Value: clip(p.Value, maxValueText), Meaning: challengeParamMeanings[p.Name]})
	}
	d.Fields = append(d.Fields, bodyFields...)
	code, hasError := c.param("error")
	if desc, ok := c.param("error_description"); ok && desc != "" {
		d.Message = desc
	}
	switch e, known := bearerErrors[code]; {
	case !hasError:
		d.Code = ""
		x.explain(noCredentialsChallenge)
	case known:
		d.Code = code
		x.explain(e)
	default:
		d.Code = code
		x.note("error %q is not one of RFC 6750's codes (invalid_request, invalid_token, insufficient_scope)", code)
		d.Meaning = "The server refused the Bearer token with an error code RFC 6750 does not define."
		d.Advice = "Read error_description, if any, and check the token and its scheme."
	}
	if scope, ok := c.param("scope"); ok && code == "insufficient_scope" {
		d.Advice = strings.TrimSpace(d.Advice + " Needed scope: " + scope + ".")
	}
}

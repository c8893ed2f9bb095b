package requests

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/authscope/authscope/authschemes"
	"github.com/authscope/authscope/model"
)

// MaxEditBody bounds a request body authscope sends from the editor or
// from -d: it is held in memory, masked, and kept in the session's
// history, so a 20 MB paste is refused with a message, never sent.
const MaxEditBody = 8 << 20

// Edit is a change to a prepared request, applied just before it is sent
// (after the steps and the token exchange): what the editor and curl's
// flags (-X, -H, -d) do. The zero value changes nothing.
type Edit struct {
	// Request, when set, replaces the prepared request whole (the
	// editor): its Authorization header, if it is still the one the
	// steps built, keeps its secret marking.
	Request *model.HTTPRequest
	Method  string         // -X
	Headers []model.Header // -H: each replaces the prepared header of its name; an empty value removes it
	Body    *string        // -d
}

// IsZero reports an Edit that changes nothing.
func (e Edit) IsZero() bool {
	return e.Request == nil && e.Method == "" && len(e.Headers) == 0 && e.Body == nil
}

// Apply returns the prepared request with the edit made. The header the
// steps built is kept marked as a secret when the edit leaves it as it
// was; an Authorization given here replaces it and is marked secret too.
func (e Edit) Apply(prepared model.HTTPRequest) model.HTTPRequest {
	out := prepared
	if e.Request != nil {
		out = *e.Request
		// A header that carries a secret is one, however it was typed.
		for _, h := range out.Headers {
			if model.IsSecretHeader(h.Name) {
				out = out.WithHeader(h.Name, model.SecretText(h.Value.Reveal()))
			}
		}
		if built, ok := prepared.Header("Authorization"); ok {
			if v, ok := out.Header("Authorization"); ok && v.Reveal() == built.Reveal() {
				out = out.WithHeader("Authorization", built)
			}
		}
	}
	if e.Method != "" {
		out.Method = strings.ToUpper(e.Method)
	}
	for _, h := range e.Headers {
		if h.Value.Reveal() == "" {
			out = out.WithoutHeader(h.Name)
			continue
		}
		v := h.Value
		if model.IsSecretHeader(h.Name) {
			v = model.SecretText(v.Reveal())
		}
		out = out.WithHeader(h.Name, v)
	}
	if e.Body != nil {
		out.Body = model.Plain(*e.Body)
		if *e.Body != "" {
			if _, ok := out.Header("Content-Type"); !ok {
				// curl -d sends a form unless told otherwise.
				out = out.WithHeader("Content-Type", model.Plain("application/x-www-form-urlencoded"))
			}
			if e.Method == "" && (out.Method == "" || out.Method == "GET") && e.Request == nil {
				out.Method = "POST" // curl -d without -X posts
			}
		}
	}
	return out
}

// Check finds what must never be sent in an edited request: a control
// character in a header (CR, LF, NUL would split or end the header
// block), a header name that is not a token, a URL with a user name or
// password in it (the password would land in the history), a body over
// MaxEditBody, a method that is not a word. Each message names the
// field.
func Check(req model.HTTPRequest) error {
	if err := CheckMethod(req.Method); err != nil {
		return err
	}
	if err := CheckURL(req.URL); err != nil {
		return err
	}
	for _, h := range req.Headers {
		if err := CheckHeader(h.Name, h.Value.Reveal()); err != nil {
			return err
		}
	}
	if n := len(req.Body.Reveal()); n > MaxEditBody {
		return fmt.Errorf("the body is %s: over the %s authscope sends (it is held in memory and kept in the session's history)", FormatBytes(int64(n)), FormatBytes(MaxEditBody))
	}
	return nil
}

// CheckMethod refuses a method that is not an HTTP token.
func CheckMethod(m string) error {
	if m == "" {
		return fmt.Errorf("the method is empty: write GET, POST, PUT, PATCH or DELETE")
	}
	for _, r := range m {
		if !isTokenChar(r) {
			return fmt.Errorf("the method %q is not an HTTP method (letters only, e.g. POST)", model.Sanitize(m))
		}
	}
	return nil
}

// CheckURL refuses a URL that cannot be sent, or that carries a user
// name or password.
func CheckURL(raw string) error {
	if i := strings.IndexFunc(raw, func(r rune) bool { return r < 0x20 || r == 0x7f || model.IsInvisible(r) || r == ' ' }); i >= 0 {
		return fmt.Errorf("the URL holds a space, control or invisible character at byte %d: a URL cannot carry it (encode it as %%20…)", i+1)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("the URL does not parse: %v", shortURLError(err))
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("the URL must start with https:// (or http:// on loopback)")
	}
	if u.Host == "" {
		return fmt.Errorf("the URL has no host")
	}
	if u.User != nil {
		return fmt.Errorf("the URL holds a user name or password (user:pass@host): it would be kept in the history and sent in clear; put the credential in a header instead")
	}
	return nil
}

func shortURLError(err error) string {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err.Error()
	}
	return err.Error()
}

// CheckHeader refuses a header that would not go out as written.
func CheckHeader(name, value string) error {
	if name == "" {
		return fmt.Errorf("a header has no name (write Name: value)")
	}
	for i, r := range name {
		if !isTokenChar(r) {
			what := fmt.Sprintf("%q", r)
			if r == ' ' || r == '\t' {
				what = "a space"
			}
			return fmt.Errorf("the header name %q holds %s at position %d: a name is one word of letters, digits and -", model.Sanitize(name), what, i+1)
		}
	}
	for i, r := range value {
		switch {
		case r == '\r' || r == '\n':
			return fmt.Errorf("the %s header holds a line break at position %d: it would start a new header (request splitting)", name, i+1)
		case r == 0:
			return fmt.Errorf("the %s header holds a NUL byte at position %d: servers cut the header there", name, i+1)
		case r < 0x20 && r != '\t', r == 0x7f:
			return fmt.Errorf("the %s header holds the control character U+%04X at position %d", name, r, i+1)
		}
	}
	return nil
}

// isTokenChar is RFC 9110's tchar.
func isTokenChar(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return true
	}
	return strings.ContainsRune("!#$%&'*+-.^_`|~", r)
}

// Warnings are what is odd but sent: a body that is not valid JSON where
// the content type says JSON, an edit that removed the Host header (net/http
// sends the URL's host anyway), an Authorization replaced by hand.
func Warnings(req model.HTTPRequest) []string {
	var out []string
	body := req.Body.Reveal()
	if ct, _ := req.Header("Content-Type"); ct != nil && IsJSONType(ct.Reveal()) && body != "" {
		if err := CheckJSON(body); err != nil {
			out = append(out, "the body is not valid JSON ("+err.Error()+") though Content-Type says JSON: sent as written")
		}
	}
	return out
}

// IsJSONType reports a JSON media type (application/json, …+json).
func IsJSONType(ct string) bool {
	ct = strings.ToLower(strings.TrimSpace(strings.SplitN(ct, ";", 2)[0]))
	return ct == "application/json" || strings.HasSuffix(ct, "+json")
}

// CheckJSON says where a JSON text stops being JSON: "line 2, column 7:
// invalid character '}'".
func CheckJSON(body string) error {
	var v any
	err := json.Unmarshal([]byte(body), &v)
	if err == nil {
		return nil
	}
	off := len(body)
	if se, ok := err.(*json.SyntaxError); ok {
		off = int(se.Offset)
	}
	line := 1 + strings.Count(body[:min(off, len(body))], "\n")
	col := off - strings.LastIndex(body[:min(off, len(body))], "\n") - 1
	msg := err.Error()
	if _, ok := err.(*json.SyntaxError); !ok && strings.Contains(msg, "unexpected end") {
		msg = "it ends too soon"
	}
	return fmt.Errorf("line %d, column %d: %s", line, max(col, 1), strings.TrimPrefix(msg, "json: "))
}

// Changes lists what an edit changed, one line each ("method GET → POST",
// "header X-Debug added", "Authorization removed"), for the answer
// screen: what differs from the original. Secret values are never named.
func Changes(before, after model.HTTPRequest) []string {
	var out []string
	if before.Method != after.Method {
		out = append(out, "method "+before.Method+" → "+after.Method)
	}
	if before.URL != after.URL {
		out = append(out, "URL "+shortPath(before.URL)+" → "+shortPath(after.URL))
	}
	seen := map[string]bool{}
	for _, h := range after.Headers {
		name := strings.ToLower(h.Name)
		if seen[name] || name == "user-agent" || name == "content-length" {
			continue
		}
		seen[name] = true
		old, ok := before.Header(h.Name)
		switch {
		case !ok:
			out = append(out, "header "+h.Name+" added")
		case old.Reveal() != h.Value.Reveal():
			if len(old.Secrets()) > 0 || len(h.Value.Secrets()) > 0 {
				out = append(out, "header "+h.Name+" replaced")
			} else {
				out = append(out, "header "+h.Name+": "+model.Sanitize(old.Reveal())+" → "+model.Sanitize(h.Value.Reveal()))
			}
		}
	}
	for _, h := range before.Headers {
		name := strings.ToLower(h.Name)
		if name == "user-agent" || name == "content-length" {
			continue
		}
		if _, ok := after.Header(h.Name); !ok && !seen[name] {
			seen[name] = true
			out = append(out, "header "+h.Name+" removed")
		}
	}
	if before.Body.Reveal() != after.Body.Reveal() {
		out = append(out, fmt.Sprintf("body changed (%s → %s)", FormatBytes(int64(len(before.Body.Reveal()))), FormatBytes(int64(len(after.Body.Reveal())))))
	}
	return out
}

func shortPath(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		return u.RequestURI()
	}
	return raw
}

// NotSentError is an edited request refused before sending (Check): bad
// input, exit 2 on the command line, nothing on the wire.
type NotSentError struct{ Err error }

func (e *NotSentError) Error() string { return e.Err.Error() + " (not sent)" }
func (e *NotSentError) Unwrap() error { return e.Err }

// CredentialChecks runs the pre-send checks (authschemes.Check: stray
// space, a pasted scheme word, another provider's key, a prefix or
// length that does not fit, a test key on live) on the credential in an
// edited request's Authorization, when it is not the one the steps
// built: a key typed into the editor or given with -H is checked as a
// key typed into the credentials screen is. OAuth2 tokens are not keys:
// nothing is checked for them.
func CredentialChecks(p model.Provider, env model.Environment, built, req model.HTTPRequest) []model.Warning {
	v, ok := req.Header("Authorization")
	if !ok || p.ID == "" || p.Scheme == model.SchemeOAuth2 {
		return nil
	}
	if b, ok := built.Header("Authorization"); ok && b.Reveal() == v.Reveal() {
		return nil
	}
	word, cred, _ := strings.Cut(v.Reveal(), " ")
	switch {
	case p.Scheme == model.SchemeBearer && strings.EqualFold(word, "Bearer"):
	case p.Scheme == model.SchemeBasic && strings.EqualFold(word, "Basic"):
		raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(cred))
		if err != nil {
			return []model.Warning{{Severity: model.SeverityWarn, Message: "The Basic value is not Base64: the server cannot read a user id from it.", Fix: "Write Basic base64(key + \":\")."}}
		}
		cred, _, _ = strings.Cut(string(raw), ":")
	default:
		return []model.Warning{{Severity: model.SeverityWarn, Message: fmt.Sprintf("The Authorization scheme is %q; %s expects %s.", model.Sanitize(word), p.Name, p.Scheme.Label())}}
	}
	return authschemes.Check(p, env, authschemes.Credentials{p.SecretField().ID: cred})
}

package doctor

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"

	"github.com/authscope/authscope/decode"
	"github.com/authscope/authscope/model"
)

// Redacted is what a removed secret (client secret, cookie, password) becomes.
const Redacted = "REDACTED"

// minGlobalSecret: shorter secrets (a cookie "1") are replaced only where
// they stand (the cookie's own value), never throughout the text.
const minGlobalSecret = 8

// keyPattern finds credentials anywhere in a paste, even where no header
// or field names them (a body, a comment, a variable assignment). It is
// tried only where one of keyAnchors starts: a regexp run over a 50 MB
// HAR would cost seconds.
var (
	keyPattern = model.LazyRegexp(`^(?:scl_live_[A-Za-z0-9]{16,64}|(?:live|test)_[0-9a-f]{32}|live_ScaleRocks|eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+)`)
	keyAnchors = [][]byte{[]byte("scl_live_"), []byte("live_"), []byte("test_"), []byte("eyJ")}
)

// findKeys lists the credentials keyPattern finds in raw.
func findKeys(raw []byte) []string {
	var out []string
	for _, anchor := range keyAnchors {
		for i := 0; len(out) < 10000; {
			j := bytes.Index(raw[i:], anchor)
			if j < 0 {
				break
			}
			at := i + j
			i = at + len(anchor)
			if at > 0 && isWordByte(raw[at-1]) && anchor[0] != 's' {
				continue // inside a longer word: scl_live_ is found by its own anchor
			}
			if m := keyPattern().Find(raw[at:min(len(raw), at+64<<10)]); m != nil {
				if end := at + len(m); end == len(raw) || !isWordByte(raw[end]) || m[0] == 'e' || m[0] == 's' {
					out = append(out, string(m))
				}
			}
		}
	}
	return out
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// Redact writes the input back in its own format with every secret
// replaced. It never returns output that still holds a secret it found:
// the result is checked, and refused if one survives.
func Redact(data []byte, opts Options) ([]byte, error) {
	var b bytes.Buffer
	if err := RedactTo(&b, data, opts); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// RedactTo is Redact writing to w, and nothing at all when a check
// fails. A HAR is never copied whole: its redacted form is the input plus
// a list of edits, checked as it streams by, then streamed to w, so the
// memory it needs is the input's size and not twice it.
func RedactTo(w io.Writer, data []byte, opts Options) error {
	kind := opts.Kind
	if _, ok := decode.RecogniseCredential(data); ok && (kind == "" || kind == KindCredential) {
		kind = KindCredential // a pasted credential
	} else if kind == "" {
		kind = Detect(data[:min(len(data), 64<<10)], opts.Name)
	}
	opts.Kind = kind
	rep, err := Examine(bytes.NewReader(data), opts)
	if err != nil {
		return err
	}
	if rep.Input == KindCredential {
		rep.Exchanges = credentialExchanges(data) // a pasted credential
	}
	r := newRedactor(rep.Exchanges, data)
	entries := len(rep.Exchanges)
	rep = nil // only the count is needed from here on
	if kind != KindHAR {
		out := r.backstop([]byte(r.text(string(data))))
		if err := r.check(bytes.NewReader(out)); err != nil {
			return err
		}
		_, err := w.Write(out)
		return err
	}
	edits, err := redactHAR(data, r)
	if err != nil {
		return err
	}
	out := editedText{data, edits}
	if n, err := countHAREntries(out.reader()); err != nil || n != entries {
		return fmt.Errorf("the redacted HAR would not read back with the same %d entries", entries)
	}
	if err := r.check(out.reader()); err != nil {
		return err
	}
	_, err = out.WriteTo(w)
	return err
}

// check refuses output that still holds a secret the parser found (in
// any spelling) or anything the safety net takes for a credential. It
// reads the output once, in windows, so it never needs it whole.
func (r *redactor) check(out io.Reader) error {
	if r.leakIndex == nil {
		r.buildLeakIndex()
	}
	leak, where, err := scanWindows(out, r.leakIn, scanLeftovers, r.leakLongest)
	switch {
	case err != nil:
		return err
	case leak != "":
		return fmt.Errorf("a secret would survive redaction (%s): nothing was written", leak)
	case where != "":
		return fmt.Errorf("something that looks like a credential is still in the redacted copy (%s): nothing was written", where)
	}
	return nil
}

// backstop masks what the structural pass could not see: a secret a
// server echoed escaped (scl\u005flive…), split by an invisible character
// or a line wrap, URL-encoded or in Base64. It is model.Scrub, the one
// masking every other output uses.
func (r *redactor) backstop(out []byte) []byte {
	if scrub := r.scrubber(); scrub != nil {
		return []byte(scrub(string(out)))
	}
	return out
}

// scrubber is the backstop's model.ScrubFunc, or nil when there is no
// secret or too many to look for in every spelling.
func (r *redactor) scrubber() func(string) string {
	if len(r.all) == 0 || len(r.all) > model.MaxScrubSecrets {
		return nil
	}
	return model.ScrubFunc(r.all...)
}

// redactor knows each secret of one input and what it becomes.
type redactor struct {
	pairs map[string]string // secret → replacement
	ids   map[string]bool   // client ids: masked, but no secret (not scrubbed inside JWT claims, not a leak)

	leakIndex   map[uint64][]leakForm // every spelling of every secret, by its first 8 bytes
	leakFirst   [256]bool             // the bytes a spelling starts with
	leakLongest int
	all         []string // every secret, for the leak check
	replace     *replacer
}

func newRedactor(xs []Exchange, raw []byte) *redactor {
	r := &redactor{pairs: map[string]string{}, ids: map[string]bool{}}
	for i := range xs {
		q := &xs[i].Request
		for _, h := range q.Headers {
			if secretHeader(h.Name) {
				r.learnHeader(h.Name, h.Value)
			}
		}
		if q.UserGiven {
			user, pass, _ := strings.Cut(q.User, ":")
			r.add(strings.TrimSpace(user), maskKey(user))
			r.add(pass, Redacted)
		}
		r.learnParams(q.Body)
		formSecrets(q.Form, func(v string) { r.add(v, redactToken(v)) })
		proxySecrets(q, func(v string) { r.add(v, Redacted) })
		if u, err := url.Parse(q.URL); err == nil {
			r.learnParams(u.RawQuery)
			if pw, ok := u.User.Password(); ok {
				r.add(pw, Redacted)
			}
		}
		r.learnClientIDs(q.Body)
		for _, part := range q.Form {
			if name, v, ok := strings.Cut(part, "="); ok && strings.EqualFold(strings.TrimSpace(name), "client_id") {
				r.learnClientIDs("client_id=" + url.QueryEscape(v))
			}
		}
		if resp := xs[i].Response; resp != nil {
			for name, vs := range resp.Header {
				for _, v := range vs {
					if secretHeader(name) {
						r.learnHeader(name, v)
					}
				}
			}
			addFieldSecrets(string(resp.Body), responseSecrets, func(v string) { r.add(v, redactToken(v)) })
		}
	}
	for _, m := range findKeys(raw) {
		r.add(m, redactToken(m))
	}
	var olds []string
	for s := range r.pairs {
		olds = append(olds, s)
	}
	sort.Slice(olds, func(i, j int) bool {
		return len(olds[i]) > len(olds[j]) || len(olds[i]) == len(olds[j]) && olds[i] < olds[j]
	})
	var args []string
	for _, s := range olds {
		if !r.ids[s] {
			r.all = append(r.all, s)
		}
		if looksLikeJWT(s) {
			r.all = append(r.all, s[strings.LastIndexByte(s, '.')+1:]) // the signature must go too
		}
		if len(s) < minGlobalSecret {
			continue
		}
		args = append(args, s, r.pairs[s])
		if e := url.QueryEscape(s); e != s {
			args = append(args, e, url.QueryEscape(r.pairs[s]))
		}
		if e := jsonInner(s); e != s {
			args = append(args, e, jsonInner(r.pairs[s]))
		}
	}
	r.replace = newReplacer(args...)
	return r
}

func (r *redactor) add(secret, replacement string) {
	if secret = strings.TrimSpace(secret); secret != "" && secret != replacement && !shellRefOnly().MatchString(secret) {
		r.pairs[secret] = replacement
	}
}

// learnHeader records a credential header's secrets and their replacements.
func (r *redactor) learnHeader(name, value string) {
	switch strings.ToLower(name) {
	case "cookie":
		for _, part := range strings.Split(value, ";") {
			_, v, _ := strings.Cut(part, "=")
			r.add(v, Redacted)
		}
		return
	case "set-cookie":
		for _, line := range strings.Split(value, "\n") { // HAR joins several Set-Cookie with a newline
			first, _, _ := strings.Cut(line, ";")
			_, v, _ := strings.Cut(first, "=")
			r.add(v, Redacted)
		}
		return
	}
	word, cred, ok := strings.Cut(strings.TrimSpace(value), " ")
	if !ok || !isSchemeWord(word) {
		r.add(value, redactToken(value))
		return
	}
	cred = strings.TrimSpace(cred)
	if w2, c2, ok := strings.Cut(cred, " "); ok && isSchemeWord(w2) {
		cred = strings.TrimSpace(c2) // "Bearer Bearer TOKEN"
	}
	if strings.EqualFold(word, "Basic") {
		if dec, err := base64.StdEncoding.DecodeString(cred); err == nil {
			user, pass, colon := strings.Cut(string(dec), ":")
			masked := maskKey(user)
			if colon {
				masked += ":"
				if pass != "" {
					masked += Redacted
				}
			}
			r.add(cred, base64.StdEncoding.EncodeToString([]byte(masked)))
			r.add(user, maskKey(user))
			r.add(pass, Redacted)
			return
		}
	}
	r.add(cred, redactToken(cred))
}

// learnParams records secret fields of a form, query or JSON body:
// tokens keep what redactToken keeps, client secrets and passwords go.
func (r *redactor) learnParams(body string) {
	addFieldSecrets(body, removedParams, func(v string) { r.add(v, Redacted) })
	addParamSecrets(body, func(v string) {
		if _, known := r.pairs[strings.TrimSpace(v)]; !known {
			r.add(v, redactToken(v))
		}
	})
}

// learnClientIDs masks Scalekit client ids (skc_…) like keys: not a
// secret, but the prefix the safety net refuses in clear, and the last
// four are enough to tell clients apart in a ticket.
func (r *redactor) learnClientIDs(body string) {
	walkFieldSecrets(body, map[string]bool{"client_id": true}, func(v string) {
		if v = strings.TrimSpace(v); strings.HasPrefix(v, "skc_") {
			if _, secret := r.pairs[v]; !secret {
				r.add(v, maskKey(v))
				r.ids[v] = true
			}
		}
	})
}

// removedParams are replaced whole: nothing of them is worth keeping.
var removedParams = map[string]bool{"client_secret": true, "password": true, "passwd": true, "client_assertion": true, "secret": true, "code_verifier": true, "secret_key": true, "private_key": true, "signature": true, "sig": true}

// redactToken is what a token or key becomes: a JWT keeps its header and
// claims and loses its signature; a key keeps prefix and last four; a
// secret without a known shape is removed.
func redactToken(v string) string {
	t := strings.TrimSpace(v)
	if looksLikeJWT(t) {
		return t[:strings.LastIndexByte(t, '.')+1] + Redacted
	}
	if model.HasKeyPrefix(t) {
		return maskKey(t)
	}
	return Redacted
}

// text redacts a text paste: every known secret, then cookie values in
// place (they may be too short to replace everywhere).
func (r *redactor) text(s string) string {
	s = redactUserinfo(r.replace.Replace(s))
	return cookieLine().ReplaceAllStringFunc(s, func(m string) string {
		loc := cookieLine().FindStringSubmatchIndex(m)
		head, pairs := m[:loc[3]], m[loc[4]:loc[5]]
		return head + redactCookiePairs(pairs, strings.Contains(strings.ToLower(head), "set-cookie"))
	})
}

// userinfo is the password of a URL's userinfo (https://user:PW@host),
// wherever a URL stands: the request's, a proxy's (-x), a Location.
var userinfo = model.LazyRegexp(`(?i)\b([a-z][a-z0-9+.-]*://[^/\s:@'"]*:)([^@\s/'"]+)@`)

// redactUserinfo replaces every URL's password, however short.
func redactUserinfo(s string) string {
	if !strings.Contains(s, "://") {
		return s
	}
	return userinfo().ReplaceAllString(s, "${1}"+Redacted+"@")
}

// cookieLine: a Cookie or Set-Cookie header (raw, curl -v, -H) or curl -b.
var cookieLine = model.LazyRegexp(`(?im)((?:\bset-cookie|\bcookie):[ \t]*|(?:^|[ \t])(?:-b|--cookie)[ \t]+['"]?)([^\n'"]*)`)

func redactCookiePairs(pairs string, setCookie bool) string {
	parts := strings.Split(pairs, ";")
	for i, p := range parts {
		if setCookie && i > 0 {
			break // attributes: Path, Expires, HttpOnly…
		}
		if name, v, ok := strings.Cut(p, "="); ok && v != "" && v != Redacted {
			parts[i] = name + "=" + Redacted
		}
	}
	return strings.Join(parts, ";")
}

// leakIn names the first secret still in out, in any form it could take,
// among the secrets starting in out[from:to] (out goes on
// past to, so a secret that starts there is compared whole). One pass,
// whatever the number of secrets: each form is indexed by its first 8
// bytes (every secret checked is at least that long), and only positions
// whose byte starts a form and whose 8 bytes match are compared.
func (r *redactor) leakIn(out []byte, from, to int) string {
	if r.leakIndex == nil {
		r.buildLeakIndex()
	}
	for i := from; i < to && i+8 <= len(out); i++ {
		if !r.leakFirst[out[i]] {
			continue
		}
		for _, f := range r.leakIndex[binary.LittleEndian.Uint64(out[i:])] {
			if bytes.HasPrefix(out[i:], []byte(f.text)) {
				return "a " + maskKey(f.secret) + " " + f.name
			}
		}
	}
	return ""
}

// leakForm is one spelling of a secret the leak check looks for.
type leakForm struct {
	text, name, secret string
}

func (r *redactor) buildLeakIndex() {
	r.leakIndex = map[uint64][]leakForm{}
	for _, s := range r.all {
		if len(s) < minGlobalSecret {
			continue
		}
		for name, f := range map[string]string{
			"as is": s, "URL-encoded": url.QueryEscape(s), "JSON-escaped": jsonInner(s),
			"Base64": base64.StdEncoding.EncodeToString([]byte(s)), "Base64url": base64.RawURLEncoding.EncodeToString([]byte(s)),
		} {
			k := binary.LittleEndian.Uint64([]byte(f[:8]))
			r.leakIndex[k] = append(r.leakIndex[k], leakForm{f, name, s})
			r.leakFirst[f[0]] = true
			r.leakLongest = max(r.leakLongest, len(f))
		}
	}
}

// jsonInner is s as it appears inside a JSON string, quotes dropped.
func jsonInner(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	out := strings.TrimSuffix(b.String(), "\n")
	return out[1 : len(out)-1]
}

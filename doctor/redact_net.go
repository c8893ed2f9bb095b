package doctor

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/authscope/authscope/model"
)

// The safety net: after redacting, the output is scanned for anything
// that still looks like a credential, whatever the parser understood of
// the input: known key prefixes, JWTs with their signature, Basic values
// that decode to user:password, a URL's password, -u/-U user:password,
// and long high-entropy values in fields and headers named like
// credentials. One pass per anchor (bytes.Index) and one over the
// output's ':' and '=' bytes: linear in the output, whatever it holds.

// netFinding is one thing the net caught: what it looks like and where
// (an index into the buffer scanned).
type netFinding struct {
	at   int
	what string
}

// leftover returns where the first credential-looking value remains in
// out, or "" when none does.
func leftover(out []byte) string {
	_, where, _ := scanWindows(bytes.NewReader(out), nil, scanLeftovers, 0)
	return where
}

// scanWindows reads r once, in windows, and runs the leak check and the
// safety net over each: every position is looked at once, with context
// before it (names, for the net) and after it (a whole secret) from the
// neighbouring windows. ahead is the longest match the leak check needs.
func scanWindows(r io.Reader, leak func(buf []byte, from, to int) string, net func(buf []byte, from, to int) (netFinding, bool), ahead int) (leakFound, where string, err error) {
	const window, back = 4 << 20, 1024
	ahead = max(ahead+8, 64<<10)
	buf := make([]byte, 0, back+window+ahead)
	line, offset := 1, int64(0) // at buf[0]
	from, eof := 0, false
	for {
		for !eof && len(buf) < cap(buf) {
			n, err := r.Read(buf[len(buf):cap(buf)])
			buf = buf[:len(buf)+n]
			if err == io.EOF {
				eof = true
			} else if err != nil {
				return "", "", err
			}
		}
		to := len(buf)
		if !eof {
			to = len(buf) - ahead
		}
		if leak != nil {
			if l := leak(buf, from, to); l != "" {
				return l, "", nil
			}
		}
		if f, ok := net(buf, from, to); ok {
			at := line + bytes.Count(buf[:f.at], []byte("\n"))
			return "", fmt.Sprintf("%s at line %d (byte %d)", f.what, at, offset+int64(f.at)+1), nil
		}
		if eof {
			return "", "", nil
		}
		keep := to - back
		line += bytes.Count(buf[:keep], []byte("\n"))
		offset += int64(keep)
		n := copy(buf, buf[keep:])
		buf, from = buf[:n], back
	}
}

// scanLeftovers looks for credentials starting in out[from:to].
func scanLeftovers(out []byte, from, to int) (netFinding, bool) {
	for _, p := range netAnchors {
		for i := from; i < to; {
			j := bytes.Index(out[i:], []byte(p.anchor))
			if j < 0 || i+j >= to {
				break
			}
			at := i + j
			i = at + len(p.anchor)
			if what := p.check(out, at, at+len(p.anchor)); what != "" {
				return netFinding{at, what}, true
			}
		}
	}
	for i := from; i < to; i++ {
		if c := out[i]; c != ':' && c != '=' {
			continue
		}
		if what := namedField(out, i); what != "" {
			return netFinding{i, what}, true
		}
	}
	return netFinding{}, false
}

type netAnchor struct {
	anchor string
	check  func(out []byte, at, after int) string
}

var netAnchors = []netAnchor{
	{"scl_live_", prefixedKey("a Scaling key", 16, false)},
	{"scl_test_", prefixedKey("a Scaling key", 16, false)},
	{"sk_live_", prefixedKey("a secret key", 16, false)},
	{"sk_test_", prefixedKey("a secret key", 16, false)},
	{"live_", scaleKey},
	{"test_", scaleKey},
	{"skc_", prefixedKey("a Scalekit client id or secret", 6, true)},
	{"eyJ", jwtShape},
	{"Basic ", basicValue},
	{"basic ", basicValue},
	{"://", urlPassword},
	{" -u", curlUser},
	{"--user ", curlUser},
	{" -U", curlUser},
	{"--proxy-user ", curlUser},
}

func wordByteAt(out []byte, i int) bool { return i >= 0 && i < len(out) && isWordByte(out[i]) }

// run is the length of the run of bytes from i that ok accepts.
func run(out []byte, i int, ok func(byte) bool) int {
	n := 0
	for i+n < len(out) && ok(out[i+n]) && n < 8192 {
		n++
	}
	return n
}

func alnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func b64url(c byte) bool { return alnum(c) || c == '-' || c == '_' }

func b64std(c byte) bool { return alnum(c) || c == '+' || c == '/' || c == '=' }

// prefixedKey: the prefix, then at least min characters of a key.
func prefixedKey(what string, min int, underscore bool) func([]byte, int, int) string {
	return func(out []byte, at, after int) string {
		if at > 0 && isWordByte(out[at-1]) && out[at-1] != '_' {
			return "" // inside a longer word
		}
		ok := alnum
		if underscore {
			ok = func(c byte) bool { return alnum(c) || c == '_' }
		}
		if run(out, after, ok) >= min {
			return what
		}
		return ""
	}
}

// scaleKey: live_/test_ and a Scale AI key's 32 hex, or the docs' key.
func scaleKey(out []byte, at, after int) string {
	if wordByteAt(out, at-1) {
		return ""
	}
	if bytes.HasPrefix(out[after:], []byte("ScaleRocks")) && !wordByteAt(out, after+len("ScaleRocks")) {
		return "a Scale AI key"
	}
	n := run(out, after, alnum)
	if n < 16 {
		return ""
	}
	if bytes.IndexAny(out[after:after+n], "0123456789") < 0 {
		return "" // test_something_readable, not a key
	}
	return "a Scale AI key"
}

// jwtShape: three base64url segments, the signature not REDACTED.
func jwtShape(out []byte, at, after int) string {
	if wordByteAt(out, at-1) && out[at-1] != '_' && out[at-1] != '-' {
		return ""
	}
	i := at
	for seg := 0; seg < 3; seg++ {
		n := run(out, i, b64url)
		if n < 8 && seg < 2 || seg == 2 && n < 16 {
			return ""
		}
		if seg == 1 && !bytes.HasPrefix(out[i:], []byte("eyJ")) {
			return ""
		}
		if seg == 2 {
			return "a JWT with its signature"
		}
		i += n
		if i >= len(out) || out[i] != '.' {
			return ""
		}
		i++
	}
	return ""
}

// basicValue: "Basic " and Base64 that decodes to user:password, with
// neither masked.
func basicValue(out []byte, at, after int) string {
	n := run(out, after, b64std)
	if n < 8 {
		return ""
	}
	dec, err := base64.StdEncoding.DecodeString(string(out[after : after+n]))
	if err != nil || !bytes.Contains(dec, []byte(":")) || bytes.Contains(dec, []byte(model.MaskRune)) {
		return ""
	}
	return "a Basic credential"
}

// urlPassword: scheme://user:password@ with a password left.
func urlPassword(out []byte, at, after int) string {
	n := run(out, after, func(c byte) bool { return !strings.ContainsRune("/ \t\r\n'\"@?#\\<>", rune(c)) })
	if after+n >= len(out) || out[after+n] != '@' {
		return ""
	}
	_, pw, ok := strings.Cut(string(out[after:after+n]), ":")
	if !ok || pw == "" || pw == Redacted || strings.HasPrefix(pw, "$") || strings.Contains(pw, model.MaskRune) {
		return ""
	}
	return "a password in a URL"
}

// curlUser: -u/-U user:password with the password left.
func curlUser(out []byte, at, after int) string {
	i := after
	if i < len(out) && (out[i] == ' ' || out[i] == '\t') {
		i++
	} else if out[at] == ' ' && i < len(out) && !(alnum(out[i]) || out[i] == '\'' || out[i] == '"') {
		return ""
	}
	if i < len(out) && (out[i] == '\'' || out[i] == '"') {
		i++
	}
	n := run(out, i, func(c byte) bool { return !strings.ContainsRune(" \t\r\n'\"", rune(c)) })
	_, pw, ok := strings.Cut(string(out[i:i+n]), ":")
	if !ok || pw == "" || pw == Redacted || strings.HasPrefix(pw, "$") || strings.Contains(pw, model.MaskRune) {
		return ""
	}
	return "a password given to curl"
}

// namedField looks at the name before a ':' or '=' at i and the value
// after it: a credential-named field holding a long high-entropy value.
func namedField(out []byte, i int) string {
	header := false
	j := i - 1
	for j >= 0 && (out[j] == '"' || out[j] == '\'' || out[j] == '\\') {
		j--
	}
	end := j + 1
	for j >= 0 && end-j <= 64 && (isWordByte(out[j]) || out[j] == '-' || out[j] == '.') {
		j--
	}
	name := string(out[j+1 : end])
	if name == "" {
		return ""
	}
	if out[i] == ':' && (j < 0 || out[j] == '\n' || out[j] == ' ' && j > 0 && (out[j-1] == '>' || out[j-1] == '<')) {
		header = true // a header line (raw HTTP, curl -v's > and <)
	}
	if name == "value" {
		if n := harName(out, i); n != "" {
			name, header = n, true
		}
	}
	if !credentialName(name, header) {
		return ""
	}
	v := fieldValue(out, i+1)
	if low := strings.ToLower(v); (low == "bearer" || low == "basic" || low == "token") && len(out) > i+1 {
		k := i + 1 + bytes.Index(out[i+1:min(len(out), i+64)], []byte(v)) + len(v)
		if k > i+len(v) {
			v = fieldValue(out, k)
		}
	}
	if looksSecret(v) {
		return "a long random value in " + model.Sanitize(name)
	}
	return ""
}

// harName is the "name" of the HAR name/value object whose "value" key
// ends at i.
func harName(out []byte, i int) string {
	from := max(0, i-512)
	k := bytes.LastIndex(out[from:i], []byte(`"name"`))
	if k < 0 {
		return ""
	}
	rest := out[from+k+len(`"name"`) : i]
	q := bytes.IndexByte(rest, '"')
	if q < 0 {
		return ""
	}
	e := bytes.IndexByte(rest[q+1:], '"')
	if e < 0 {
		return ""
	}
	return string(rest[q+1 : q+1+e])
}

// fieldValue is the value after a ':' or '=' at i: spaces and an opening
// quote skipped, up to the first delimiter.
func fieldValue(out []byte, i int) string {
	for i < len(out) && (out[i] == ' ' || out[i] == '\t') {
		i++
	}
	for i < len(out) && (out[i] == '"' || out[i] == '\'' || out[i] == '\\') {
		i++
	}
	n := run(out, i, func(c byte) bool { return !strings.ContainsRune("\"'\\ \t\r\n&,;}])<", rune(c)) })
	return string(out[i : i+n])
}

// credentialName: a field or header whose name says it holds a secret.
func credentialName(name string, header bool) bool {
	n := strings.ToLower(name)
	if secretOrEchoed[n] || strings.Contains(n, "password") || strings.Contains(n, "passwd") || strings.Contains(n, "secret") {
		return true
	}
	if strings.Contains(n, "page") || strings.HasPrefix(n, "next") || strings.HasPrefix(n, "prev") {
		return false // paging cursors
	}
	if strings.HasSuffix(n, "token") || strings.HasSuffix(n, "api_key") || strings.HasSuffix(n, "apikey") {
		return true
	}
	return header && model.IsSecretHeader(name)
}

// looksSecret: 16 or more characters, unmasked, not a shell variable,
// of at least two kinds of character and high entropy (≥ 3 bits each).
func looksSecret(v string) bool {
	if len(v) < 16 || strings.Contains(v, Redacted) || strings.Contains(v, model.MaskRune) || strings.HasPrefix(v, "$") {
		return false
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawURLEncoding} {
		if dec, err := enc.DecodeString(v); err == nil && (bytes.Contains(dec, []byte(model.MaskRune)) || bytes.Contains(dec, []byte(Redacted))) {
			return false // a masked credential, encoded again (Basic)
		}
	}
	var lower, upper, digit bool
	counts := map[rune]int{}
	for _, c := range v {
		counts[c]++
		switch {
		case c >= 'a' && c <= 'z':
			lower = true
		case c >= 'A' && c <= 'Z':
			upper = true
		case c >= '0' && c <= '9':
			digit = true
		}
	}
	kinds := 0
	for _, k := range []bool{lower, upper, digit} {
		if k {
			kinds++
		}
	}
	if kinds < 2 {
		return false
	}
	h := 0.0
	n := float64(len([]rune(v)))
	for _, c := range counts {
		p := float64(c) / n
		h -= p * math.Log2(p)
	}
	return h >= 3.0
}

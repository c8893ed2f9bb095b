package model

import (
	"encoding/base64"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Scrub replaces every form of each secret in s by its mask. It is the
// one masking function every renderer (text, JSON, bundle, explorer) runs
// over text assembled outside Text: a raw response echoing a header, an
// error message from net/http, a JWT claim.
//
// A server (or authscope itself) can give a secret back in many spellings,
// so Scrub looks for each of them, not just the exact string:
//   - raw, and the Base64 of the secret, of "secret:" (HTTP Basic with an
//     empty password) and of the first whole 3-byte groups of the secret
//     (Basic with any password after it), in the standard and URL-safe
//     alphabets, with or without padding;
//   - any character URL-encoded (%2B, %2b, + or %20 for a space, and a
//     '+' a server decoded into a space), JSON-escaped (\u0026, \u002B,
//     \" \\ \/, surrogate pairs) or written as an HTML entity;
//   - split across a line wrap (a newline with its indent, an escaped \n,
//     or the one space a flattened line break leaves) or by invisible
//     characters (raw, escaped, or shown as ⟨U+200B⟩).
//
// Composite secrets such as "client_id:client_secret" are secrets in
// their own right (Target.Secrets lists them), so their Base64 is found
// the same way. Secrets shorter than 4 bytes are skipped: too short to
// find safely; callers mask those by structure (Text).
func Scrub(s string, secrets ...string) string {
	sc := newScrubber(secrets)
	if sc == nil {
		return s
	}
	return sc.scrub(s)
}

// MaxScrubSecrets is how many secrets ScrubFunc looks for in every
// spelling. Past it (a HAR with a cookie per entry) that is too slow, and
// the raw values are replaced in one pass instead.
const MaxScrubSecrets = 64

// ScrubFunc is Scrub with its secrets prepared once, for a renderer that
// scrubs many strings (each string of a JSON document, each line of a
// view) instead of building the same spellings again for every one.
func ScrubFunc(secrets ...string) func(string) string {
	if len(secrets) > MaxScrubSecrets {
		var pairs []string
		for _, s := range secrets {
			if len(s) >= minSecret {
				pairs = append(pairs, s, Mask(s))
			}
		}
		return strings.NewReplacer(pairs...).Replace
	}
	sc := newScrubber(secrets)
	if sc == nil {
		return func(s string) string { return s }
	}
	return sc.scrub
}

// minSecret is the shortest secret Scrub looks for.
const minSecret = 4

// form is one spelling of a secret to look for, and what replaces it.
type form struct {
	runes   []rune
	padding int // '=' that may follow (Base64)
	mask    string
}

type scrubber struct {
	forms []form
	start [256]bool // bytes a form can start with
}

func newScrubber(secrets []string) *scrubber {
	sc := &scrubber{}
	seen := map[string]bool{}
	add := func(text string, padding int, mask string) {
		if len(text) < minSecret || seen[text] {
			return
		}
		seen[text] = true
		f := form{runes: []rune(text), padding: padding, mask: mask}
		sc.forms = append(sc.forms, f)
		for _, b := range firstBytes(f.runes[0]) {
			sc.start[b] = true
		}
	}
	for _, sec := range secrets {
		if len(sec) < minSecret {
			continue
		}
		add(sec, 0, Mask(sec))
		for _, plain := range []string{sec, sec + ":"} {
			for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
				full := enc.EncodeToString([]byte(plain))
				bare := strings.TrimRight(full, "=")
				add(bare, len(full)-len(bare), Mask(base64.StdEncoding.EncodeToString([]byte(plain))))
			}
		}
		for _, core := range base64Cores(sec) {
			add(core, 0, Mask(core))
		}
	}
	if len(sc.forms) == 0 {
		return nil
	}
	return sc
}

// base64Cores are the Base64 characters that spell the secret wherever
// it sits inside a longer encoded value ("id:secret", "user:secret",
// "secret\n"): for each of the three alignments, the characters that
// depend on the secret's bytes alone. A couple of characters at each end
// stay visible, which gives away about a byte.
func base64Cores(sec string) []string {
	var out []string
	for offset := 0; offset < 3; offset++ {
		padded := strings.Repeat("\x00", offset) + sec
		whole := len(padded) / 3 * 4
		skip := []int{0, 2, 3}[offset]
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
			text := enc.EncodeToString([]byte(padded))
			if whole-skip >= 8 {
				out = append(out, text[skip:whole])
			}
		}
	}
	return out
}

// firstBytes are the bytes a spelling of r can start with.
func firstBytes(r rune) []byte {
	buf := make([]byte, 4)
	n := utf8.EncodeRune(buf, r)
	out := []byte{buf[0], '%', '\\', '&'}
	switch r {
	case ' ':
		out = append(out, '+')
	case '+':
		out = append(out, ' ')
	}
	return append(out, buf[:n]...)
}

func (sc *scrubber) scrub(s string) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); {
		if !sc.start[s[i]] {
			i++
			continue
		}
		end, mask := i, ""
		lit, litN, esc, escN := decodeAt(s, i)
		for _, f := range sc.forms {
			if first := f.runes[0]; (litN == 0 || first != lit) && (escN == 0 || first != esc) {
				continue
			}
			if e, ok := f.match(s, i); ok && e > end {
				end, mask = e, f.mask
			}
		}
		if end == i {
			i++
			continue
		}
		if last == 0 {
			b.Grow(len(s))
		}
		b.WriteString(s[last:i])
		b.WriteString(mask)
		i, last = end, end
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// match reports where the form ends if it starts at s[i]. A character
// can match two ways at once (a literal '%' and the start of "%25"), so
// the second way is tried when the first leads nowhere.
func (f form) match(s string, i int) (int, bool) {
	return f.matchFrom(s, i, 0)
}

func (f form) matchFrom(s string, i, k int) (int, bool) {
	for ; k < len(f.runes); k++ {
		if k > 0 {
			i = skipGap(s, i)
			if r := f.runes[k]; r != ' ' && r != '+' && i+1 < len(s) && s[i] == ' ' && s[i+1] != ' ' {
				i++ // one space where a line break was flattened ("…5b\n4a…" in a one-line title)
			}
		}
		if k >= minCut(len(f.runes)) && atCut(s, i) {
			return i, true // text cut short (a table cell, a capped body): the part shown is the secret's
		}
		literal, escaped := matchRune(s, i, f.runes[k])
		switch {
		case literal > 0 && escaped > 0:
			if end, ok := f.matchFrom(s, i+escaped, k+1); ok {
				return end, true
			}
			i += literal
		case literal > 0:
			i += literal
		case escaped > 0:
			i += escaped
		default:
			return 0, false
		}
	}
	for p := 0; p < f.padding; p++ {
		literal, escaped := matchRune(s, i, '=')
		if literal+escaped == 0 {
			break
		}
		i += max(literal, escaped)
	}
	return i, true
}

// minCut is how much of a secret must show before a cut for it to count
// as the secret: half of it, and at least 12 characters.
func minCut(n int) int { return max(12, (n+1)/2) }

// atCut reports the end of the text or an ellipsis: where a renderer cut
// a long value.
func atCut(s string, i int) bool {
	return i >= len(s) || strings.HasPrefix(s[i:], "…") || strings.HasPrefix(s[i:], "...")
}

// matchRune is the length of r at s[i] written as itself, and the length
// of r written in an escaped spelling; 0 for none.
func matchRune(s string, i int, r rune) (literal, escaped int) {
	lit, litN, esc, escN := decodeAt(s, i)
	if litN > 0 && lit == r {
		literal = litN
	}
	if escN > 0 && esc == r {
		escaped = escN
	}
	return literal, escaped
}

// decodeAt reads the character at s[i] twice: as itself, and as the
// character an escape starting there stands for (%XX bytes of UTF-8, a
// JSON escape, an HTML entity, '+' for a space and a space for a '+').
func decodeAt(s string, i int) (lit rune, litN int, esc rune, escN int) {
	if i >= len(s) {
		return 0, 0, 0, 0
	}
	rest := s[i:]
	lit, litN = utf8.DecodeRuneInString(rest)
	switch rest[0] {
	case '+':
		esc, escN = ' ', 1
	case ' ':
		esc, escN = '+', 1
	case '%':
		esc, escN = decodePercent(rest)
	case '\\':
		esc, escN = decodeJSONEscape(rest)
	case '&':
		esc, escN = decodeEntity(rest)
	}
	return lit, litN, esc, escN
}

// decodePercent decodes one character written as %XX bytes of UTF-8.
func decodePercent(s string) (rune, int) {
	var buf [4]byte
	n := 0
	for n < 4 && len(s) >= 3*(n+1) && s[3*n] == '%' {
		hi, lo := unhex(s[3*n+1]), unhex(s[3*n+2])
		if hi < 0 || lo < 0 {
			break
		}
		buf[n] = byte(hi<<4 | lo)
		n++
		if utf8.FullRune(buf[:n]) {
			r, size := utf8.DecodeRune(buf[:n])
			if r == utf8.RuneError && size <= 1 {
				return 0, 0
			}
			return r, 3 * n
		}
	}
	return 0, 0
}

func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// decodeJSONEscape decodes \uXXXX (a surrogate pair above U+FFFF) and
// the short escapes.
func decodeJSONEscape(s string) (rune, int) {
	if len(s) < 2 {
		return 0, 0
	}
	if v, ok := jsonShortEscapes[s[1]]; ok {
		return v, 2
	}
	u1, ok := hex4(s)
	if !ok {
		return 0, 0
	}
	if u1 >= 0xd800 && u1 < 0xdc00 && len(s) >= 12 {
		if u2, ok := hex4(s[6:]); ok && u2 >= 0xdc00 && u2 < 0xe000 {
			return 0x10000 + (rune(u1)-0xd800)<<10 + (rune(u2) - 0xdc00), 12
		}
	}
	return rune(u1), 6
}

var jsonShortEscapes = map[byte]rune{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

var htmlEntities = map[string]rune{"amp": '&', "lt": '<', "gt": '>', "quot": '"', "apos": '\'', "plus": '+', "sol": '/', "equals": '=', "percnt": '%', "bsol": '\\'}

func hex4(s string) (uint64, bool) {
	if len(s) < 6 || s[0] != '\\' || (s[1] != 'u' && s[1] != 'U') {
		return 0, false
	}
	var v uint64
	for _, c := range []byte(s[2:6]) {
		d := unhex(c)
		if d < 0 {
			return 0, false
		}
		v = v<<4 | uint64(d)
	}
	return v, true
}

// decodeEntity decodes the HTML entities an error page could use.
func decodeEntity(s string) (rune, int) {
	end := strings.IndexByte(s[:min(len(s), 12)], ';')
	if end < 2 {
		return 0, 0
	}
	name := s[1:end]
	if v, ok := htmlEntities[name]; ok {
		return v, end + 1
	}
	if name[0] != '#' || len(name) < 2 {
		return 0, 0
	}
	base, digits := 10, name[1:]
	if digits[0] == 'x' || digits[0] == 'X' {
		base, digits = 16, digits[1:]
	}
	if v, err := strconv.ParseUint(digits, base, 21); err == nil {
		return rune(v), end + 1
	}
	return 0, 0
}

// skipGap skips what a renderer or a server may put inside a secret
// without changing it: a line wrap (a newline with the spaces around it,
// or an escaped \n) and invisible characters, raw or shown as ⟨U+XXXX⟩.
func skipGap(s string, i int) int {
	for i < len(s) {
		j := i
		for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
			j++
		}
		switch {
		case j < len(s) && s[j] == '\n':
			j++
		case j+1 < len(s) && s[j] == '\r' && s[j+1] == '\n':
			j += 2
		case strings.HasPrefix(s[j:], `\r\n`):
			j += 4
		case strings.HasPrefix(s[j:], `\n`):
			j += 2
		default:
			if n := invisibleAt(s, i); n > 0 {
				i += n
				continue
			}
			return i
		}
		for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
			j++
		}
		i = j
	}
	return i
}

// invisibleAt is the length of an invisible rune at s[i], written as
// itself, escaped (\u200b in JSON, %E2%80%8B in a URL, &#8203; in HTML) or
// as its visible marker (Sanitize's ⟨U+XXXX⟩); 0 when there is none.
func invisibleAt(s string, i int) int {
	r, n := utf8.DecodeRuneInString(s[i:])
	if IsInvisible(r) {
		return n
	}
	var esc rune
	var escN int
	switch s[i] {
	case '\\':
		esc, escN = decodeJSONEscape(s[i:])
	case '%':
		esc, escN = decodePercent(s[i:])
	case '&':
		esc, escN = decodeEntity(s[i:])
	}
	if escN > 0 && IsInvisible(esc) {
		return escN
	}
	if strings.HasPrefix(s[i:], markOpen+"U+") {
		if end := strings.Index(s[i:], markClose); end > 0 && end <= len(markOpen)+2+6 {
			return end + len(markClose)
		}
	}
	return 0
}

package model

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sanitize makes untrusted bytes (bodies, headers, JWT claims, pasted
// input) safe to write to a terminal. It removes every escape sequence a
// server could use to move the cursor, retitle the window, write the
// clipboard (OSC 52) or hide text: CSI, OSC, DCS/SOS/PM/APC strings, bare
// ESC, C1 controls and other C0 controls. Newlines and tabs stay; carriage
// returns are dropped so a body cannot overwrite the line it is on; invalid
// UTF-8 becomes U+FFFD. Invisible characters (bidi controls, zero-width
// characters, the BOM: see IsInvisible) are shown as ⟨U+202E⟩, so a
// reversed id or a claim with a hidden character cannot pass for another.
func Sanitize(s string) string {
	if isClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			b.WriteRune(utf8.RuneError)
			i++
		case r == 0x1b: // ESC: skip the whole sequence it starts
			i = skipEscape(s, i+1)
		case r == 0x9b: // C1 CSI
			i = skipCSI(s, i+size)
		case r == 0x9d || r == 0x90 || r == 0x98 || r == 0x9e || r == 0x9f: // C1 OSC, DCS, SOS, PM, APC
			i = skipString(s, i+size)
		case r == '\n' || r == '\t':
			b.WriteRune(r)
			i += size
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			i += size // other C0 and C1 controls, CR and DEL included
		case IsInvisible(r):
			b.WriteString(Visible(r))
			i += size
		default:
			b.WriteString(s[i : i+size])
			i += size
		}
	}
	return b.String()
}

// isClean is the fast path: most bodies hold no control bytes at all.
func isClean(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f || c >= 0x80 {
			if c >= 0x80 {
				return isCleanUTF8(s[i:])
			}
			return false
		}
	}
	return true
}

func isCleanUTF8(s string) bool {
	for _, r := range s {
		if r == utf8.RuneError || (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r < 0xa0) || IsInvisible(r) {
			return false
		}
	}
	return utf8.ValidString(s)
}

// skipEscape returns the index after the escape sequence whose ESC was
// just before i.
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch s[i] {
	case '[':
		return skipCSI(s, i+1)
	case ']', 'P', 'X', '^', '_':
		return skipString(s, i+1)
	}
	// Two-character (or nF intermediate) sequence: intermediates 0x20–0x2f
	// then one final byte.
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
		i++
	}
	if i < len(s) {
		i++
	}
	return i
}

// skipCSI skips parameter and intermediate bytes and the final byte.
func skipCSI(s string, i int) int {
	for i < len(s) {
		c := s[i]
		i++
		if c >= 0x40 || c < 0x20 { // final byte, or a malformed sequence ends here
			return i
		}
	}
	return i
}

// skipString skips an OSC/DCS/SOS/PM/APC payload up to BEL, ST (ESC \) or
// C1 ST; an unterminated string runs to the end and is dropped whole.
func skipString(s string, i int) int {
	for i < len(s) {
		switch {
		case s[i] == 0x07:
			return i + 1
		case s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\':
			return i + 2
		case s[i] == 0xc2 && i+1 < len(s) && s[i+1] == 0x9c:
			return i + 2
		}
		i++
	}
	return i
}

// The brackets around a shown invisible character.
const (
	markOpen  = "⟨"
	markClose = "⟩"
)

// IsInvisible reports characters that change how text reads without
// being seen: format characters (bidi embeddings, overrides and isolates
// U+202A–U+202E and U+2066–U+2069, the marks U+200E/U+200F/U+061C,
// zero-width space, joiners, word joiner, the BOM U+FEFF, soft hyphen,
// tag characters), the line and paragraph separators, and the variation
// selectors that can smuggle data after a visible character.
func IsInvisible(r rune) bool {
	switch {
	case r < 0xad:
		return false
	case r == 0x2028 || r == 0x2029, r == 0x115f || r == 0x1160 || r == 0x3164 || r == 0xffa0:
		return true
	case r >= 0xfe00 && r <= 0xfe0f, r >= 0xe0100 && r <= 0xe01ef:
		return true
	}
	return unicode.Is(unicode.Cf, r)
}

// Visible is how an invisible character is shown: ⟨U+202E⟩.
func Visible(r rune) string { return fmt.Sprintf("%sU+%04X%s", markOpen, r, markClose) }

// CleanID is a request id fit to highlight and copy: no invisible
// characters (a U+202E could make a copied id read as another), no
// controls or escapes, no surrounding space.
func CleanID(id string) string {
	id = Sanitize(id)
	for strings.Contains(id, markOpen+"U+") {
		start := strings.Index(id, markOpen+"U+")
		end := strings.Index(id[start:], markClose)
		if end < 0 {
			break
		}
		id = id[:start] + id[start+end+len(markClose):]
	}
	return strings.TrimSpace(id)
}

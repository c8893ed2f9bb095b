package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/authscope/authscope/model"
)

// writeJSON prints v as indented JSON with the given secrets masked.
//
// Masking runs on each string's value, before it is encoded: once encoded,
// a secret holding & < > reads \u0026 \u003c \u003e and an exact-match
// scrub would miss it. Server text can also hold C1 controls
// (U+0080–U+009F), which some terminals obey as 8-bit CSI/OSC, and
// invisible characters (bidi overrides, zero-width, BOM) that make text
// read as something else; encoding/json writes both raw, so they are
// written as \u escapes here: still valid JSON that decodes to the same
// string, and visible on a terminal.
func writeJSON(w io.Writer, v any, secrets ...string) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	if len(secrets) == 0 {
		// Nothing to mask: escaping the raw characters in place is enough
		// (outside strings JSON holds none of them).
		var out bytes.Buffer
		writeEscaped(&out, buf.Bytes())
		_, err := w.Write(out.Bytes())
		return err
	}
	out, err := rewriteJSONStrings(buf.Bytes(), model.ScrubFunc(secrets...))
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}

// rewriteJSONStrings passes every string literal of encoded JSON (keys
// and values) through fix and writes it back, escaping C1 controls and
// invisible characters; everything between strings is kept as it was.
func rewriteJSONStrings(in []byte, fix func(string) string) ([]byte, error) {
	var out bytes.Buffer
	out.Grow(len(in))
	for len(in) > 0 {
		start := bytes.IndexByte(in, '"')
		if start < 0 {
			out.Write(in)
			break
		}
		out.Write(in[:start])
		end := start + 1
		for end < len(in) && in[end] != '"' {
			if in[end] == '\\' {
				end++
			}
			end++
		}
		if end >= len(in) {
			return nil, fmt.Errorf("internal error: unterminated JSON string")
		}
		literal := in[start : end+1]
		if bytes.IndexByte(literal, '\\') < 0 {
			// Most strings hold no escape: the literal is the string
			// itself, and when fix leaves it alone it goes out as it came
			// (encoding/json would write it back byte for byte).
			if s := string(literal[1 : len(literal)-1]); fix(s) == s {
				writeEscaped(&out, literal)
				in = in[end+1:]
				continue
			}
		}
		var s string
		if err := json.Unmarshal(literal, &s); err != nil {
			return nil, err
		}
		writeJSONString(&out, fix(s))
		in = in[end+1:]
	}
	return out.Bytes(), nil
}

// writeJSONString encodes s as encoding/json does (HTML-safe escapes
// included), then escapes what it leaves raw and a terminal must not get.
func writeJSONString(out *bytes.Buffer, s string) {
	b, _ := json.Marshal(s)
	writeEscaped(out, b)
}

// writeEscaped copies encoded JSON, writing C1 controls and invisible
// characters as \u escapes.
func writeEscaped(out *bytes.Buffer, b []byte) {
	if !bytes.ContainsFunc(b, needsEscape) {
		out.Write(b)
		return
	}
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		switch {
		case needsEscape(r) && r > 0xffff:
			r -= 0x10000
			fmt.Fprintf(out, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
		case needsEscape(r):
			fmt.Fprintf(out, `\u%04x`, r)
		default:
			out.Write(b[:n])
		}
		b = b[n:]
	}
}

func needsEscape(r rune) bool { return (r >= 0x80 && r <= 0x9f) || model.IsInvisible(r) }

package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/authscope/authscope/model"
)

// writeJSON prints v as indented JSON with the given secrets masked.
// encoding/json escapes C0 controls but not C1 (U+0080–U+009F), which some
// terminals obey as 8-bit CSI/OSC; server text can hold them, so they are
// escaped here and the output stays valid JSON.
func writeJSON(w io.Writer, v any, secrets ...string) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	out := model.Scrub(buf.String(), secrets...)
	_, err := io.WriteString(w, escapeC1(out))
	return err
}

func escapeC1(s string) string {
	if !strings.ContainsFunc(s, isC1) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isC1(r) {
			fmt.Fprintf(&b, `\u%04x`, r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isC1(r rune) bool { return r >= 0x80 && r <= 0x9f }

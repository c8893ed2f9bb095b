package doctor

import (
	"strings"

	"github.com/authscope/authscope/model"
)

// trailingCaretSpace: spaces after a continuation caret, which cmd ignores.
var trailingCaretSpace = model.LazyRegexp(`\^[ \t]+\n`)

// normaliseLines turns CRLF and lone CR line ends into LF: a paste from
// Windows or an old Mac must parse like any other.
func normaliseLines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}

// isCmdStyle reports whether a curl command line was written for Windows
// cmd.exe (Chrome's "Copy as cURL (cmd)"): lines continued with a
// trailing ^, or arguments quoted as ^"…^".
func isCmdStyle(s string) bool {
	if strings.Contains(s, `^"`) {
		return true
	}
	for _, line := range strings.Split(s, "\n") {
		if strings.HasSuffix(strings.TrimRight(line, " \t"), "^") {
			return true
		}
	}
	return false
}

// cmdToPOSIX rewrites cmd.exe quoting into the POSIX quoting the shell
// parser reads: ^ escapes the next character and ^ before a line end
// continues the line; $ and ` mean nothing to cmd, so they are escaped for
// the POSIX parser. cmd's own rules are this small; the word splitting and
// quote handling stay with the real parser.
func cmdToPOSIX(s string) string {
	s = trailingCaretSpace().ReplaceAllString(s, "^\n")
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '^' && i+1 < len(s) && s[i+1] == '\n':
			i++ // a continuation: drop the caret and the line end
		case c == '^' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
		case c == '$' || c == '`':
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

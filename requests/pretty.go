package requests

import (
	"bytes"
	"encoding/json"
)

// Pretty-printing is bounded because indentation amplifies: JSON nested
// 9,000 deep is 18 KB on the wire and about 80 MB indented. Past these
// limits a body is shown as it came.
const (
	maxPrettyDepth  = 128
	prettySlack     = 1 << 20 // bytes of indentation allowed beyond the growth factor
	maxPrettyGrowth = 4       // indented size at most this many times the body
)

// PrettyJSON indents a JSON object or array for display. It reports false,
// returning the body unchanged, for anything else, and for JSON too deep
// or too large once indented.
func PrettyJSON(body []byte) (string, bool) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || (trimmed[0] != '{' && trimmed[0] != '[') {
		return string(body), false
	}
	size, depth := indentedSize(trimmed)
	if depth > maxPrettyDepth || size > maxPrettyGrowth*len(trimmed)+prettySlack {
		return string(body), false
	}
	var out bytes.Buffer
	out.Grow(size)
	if err := json.Indent(&out, trimmed, "", "  "); err != nil {
		return string(body), false
	}
	return out.String(), true
}

// indentedSize estimates, from above, what json.Indent with a two-space
// indent would write, and the deepest nesting, in one pass over the bytes.
func indentedSize(b []byte) (size, maxDepth int) {
	depth, inString, escaped := 0, false, false
	for _, c := range b {
		size++
		if inString {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '{', '[':
			depth++
			maxDepth = max(maxDepth, depth)
			size += 1 + 2*depth
		case '}', ']':
			depth = max(depth-1, 0)
			size += 1 + 2*depth
		case ',':
			size += 1 + 2*depth
		case ':':
			size++
		}
	}
	return size, maxDepth
}

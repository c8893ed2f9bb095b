package decode

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Bounds that keep a hostile or huge body cheap: the tree stops growing
// after maxJSONNodes values or maxJSONDepth levels (the rest is skimmed,
// not stored), and at most maxListedFields fields are listed.
const (
	maxJSONNodes    = 5000
	maxJSONDepth    = 24
	maxListedFields = 120
	maxValueText    = 1024 // characters of one field's value kept for display
)

type jsonKind uint8

const (
	jsonNull jsonKind = iota
	jsonBool
	jsonNumber
	jsonString
	jsonObject
	jsonArray
	jsonSkipped // past the node budget or depth: only its size is known
)

// jsonNode is a parsed JSON value that keeps object members in the order
// the server sent them (a map would lose it, and field order is part of
// what a person reads).
type jsonNode struct {
	kind jsonKind
	text string      // scalars: the string, the number literal, true/false/null
	keys []string    // object member names, parallel to vals
	vals []*jsonNode // object members or array items
	size int64       // bytes the value took in the input (skipped values)
}

// get returns the first member with exactly this name.
func (n *jsonNode) get(key string) *jsonNode {
	if n == nil || n.kind != jsonObject {
		return nil
	}
	for i, k := range n.keys {
		if k == key {
			return n.vals[i]
		}
	}
	return nil
}

// getFold returns the first member whose folded name matches.
func (n *jsonNode) getFold(key string) *jsonNode {
	if n == nil || n.kind != jsonObject {
		return nil
	}
	want := normKey(key)
	for i, k := range n.keys {
		if normKey(k) == want {
			return n.vals[i]
		}
	}
	return nil
}

// str returns the member as a string when it is one.
func (n *jsonNode) str(key string) (string, bool) {
	v := n.get(key)
	if v == nil || v.kind != jsonString {
		return "", false
	}
	return v.text, true
}

// integer returns the member as an integer when it is a whole number.
func (n *jsonNode) integer(key string) (int, bool) {
	v := n.get(key)
	if v == nil || v.kind != jsonNumber {
		return 0, false
	}
	i, err := strconv.Atoi(v.text)
	return i, err == nil
}

// has reports whether the member exists.
func (n *jsonNode) has(key string) bool { return n.get(key) != nil }

// scalar returns the node as text when it is a string or a number.
func (n *jsonNode) scalar() (string, bool) {
	if n == nil || (n.kind != jsonString && n.kind != jsonNumber) {
		return "", false
	}
	return n.text, true
}

// at follows a display path (a.b, a[0].b), folding member names.
func (n *jsonNode) at(path string) *jsonNode {
	for _, seg := range strings.Split(path, ".") {
		name, idx := seg, -1
		if i := strings.IndexByte(seg, '['); i >= 0 && strings.HasSuffix(seg, "]") {
			name = seg[:i]
			if v, err := strconv.Atoi(seg[i+1 : len(seg)-1]); err == nil {
				idx = v
			}
		}
		if name != "" {
			n = n.getFold(name)
		}
		if idx >= 0 {
			if n == nil || n.kind != jsonArray || idx >= len(n.vals) {
				return nil
			}
			n = n.vals[idx]
		}
		if n == nil {
			return nil
		}
	}
	return n
}

var errTrailingData = errors.New("data after the JSON value")

// parseJSON reads one JSON value into an ordered tree, bounded in nodes
// and depth. trailing reports bytes after the value (the value is still
// returned).
func parseJSON(b []byte) (root *jsonNode, trailing bool, err error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	p := &jsonParser{dec: dec, budget: maxJSONNodes}
	root, err = p.value(0)
	if err != nil {
		return nil, false, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return root, true, nil
	}
	return root, false, nil
}

type jsonParser struct {
	dec    *json.Decoder
	budget int
}

func (p *jsonParser) value(depth int) (*jsonNode, error) {
	if p.budget <= 0 || depth > maxJSONDepth {
		return p.skip()
	}
	p.budget--
	tok, err := p.dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			return p.object(depth)
		case '[':
			return p.array(depth)
		}
		return nil, fmt.Errorf("unexpected %q", t)
	case string:
		return &jsonNode{kind: jsonString, text: t}, nil
	case json.Number:
		return &jsonNode{kind: jsonNumber, text: t.String()}, nil
	case bool:
		return &jsonNode{kind: jsonBool, text: strconv.FormatBool(t)}, nil
	case nil:
		return &jsonNode{kind: jsonNull, text: "null"}, nil
	}
	return nil, fmt.Errorf("unexpected token %v", tok)
}

func (p *jsonParser) object(depth int) (*jsonNode, error) {
	n := &jsonNode{kind: jsonObject}
	for p.dec.More() {
		tok, err := p.dec.Token()
		if err != nil {
			return nil, err
		}
		key, ok := tok.(string)
		if !ok {
			return nil, fmt.Errorf("object key is %v", tok)
		}
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		n.keys = append(n.keys, key)
		n.vals = append(n.vals, v)
	}
	_, err := p.dec.Token() // '}'
	return n, err
}

func (p *jsonParser) array(depth int) (*jsonNode, error) {
	n := &jsonNode{kind: jsonArray}
	for p.dec.More() {
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		n.vals = append(n.vals, v)
	}
	_, err := p.dec.Token() // ']'
	return n, err
}

// skip reads a value without building it: json's own scanner walks it in
// one pass, with no allocation per token.
func (p *jsonParser) skip() (*jsonNode, error) {
	var raw json.RawMessage
	if err := p.dec.Decode(&raw); err != nil {
		return nil, err
	}
	return &jsonNode{kind: jsonSkipped, size: int64(len(raw)), text: skippedKind(raw)}, nil
}

func skippedKind(raw []byte) string {
	if len(raw) == 0 {
		return "value"
	}
	switch raw[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	}
	return "value"
}

// flatField is one leaf of the tree with its display path.
type flatField struct {
	Path  string
	Value string
}

// flatten lists the leaves in order (empty objects and arrays are leaves
// too), stopping after limit; more reports whether any were left out.
func flatten(n *jsonNode, limit int) (out []flatField, more bool) {
	var walk func(path string, n *jsonNode)
	walk = func(path string, n *jsonNode) {
		if len(out) >= limit {
			more = true
			return
		}
		switch n.kind {
		case jsonObject:
			if len(n.keys) == 0 {
				out = append(out, flatField{path, "{}"})
			}
			for i, k := range n.keys {
				walk(joinPath(path, k), n.vals[i])
			}
		case jsonArray:
			if len(n.vals) == 0 {
				out = append(out, flatField{path, "[]"})
			}
			for i, v := range n.vals {
				walk(path+"["+strconv.Itoa(i)+"]", v)
			}
		case jsonSkipped:
			more = true
			out = append(out, flatField{path, fmt.Sprintf("(%s of %s, not listed)", n.text, sizeText(n.size))})
		default:
			out = append(out, flatField{path, clip(n.text, maxValueText)})
		}
	}
	walk("", n)
	return out, more
}

func joinPath(parent, key string) string {
	if parent == "" {
		return key
	}
	return parent + "." + key
}

// clip shortens s to at most n bytes on a rune boundary, saying how much
// was left out.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && cut < len(s) && s[cut]&0xc0 == 0x80 {
		cut--
	}
	return s[:cut] + fmt.Sprintf("… (%s more)", sizeText(int64(len(s)-cut)))
}

package doctor

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/url"
	"sort"
	"strings"
)

// A HAR is redacted in place: the JSON is walked token by token and only
// the string values that hold secrets are rewritten, so everything else
// (order, whitespace, fields authscope does not know) stays byte for byte.

type harFrame struct {
	object    bool
	key       string // the current member's key (objects)
	expectKey bool
	arrayKey  string      // for arrays: the key they hang under (headers, cookies…)
	name      string      // for name/value objects: the "name" seen so far
	pending   []valueSpan // "value" strings waiting for their "name"
}

type valueSpan struct {
	start, end int
	value      string
}

type edit struct {
	start, end int
	text       []byte
}

// redactHAR returns the edits that redact a HAR, in order: the string
// values to rewrite, each as its new JSON string. Every value also goes
// through the backstop (model.Scrub), value by value.
func redactHAR(data []byte, r *redactor) ([]edit, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	var stack []*harFrame
	var edits []edit
	scrub := r.scrubber()
	replace := func(span valueSpan, v string) {
		if scrub != nil {
			v = scrub(v)
		}
		if v == span.value {
			return
		}
		edits = append(edits, edit{span.start, span.end, jsonString(v)})
	}
	for {
		before := dec.InputOffset()
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, harError(dec, err)
		}
		after := int(dec.InputOffset())
		var top *harFrame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				f := &harFrame{object: t == '{', expectKey: true}
				if top != nil {
					f.arrayKey = top.key
					if !top.object {
						f.arrayKey = top.arrayKey
					}
				}
				stack = append(stack, f)
			default:
				stack = stack[:len(stack)-1]
				if top.object {
					for _, p := range top.pending {
						replace(p, r.namedValue(top.arrayKey, top.name, p.value))
					}
				}
				valueDone(stack)
			}
			continue
		case string:
			if top != nil && top.object && top.expectKey {
				top.key, top.expectKey = t, false
				continue
			}
			start := int(before) + bytes.IndexByte(data[before:after], '"')
			span := valueSpan{start, after, t}
			switch {
			case top != nil && top.object && isNameValueList(top.arrayKey) && top.key == "name":
				top.name = t
			case top != nil && top.object && isNameValueList(top.arrayKey) && top.key == "value":
				top.pending = append(top.pending, span)
			case top != nil && top.object && top.key == "url":
				replace(span, r.url(t))
			case top != nil && top.object && top.key == "text":
				replace(span, r.body(t))
			default:
				replace(span, r.replace.Replace(t))
			}
		}
		valueDone(stack)
	}
	sort.Slice(edits, func(i, j int) bool { return edits[i].start < edits[j].start })
	return edits, nil
}

// editedText is a text with edits applied, never held whole: it is read
// or written segment by segment.
type editedText struct {
	data  []byte
	edits []edit // in order, not overlapping
}

func (e editedText) reader() io.Reader {
	var rs []io.Reader
	last := 0
	for _, ed := range e.edits {
		rs = append(rs, bytes.NewReader(e.data[last:ed.start]), bytes.NewReader(ed.text))
		last = ed.end
	}
	return io.MultiReader(append(rs, bytes.NewReader(e.data[last:]))...)
}

// WriteTo writes the edited text to w.
func (e editedText) WriteTo(w io.Writer) (int64, error) {
	bw := bufio.NewWriterSize(w, 256<<10)
	n, err := io.Copy(bw, e.reader())
	if err != nil {
		return n, err
	}
	return n, bw.Flush()
}

// valueDone: the innermost object now expects its next key.
func valueDone(stack []*harFrame) {
	if len(stack) > 0 && stack[len(stack)-1].object {
		stack[len(stack)-1].expectKey = true
	}
}

func isNameValueList(k string) bool {
	switch k {
	case "headers", "cookies", "queryString", "params":
		return true
	}
	return false
}

// namedValue redacts one name/value pair of a HAR list by its name.
func (r *redactor) namedValue(list, name, v string) string {
	switch list {
	case "cookies":
		if v == "" {
			return v
		}
		return Redacted
	case "headers":
		if secretHeader(name) {
			switch strings.ToLower(name) {
			case "cookie":
				return redactCookiePairs(v, false)
			case "set-cookie":
				lines := strings.Split(v, "\n") // several Set-Cookie joined by a newline
				for i, l := range lines {
					lines[i] = redactCookiePairs(l, true)
				}
				return strings.Join(lines, "\n")
			}
		}
	case "queryString", "params":
		if removedParams[strings.ToLower(name)] && v != "" {
			return Redacted
		}
		if secretParams[strings.ToLower(name)] && v != "" {
			if p, ok := r.pairs[strings.TrimSpace(v)]; ok {
				return p
			}
			return redactToken(v)
		}
	}
	return r.replace.Replace(v)
}

// url redacts secret query parameters, then any known secret.
func (r *redactor) url(v string) string {
	v = redactUserinfo(v)
	u, err := url.Parse(v)
	if err != nil || u.RawQuery == "" {
		return r.replace.Replace(v)
	}
	q := u.Query()
	changed := false
	for k, vs := range q {
		if secretParams[strings.ToLower(k)] {
			for i := range vs {
				vs[i], changed = redactToken(vs[i]), true
			}
		}
	}
	if changed {
		u.RawQuery = q.Encode()
		v = u.String()
	}
	return r.replace.Replace(v)
}

// body redacts every known secret, then the secret fields of a form or
// JSON body at any depth and whatever its size: a request body over the
// size the checks read, or a response that nests or echoes a secret, was
// never seen by the parser.
func (r *redactor) body(v string) string {
	out := r.replace.Replace(v)
	var local []string
	walkFieldSecrets(v, secretOrEchoed, func(s string) {
		if s = strings.TrimSpace(s); s != "" && s != Redacted && !shellRefOnly().MatchString(s) {
			local = append(local, s)
		}
	})
	walkFieldSecrets(v, map[string]bool{"client_id": true}, func(s string) {
		if s = strings.TrimSpace(s); strings.HasPrefix(s, "skc_") {
			local = append(local, s)
		}
	})
	sort.Slice(local, func(i, j int) bool { return len(local[i]) > len(local[j]) })
	for _, s := range local {
		repl := redactToken(s)
		if p, ok := r.pairs[s]; ok {
			repl = p
		} else if strings.HasPrefix(s, "skc_") {
			repl = maskKey(s)
		}
		out = replaceWhole(out, s, repl)
		if e := jsonInner(s); e != s {
			out = replaceWhole(out, e, jsonInner(repl))
		}
		if e := url.QueryEscape(s); e != s {
			out = replaceWhole(out, e, url.QueryEscape(repl))
		}
	}
	return redactUserinfo(out)
}

// replaceWhole replaces old where it stands as a whole value (not inside
// a longer word), so a short secret does not eat other text.
func replaceWhole(s, old, repl string) string {
	if old == "" || !strings.Contains(s, old) {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, old)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		end := i + len(old)
		whole := (i == 0 || !isWordByte(s[i-1])) && (end == len(s) || !isWordByte(s[end]))
		b.WriteString(s[:i])
		if whole {
			b.WriteString(repl)
		} else {
			b.WriteString(old)
		}
		s = s[end:]
	}
}

// secretOrEchoed: the fields of a request body and of a response that
// hold secrets.
var secretOrEchoed = func() map[string]bool {
	m := map[string]bool{}
	for k := range secretParams {
		m[k] = true
	}
	for k := range responseSecrets {
		m[k] = true
	}
	delete(m, "code") // an error code in a response
	return m
}()

func jsonString(s string) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

package decode

import (
	"bytes"
	"html"
	"mime"
	"strconv"
	"strings"

	"github.com/authscope/authscope/model"
)

// How much of a non-JSON body is looked at: enough for any title or first
// line, little enough that a 20 MB page costs nothing.
const (
	sniffLen       = 8 << 10
	htmlScanLen    = 256 << 10
	maxTextMessage = 500
)

func (x *decoding) decodeEmpty() {
	x.setShape(model.ShapeEmpty, true)
	if x.d.Status != 0 {
		x.note("the response has no body: the status line and headers carry everything there is")
	} else {
		x.note("there is no body to decode")
	}
}

// looksHTML trusts a text/html Content-Type, or the markup itself.
func looksHTML(b []byte, h map[string][]string) bool {
	if ct := first(h["Content-Type"]); ct != "" {
		if mt, _, _ := mime.ParseMediaType(ct); mt == "text/html" || mt == "application/xhtml+xml" {
			return true
		}
	}
	head := bytes.ToLower(b[:min(len(b), 512)])
	for _, tag := range []string{"<!doctype html", "<html", "<head", "<body", "<title", "<?xml"} {
		if bytes.HasPrefix(head, []byte(tag)) {
			return tag != "<?xml" || bytes.Contains(head, []byte("<html"))
		}
	}
	return false
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

func (x *decoding) decodeHTML() {
	x.setShape(model.ShapeHTML, true)
	title := htmlElementText(x.body, "title")
	if title == "" {
		title = htmlElementText(x.body, "h1")
	}
	x.d.Message = title
	if x.d.Status == 0 && len(title) >= 3 {
		// Server error pages put the status in the title: "401 Authorization Required".
		if n, err := strconv.Atoi(title[:3]); err == nil && (len(title) == 3 || title[3] == ' ') {
			x.bodyStatus(n, "<title>")
		}
	}
	if e, ok := statusExplanation(x.provider(), x.d.Status); ok {
		x.d.Meaning = "An HTML page answered, not the API's JSON error. " + e.Meaning
		x.d.Advice = e.Advice
	} else {
		x.d.Meaning = "An HTML page answered, not the API's JSON error."
	}
	x.d.Advice = strings.TrimSpace(x.d.Advice + " Check the base URL is the API itself, not a website, a login page or a proxy in front of it.")
	if title != "" {
		x.d.Fields = append(x.d.Fields, model.FieldMeaning{Path: "<title>", Value: title, Meaning: "the page's title"})
	}
	x.d.Fields = append(x.d.Fields, model.FieldMeaning{Path: "(page)", Value: sizeText(int64(len(x.body))) + " of HTML", Meaning: "an HTML document"})
}

// htmlElementText returns the text of the first <tag>…</tag>, entities
// decoded and white space collapsed, looking only at the start of the page.
func htmlElementText(b []byte, tag string) string {
	lower := bytes.ToLower(b[:min(len(b), htmlScanLen)])
	start := bytes.Index(lower, []byte("<"+tag))
	if start < 0 {
		return ""
	}
	gt := bytes.IndexByte(lower[start:], '>')
	if gt < 0 {
		return ""
	}
	open := start + gt + 1
	end := bytes.Index(lower[open:], []byte("</"+tag))
	if end < 0 {
		return ""
	}
	inner := string(b[open : open+end])
	inner = stripTags(inner)
	return clip(strings.Join(strings.Fields(html.UnescapeString(inner)), " "), 300)
}

// stripTags drops markup inside an element (an <h1> with a <span>).
func stripTags(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '<':
			depth++
		case r == '>' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// looksBinary: a NUL byte, or more than one control byte in ten, in the
// first few KiB.
func looksBinary(b []byte) bool {
	head := b[:min(len(b), sniffLen)]
	controls := 0
	for _, c := range head {
		switch {
		case c == 0:
			return true
		case c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f', c == 0x7f:
			controls++
		}
	}
	return controls*10 > len(head)
}

func (x *decoding) decodeText() {
	x.setShape(model.ShapeText, true)
	firstLine := x.body[:min(len(x.body), sniffLen)]
	if i := bytes.IndexByte(firstLine, '\n'); i >= 0 {
		firstLine = firstLine[:i]
	}
	x.d.Message = clip(strings.TrimSpace(string(firstLine)), maxTextMessage)
	x.d.Fields = append(x.d.Fields, model.FieldMeaning{
		Path: "(text)", Value: clip(string(x.body), maxValueText), Meaning: "a plain-text body: no structure to decode",
	})
}

func (x *decoding) decodeUnknown() {
	x.setShape(model.ShapeUnknown, false)
	x.note("the body looks like binary data (%s), not an error message", sizeText(int64(len(x.body))))
	x.d.Fields = append(x.d.Fields, model.FieldMeaning{
		Path: "(bytes)", Value: clip(string(x.body[:min(len(x.body), 64)]), 64), Meaning: "the first bytes, as text",
	})
}

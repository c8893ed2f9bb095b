package doctor

import (
	"errors"
	"fmt"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"

	"github.com/authscope/authscope/decode"
	"github.com/authscope/authscope/model"
)

// requestLine matches "GET /path HTTP/1.1" (origin or absolute form).
var requestLine = model.LazyRegexp(`^([A-Z]{3,10}) (\S+) (HTTP/[0-9.]+)$`)

// statusLineStart finds where a response begins inside a paste.
var statusLineStart = model.LazyRegexp(`(?m)^HTTP/[0-9.]+ [0-9]{3}`)

// maxHeaderLines bounds how many header lines one request may have.
const maxHeaderLines = 500

// parseRawRequest reads a raw HTTP request, optionally followed by its
// raw response (what a proxy or `nc` shows).
func parseRawRequest(text string) (Exchange, []string, error) {
	text = strings.TrimLeft(normaliseLines(text), "\n \t")
	first, rest, _ := strings.Cut(text, "\n")
	m := requestLine().FindStringSubmatch(strings.TrimSpace(first))
	if m == nil {
		return Exchange{}, nil, errors.New("not a raw HTTP request: the first line is not METHOD TARGET HTTP/x")
	}
	req := Request{Method: m[1]}
	headers, body := splitHeaders(rest)
	req.Headers = headers
	var resp *Response
	var notes []string
	if loc := statusLineStart().FindStringIndex(body); loc != nil {
		respText := body[loc[0]:]
		body = strings.TrimRight(body[:loc[0]], "\n")
		if raw, ok := decode.ParseRawResponse([]byte(respText)); ok {
			resp = &Response{Status: raw.Status, Reason: raw.Reason, Header: raw.Header, Body: raw.Body}
			notes = append(notes, raw.Notes...)
		}
	}
	req.Body = body
	host, _ := req.Get("Host")
	target := m[2]
	switch {
	case strings.Contains(target, "://"):
		req.URL = target
	case host != "":
		scheme := "https"
		if h, _, _ := strings.Cut(host, ":"); isLoopbackHost(h) {
			scheme = "http"
		}
		req.URL = scheme + "://" + host + target
		notes = append(notes, fmt.Sprintf("the scheme is not in a raw request; assumed %s://", scheme))
	default:
		return Exchange{}, notes, errors.New("the raw request has no Host header and no absolute URL: cannot tell where it went")
	}
	if _, err := url.Parse(req.URL); err != nil {
		return Exchange{}, notes, errors.New("the request target is not a URL")
	}
	return Exchange{Request: req, Response: resp}, notes, nil
}

// splitHeaders reads "Name: value" lines up to a blank line.
func splitHeaders(text string) ([]Header, string) {
	var out []Header
	for n := 0; text != ""; n++ {
		line, rest, _ := strings.Cut(text, "\n")
		if strings.TrimSpace(line) == "" || n >= maxHeaderLines {
			return out, rest
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok || strings.ContainsAny(name, " \t") {
			return out, text // the body started without a blank line
		}
		out = append(out, Header{Name: name, Value: strings.TrimLeft(value, " \t")})
		text = rest
	}
	return out, ""
}

func headerMap(hs []Header) http.Header {
	h := http.Header{}
	for _, x := range hs {
		h.Add(textproto.CanonicalMIMEHeaderKey(x.Name), x.Value)
	}
	return h
}

func isLoopbackHost(h string) bool {
	h = strings.Trim(h, "[]")
	return h == "localhost" || strings.HasPrefix(h, "127.") || h == "::1"
}

package model

import (
	"net/url"
	"strings"
)

// Header is one request header whose value may carry a secret.
type Header struct {
	Name  string
	Value Text
}

// HTTPRequest is a request as data: what authscope will send, shown the
// same way in steps, snippets, the sender and the support bundle.
type HTTPRequest struct {
	Method  string
	URL     string
	Headers []Header
	Body    Text
}

// Header returns the first header with the given name (case-insensitive).
func (r HTTPRequest) Header(name string) (Text, bool) {
	for _, h := range r.Headers {
		if strings.EqualFold(h.Name, name) {
			return h.Value, true
		}
	}
	return nil, false
}

// WithHeader returns a copy with the header set (replacing any of the same
// name), leaving the receiver untouched.
func (r HTTPRequest) WithHeader(name string, value Text) HTTPRequest {
	out := r.WithoutHeader(name)
	out.Headers = append(out.Headers, Header{Name: name, Value: value})
	return out
}

// WithoutHeader returns a copy without any header of that name.
func (r HTTPRequest) WithoutHeader(name string) HTTPRequest {
	out := r
	out.Headers = nil
	for _, h := range r.Headers {
		if !strings.EqualFold(h.Name, name) {
			out.Headers = append(out.Headers, h)
		}
	}
	return out
}

// Secrets lists every secret the request carries.
func (r HTTPRequest) Secrets() []string {
	out := r.Body.Secrets()
	for _, h := range r.Headers {
		out = append(out, h.Value.Secrets()...)
	}
	return out
}

// Raw renders the request as it goes on the wire (HTTP/1.1 form, CRLF
// line ends), secrets still marked.
func (r HTTPRequest) Raw() Text {
	target, host := r.URL, ""
	if u, err := url.Parse(r.URL); err == nil {
		target = u.RequestURI()
		host = u.Host
	}
	out := Plain(r.Method + " " + target + " HTTP/1.1\r\nHost: " + host + "\r\n")
	for _, h := range r.Headers {
		out = Concat(out, Plain(h.Name+": "), h.Value, Plain("\r\n"))
	}
	out = Concat(out, Plain("\r\n"), r.Body)
	return out
}

package decode

import (
	"strings"
	"testing"
)

func TestParseRawResponse(t *testing.T) {
	cases := []struct {
		name   string
		input  string
		proto  string
		status int
		reason string
		header map[string]string // canonical name → first value
		body   string
		note   string // substring of a note, when the framing was odd
	}{
		{name: "CRLF", input: "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nX-Request-Id: abc\r\n\r\n{\"a\":1}",
			proto: "HTTP/1.1", status: 401, reason: "Unauthorized", header: map[string]string{"Content-Type": "application/json", "X-Request-Id": "abc"}, body: `{"a":1}`},
		{name: "LF", input: "HTTP/1.1 404 Not Found\nContent-Type: text/plain\n\nnope\n",
			proto: "HTTP/1.1", status: 404, reason: "Not Found", header: map[string]string{"Content-Type": "text/plain"}, body: "nope\n"},
		{name: "HTTP/2 without reason, lower-case names", input: "HTTP/2 401\r\nwww-authenticate: Bearer\r\nx-request-id: r2\r\n\r\n",
			proto: "HTTP/2", status: 401, header: map[string]string{"Www-Authenticate": "Bearer", "X-Request-Id": "r2"}},
		{name: "leading blank lines and BOM", input: "\xef\xbb\xbf\n\n  HTTP/1.0 500 Internal Server Error\n\nboom",
			proto: "HTTP/1.0", status: 500, reason: "Internal Server Error", body: "boom"},
		{name: "folded header", input: "HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer realm=\"x\",\n  error=\"invalid_token\"\n\n",
			proto: "HTTP/1.1", status: 401, reason: "Unauthorized", header: map[string]string{"Www-Authenticate": `Bearer realm="x", error="invalid_token"`}},
		{name: "no blank line before the body", input: "HTTP/1.1 401 Unauthorized\nContent-Type: application/json\n{\"error\":\"invalid_client\"}",
			proto: "HTTP/1.1", status: 401, reason: "Unauthorized", header: map[string]string{"Content-Type": "application/json"},
			body: `{"error":"invalid_client"}`, note: "no blank line"},
		{name: "headers only, no body", input: "HTTP/1.1 204 No Content\r\nX-Request-Id: r3",
			proto: "HTTP/1.1", status: 204, reason: "No Content", header: map[string]string{"X-Request-Id": "r3"}},
		{name: "chunked framing left in", input: "HTTP/1.1 401 Unauthorized\r\nTransfer-Encoding: chunked\r\n\r\n7\r\n{\"a\":1}\r\n3;ext=1\r\n   \r\n0\r\n\r\n",
			proto: "HTTP/1.1", status: 401, reason: "Unauthorized", body: `{"a":1}   `, note: "chunked"},
		{name: "chunked cut short", input: "HTTP/1.1 401 Unauthorized\nTransfer-Encoding: chunked\n\nA\nhello",
			proto: "HTTP/1.1", status: 401, reason: "Unauthorized", body: "hello", note: "chunked"},
		{name: "says chunked, is not", input: "HTTP/1.1 401 Unauthorized\nTransfer-Encoding: chunked\n\n{\"a\":1}",
			proto: "HTTP/1.1", status: 401, reason: "Unauthorized", body: `{"a":1}`, note: "not chunk-framed"},
		{name: "short body", input: "HTTP/1.1 401 Unauthorized\nContent-Length: 100\n\n{\"a\":",
			proto: "HTTP/1.1", status: 401, reason: "Unauthorized", body: `{"a":`, note: "cut short"},
		{name: "100 Continue first", input: "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 401 Unauthorized\r\nX-Request-Id: last\r\n\r\n{}",
			proto: "HTTP/1.1", status: 401, reason: "Unauthorized", header: map[string]string{"X-Request-Id": "last"}, body: "{}", note: "interim"},
		{name: "redirect followed by curl -L", input: "HTTP/1.1 301 Moved Permanently\nLocation: /v1/x\n\nHTTP/2 401\nx-request-id: after\n\n{}",
			proto: "HTTP/2", status: 401, header: map[string]string{"X-Request-Id": "after"}, body: "{}", note: "redirect"},
		{name: "HTTP/2 pseudo header ignored", input: "HTTP/2 401\n:status: 401\nx: y\n\n",
			proto: "HTTP/2", status: 401, header: map[string]string{"X": "y"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, ok := ParseRawResponse([]byte(c.input))
			if !ok {
				t.Fatal("not read as a raw response")
			}
			if r.Proto != c.proto || r.Status != c.status || r.Reason != c.reason {
				t.Errorf("status line = %q %d %q, want %q %d %q", r.Proto, r.Status, r.Reason, c.proto, c.status, c.reason)
			}
			for name, want := range c.header {
				if got := r.Header.Get(name); got != want {
					t.Errorf("header %s = %q, want %q", name, got, want)
				}
			}
			if string(r.Body) != c.body {
				t.Errorf("body = %q, want %q", r.Body, c.body)
			}
			if c.note != "" && !strings.Contains(strings.Join(r.Notes, "|"), c.note) {
				t.Errorf("notes %q lack %q", r.Notes, c.note)
			}
		})
	}
}

func TestParseRawResponseRefusesBodies(t *testing.T) {
	for _, input := range []string{
		`{"statusCode":401}`, "", "HTTP", "HTTP/1.1", "HTTP/1.1 4011 Bad", "HTTP/1.1 abc Bad", "HTTP/1.1 099 Low",
		"Unauthorized", "<html>HTTP/1.1 401</html>", "GET / HTTP/1.1\r\nHost: x\r\n\r\n",
	} {
		if r, ok := ParseRawResponse([]byte(input)); ok {
			t.Errorf("%q read as a response: %+v", input, r)
		}
	}
}

// A header copied alone from a browser's network tab decodes as that
// header.
func TestDecodeBytesHeaderOnly(t *testing.T) {
	d := Bytes([]byte(`WWW-Authenticate: Bearer error="insufficient_scope", scope="organizations:read"`), "")
	if d.Shape != "bearer-challenge" || d.Code != "insufficient_scope" || !strings.Contains(d.Advice, "organizations:read") {
		t.Fatalf("%+v", d)
	}
}

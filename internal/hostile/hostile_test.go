package hostile

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// get sends GET /MODE/v1/x on a raw connection and reads the status line
// and headers.
func get(t *testing.T, srv *Server, mode Mode) (net.Conn, *http.Response) {
	t.Helper()
	c, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	_ = c.SetDeadline(time.Now().Add(30 * time.Second)) // a bound against a hang, not a timing
	if _, err := io.WriteString(c, "GET /"+string(mode)+"/v1/x HTTP/1.1\r\nHost: h\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("%s: %v", mode, err)
	}
	return c, resp
}

// Every mode sends what its name promises.
func TestModesMisbehaveAsAdvertised(t *testing.T) {
	srv, err := StartAll()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()

	_, resp := get(t, srv, GiantBody)
	if resp.StatusCode != 200 || resp.ContentLength != GiantSize {
		t.Errorf("giant: %d, Content-Length %d", resp.StatusCode, resp.ContentLength)
	}
	if n, err := io.CopyN(io.Discard, resp.Body, 1<<20); n != 1<<20 || err != nil {
		t.Errorf("giant: read %d bytes: %v", n, err)
	}

	_, resp = get(t, srv, EndlessBody)
	if resp.StatusCode != 200 || len(resp.TransferEncoding) == 0 || resp.TransferEncoding[0] != "chunked" {
		t.Errorf("endless: %d %v", resp.StatusCode, resp.TransferEncoding)
	}
	if n, err := io.CopyN(io.Discard, resp.Body, 64<<10); n != 64<<10 || err != nil {
		t.Errorf("endless: read %d bytes: %v", n, err)
	}

	for _, c := range []struct {
		mode  Mode
		check func(body []byte) bool
	}{
		{SlowHeaders, func(b []byte) bool { return json.Valid(b) && strings.Contains(string(b), RequestID) }},
		{InvalidUTF8, func(b []byte) bool {
			var v map[string]any
			return !utf8.Valid(b) && json.Unmarshal(b, &v) == nil && strings.Contains(v["message"].(string), "\x1b]52;c;")
		}},
		{RawEscapes, func(b []byte) bool { return strings.Contains(string(b), Escapes) && !utf8.Valid(b) }},
		{DeepJSON, func(b []byte) bool { return len(b) == 6*Depth+1 && strings.HasPrefix(string(b), `{"a":{"a":`) }},
		{BigError, func(b []byte) bool {
			var v map[string]any
			return json.Unmarshal(b, &v) == nil && len(b) > BigSize && len(b) < 10<<20 && strings.Count(string(b), `\u001b]52`) > 100
		}},
	} {
		_, resp := get(t, srv, c.mode)
		body, err := io.ReadAll(resp.Body)
		if resp.StatusCode != 401 || err != nil || resp.Header.Get("X-Request-Id") != RequestID || !c.check(body) {
			t.Errorf("%s: %d, %d bytes, %v: not the body promised", c.mode, resp.StatusCode, len(body), err)
		}
	}

	if _, resp := get(t, srv, "no-such-mode"); resp.StatusCode != 404 {
		t.Errorf("unknown mode: %d", resp.StatusCode)
	}
}

// Close ends every connection, even one whose client stopped reading a
// 1 GiB body and one that was never answered, and Silent never wrote.
func TestCloseEndsEveryConnection(t *testing.T) {
	srv, err := StartAll()
	if err != nil {
		t.Fatal(err)
	}
	get(t, srv, GiantBody) // read the headers, then stop reading
	silent, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	_ = silent.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := io.WriteString(silent, "GET /silent/ HTTP/1.1\r\nHost: h\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); srv.Open() < 2; {
		if time.Now().After(deadline) {
			t.Fatalf("%d connections open, want 2", srv.Open())
		}
		time.Sleep(5 * time.Millisecond)
	}

	closed := make(chan struct{})
	go func() { srv.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(20 * time.Second): // a bound against a hang, not a timing
		t.Fatal("Close did not return")
	}
	if n, err := silent.Read(make([]byte, 1)); n != 0 || err == nil {
		t.Errorf("silent: read %d bytes (%v), want none and the connection closed", n, err)
	}
	if srv.Open() != 0 {
		t.Errorf("%d connections left open", srv.Open())
	}
	srv.Close() // twice is harmless
}

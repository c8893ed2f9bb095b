package decode

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
)

// RawResponse is an HTTP response read back from its text form (what
// curl -si prints, or what someone pasted).
type RawResponse struct {
	Proto  string // "HTTP/1.1", "HTTP/2"
	Status int
	Reason string // the reason phrase as sent; may be empty
	Header http.Header
	Body   []byte
	Notes  []string // what was odd about the framing, and what was done about it
}

// Bounds on what a pasted response may make the parser do.
const (
	maxRawHeaders   = 500
	maxRawResponses = 10 // 100 Continue, proxy CONNECT, redirects followed by curl -L
)

// ParseRawResponse reads a raw HTTP response: a status line such as
// "HTTP/1.1 401 Unauthorized" or "HTTP/2 401", header lines, a blank line
// and the body, with CRLF, LF or CR-only line ends (a terminal turns
// newlines into CR on paste; tmux's paste-buffer does). It is forgiving, because the
// input is pasted: a missing reason phrase, folded headers, a missing
// blank line, chunked framing left in place and a short body are all
// read as far as they go. When curl printed several responses (an
// interim 100 Continue, a proxy's "Connection established", redirects)
// the last one is returned. ok is false when the input does not start
// with a status line.
func ParseRawResponse(b []byte) (*RawResponse, bool) {
	b, lineEnds := NormalizeLineEnds(b)
	b = bytes.TrimLeft(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")), " \t\r\n")
	r, rest, ok := parseOneResponse(b)
	if !ok {
		return nil, false
	}
	if lineEnds != "" {
		r.note("the lines ended in %s (as a terminal pastes them); read them as line ends", lineEnds)
	}
	for skipped := 0; skipped < maxRawResponses; skipped++ {
		next := bytes.TrimLeft(rest, " \t\r\n")
		if _, _, _, isStatus := parseStatusLine(firstLine(next)); !isStatus {
			break
		}
		nr, nrest, ok := parseOneResponse(next)
		if !ok {
			break
		}
		why := "a redirect or retry"
		if isInterim(r) {
			why = "interim"
		}
		nr.Notes = append([]string{fmt.Sprintf("skipped an earlier response (%s, %s %d %s); decoded the last one", why, r.Proto, r.Status, r.Reason)}, nr.Notes...)
		r, rest = nr, nrest
	}
	r.Body = rest
	r.unframe()
	return r, true
}

// isInterim: a 1xx, or a proxy's answer to CONNECT.
func isInterim(r *RawResponse) bool {
	return r.Status < 200 || strings.EqualFold(r.Reason, "Connection established")
}

// parseOneResponse reads the status line and headers; rest is everything
// after the blank line (body, and maybe another response).
func parseOneResponse(b []byte) (r *RawResponse, rest []byte, ok bool) {
	line := firstLine(b)
	proto, status, reason, ok := parseStatusLine(line)
	if !ok {
		return nil, nil, false
	}
	r = &RawResponse{Proto: proto, Status: status, Reason: reason, Header: http.Header{}}
	rest = afterLine(b)
	rest = r.readHeaders(rest)
	return r, rest, true
}

// parseStatusLine accepts HTTP/<version> <3 digits>[ <reason>].
func parseStatusLine(line string) (proto string, status int, reason string, ok bool) {
	line = strings.TrimRight(line, "\r")
	if len(line) < 5 || !strings.EqualFold(line[:5], "HTTP/") {
		return "", 0, "", false
	}
	proto, after, _ := strings.Cut(line, " ")
	after = strings.TrimLeft(after, " ")
	codeText, reason, _ := strings.Cut(after, " ")
	if len(codeText) != 3 || len(proto) > 16 {
		return "", 0, "", false
	}
	status, err := strconv.Atoi(codeText)
	if err != nil || status < 100 {
		return "", 0, "", false
	}
	return strings.ToUpper(proto[:5]) + proto[5:], status, strings.TrimSpace(reason), true
}

// readHeaders reads header lines up to the blank line and returns what
// follows it. A line that cannot be a header ends the headers there: the
// body started without a blank line.
func (r *RawResponse) readHeaders(b []byte) []byte {
	var last string // the previous header's name, for folded lines
	for n := 0; len(b) > 0; n++ {
		line := strings.TrimRight(firstLine(b), "\r")
		if line == "" {
			return afterLine(b)
		}
		if n >= maxRawHeaders {
			r.note("more than %d header lines; the rest were read as the body", maxRawHeaders)
			return b
		}
		if (line[0] == ' ' || line[0] == '\t') && last != "" {
			vals := r.Header[last]
			vals[len(vals)-1] += " " + strings.TrimSpace(line) // obsolete line folding
			b = afterLine(b)
			continue
		}
		if line[0] == ':' {
			b = afterLine(b) // an HTTP/2 pseudo-header (":status: 401")
			continue
		}
		name, value, found := strings.Cut(line, ":")
		if !found || name == "" || !isToken(name) {
			r.note("no blank line after the headers; the body starts at %q", clip(line, 40))
			return b
		}
		last = textproto.CanonicalMIMEHeaderKey(name)
		r.Header[last] = append(r.Header[last], strings.TrimSpace(value))
		b = afterLine(b)
	}
	return nil
}

func isToken(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isTchar(s[i]) {
			return false
		}
	}
	return true
}

// unframe undoes chunked transfer coding left in the text (a capture
// from nc or openssl; curl removes it itself) and notes a body shorter
// than its Content-Length.
func (r *RawResponse) unframe() {
	if strings.EqualFold(strings.TrimSpace(r.Header.Get("Transfer-Encoding")), "chunked") {
		if body, ok := dechunk(r.Body); ok {
			r.Body = body
			r.note("removed chunked transfer framing from the body")
		} else {
			r.note("Transfer-Encoding says chunked but the body is not chunk-framed; decoded it as it is")
		}
		return
	}
	if cl, err := strconv.Atoi(r.Header.Get("Content-Length")); err == nil && cl > len(r.Body) {
		r.note("the body is %d bytes but Content-Length says %d: it may have been cut short", len(r.Body), cl)
	}
}

// dechunk reads chunk-size lines (hex, maybe with extensions) and chunk
// data until the 0 chunk. Line ends may be CRLF or LF; a body cut off
// mid-chunk keeps what arrived.
func dechunk(b []byte) ([]byte, bool) {
	var out bytes.Buffer
	rd := bufio.NewReader(bytes.NewReader(b))
	for chunks := 0; ; chunks++ {
		line, err := rd.ReadString('\n')
		sizeText, _, _ := strings.Cut(strings.TrimSpace(line), ";")
		size, perr := strconv.ParseInt(sizeText, 16, 64)
		if perr != nil || size < 0 {
			return out.Bytes(), chunks > 0 && err != nil // a clean end after a cut, or not chunked at all
		}
		if size == 0 {
			return out.Bytes(), true
		}
		n, _ := out.ReadFrom(io.LimitReader(rd, size))
		if n < size {
			return out.Bytes(), true // cut short: keep what is there
		}
		if rest, _ := rd.ReadString('\n'); strings.TrimSpace(rest) != "" {
			return out.Bytes(), false
		}
	}
}

// parseHeaderOnly reads input that starts with a WWW-Authenticate header
// line and no status line (a header copied from a browser's network tab).
func parseHeaderOnly(b []byte) (http.Header, []byte, bool) {
	b, _ = NormalizeLineEnds(b)
	b = bytes.TrimLeft(b, " \t\r\n")
	name, _, found := strings.Cut(firstLine(b), ":")
	if !found || !strings.EqualFold(strings.TrimSpace(name), "WWW-Authenticate") {
		return nil, nil, false
	}
	r := &RawResponse{Header: http.Header{}}
	body := r.readHeaders(b)
	return r.Header, body, true
}

// NormalizeLineEnds turns input whose line ends are CR only back into LF
// lines, and says what they were ("" when nothing was changed). A
// terminal that turns LF into CR on paste turns CRLF into CR CR: when the
// first line ends in exactly two CRs, each pair is one line end. Input
// with any LF is left as it is, so CR inside CRLF text keeps its meaning.
func NormalizeLineEnds(b []byte) ([]byte, string) {
	if bytes.IndexByte(b, '\n') >= 0 {
		return b, ""
	}
	first := bytes.IndexByte(b, '\r')
	if first < 0 {
		return b, ""
	}
	if rest := b[first:]; len(rest) > 2 && rest[1] == '\r' && rest[2] != '\r' {
		return bytes.ReplaceAll(b, []byte("\r\r"), []byte("\n")), "CR CR (CRLF pasted through a terminal)"
	}
	return bytes.ReplaceAll(b, []byte("\r"), []byte("\n")), "CR only"
}

// firstLine returns the first line, at most maxLine bytes of it (a 20 MB
// body with no newline must not be copied to be looked at).
func firstLine(b []byte) string {
	if i := bytes.IndexByte(b[:min(len(b), maxLine+1)], '\n'); i >= 0 {
		return string(b[:i])
	}
	return string(b[:min(len(b), maxLine)])
}

const maxLine = 64 << 10

func afterLine(b []byte) []byte {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return b[i+1:]
	}
	return nil
}

func (r *RawResponse) note(format string, args ...any) {
	r.Notes = append(r.Notes, fmt.Sprintf(format, args...))
}

package hostile

import (
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"
)

// RequestID is the request id the error modes carry, in the body and in
// X-Request-Id, for tests to look for.
const RequestID = "3f6c1a2e-8d4b-4c1f-9a7e-5b2d0c9e8f71"

// Escapes are terminal controls a server could smuggle in, as raw bytes:
// CSI (clear screen), OSC 52 (write "evil" to the clipboard), DCS, an
// 8-bit CSI (C1, as UTF-8), a bare ESC ("ESC c" resets the terminal) and
// a BEL.
const Escapes = "\x1b[2J\x1b]52;c;ZXZpbA==\x07\x1bP1$r\x1b\\\xc2\x9b31m\x1bc\x07"

// invalidUTF8 are byte sequences that are not UTF-8: stray continuation
// bytes, a truncated two-byte sequence, an overlong encoding.
const invalidUTF8 = "\xff\xfe\xc3\x28\xc0\xaf"

// Sizes of the big modes.
const (
	GiantSize = 1 << 30    // GiantBody's Content-Length
	BigSize   = 10_000_000 // BigError's message: 10 MB, just under the 10 MiB body cap, so it decodes
	Depth     = 100_000    // DeepJSON's nesting
)

// A writer answers one connection; it returns when the answer is written,
// the client goes away (a write fails) or quit closes.
type writer func(c net.Conn, quit <-chan struct{}) error

var writers = map[Mode]writer{
	GiantBody: func(c net.Conn, quit <-chan struct{}) error {
		head := fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: %d\r\n\r\n", GiantSize)
		if _, err := io.WriteString(c, head); err != nil {
			return err
		}
		buf := []byte(strings.Repeat("a", 64<<10)) // the body is never held: 16,384 writes of one buffer
		for n := GiantSize; n > 0; n -= len(buf) {
			if stopped(quit) {
				return errStopped
			}
			if _, err := c.Write(buf[:min(n, len(buf))]); err != nil {
				return err
			}
		}
		return nil
	},
	EndlessBody: func(c net.Conn, quit <-chan struct{}) error {
		if _, err := io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"); err != nil {
			return err
		}
		// About 2 MB/s: slow enough that a short timeout fires before
		// the 10 MiB cap, fast enough that a small --max-body fills.
		chunk := "1000\r\n" + strings.Repeat("x", 0x1000) + "\r\n"
		for {
			if !pause(quit, 2*time.Millisecond) {
				return errStopped
			}
			if _, err := io.WriteString(c, chunk); err != nil {
				return err
			}
		}
	},
	Silent: func(c net.Conn, quit <-chan struct{}) error {
		// Read (and drop) whatever comes until the client hangs up or
		// Close closes the connection; never write.
		_, err := io.Copy(io.Discard, c)
		return err
	},
	SlowHeaders: func(c net.Conn, quit <-chan struct{}) error {
		body := scalingError("Invalid API key provided.")
		head := head401("application/json", len(body))
		for i := 0; i < len(head); i++ {
			if !pause(quit, 2*time.Millisecond) {
				return errStopped
			}
			if _, err := c.Write([]byte{head[i]}); err != nil {
				return err
			}
		}
		_, err := io.WriteString(c, body)
		return err
	},
	InvalidUTF8: func(c net.Conn, _ <-chan struct{}) error {
		// JSON cannot hold a raw ESC, so the message carries escapes the
		// way a JSON encoder writes them (\u001b, which decode to ESC)
		// beside raw C1 bytes and invalid UTF-8, which JSON lets through.
		msg := "bad key " + invalidUTF8 + " " + jsonEscapes(Escapes) + " \xc2\x9b2J \xc2\x9d52;c;ZXZpbA==\xc2\x9c"
		return writeJSON401(c, scalingError(msg))
	},
	RawEscapes: func(c net.Conn, _ <-chan struct{}) error {
		body := "denied " + Escapes + invalidUTF8 + " \x1b"
		return writeAll(c, head401("text/plain", len(body)), body)
	},
	DeepJSON: func(c net.Conn, _ <-chan struct{}) error {
		return writeJSON401(c, deepJSON())
	},
	BigError: func(c net.Conn, _ <-chan struct{}) error {
		return writeJSON401(c, bigError())
	},
}

// writeAll writes a head and a body; two writes, so a 10 MB body is not
// copied for every request.
func writeAll(c net.Conn, head, body string) error {
	if _, err := io.WriteString(c, head); err != nil {
		return err
	}
	_, err := io.WriteString(c, body)
	return err
}

// pause waits d, reporting false if the server stops meanwhile.
func pause(quit <-chan struct{}, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-quit:
		return false
	case <-t.C:
		return true
	}
}

func stopped(quit <-chan struct{}) bool {
	select {
	case <-quit:
		return true
	default:
		return false
	}
}

// scalingError is Scaling's error shape (what its sandbox answers).
func scalingError(message string) string {
	return `{"statusCode":401,"type":"not_authorized_error","code":"invalid_api_key","message":"` + message + `","requestId":"` + RequestID + `"}`
}

// jsonEscapes writes s as the inside of a JSON string: C0 controls as
// \u escapes, backslash and quote escaped (ST is "ESC \\").
func jsonEscapes(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' || s[i] == '"':
			b.WriteByte('\\')
			b.WriteByte(s[i])
		case s[i] < 0x20:
			fmt.Fprintf(&b, `\u%04x`, s[i])
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

func head401(contentType string, n int) string {
	return "HTTP/1.1 401 Unauthorized\r\nContent-Type: " + contentType + "\r\nX-Request-Id: " + RequestID +
		fmt.Sprintf("\r\nContent-Length: %d\r\nConnection: close\r\n\r\n", n)
}

func writeJSON401(c net.Conn, body string) error {
	return writeAll(c, head401("application/json", len(body)), body)
}

// The big bodies are built once per process and shared by every
// connection: a server under a benchmark must not allocate per request.
var (
	deepOnce, bigOnce sync.Once
	deepBody, bigBody string
)

// DeepJSONBody is DeepJSON's body: {"a":{"a":…1…}}, Depth levels.
func DeepJSONBody() string { return deepJSON() }

// BigErrorBody is BigError's body.
func BigErrorBody() string { return bigError() }

func deepJSON() string {
	deepOnce.Do(func() { deepBody = strings.Repeat(`{"a":`, Depth) + "1" + strings.Repeat("}", Depth) })
	return deepBody
}

// bigError is a Scaling error whose message is BigSize bytes of prose
// with an escaped CSI, an escaped OSC 52 and a raw C1 CSI every 64 KiB.
func bigError() string {
	bigOnce.Do(func() {
		sprinkle := ` \u001b[2J \u001b]52;c;ZXZpbA==\u0007 ` + "\xc2\x9b" + `31m `
		unit := strings.Repeat("Invalid API key provided. ", (64<<10)/26) + sprinkle
		msg := strings.Repeat(unit, BigSize/len(unit)+1)[:BigSize]
		msg = strings.TrimRight(msg, `\u0123456789abcdef`) // never end inside an escape
		bigBody = scalingError(msg)
	})
	return bigBody
}

// Package hostile serves misbehaving HTTP answers on loopback, for tests
// and benchmarks that prove authscope stays bounded and responsive: a
// 1 GiB body, a body that never ends, a server that never answers,
// headers a byte at a time, invalid UTF-8 with terminal escapes, JSON
// nested 100,000 deep and a 10 MB error body.
package hostile

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Mode is one kind of misbehaviour.
type Mode string

const (
	GiantBody   Mode = "giant-body"   // 200, Content-Length 1 GiB, streamed
	EndlessBody Mode = "endless-body" // 200, chunked, never ends
	Silent      Mode = "silent"       // accepts, reads the request, never writes
	SlowHeaders Mode = "slow-headers" // a 401 written one byte at a time
	InvalidUTF8 Mode = "invalid-utf8" // a 401 whose JSON holds invalid UTF-8 and escapes
	DeepJSON    Mode = "deep-json"    // a 401 with JSON nested 100,000 deep
	BigError    Mode = "big-error"    // a 401 Scaling error with a 10 MB message
)

// Modes lists every mode, in a stable order.
func Modes() []Mode {
	return []Mode{GiantBody, EndlessBody, Silent, SlowHeaders, InvalidUTF8, DeepJSON, BigError}
}

// RequestID is the id the error modes carry, for tests to look for.
const RequestID = "3f6c1a2e-8d4b-4c1f-9a7e-5b2d0c9e8f71"

// Escapes are the terminal controls InvalidUTF8 smuggles into its body.
const Escapes = "\x1b[2J\x1b]52;c;ZXZpbA==\x07\x1bP1$r\x1b\\\xc2\x9b31m\x1bc"

// Server is one running hostile server.
type Server struct {
	URL  string
	mode Mode
	ln   net.Listener
	quit chan struct{}
	wg   sync.WaitGroup
	mu   sync.Mutex
	conn map[net.Conn]bool
}

// Start serves mode on 127.0.0.1 at a free port.
func Start(mode Mode) (*Server, error) {
	if _, ok := writers[mode]; !ok {
		return nil, fmt.Errorf("unknown mode %q", mode)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Server{URL: "http://" + ln.Addr().String(), mode: mode, ln: ln, quit: make(chan struct{}), conn: map[net.Conn]bool{}}
	s.wg.Add(1)
	go s.accept()
	return s, nil
}

// Close stops the server and every connection it holds.
func (s *Server) Close() {
	close(s.quit)
	s.ln.Close()
	s.mu.Lock()
	for c := range s.conn {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

func (s *Server) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.conn[c] = true
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer func() { s.mu.Lock(); delete(s.conn, c); s.mu.Unlock(); c.Close() }()
			if _, err := http.ReadRequest(bufio.NewReader(c)); err != nil {
				return
			}
			_ = writers[s.mode](c, s.quit)
		}()
	}
}

var writers = map[Mode]func(c net.Conn, quit <-chan struct{}) error{
	GiantBody: func(c net.Conn, quit <-chan struct{}) error {
		const size = 1 << 30
		if _, err := fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: %d\r\n\r\n", size); err != nil {
			return err
		}
		return stream(c, quit, size, 0)
	},
	EndlessBody: func(c net.Conn, quit <-chan struct{}) error {
		if _, err := fmt.Fprint(c, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"); err != nil {
			return err
		}
		chunk := "1000\r\n" + strings.Repeat("x", 0x1000) + "\r\n"
		for {
			select {
			case <-quit:
				return nil
			case <-time.After(time.Millisecond):
			}
			if _, err := fmt.Fprint(c, chunk); err != nil {
				return err
			}
		}
	},
	Silent: func(c net.Conn, quit <-chan struct{}) error {
		<-quit // the connection is closed by Close
		return nil
	},
	SlowHeaders: func(c net.Conn, quit <-chan struct{}) error {
		for _, b := range []byte(errorResponse(scalingError("Invalid API key provided."))) {
			select {
			case <-quit:
				return nil
			case <-time.After(time.Millisecond):
			}
			if _, err := c.Write([]byte{b}); err != nil {
				return err
			}
		}
		return nil
	},
	InvalidUTF8: func(c net.Conn, _ <-chan struct{}) error {
		_, err := fmt.Fprint(c, errorResponse(scalingError("bad key \xff\xfe "+strings.ReplaceAll(Escapes, "\x1b", `\u001b`)+" \xc3\x28")))
		return err
	},
	DeepJSON: func(c net.Conn, _ <-chan struct{}) error {
		const depth = 100_000
		_, err := fmt.Fprint(c, errorResponse(strings.Repeat(`{"a":`, depth)+"1"+strings.Repeat("}", depth)))
		return err
	},
	BigError: func(c net.Conn, _ <-chan struct{}) error {
		_, err := fmt.Fprint(c, errorResponse(scalingError(strings.Repeat("Invalid API key provided. ", 10<<20/26))))
		return err
	},
}

// stream writes n bytes from a small buffer: the server never holds the body.
func stream(c net.Conn, quit <-chan struct{}, n int, pause time.Duration) error {
	buf := []byte(strings.Repeat("a", 64<<10))
	for n > 0 {
		select {
		case <-quit:
			return errors.New("stopped")
		default:
		}
		m := min(n, len(buf))
		if _, err := c.Write(buf[:m]); err != nil {
			return err
		}
		n -= m
		time.Sleep(pause)
	}
	return nil
}

func scalingError(message string) string {
	return `{"statusCode":401,"type":"not_authorized_error","code":"invalid_api_key","message":"` + message + `","requestId":"` + RequestID + `"}`
}

func errorResponse(body string) string {
	return "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nX-Request-Id: " + RequestID +
		fmt.Sprintf("\r\nContent-Length: %d\r\nConnection: close\r\n\r\n", len(body)) + body
}

// Package hostile serves misbehaving HTTP answers on loopback, for tests
// and benchmarks that prove authscope stays bounded and responsive: a
// 1 GiB body, a body that never ends, a server that never answers,
// headers a byte at a time, invalid UTF-8 with terminal escapes, JSON
// nested 100,000 deep and a 10 MB error body.
//
// The servers write raw bytes on a plain net.Listener rather than going
// through net/http's server, which would refuse to send most of them
// (a status line with no body yet, control bytes, a connection that
// answers nothing). Nothing here listens beyond 127.0.0.1.
package hostile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
)

// Mode is one kind of misbehaviour.
type Mode string

const (
	GiantBody   Mode = "giant-body"   // 200, Content-Length 1 GiB, streamed from a 64 KiB buffer
	EndlessBody Mode = "endless-body" // 200, chunked, never ends
	Silent      Mode = "silent"       // accepts, never writes a byte
	SlowHeaders Mode = "slow-headers" // status line and headers one byte at a time, then a 401
	InvalidUTF8 Mode = "invalid-utf8" // a 401 Scaling error holding invalid UTF-8 and escapes
	RawEscapes  Mode = "raw-escapes"  // a 401 text/plain body of raw terminal controls
	DeepJSON    Mode = "deep-json"    // a 401 application/json nested 100,000 deep
	BigError    Mode = "big-error"    // a 401 Scaling error whose message is 10 MB
)

// Modes lists every mode, in a stable order.
func Modes() []Mode {
	return []Mode{GiantBody, EndlessBody, Silent, SlowHeaders, InvalidUTF8, RawEscapes, DeepJSON, BigError}
}

// maxRequest bounds what a server reads of a request: it wants the
// request line and headers only, and a client cannot make it buffer more.
const maxRequest = 1 << 20

// Server is one running hostile server.
type Server struct {
	URL  string // http://127.0.0.1:PORT
	mode Mode   // "" serves the mode named by the first path segment
	ln   net.Listener
	quit chan struct{}
	once sync.Once
	wg   sync.WaitGroup
	mu   sync.Mutex
	conn map[net.Conn]struct{}
}

// Start serves mode on 127.0.0.1 at a free port, whatever the path.
func Start(mode Mode) (*Server, error) {
	if _, ok := writers[mode]; !ok {
		return nil, fmt.Errorf("hostile: unknown mode %q", mode)
	}
	return listen(mode)
}

// StartAll serves every mode on one port: a request for /MODE/… gets
// that mode, so srv.URL+"/"+string(mode) is a base URL for it.
func StartAll() (*Server, error) { return listen("") }

// Serve is Start for callers that want plain values: the base URL and
// the function that stops the server and every connection it holds.
func Serve(mode Mode) (url string, stop func(), err error) {
	s, err := Start(mode)
	if err != nil {
		return "", nil, err
	}
	return s.URL, s.Close, nil
}

func listen(mode Mode) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Server{URL: "http://" + ln.Addr().String(), mode: mode, ln: ln, quit: make(chan struct{}), conn: map[net.Conn]struct{}{}}
	s.wg.Add(1)
	go s.accept()
	return s, nil
}

// Close stops the server and closes every connection it holds, which
// ends every writer blocked on a client that stopped reading; it returns
// once they have all returned. Calling it twice is harmless.
func (s *Server) Close() {
	s.once.Do(func() {
		close(s.quit)
		s.ln.Close()
		s.mu.Lock()
		for c := range s.conn {
			c.Close()
		}
		s.mu.Unlock()
		s.wg.Wait()
	})
}

// Open is how many connections the server holds: a test that cancels a
// request watches it fall to zero, proof the client hung up.
func (s *Server) Open() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conn)
}

func (s *Server) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return // closed
		}
		s.mu.Lock()
		select {
		case <-s.quit: // Close already swept the map: this one is ours to close
			s.mu.Unlock()
			c.Close()
			return
		default:
		}
		s.conn[c] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		go s.handle(c)
	}
}

func (s *Server) handle(c net.Conn) {
	defer s.wg.Done()
	defer func() {
		s.mu.Lock()
		delete(s.conn, c)
		s.mu.Unlock()
		c.Close()
	}()
	br := bufio.NewReader(io.LimitReader(c, maxRequest))
	req, err := http.ReadRequest(br)
	if err != nil {
		return
	}
	mode := s.mode
	if mode == "" {
		first, _, _ := strings.Cut(strings.TrimPrefix(req.URL.Path, "/"), "/")
		mode = Mode(first)
	}
	write, ok := writers[mode]
	if !ok {
		_, _ = io.WriteString(c, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
		return
	}
	_ = write(c, s.quit)
}

// errStopped ends a writer because the server is closing.
var errStopped = errors.New("hostile: server stopped")

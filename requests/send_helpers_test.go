package requests

import (
	"io"
	"log"
	"net"
	"testing"
)

// silentListener accepts connections and never answers; closed with the test.
func silentListener(t *testing.T) net.Listener {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := l.Accept()
			if err != nil {
				for _, c := range conns {
					c.Close()
				}
				return
			}
			conns = append(conns, c)
		}
	}()
	t.Cleanup(func() { l.Close(); <-done })
	return l
}

// discardLog silences the TLS server's "bad certificate" log line.
func discardLog() *log.Logger { return log.New(io.Discard, "", 0) }

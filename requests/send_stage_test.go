package requests

import (
	"bufio"
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/authscope/authscope/model"
)

// A server that sends its status line, then drips headers, runs out the
// timeout while the headers are still coming: the error says so, not
// "reading the body". One that drips its body says "reading the body".
func TestTimeoutNamesHeadersOrBody(t *testing.T) {
	for _, c := range []struct {
		name, head, want string
		dripHeaders      bool
	}{
		{"headers", "HTTP/1.1 200 OK\r\n", "reading the headers", true},
		{"body", "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n", "reading the body", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			go func() {
				conn, err := ln.Accept()
				if err != nil {
					return
				}
				defer conn.Close()
				_, _ = bufio.NewReader(conn).ReadString('\n')
				_, _ = conn.Write([]byte(c.head))
				for i := 0; i < 30; i++ { // bounded: 3 s at most
					drip := "x"
					if c.dripHeaders {
						drip = "X-Drip: x\r\n"
					}
					if _, err := conn.Write([]byte(drip)); err != nil {
						return
					}
					time.Sleep(100 * time.Millisecond)
				}
			}()
			req := model.HTTPRequest{Method: "GET", URL: "http://" + ln.Addr().String() + "/"}
			_, err = Send(context.Background(), req, Options{Timeout: 500 * time.Millisecond})
			var na *NoAnswerError
			if !errors.As(err, &na) || na.Phase != "timeout" || !strings.Contains(na.Error(), c.want) {
				t.Fatalf("got %v, want a timeout %s", err, c.want)
			}
		})
	}
}

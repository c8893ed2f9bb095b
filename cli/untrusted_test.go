package cli

import (
	"bufio"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// hostileBytes are the terminal controls a server could smuggle into
// headers, bodies and error messages: CSI, OSC 52 (a clipboard write), DCS,
// an 8-bit CSI, a bare ESC and BEL, plus invalid UTF-8.
const hostileBytes = "\x1b[2J\x1b]52;c;ZXZpbA==\x07\x1bP1$r\x1b\\\xc2\x9b31m\x1bc\x07\xff\xfe"

// rawServer answers every request with the same raw bytes, as no
// well-behaved library would let a test server do.
func rawServer(t *testing.T, response string) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				defer c.Close()
				if _, err := http.ReadRequest(bufio.NewReader(c)); err == nil {
					_, _ = c.Write([]byte(response))
				}
			}(c)
		}
	}()
	t.Cleanup(func() { l.Close() })
	return "http://" + l.Addr().String()
}

func TestHostileBytesNeverReachTheTerminal(t *testing.T) {
	body := `{"error":{"type":"authentication_error","code":"invalid_api_key","message":"bad key ` + strings.ReplaceAll(hostileBytes, "\x1b", `\u001b`) + `","requestId":"req_` + hostileBytes + `"}}`
	// Go's HTTP client refuses ESC and other C0 controls in header lines;
	// C1 and invalid UTF-8 get through, so headers carry those.
	headerBytes := "\xc2\x9b31m\xc2\x9d52;c;ZXZpbA==\xff\xfe"
	resp := "HTTP/1.1 401 Unauthorized" + hostileBytes + "\r\n" +
		"Content-Type: application/json\r\n" +
		"X-Request-Id: req-" + headerBytes + "\r\n" +
		"WWW-Authenticate: Bearer error=\"invalid_token\", error_description=\"" + headerBytes + "\"\r\n" +
		"Content-Length: " + strconv.Itoa(len(body)) + "\r\nConnection: close\r\n\r\n" + body
	base := rawServer(t, resp)
	tokenBody := `{"error":"invalid_client","error_description":"` + hostileBytes + `"}`
	tokenResp := "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: " + strconv.Itoa(len(tokenBody)) + "\r\nConnection: close\r\n\r\n" + tokenBody
	tokenBase := rawServer(t, tokenResp)

	env := map[string]string{"SCALING_API_KEY": scalingKey, "SCALEKIT_CLIENT_ID": "skc_x", "SCALEKIT_CLIENT_SECRET": "sandbox_client_secret"}
	for _, args := range [][]string{
		{"request", "--provider", "scaling", "--base-url", base},
		{"request", "--provider", "scaling", "--base-url", base, "--json"},
		{"request", "--provider", "scaling", "--base-url", base, "--bundle"},
		{"request", "--provider", "scaling", "--base-url", base, "--reveal"},
		{"token", "--provider", "scalekit", "--base-url", tokenBase},
		{"token", "--provider", "scalekit", "--base-url", tokenBase, "--json"},
		{"header", "--provider", "scalekit", "--base-url", tokenBase},
		{"request", "--provider", "scalekit", "--base-url", tokenBase},
	} {
		code, out, errOut := runCmd(t, env, args...)
		name := strings.Join(args[:3], " ") + " " + args[len(args)-1]
		if code != ExitHTTPError {
			t.Errorf("%s: exit %d, want 1 (%s)", name, code, errOut)
		}
		terminalSafe(t, name+" stdout", out)
		terminalSafe(t, name+" stderr", errOut)
	}

	// ESC in a header line: the client refuses the answer, and the line
	// that says so quotes it safely.
	escHeader := "HTTP/1.1 401 Unauthorized\r\nX-Request-Id: " + hostileBytes + "\r\nContent-Length: 0\r\n\r\n"
	code, out, errOut := runCmd(t, env, "request", "--provider", "scaling", "--base-url", rawServer(t, escHeader))
	if code != ExitNoAnswer {
		t.Errorf("ESC in a header: exit %d", code)
	}
	terminalSafe(t, "ESC in a header: stdout", out)
	oneLine(t, errOut, "no answer (malformed)")
	terminalSafe(t, "ESC in a header: stderr", errOut)
}

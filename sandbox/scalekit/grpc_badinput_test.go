package scalekit_test

import (
	"bytes"
	"encoding/binary"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/authscope/authscope/sandbox"
	"github.com/authscope/authscope/sandbox/scalekit"
	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"
)

// frame is one gRPC length-prefixed message: flag byte, 4-byte length
// (which may lie about the payload), payload.
func frame(length uint32, payload []byte) []byte {
	b := []byte{0, 0, 0, 0, 0}
	binary.BigEndian.PutUint32(b[1:], length)
	return append(b, payload...)
}

// rawGRPC posts body as a gRPC call over HTTP/1.1 and returns the HTTP
// status and grpc-status / grpc-message (from trailers or, for a
// trailers-only answer, the headers).
func rawGRPC(t *testing.T, url, contentType string, body []byte) (httpStatus int, grpcStatus, grpcMessage string) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("TE", "trailers")
	res, err := http1Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	io.Copy(io.Discard, res.Body)
	get := func(name string) string {
		if v := res.Trailer.Get(name); v != "" {
			return v
		}
		return res.Header.Get(name)
	}
	return res.StatusCode, get("Grpc-Status"), get("Grpc-Message")
}

// TestGRPCBadInput: each broken call gets a clear gRPC status (or, for a
// content type that is not gRPC, HTTP 415), and the sandbox keeps serving.
func TestGRPCBadInput(t *testing.T) {
	srv := startSandbox(t, sandbox.Options{})
	base := srv.URL() + "/scalekit"
	list := base + listProcedure
	cases := []struct {
		name, url, contentType string
		body                   []byte
		wantHTTP               int
		wantStatus             string
	}{
		{"malformed protobuf", list, "application/grpc", frame(3, []byte{0xff, 0xff, 0xff}), 200, "3"},                  // INVALID_ARGUMENT
		{"length larger than body", list, "application/grpc", frame(100, []byte{0x08, 0x0a}), 200, "3"},                 // INVALID_ARGUMENT
		{"truncated prefix", list, "application/grpc", []byte{0, 0, 0}, 200, "3"},                                       // INVALID_ARGUMENT
		{"oversized message", list, "application/grpc", frame(scalekit.GRPCMaxMessage+1, make([]byte, 1024)), 200, "8"}, // RESOURCE_EXHAUSTED
		{"oversized body", list, "application/grpc", frame(60000, make([]byte, 60000)), 200, "8"},
		{"unknown method", base + "/scalekit.v1.organizations.OrganizationService/Nope", "application/grpc", frame(0, nil), 200, "12"},
		{"unknown service", base + "/scalekit.v1.auditlogs.AuditLogService/ListAuthLogRequests", "application/grpc+proto", frame(0, nil), 200, "12"},
		{"not served method", base + "/scalekit.v1.organizations.OrganizationService/GetApplicationSessionPolicy", "application/grpc", frame(0, nil), 200, "12"},
		{"no token", list, "application/grpc", frame(0, nil), 200, "16"},
		{"wrong content type", list, "text/plain", frame(0, nil), http.StatusUnsupportedMediaType, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			httpStatus, grpcStatus, msg := rawGRPC(t, c.url, c.contentType, c.body)
			if httpStatus != c.wantHTTP || grpcStatus != c.wantStatus {
				t.Errorf("HTTP %d grpc-status %q (%q), want HTTP %d grpc-status %q", httpStatus, grpcStatus, msg, c.wantHTTP, c.wantStatus)
			}
			if c.wantStatus != "" && msg == "" {
				t.Error("no grpc-message")
			}
		})
	}
	token := fetchToken(t, http1Client(), srv.URL())
	if body := restGet(t, base+"/api/v1/organizations", token); !strings.Contains(body, "acme-corp") {
		t.Errorf("the sandbox stopped serving: %s", body)
	}
}

// h2cConn opens an HTTP/2 connection with prior knowledge and returns its
// framer, settings exchanged.
func h2cConn(t *testing.T, addr string) (net.Conn, *http2.Framer) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	if _, err := io.WriteString(conn, http2.ClientPreface); err != nil {
		t.Fatal(err)
	}
	fr := http2.NewFramer(conn, conn)
	if err := fr.WriteSettings(); err != nil {
		t.Fatal(err)
	}
	return conn, fr
}

func grpcHeaders(t *testing.T, authority, path string) []byte {
	var buf bytes.Buffer
	enc := hpack.NewEncoder(&buf)
	for _, f := range [][2]string{{":method", "POST"}, {":scheme", "http"}, {":authority", authority}, {":path", path},
		{"content-type", "application/grpc"}, {"te", "trailers"}} {
		if err := enc.WriteField(hpack.HeaderField{Name: f[0], Value: f[1]}); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

// drain reads frames until the server closes the connection, goes away,
// or the deadline passes, counting GOAWAY and RST_STREAM frames.
func drain(fr *http2.Framer, conn net.Conn, until time.Time) (goaway bool, resets int) {
	conn.SetReadDeadline(until)
	for {
		f, err := fr.ReadFrame()
		if err != nil {
			return goaway, resets
		}
		switch f.(type) {
		case *http2.GoAwayFrame:
			goaway = true
		case *http2.RSTStreamFrame:
			resets++
		}
	}
}

// TestHTTP2FloodsAreBounded opens streams faster than any client should,
// with and without resetting them (CVE-2023-44487, "rapid reset"), and
// checks the sandbox's goroutines stay bounded and it keeps answering.
func TestHTTP2FloodsAreBounded(t *testing.T) {
	srv := startSandbox(t, sandbox.Options{})
	addr := strings.TrimPrefix(srv.URL(), "http://")
	path := "/scalekit" + listProcedure
	baseline := runtime.NumGoroutine()

	for _, reset := range []bool{true, false} {
		conn, fr := h2cConn(t, addr)
		block := grpcHeaders(t, addr, path)
		peak := 0
		for i := uint32(0); i < 2000; i++ {
			id := 2*i + 1
			// No END_STREAM: each stream waits for a body that never comes.
			if err := fr.WriteHeaders(http2.HeadersFrameParam{StreamID: id, BlockFragment: block, EndHeaders: true}); err != nil {
				break // the server hung up on the flood: bounded
			}
			if reset {
				if err := fr.WriteRSTStream(id, http2.ErrCodeCancel); err != nil {
					break
				}
			}
			if i%100 == 0 {
				peak = max(peak, runtime.NumGoroutine())
			}
		}
		peak = max(peak, runtime.NumGoroutine())
		goaway, resets := drain(fr, conn, time.Now().Add(500*time.Millisecond))
		conn.Close()
		// 100 concurrent streams is the limit; handlers beyond it are refused.
		if peak-baseline > 400 {
			t.Errorf("reset=%v: %d goroutines over the baseline of %d during the flood", reset, peak-baseline, baseline)
		}
		t.Logf("reset=%v: peak +%d goroutines, goaway=%v, %d streams reset by the server", reset, peak-baseline, goaway, resets)
		if !reset && resets == 0 && !goaway {
			t.Errorf("2000 open streams on one connection: the server neither refused a stream nor went away")
		}
	}
	token := fetchToken(t, h2cClient(), srv.URL())
	if body := restGet(t, srv.URL()+"/scalekit/api/v1/organizations", token); !strings.Contains(body, "acme-corp") {
		t.Errorf("the sandbox stopped serving after the floods: %s", body)
	}
}

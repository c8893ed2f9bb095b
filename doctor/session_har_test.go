package doctor

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
)

func TestSessionHARReadsBackRedacted(t *testing.T) {
	const key = "scl_live_0123456789abcdef0123456789abcdef"
	const custom = "hunter2-custom-secret"
	const cookie = "cookie-secret-value-123"
	const formSecret = "form-secret-value-456"
	var h requests.History
	for i, status := range []int{401, 200, 200} {
		req := model.HTTPRequest{Method: "GET", URL: "https://api.scaling.cloud/v1/incidents?limit=10"}
		req = req.WithHeader("Authorization", model.Concat(model.Plain("Bearer "), model.SecretText(key)))
		req = req.WithHeader("X-Custom", model.SecretText(custom))
		// Unmarked: only doctor's redaction (as --redact) knows these.
		req = req.WithHeader("Cookie", model.Plain("sid="+cookie))
		if i == 1 {
			req.Method, req.Body = "POST", model.Plain("grant_type=client_credentials&client_id=skc_x&client_secret="+formSecret)
			req = req.WithHeader("Content-Type", model.Plain("application/x-www-form-urlencoded"))
		}
		if i == 2 {
			req.Method, req.Body = "POST", model.Plain(`{"echo":"`+key+`"}`)
			req = req.WithHeader("Content-Type", model.Plain("application/json"))
		}
		res := &requests.Result{Status: status, StatusText: http.StatusText(status), Proto: "HTTP/1.1",
			Header: http.Header{"X-Request-Id": {"req_" + string(rune('a'+i))}, "Content-Type": {"application/json"}},
			Body:   []byte(`{"error":"invalid_api_key","echo":"` + key + `"}`), Started: time.Now(), Ended: time.Now()}
		h.Add(requests.Entry{Label: "edited", Request: req, Result: res})
	}
	h.Add(requests.Entry{Label: "edited", Request: model.HTTPRequest{Method: "GET", URL: "https://api.scaling.cloud/v1/x"}, Err: "timed out"})
	out, err := SessionHAR(h.All(), "test")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{key, custom, cookie, formSecret} {
		if bytes.Contains(out, []byte(s)) {
			t.Fatalf("secret %q survived:\n%s", s, out)
		}
	}
	rep, err := Examine(bytes.NewReader(out), Options{Name: "session.har"})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Input != KindHAR || len(rep.Exchanges) != 4 || rep.Provider != "scaling" {
		t.Fatalf("read back: %s, %d exchanges, provider %q", rep.Input, len(rep.Exchanges), rep.Provider)
	}
	if !strings.Contains(strings.Join(rep.RequestIDs, ","), "req_a") {
		t.Fatalf("request ids: %v", rep.RequestIDs)
	}
}

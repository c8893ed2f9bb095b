package requests

import (
	"net/http"
	"strings"
	"testing"

	"github.com/authscope/authscope/model"
)

// The support bundle covers the whole session: every request, newest
// first, with status and request id, and no secret.
func TestBundleCoversTheSession(t *testing.T) {
	const key = "scl_live_0123456789abcdef0123456789abcdef"
	var h History
	for i, st := range []int{401, 200} {
		req := model.HTTPRequest{Method: "GET", URL: "http://127.0.0.1:1/scaling/v1/incidents?limit=" + string(rune('1'+i))}
		req = req.WithHeader("Authorization", model.Concat(model.Plain("Bearer "), model.SecretText(key)))
		h.Add(Entry{Label: "edited", Request: req, Result: &Result{Status: st, StatusText: http.StatusText(st), Header: http.Header{"X-Request-Id": {"req_" + key[:3] + string(rune('a'+i))}}}})
	}
	out := Bundle(BundleInput{Request: model.HTTPRequest{Method: "GET", URL: "http://127.0.0.1:1/x"}, Session: h.Newest(0, 10)})
	i2, i1 := strings.Index(out, "| 2 |"), strings.Index(out, "| 1 |")
	if !strings.Contains(out, "This session's requests (2, newest first)") || i2 < 0 || i1 < i2 || !strings.Contains(out, `req\_scla`) {
		t.Fatalf("the session is not in the bundle:\n%s", out)
	}
	if strings.Contains(out, key) {
		t.Fatal("the bundle holds the key")
	}
}

// TestHistoryConcurrent: senders add while a screen reads (go test -race).
func TestHistoryConcurrent(t *testing.T) {
	var h History
	done := make(chan bool)
	go func() {
		for range 2000 {
			h.Add(Entry{Request: model.HTTPRequest{Method: "GET", URL: "http://127.0.0.1/x"}, Result: &Result{Status: 200, Body: make([]byte, 64<<10)}})
		}
		close(done)
	}()
	for {
		for _, e := range h.Newest(0, 30) {
			_ = e.Status() + len(e.Path()) + len(e.RequestID())
			if e.Result != nil {
				_ = len(e.Result.Body)
			}
		}
		select {
		case <-done:
			return
		default:
		}
	}
}

// AnswerSecrets reads a redirect's query and fragment as they are
// written: a token with a %2B in an implicit flow's fragment is the
// token with its '+', the spelling shown and masked.
func TestAnswerSecretsReadsTheFragmentEscapedOnce(t *testing.T) {
	for _, loc := range []string{
		"http://127.0.0.1:9/cb#access_token=SlAV32hk%2BKG2Ay9&token_type=bearer&state=s1",
		"http://127.0.0.1:9/cb?code=SlAV32hk%2BKG2Ay9&state=s1",
	} {
		res := &Result{Status: 302, Header: http.Header{"Location": {loc}}}
		if got := AnswerSecrets(res); len(got) != 1 || got[0] != "SlAV32hk+KG2Ay9" {
			t.Errorf("%s: secrets %q, want [SlAV32hk+KG2Ay9]", loc, got)
		}
	}
}

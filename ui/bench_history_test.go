package ui

import (
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
	"github.com/authscope/authscope/themes"
)

// historyApp is the explorer with n requests in the session's history
// (each a 401 with a 1.5 KiB JSON body, as a support session piles up),
// on the history screen, at 80×24.
func historyApp(tb testing.TB, n int) *App {
	t := &testing.T{}
	c, _ := testCommon(t, themes.Dark, nil)
	c.history = &requests.History{}
	body := `{"statusCode":401,"type":"not_authorized_error","code":"invalid_api_key","requestId":"%s","message":"The API key is not valid.","detail":"` + strings.Repeat("x", 1400) + `"}`
	start := time.Now()
	for i := range n {
		id := fmt.Sprintf("req_%08d", i)
		req := model.HTTPRequest{Method: "GET", URL: fmt.Sprintf("http://127.0.0.1:8787/scaling/v1/incidents?limit=%d", i%50)}
		req = req.WithHeader("Authorization", model.Concat(model.Plain("Bearer "), model.SecretText("scl_live_0123456789abcdef0123456789abcdef")))
		b := []byte(fmt.Sprintf(body, id))
		res := &requests.Result{Request: req, Proto: "HTTP/1.1", Status: 401, StatusText: "401 Unauthorized",
			Header: http.Header{"Content-Type": {"application/json"}, "X-Request-Id": {id}}, Body: b,
			Started: start, Ended: start.Add(3 * time.Millisecond)}
		res.RawResponse = "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nX-Request-Id: " + id + "\r\n\r\n" + string(b)
		c.history.Add(requests.Entry{Label: "edited", Request: req, Result: res, Duration: 3 * time.Millisecond})
	}
	app, err := newExplorer(c, Options{})
	if err != nil {
		tb.Fatal(err)
	}
	update(t, app, tea.WindowSizeMsg{Width: 80, Height: 24})
	update(t, app, keyMsg("H"))
	return app
}

// BenchmarkViewHistory10k: with 10,000 requests in the history, one
// frame of the history screen and of an answer opened from it (an
// entry's 401, decoded) — target ≤ 2 ms each, as BenchmarkView — and
// the heap the history holds (MiB-heap).
func BenchmarkViewHistory10k(b *testing.B) {
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	a := historyApp(b, requests.MaxHistory)
	var after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&after)
	heap := float64(after.HeapAlloc-min(before.HeapAlloc, after.HeapAlloc)) / (1 << 20)
	if !strings.Contains(a.View(), "10000 requests this session") {
		b.Fatalf("not on the history:\n%s", a.View())
	}
	b.Run("history", func(b *testing.B) {
		for b.Loop() {
			_ = a.View()
		}
		b.ReportMetric(heap, "MiB-heap")
	})
	t := &testing.T{}
	update(t, a, keyMsg("down"), keyMsg("down"), keyMsg("enter"))
	update(t, a, keyMsg("esc")) // the inspector opened on the 401: back to the answer
	if _, ok := a.top().(*request); !ok || !strings.Contains(a.View(), "401") {
		b.Fatalf("not on the answer: %T\n%s", a.top(), a.View())
	}
	b.Run("answer", func(b *testing.B) {
		for b.Loop() {
			_ = a.View()
		}
		b.ReportMetric(heap, "MiB-heap")
	})
}

// TestHistoryBounded: past MaxHistory the oldest fall off, and the
// bodies kept stay within MaxHistoryBodies; the screen says so.
func TestHistoryBounded(t *testing.T) {
	var h requests.History
	big := &requests.Result{Status: 200, StatusText: "200 OK", Body: make([]byte, 1<<20)}
	for range requests.MaxHistory + 5 {
		h.Add(requests.Entry{Request: model.HTTPRequest{Method: "GET", URL: "http://127.0.0.1/x"}, Result: big})
	}
	if h.Len() != requests.MaxHistory || h.Dropped() != 5 {
		t.Fatalf("len %d dropped %d", h.Len(), h.Dropped())
	}
	kept := 0
	for _, e := range h.All() {
		if e.Result != nil {
			kept += len(e.Result.Body)
		}
	}
	if kept > requests.MaxHistoryBodies {
		t.Fatalf("%d bytes of bodies kept, over %d", kept, requests.MaxHistoryBodies)
	}
	if newest := h.Newest(0, 1)[0]; newest.BodyDropped || len(newest.Result.Body) == 0 {
		t.Fatal("the newest lost its body")
	}
}

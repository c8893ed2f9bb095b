package ui

import (
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/authscope/authscope/internal/hostile"
)

// The explorer against hostile servers, driven through keys by teatest.
//
// ui.Options has no base URL (the explorer reaches a server through a
// provider's environments only), so the tests run the program inside
// retargeting, which on a retargetMsg points the open request screen at
// a hostile server — inside the program's own Update, so nothing races.
// It is what the Production environment does with its fixed URL.

type retargetMsg struct{ url string }

type retargeting struct{ *App }

func (r retargeting) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if m, ok := msg.(retargetMsg); ok {
		if req, ok := r.top().(*request); ok {
			req.target.BaseURL = m.url
		}
		return r, nil
	}
	_, cmd := r.App.Update(msg)
	return r, cmd
}

// hostileDriver opens Scaling's request list with the demo key, aimed
// at a fresh server of the given mode.
func hostileDriver(t *testing.T, mode hostile.Mode, w, h int) (*driver, *hostile.Server) {
	t.Helper()
	srv, err := hostile.Start(mode)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close) // registered first, so it runs after the program quits
	app, _ := newTestApp(t, Options{Provider: "scaling", Env: "sandbox"}, nil)
	d := &driver{t: t}
	d.tm = newTestModel(t, retargeting{app}, w, h)
	d.keys("ctrl+d", "enter", "enter")
	d.waitFor("Requests", "GET")
	d.tm.Send(retargetMsg{url: srv.URL})
	return d, srv
}

// finalApp quits and returns the explorer under the wrapper.
func (d *driver) finalApp() *App {
	d.t.Helper()
	if err := d.tm.Quit(); err != nil {
		d.t.Fatal(err)
	}
	return d.tm.FinalModel(d.t).(retargeting).App
}

// A server that accepts and never answers: the spinner shows, Esc
// cancels at once — the connection is closed, not left waiting for the
// 30 s timeout — and the list is back and usable, twice over.
func TestExplorerEscCancelsASilentServer(t *testing.T) {
	d, srv := hostileDriver(t, hostile.Silent, 100, 30)
	for round := 1; round <= 2; round++ {
		d.keys("enter")
		d.waitFor("GET /v1/incidents", "esc cancels")
		waitUntil(t, "the request to connect", func() bool { return srv.Open() == 1 })
		d.keys("esc")
		d.waitFor("Requests", "enter: fire")
		waitUntil(t, "the cancelled request to hang up", func() bool { return srv.Open() == 0 })
	}
	d.keys("down")
	d.waitFor("› GET  One incident") // the list still moves
	app := d.finalApp()
	r, ok := app.top().(*request)
	if !ok || r.state != reqChoosing || r.resp != nil {
		t.Fatalf("after Esc: top %T, state %v, an answer %v", app.top(), r.state, r.resp != nil)
	}
	assertScreenSafe(t, "after cancel", app.View())
	assertStreamSafe(t, "drawn", d.out.String())
}

// Hostile answers end in the inspector, decoded, with nothing on screen
// a terminal would obey; going back to the body is as clean.
func TestExplorerShowsHostileErrorsClean(t *testing.T) {
	cases := []struct {
		mode hostile.Mode
		want []string // in the inspector
	}{
		{hostile.InvalidUTF8, []string{"invalid_api_key", "bad key", hostile.RequestID}},
		{hostile.BigError, []string{"invalid_api_key", "Invalid API key provided.", hostile.RequestID}},
		{hostile.RawEscapes, []string{"denied", hostile.RequestID}},
		{hostile.DeepJSON, []string{"does not parse", hostile.RequestID}},
		{hostile.SlowHeaders, []string{"invalid_api_key", hostile.RequestID}},
	}
	for _, c := range cases {
		t.Run(string(c.mode), func(t *testing.T) {
			d, _ := hostileDriver(t, c.mode, 120, 40)
			d.keys("enter")
			d.waitFor(append([]string{"Inspector"}, c.want...)...)
			d.keys("esc") // back to the answer: status, timing, body
			d.waitFor("401 Unauthorized")
			d.keys("h") // and every header
			d.waitFor("X-Request-Id:")
			app := d.finalApp()
			view := app.View()
			assertScreenSafe(t, string(c.mode), view)
			if n := strings.Count(view, "\n") + 1; n > 40 {
				t.Errorf("%d lines drawn on a 40-line terminal", n)
			}
			if r, ok := app.top().(*request); !ok || r.resp == nil || r.resp.decoded == nil {
				t.Fatalf("top %T: the decoded answer is not kept", app.top())
			}
			assertStreamSafe(t, "drawn", d.out.String())
		})
	}
}

// maxBodyLine bounds one line of the body viewport's content. The
// viewport cuts every visible line to the width on every frame
// (ansi.Cut walks the whole line), so a frame costs as much as the
// longest visible line: a 10 MB one-line body made each frame ~45 ms on
// the 2-core test machine, against 0.2 ms for a normal answer.
const maxBodyLine = 16 << 10

// A body that is one giant line (GiantBody's 10 MiB of bytes, BigError's
// 10 MB message) is cut once, when the answer arrives, not per frame.
// This fails until ui/body.go renderBody cuts long lines (see the report).
func TestExplorerCutsGiantBodyLinesOnce(t *testing.T) {
	for _, c := range []struct {
		mode hostile.Mode
		wait []string
	}{
		{hostile.GiantBody, []string{"200 OK", "truncated at 10 MiB"}},
		{hostile.BigError, []string{"Inspector", "invalid_api_key"}},
	} {
		t.Run(string(c.mode), func(t *testing.T) {
			d, _ := hostileDriver(t, c.mode, 120, 40)
			d.keys("enter")
			d.waitFor(c.wait...)
			app := d.finalApp()
			assertScreenSafe(t, string(c.mode), app.View())
			var r *request
			for _, s := range app.stack {
				if req, ok := s.(*request); ok {
					r = req
				}
			}
			if r == nil || r.resp == nil {
				t.Fatal("no answer on the request screen")
			}
			longest := 0
			for _, line := range strings.Split(r.resp.body, "\n") {
				longest = max(longest, len(line))
			}
			if longest > maxBodyLine {
				t.Errorf("the body viewport holds a %d-byte line: every frame cuts it again (at most %d)", longest, maxBodyLine)
			}
		})
	}
}

// sgr is the renderer's own styling (colour, bold): the only escape a
// View may hold.
var sgr = regexp.MustCompile(`\x1b\[[0-9;:]*m`)

// assertScreenSafe checks a View: once SGR is removed, no ESC (so no
// CSI, OSC 52, DCS or bare ESC), BEL, C1 control or invalid UTF-8.
func assertScreenSafe(t *testing.T, where, view string) {
	t.Helper()
	if !utf8.ValidString(view) {
		t.Errorf("%s: invalid UTF-8 in the view", where)
	}
	for i, r := range sgr.ReplaceAllString(view, "") {
		if r == 0x1b || r == 0x07 || (r >= 0x80 && r <= 0x9f) {
			t.Errorf("%s: control %U in the view at byte %d", where, r, i)
			return
		}
	}
}

// assertStreamSafe checks everything the program wrote to the terminal.
// The renderer itself moves the cursor and clears lines with CSI, so CSI
// is allowed here; a string command (OSC such as the OSC 52 clipboard
// write, DCS, SOS, PM, APC), a reset (ESC c), BEL, C1 controls and
// invalid UTF-8 are not: only a server could have put them there.
func assertStreamSafe(t *testing.T, where, drawn string) {
	t.Helper()
	if !utf8.ValidString(drawn) {
		t.Errorf("%s: invalid UTF-8 reached the terminal", where)
	}
	for i, r := range drawn {
		if r == 0x07 || (r >= 0x80 && r <= 0x9f) {
			t.Errorf("%s: control %U at byte %d", where, r, i)
			return
		}
		if r == 0x1b && i+1 < len(drawn) && strings.IndexByte("]PX^_c", drawn[i+1]) >= 0 {
			t.Errorf("%s: ESC %c at byte %d: %q", where, drawn[i+1], i, drawn[i:min(len(drawn), i+20)])
			return
		}
	}
}

func newTestModel(t *testing.T, m tea.Model, w, h int) *teatest.TestModel {
	t.Helper()
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(w, h))
	t.Cleanup(func() { _ = tm.Quit() })
	return tm
}

// waitUntil polls cond; the bound only stops a broken test from hanging.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

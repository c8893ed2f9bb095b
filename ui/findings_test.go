package ui

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/authscope/authscope/doctor"
	"github.com/authscope/authscope/themes"
)

// schemeTwiceCurl is a multi-line curl as a terminal pastes it: every
// line end a lone CR.
const schemeTwiceKey = "scl_live_9Qx7RkT2mWcY4bN8pLs1Vd6Hf3Jg0Aze"

var schemeTwiceCurl = strings.Join([]string{
	`curl --request GET \`,
	`  --url 'https://api.scaling.cloud/v1/incidents?limit=10' \`,
	`  --header 'Authorization: Bearer Bearer ` + schemeTwiceKey + `'`,
}, "\r")

func readFixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "doctor", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestDecodeTakesAMultiLineCurlWithCR: a curl pasted with CR line ends
// opens the findings, the doctor's first finding on top, and its key is
// on no screen.
func TestDecodeTakesAMultiLineCurlWithCR(t *testing.T) {
	app, _ := newTestApp(t, Options{}, nil)
	d := drive(t, app, 100, 30)
	d.keys("d")
	d.waitFor("Decode")
	d.paste(schemeTwiceCurl)
	d.waitFor("Findings, most likely cause first", "curl command line", "scaling, production", `"Bearer Bearer" is pasted twice`)
	// Back on decode, the paste is shown with its key masked.
	d.keys("esc")
	d.waitFor("Decode ·", "--header 'Authorization: Bearer Bearer")
	d.keys("ctrl+s")
	d.waitFor("Findings, most likely cause first")
	final := d.final()
	f, ok := final.top().(*findings)
	if !ok {
		t.Fatalf("top is %T, want the findings", final.top())
	}
	if got := f.ex.report.Findings[0].Check; got != "scheme-twice" {
		t.Errorf("first finding %q, want scheme-twice", got)
	}
	if strings.Contains(d.out.String(), schemeTwiceKey) {
		t.Error("the pasted key was drawn")
	}
}

// TestFindingsCopyTheRequestID: curl -v output with a 401: the request id
// is highlighted on the findings and y copies it.
func TestFindingsCopyTheRequestID(t *testing.T) {
	app, clip := newTestApp(t, Options{}, nil)
	d := drive(t, app, 100, 30)
	d.keys("d")
	d.waitFor("Decode")
	d.paste(readFixture(t, "scheme-twice.curlv"))
	d.waitFor("curl -v output", "Request id", "7c9e6679-7425-40de-944b-e07fc1f90ae7")
	d.keys("y")
	d.waitFor("request id")
	if got := clip.last(t); got != "7c9e6679-7425-40de-944b-e07fc1f90ae7" {
		t.Errorf("copied %q", got)
	}
	// i opens the answer in the inspector, as an error body pasted alone.
	d.keys("i")
	d.waitFor("Inspector", "What it means", "requestId = 7c9e6679-7425-40de-944b-e07fc1f90ae7")
	if _, ok := d.final().top().(*inspector); !ok {
		t.Error("i did not open the inspector")
	}
}

// TestFindingsReplayOnTheSandbox: r re-sends the request on the real
// in-process sandbox, before (the customer's mistake: 401) and after the
// fix (200).
func TestFindingsReplayOnTheSandbox(t *testing.T) {
	app, _ := newTestApp(t, Options{}, nil)
	d := drive(t, app, 120, 40)
	d.keys("d")
	d.paste(schemeTwiceCurl)
	d.waitFor("Findings, most likely cause first")
	d.keys("r")
	d.waitFor("Replay on the sandbox", "keep one scheme word")
	final := d.final()
	f := final.top().(*findings)
	if f.replay == nil || len(f.replay.result.Rows) == 0 {
		t.Fatalf("no replay: %+v (problem %q)", f.replay, f.problem)
	}
	row := f.replay.result.Rows[0]
	if row.Before.Status != 401 || row.After.Status != 200 {
		t.Errorf("before %+v after %+v, want 401 then 200", row.Before, row.After)
	}
}

// TestFindingsRedactedCopy: x puts `doctor --redact`'s output on the
// clipboard: the curl still reads, the key is gone.
func TestFindingsRedactedCopy(t *testing.T) {
	app, clip := newTestApp(t, Options{}, nil)
	d := drive(t, app, 100, 30)
	d.keys("d")
	d.paste(schemeTwiceCurl)
	d.waitFor("Findings, most likely cause first")
	d.keys("x")
	d.waitFor("redacted copy")
	d.final()
	got := clip.last(t)
	want, err := doctor.Redact([]byte(schemeTwiceCurl), doctor.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// The paste came with a terminal's CR line ends; the copy, meant for
	// a ticket or a shell, has LF.
	if got != strings.ReplaceAll(string(want), "\r", "\n") || strings.Contains(got, schemeTwiceKey) || !strings.Contains(got, "Bearer Bearer scl_live_") {
		t.Errorf("copied %q", got)
	}
	if strings.Contains(got, "\r") || strings.Count(got, "\n") != 2 {
		t.Errorf("the line ends are not LF: %q", got)
	}
}

// TestDecodeOpensAHARByPath: a HAR's path typed into decode and ctrl+s
// reads the file (every entry) and shows the findings across it.
func TestDecodeOpensAHARByPath(t *testing.T) {
	path, err := filepath.Abs(filepath.Join("..", "doctor", "testdata", "chromium-sandbox.har"))
	if err != nil {
		t.Fatal(err)
	}
	app, clip := newTestApp(t, Options{}, nil)
	d := drive(t, app, 120, 40)
	d.keys("d", path, "ctrl+s")
	d.waitFor("HAR file", "10 request(s)", "A stale token")
	d.keys("x")
	d.waitFor("redacted copy")
	final := d.final()
	if _, ok := final.top().(*findings); !ok {
		t.Fatalf("top is %T", final.top())
	}
	if got := clip.last(t); !strings.Contains(got, `"entries"`) || strings.Contains(got, "cdef\"") && strings.Contains(got, "live_0123456789abcdef0123456789abcdef") {
		t.Errorf("the redacted HAR is not a HAR or holds a key")
	}
}

// TestDecodeSaysWhyAPathCannotBeRead: one line, the screen stays.
func TestDecodeSaysWhyAPathCannotBeRead(t *testing.T) {
	app, _ := newTestApp(t, Options{}, nil)
	d := drive(t, app, 100, 30)
	d.keys("d", "/nonexistent/x.har", "ctrl+s")
	d.waitFor("cannot open /nonexistent/x.har: no such file or directory")
	if _, ok := d.final().top().(*decodeScreen); !ok {
		t.Error("decode was left")
	}
}

// TestFindingsRealReplayAsksFirst: R on a Scale live POST waits for y,
// like a live non-GET on the request screen; n sends nothing.
func TestFindingsRealReplayAsksFirst(t *testing.T) {
	app, _ := newTestApp(t, Options{}, nil)
	d := drive(t, app, 120, 30)
	d.keys("d")
	d.paste(`curl -X POST https://api.scale.com/v1/task/imageannotation -H "Authorization: Bearer live_7f3a9c2e4b1d8f6a0c5e9b2d7a4f1c8e" -d 'x=1'`)
	d.waitFor("Findings, most likely cause first")
	d.keys("R")
	d.waitFor("is live: the work is done by people and charged", "type the method to send")
	d.keys("y", "enter") // the copy key, then enter: no habit sends it
	d.waitFor("type POST exactly")
	d.keys("esc")
	d.waitFor("not sent")
	f := d.final().top().(*findings)
	if f.state != replayIdle || f.replay != nil {
		t.Errorf("state %v, replay %+v", f.state, f.replay)
	}
}

// TestFindingsRealReplaySendsToTheHost: R on a request to a loopback
// API sends the customer's request there (a stand-in for the real API).
func TestFindingsRealReplaySendsToTheHost(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("X-Request-Id", "real-host-id-1")
		w.WriteHeader(401)
	}))
	defer srv.Close()
	app, _ := newTestApp(t, Options{}, nil)
	d := drive(t, app, 120, 30)
	d.keys("d")
	d.paste("curl " + srv.URL + "/scaling/v1/incidents -H 'Authorization: Bearer Bearer " + schemeTwiceKey + "'")
	d.waitFor("Findings, most likely cause first")
	d.keys("R")
	// Always asked first, naming the entry and the host; nothing sent yet.
	d.waitFor("Send entry 1 of 1", strings.TrimPrefix(srv.URL, "http://"))
	if hits.Load() != 0 {
		t.Fatal("R sent before the answer")
	}
	d.keys("y") // y copies on this screen: it is no answer
	if hits.Load() != 0 {
		t.Fatal("y sent the replay")
	}
	d.keys("backspace", "G", "E", "T", "enter")
	d.waitFor("Replay on the real", "real-host-id-1")
	d.final()
	if hits.Load() < 1 {
		t.Error("nothing reached the host")
	}
}

// examineFixture reads a doctor fixture as the decode screen would, on
// a fixed clock.
func examineFixture(t *testing.T, name string) examined {
	t.Helper()
	text := readFixture(t, name)
	rep, err := doctor.ExamineText(text, doctor.Options{Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	return examined{report: rep, text: text}
}

// fixedReplay is a replay's outcome with stable ids, for the golden.
var fixedReplay = doctor.ReplayResult{
	Target: "sandbox", Entry: 1, Method: "GET", URL: "http://127.0.0.1:8787/scaling/v1/incidents",
	Before: doctor.Outcome{Status: 401, Code: "invalid_api_key", RequestID: "cb33f09d-6a4a-4ab6-8ee1-a5e20ce632d6"},
	Rows: []doctor.ReplayRow{{
		Fix:    "keep one scheme word",
		Before: doctor.Outcome{Status: 401, Code: "invalid_api_key", RequestID: "cb33f09d-6a4a-4ab6-8ee1-a5e20ce632d6"},
		After:  doctor.Outcome{Status: 200, RequestID: "99829b39-0688-4e93-952e-693bf42525b2"},
	}},
}

// TestFindingsEscClosesThenGoesBack: Esc refuses the real-replay prompt
// first, then goes back to decode (its text kept), then further; the
// program never quits.
func TestFindingsEscClosesThenGoesBack(t *testing.T) {
	app, _ := newTestApp(t, Options{}, nil)
	update(t, app, keyMsg("d"), openFindingsMsg{ex: examined{report: mustExamine(t,
		`curl -X POST https://api.scale.com/v1/task/imageannotation -u live_7f3a9c2e4b1d8f6a0c5e9b2d7a4f1c8e:`), text: "x"}})
	if _, ok := app.top().(*findings); !ok {
		t.Fatalf("top is %T", app.top())
	}
	update(t, app, keyMsg("R"))
	if f := app.top().(*findings); f.state != replayConfirming {
		t.Fatalf("R on a Scale live POST did not ask (state %v)", f.state)
	}
	if !strings.Contains(ansi.Strip(app.View()), "esc back") {
		t.Error("the footer does not say esc goes back")
	}
	update(t, app, keyMsg("esc"))
	if f, ok := app.top().(*findings); !ok || f.state != replayIdle {
		t.Fatalf("esc did not just close the prompt: top %T", app.top())
	}
	update(t, app, keyMsg("esc"))
	if _, ok := app.top().(*decodeScreen); !ok {
		t.Fatalf("esc from the findings went to %T, want decode", app.top())
	}
	for range 5 {
		update(t, app, keyMsg("esc"))
	}
	if len(app.stack) != 1 {
		t.Errorf("stack %d after esc on the first screen", len(app.stack))
	}
}

// TestFindingsDrawNoTerminalEscapes: a JWT whose claims carry OSC 52 and
// CSI sequences is drawn as text, never as escapes.
func TestFindingsDrawNoTerminalEscapes(t *testing.T) {
	app, _ := newTestApp(t, Options{}, nil)
	ex := examineFixture(t, "jwt-escapes.txt")
	// The doctor sanitises its text; the screen must not rely on it.
	ex.report.Findings[0].Title += "\x1b]52;c;aGk=\x07\x1b[2J"
	update(t, app, tea.WindowSizeMsg{Width: 120, Height: 80}, keyMsg("d"), openFindingsMsg{ex: ex})
	view := app.View()
	for _, bad := range []string{"\x1b]", "\x07", "\x1b[2J", "\x9b"} {
		if strings.Contains(view, bad) {
			t.Errorf("the findings draw %q", bad)
		}
	}
	if !strings.Contains(ansi.Strip(view), "JWT") {
		t.Errorf("the JWT finding is not shown:\n%s", ansi.Strip(view))
	}
}

func mustExamine(t *testing.T, text string) *doctor.Report {
	t.Helper()
	rep, err := doctor.ExamineText(text, doctor.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestMaskedPasteIsNotExaminedAgain: after a paste is read, decode shows
// it with the key masked; editing that text and pressing ctrl+s must not
// examine the mask as if it were the key.
func TestMaskedPasteIsNotExaminedAgain(t *testing.T) {
	app, _ := newTestApp(t, Options{}, nil)
	d := drive(t, app, 100, 30)
	d.keys("d")
	d.paste(schemeTwiceCurl)
	d.waitFor("Findings, most likely cause first")
	d.keys("esc")
	d.waitFor("Decode ·", "••••")
	d.keys(" ", "ctrl+s")
	d.waitFor("holds masked secrets", "paste the original again")
	d.final()
}

// TestReplayTableNeverCutsARequestID: side by side only when whole rows
// fit; at 100 columns (the README's tour size) the ids stay whole, each
// on one line, and no line is wider than the screen.
func TestReplayTableNeverCutsARequestID(t *testing.T) {
	before := doctor.Outcome{Status: 401, Code: "invalid_api_key", RequestID: "ea3d3379-00fe-494b-9c1a-7a1f0e6b2d11"}
	res := &doctor.ReplayResult{Target: "sandbox", Method: "GET", URL: "http://127.0.0.1:8787/scale/v1/projects", Before: before,
		Rows: []doctor.ReplayRow{{Fix: `encode "KEY:" with the colon`, Before: before,
			After: doctor.Outcome{Status: 200, RequestID: "691d190c-0249-491d-bd77-dcd85bd19c8f"}}}}
	for _, width := range []int{80, 100, 120, 160} {
		c, _ := testCommon(t, themes.Dark, nil)
		c.width = width
		view := ansi.Strip(replayView(c, res, func(s string) string { return s }))
		for _, id := range []string{before.RequestID, res.Rows[0].After.RequestID} {
			if !strings.Contains(view, id) {
				t.Errorf("at %d columns the id %s is not whole:\n%s", width, id, view)
			}
		}
		for _, l := range strings.Split(view, "\n") {
			if ansi.StringWidth(l) > width {
				t.Errorf("at %d columns a line is %d wide: %q", width, ansi.StringWidth(l), l)
			}
		}
	}
}

// TestPastedAnswerBelongsToNoSession: after Scaling's steps, a Scalekit
// answer pasted into decode is shown without Scaling's name, and the copy
// menu offers its request id, not Scaling's header or snippets.
func TestPastedAnswerBelongsToNoSession(t *testing.T) {
	app, _ := newTestApp(t, Options{Provider: "scaling", Env: "sandbox"}, nil)
	d := drive(t, app, 100, 30)
	d.waitFor("API key")
	d.keys("ctrl+d", "enter")
	d.waitFor("Authorization: Bearer")
	d.keys("d")
	d.waitFor("Decode ·")
	d.paste("HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nX-Request-Id: zz-1\r\n\r\n" + `{"code":16,"message":"Token empty","details":[]}`)
	d.waitFor("Inspector", "Token empty")
	a := d.final()
	if status := ansi.Strip(a.statusLine()); strings.Contains(status, "Scaling") {
		t.Errorf("the status line names the session's provider: %q", status)
	}
	if src := a.copySource(); src.target.Provider.ID != "" || src.decoded == nil {
		t.Errorf("the copy menu would copy from %q", src.target.Provider.ID)
	}
}

// TestFindingsPicksTheEntryToReplay: in a HAR of several requests, e
// picks the next one (the head names it), R asks naming that entry and
// its host, and y sends that request and no other.
func TestFindingsPicksTheEntryToReplay(t *testing.T) {
	var mu sync.Mutex
	var paths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.Path)
		mu.Unlock()
		w.WriteHeader(401)
	}))
	defer srv.Close()
	entry := func(path string, status int) string {
		return fmt.Sprintf(`{"startedDateTime":"2026-01-01T00:00:00Z","request":{"method":"GET","url":%q,"httpVersion":"HTTP/1.1","headers":[],"queryString":[],"cookies":[]},"response":{"status":%d,"statusText":"","httpVersion":"HTTP/1.1","headers":[],"cookies":[],"content":{"size":2,"mimeType":"application/json","text":"{}"}}}`, srv.URL+path, status)
	}
	har := `{"log":{"version":"1.2","entries":[` + entry("/one", 200) + "," + entry("/two", 401) + "," + entry("/three", 200) + `]}}`
	c, _ := testCommon(t, themes.Dark, nil)
	c.width, c.height = 120, 30
	f := newFindings(c, examined{report: mustExamine(t, har), text: har})
	f.key(keyMsg("n")) // the doctor picks entry 2 (the failed one): n moves to 3
	if f.entry != 3 || !strings.Contains(ansi.Strip(f.head()), "replay entry 3 of 3: GET "+srv.URL+"/three") {
		t.Fatalf("entry %d, head %q", f.entry, ansi.Strip(f.head()))
	}
	f.key(keyMsg("n"))
	if f.entry != 1 {
		t.Fatalf("n after the last entry went to %d, want 1", f.entry)
	}
	f.key(keyMsg("R"))
	head := ansi.Strip(f.head())
	if f.state != replayConfirming || !strings.Contains(head, "Send entry 1 of 3") || !strings.Contains(head, strings.TrimPrefix(srv.URL, "http://")) {
		t.Fatalf("state %v, head %q", f.state, head)
	}
	if f.key(keyMsg("y")); f.state != replayConfirming {
		t.Fatal("y answered the confirmation: only the method typed does")
	}
	var cmd tea.Cmd
	for _, k := range []string{"backspace", "G", "E", "T", "enter"} {
		cmd = f.key(keyMsg(k))
	}
	if cmd == nil || f.state != replaySending {
		t.Fatalf("GET typed started nothing (state %v)", f.state)
	}
	msg := replayCmd(context.Background(), f.common, f.seq, f.ex.report, f.entry, true)()
	if r, ok := msg.(replayedMsg); !ok || r.err != nil || r.result.Entry != 1 {
		t.Fatalf("replay: %+v", msg)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(paths) == 0 || slices.ContainsFunc(paths, func(p string) bool { return p != "/one" }) {
		t.Fatalf("the replay sent %v, want only /one", paths)
	}
}

// With several requests in the paste, l lists them: the one chosen there
// is what r and R replay, named above the findings.
func TestFindingsListsTheEntriesToReplay(t *testing.T) {
	entry := func(path string, status int) string {
		return fmt.Sprintf(`{"startedDateTime":"2026-01-01T00:00:00Z","request":{"method":"GET","url":"http://127.0.0.1:9/scaling%s","httpVersion":"HTTP/1.1","headers":[],"queryString":[],"cookies":[]},"response":{"status":%d,"statusText":"","httpVersion":"HTTP/1.1","headers":[],"cookies":[],"content":{"size":2,"mimeType":"application/json","text":"{}"}}}`, path, status)
	}
	har := `{"log":{"version":"1.2","entries":[` + entry("/v1/one", 200) + "," + entry("/v1/two", 401) + "," + entry("/v1/three", 200) + `]}}`
	app, _ := newTestApp(t, Options{}, nil)
	d := drive(t, app, 120, 30)
	d.keys("d")
	d.paste(har)
	d.waitFor("Findings, most likely cause first")
	d.keys("l")
	d.waitFor("Replay which request?", "/scaling/v1/three")
	d.keys("down", "down", "down", "enter") // the cursor stops at the last
	d.waitFor("r and R replay entry 3 of 3: GET http://127.0.0.1:9/scaling/v1/three")
	d.keys("l")
	d.waitFor("Replay which request?")
	d.keys("up", "up", "up", "enter")
	d.waitFor("r and R replay entry 1 of 3: GET http://127.0.0.1:9/scaling/v1/one")
	d.final()
}

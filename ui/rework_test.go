package ui

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/authscope/authscope/doctor"
	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
	"github.com/authscope/authscope/sandbox"
	"github.com/authscope/authscope/themes"
)

const (
	customerKey = "scl_live_ffffffffffffffffffffffffffffffff"
	demoKey     = "scl_live_0123456789abcdef0123456789abcdef"
)

func ctrl(t tea.KeyType) tea.KeyMsg { return tea.KeyMsg{Type: t} }

// TestJ9ReworkJourney is the "done when", driven through the
// real program: a customer's curl pasted into the doctor, resent as
// pasted, edited twice and resent, the three answers in the history, two
// of them compared, the session exported as a HAR that the doctor reads
// back with no secret in it; Esc never quits on the way.
func TestJ9ReworkJourney(t *testing.T) {
	srv, err := sandbox.Start(context.Background(), sandbox.Options{Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	dir := t.TempDir()
	app, _ := newTestApp(t, Options{}, map[string]string{"AUTHSCOPE_EXPORT_DIR": dir})
	d := drive(t, app, 120, 40)
	curl := "curl -H 'Authorization: Bearer " + customerKey + "' '" + srv.URL() + "/scaling/v1/incidents?limit=10'"

	d.keys("d")
	d.waitFor("Decode")
	d.paste(curl)
	d.waitFor("Findings", "e edit and resend")
	d.keys("e")
	d.waitFor("Edit and resend", "Authorization: as pasted", "ready: ctrl+s sends GET /scaling/v1/incidents?limit=10")

	// 1. As pasted: the customer's 401.
	d.keys("ctrl+s")
	d.waitFor("401 Unauthorized", "invalid_api_key")
	d.keys("esc") // the inspector
	d.waitFor("GET /scaling/v1/incidents?limit=10")
	d.keys("esc") // back on the editor, the text as it was
	d.waitFor("Edit and resend")

	// 2. The key replaced: up, up to the Authorization line, retyped.
	d.keys("up", "up")
	d.tm.Send(ctrl(tea.KeyCtrlA))
	d.tm.Send(ctrl(tea.KeyCtrlK))
	d.keys("Authorization: Bearer " + demoKey)
	d.waitFor("1 change(s)")
	typed := d.out.Len() // the key shows while typed; once sent it is masked everywhere
	d.keys("ctrl+s")
	d.waitFor("200 OK", "Changed: header Authorization replaced")
	d.keys("esc")
	d.waitFor("Edit and resend")

	// 3. A header added and the query changed.
	d.keys("enter", "X-Debug: 1", "up", "up")
	d.tm.Send(ctrl(tea.KeyCtrlE))
	d.keys("backspace", "backspace", "5")
	d.waitFor("3 change(s)")
	d.keys("ctrl+s")
	d.waitFor("200 OK", "→ /scaling/v1/incidents?limit=5", "Debug added")

	// The history: three answers, newest first.
	d.keys("H")
	d.waitFor("3 requests this session", "#3", "#2", "#1", "401", "200")
	d.keys("m", "down", "down", "v")
	d.waitFor("Compare", "≠ status: 401 Unauthorized", "status: 200 OK", "invalid_api_key")
	d.keys("esc")
	d.waitFor("History")
	d.keys("x")
	d.waitFor("exported 3 requests")

	// Esc goes back, screen by screen, and never quits.
	for i := 0; i < 12; i++ {
		d.keys("esc")
	}
	d.waitFor("Environment for Scaling", "choose a provider")
	final := d.final()
	if len(final.stack) != 1 {
		t.Fatalf("esc should have gone back to the first screen, stack %d", len(final.stack))
	}
	if strings.Contains(d.out.String(), customerKey) || strings.Contains(d.out.String()[typed:], demoKey) {
		t.Fatal("a key was drawn")
	}
	if n := final.c.history.Len(); n != 3 {
		t.Fatalf("history holds %d requests, want 3", n)
	}

	// The export reads back in the doctor, redacted.
	files, _ := filepath.Glob(filepath.Join(dir, "authscope-session-*.har"))
	if len(files) != 1 {
		t.Fatalf("exported files: %v", files)
	}
	data, _ := os.ReadFile(files[0])
	for _, k := range []string{customerKey, demoKey} {
		if strings.Contains(string(data), k) {
			t.Fatalf("the HAR holds a key")
		}
	}
	rep, err := doctor.ExamineText(string(data), doctor.Options{Name: files[0]})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Input != doctor.KindHAR || len(rep.Exchanges) != 3 || rep.Provider != "scaling" {
		t.Fatalf("read back: %s, %d entries, %q", rep.Input, len(rep.Exchanges), rep.Provider)
	}
	if rep.Exchanges[0].Response.Status != 401 || rep.Exchanges[2].Response.Status != 200 {
		t.Fatalf("statuses %d, %d", rep.Exchanges[0].Response.Status, rep.Exchanges[2].Response.Status)
	}
}

// editorOn opens an editor on a sandbox-like request, for the checks.
func editorOn(t *testing.T, req model.HTTPRequest) *editor {
	t.Helper()
	c, _ := testCommon(t, themes.Dark, nil)
	c.out = &outbox{}
	c.SetSize(100, 30)
	return newEditor(c, editedRequest{original: req, req: req, from: "a test", authNote: "built by the steps"})
}

func baseRequest() model.HTTPRequest {
	req := model.HTTPRequest{Method: "GET", URL: "http://127.0.0.1:9/scaling/v1/incidents?limit=10"}
	return req.WithHeader("Authorization", model.Concat(model.Plain("Bearer "), model.SecretText(demoKey)))
}

// TestEditorChecksAsTyped: each bad input is named at its line and the
// request cannot be sent; a JSON body that is not JSON is a warning only.
func TestEditorChecksAsTyped(t *testing.T) {
	for _, tc := range []struct {
		name, text, want string
		sendable         bool
	}{
		{"space in a name", "GET /v1/x\nBad Name: 1\n\n", `"Bad Name" holds a space`, false},
		{"userinfo", "GET http://user:hunter2@127.0.0.1:9/v1/x\n\n", "user name or password", false},
		{"no colon", "GET /v1/x\nnocolon\n\n", "line 2: write a header as Name: value", false},
		{"masked left in a new header", "GET /v1/x\nX-Key: scl_live_••••••••cdef\n\n", "still holds a masked value", false},
		{"bad JSON", "POST /v1/x\nContent-Type: application/json\n\n{\"a\":", "not valid JSON", true},
		{"good JSON", "POST /v1/x\nContent-Type: application/json\n\n{\"a\":1}", "body: valid JSON", true},
		{"Authorization removed", "GET /v1/x\n\n", "ready", true},
	} {
		e := editorOn(t, baseRequest())
		e.area.SetValue(tc.text)
		e.check()
		view := ansi.Strip(e.View())
		if !strings.Contains(strings.Join(strings.Fields(view), " "), tc.want) {
			t.Errorf("%s: the editor does not say %q:\n%s", tc.name, tc.want, view)
		}
		if (e.parsed != nil) != tc.sendable {
			t.Errorf("%s: sendable %v, problem %q", tc.name, e.parsed != nil, e.problem)
		}
		e.Update(keyMsg("ctrl+s"))
		if sent := len(e.out.take()); (sent == 1) != tc.sendable {
			t.Errorf("%s: ctrl+s sent %d", tc.name, sent)
		}
	}
}

// TestEditorRefusesControlCharacters: a NUL typed or pasted is refused
// at the field, in words (the text area would drop it silently); a CR in
// a pasted header becomes a line of its own, shown, checked as a header.
func TestEditorRefusesControlCharacters(t *testing.T) {
	e := editorOn(t, baseRequest())
	before := e.area.Value()
	e.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("X-A: b\x00c"), Paste: true})
	if e.area.Value() != before || !strings.Contains(ansi.Strip(e.View()), "refused at the field: the input holds U+0000") {
		t.Fatalf("NUL taken:\n%s", ansi.Strip(e.View()))
	}
	e.area.SetValue("GET /v1/x\n")
	e.area.CursorEnd()
	e.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("X-A: b\rX Evil: 1"), Paste: true})
	view := ansi.Strip(e.View())
	if !strings.Contains(view, "3 X Evil: 1") || !strings.Contains(view, `"X Evil" holds a space`) || e.parsed != nil {
		t.Fatalf("the CR did not become a visible, checked line:\n%s", view)
	}
}

// TestEditorKeepsTheBuiltHeader: the masked Authorization left as shown
// sends the secret it stands for; removing Host is said.
func TestEditorKeepsTheBuiltHeader(t *testing.T) {
	orig := baseRequest().WithHeader("Host", model.Plain("127.0.0.1:9"))
	e := editorOn(t, orig)
	if !strings.Contains(ansi.Strip(e.View()), "Authorization: built by the steps") {
		t.Fatalf("the built header is not marked:\n%s", ansi.Strip(e.View()))
	}
	if strings.Contains(e.area.Value(), demoKey) {
		t.Fatal("the editor shows the key")
	}
	e.area.SetValue(strings.Replace(e.area.Value(), "Host: 127.0.0.1:9\n", "", 1))
	e.check()
	if e.parsed == nil {
		t.Fatal(e.problem)
	}
	v, _ := e.parsed.Header("Authorization")
	if v.Reveal() != "Bearer "+demoKey || len(v.Secrets()) != 1 {
		t.Fatalf("Authorization %q, secrets %d", v.Masked(), len(v.Secrets()))
	}
	if !strings.Contains(strings.Join(e.notes, " "), "Host removed") {
		t.Fatalf("notes %v", e.notes)
	}
}

// TestEditorRefusesAHugePaste: a 20 MB paste is refused whole, with a
// message; memory holds nothing of it.
func TestEditorRefusesAHugePaste(t *testing.T) {
	e := editorOn(t, baseRequest())
	before := e.area.Value()
	e.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(strings.Repeat("a", 20<<20)), Paste: true})
	if e.area.Value() != before || !strings.Contains(ansi.Strip(e.View()), "over the 64 KiB the editor holds") {
		t.Fatalf("the paste was taken or not refused:\n%.500s", ansi.Strip(e.View()))
	}
}

// TestEditedLiveNonGetNeedsTheMethodTyped: a POST from the editor to a
// live host waits for its method typed; esc says not sent.
func TestEditedLiveNonGetNeedsTheMethodTyped(t *testing.T) {
	c, _ := testCommon(t, themes.Dark, nil)
	c.out, c.history = &outbox{}, &requests.History{}
	req := model.HTTPRequest{Method: "POST", URL: "https://api.scaling.cloud/v1/incidents"}
	r := newEditedAnswer(c, editedRequest{original: req, req: req}, builtHeader{})
	r.fire(false)
	if r.state != reqConfirming || !strings.Contains(ansi.Strip(r.View()), "live environment") {
		t.Fatalf("state %v:\n%s", r.state, ansi.Strip(r.View()))
	}
	r.Update(keyMsg("y"))
	r.Update(keyMsg("enter"))
	if r.state != reqConfirming {
		t.Fatal("y, enter sent a live POST")
	}
	r.Update(keyMsg("esc"))
	if !strings.Contains(ansi.Strip(r.View()), "not sent") || c.history.Len() != 0 {
		t.Fatalf("cancel: history %d\n%s", c.history.Len(), ansi.Strip(r.View()))
	}
}

// TestEditorRunsThePreSendChecks: a key typed into the Authorization
// line is checked as one typed into the credentials screen.
func TestEditorRunsThePreSendChecks(t *testing.T) {
	p, _ := model.Lookup("scaling")
	env, _ := p.Env("sandbox")
	orig := baseRequest()
	c, _ := testCommon(t, themes.Dark, nil)
	c.out = &outbox{}
	e := newEditor(c, editedRequest{target: model.Target{Provider: p, Env: env}, original: orig, req: orig, from: "a test"})
	e.SetSize(120, 30)
	e.area.SetValue("GET /v1/x\nAuthorization: Bearer Bearer " + demoKey + "\n\n")
	e.check()
	if v := strings.Join(strings.Fields(ansi.Strip(e.View())), " "); !strings.Contains(v, `starts with "Bearer"`) || e.parsed == nil {
		t.Fatalf("no pre-send check:\n%s", v)
	}
}

// TestHistoryExportRefusals: an empty session, a file already there (it
// is never replaced) and a directory that cannot be written each say so.
func TestHistoryExportRefusals(t *testing.T) {
	h := &requests.History{}
	if msg := exportCmd(h, t.TempDir(), nil)().(exportedMsg); msg.err == nil || !strings.Contains(msg.err.Error(), "nothing sent yet") {
		t.Fatalf("empty: %v", msg.err)
	}
	h.Add(requests.Entry{Label: "edited", Request: baseRequest(), Err: "timed out"})
	dir := t.TempDir()
	at := func() time.Time { return time.Date(2026, 12, 2, 4, 0, 0, 0, time.UTC) }
	if msg := exportCmd(h, dir, at)().(exportedMsg); msg.err != nil {
		t.Fatal(msg.err)
	}
	if msg := exportCmd(h, dir, at)().(exportedMsg); msg.err == nil || !strings.Contains(msg.err.Error(), "exists: left as it is") {
		t.Fatalf("existing: %v", msg.err)
	}
	if msg := exportCmd(h, filepath.Join(dir, "no", "such"), at)().(exportedMsg); msg.err == nil || !strings.Contains(msg.err.Error(), "cannot write") {
		t.Fatalf("unwritable: %v", msg.err)
	}
}

// TestCopyMenuOnAnEditedAnswer: curl copies the edited request as sent
// (its added header and body), not the sample.
func TestCopyMenuOnAnEditedAnswer(t *testing.T) {
	req := baseRequest().WithHeader("X-Debug", model.Plain("1"))
	req.Method, req.Body = "POST", model.Plain(`{"a":1}`)
	src := copySource{resp: &responseMsg{request: req, edited: &editedRequest{req: req}}}
	for _, it := range copyItems() {
		if it.label != "curl command" {
			continue
		}
		text, err := it.make(src, 0)
		if err != nil {
			t.Fatal(err)
		}
		got := text.Reveal()
		for _, want := range []string{"-X POST", "X-Debug: 1", `--data-raw '{"a":1}'`, "Authorization: Bearer " + demoKey} {
			if !strings.Contains(got, want) {
				t.Errorf("curl lacks %q:\n%s", want, got)
			}
		}
		if strings.Contains(text.Masked(), demoKey) {
			t.Error("the preview shows the key")
		}
		return
	}
	t.Fatal("no curl item")
}

// TestHistoryRecordsTokenRequestsAndSamples: the steps' token request and
// a fired sample land in the history, newest first; e on the sample's
// row edits it again with the token the steps fetched.
func TestHistoryRecordsTokenRequestsAndSamples(t *testing.T) {
	app, _ := newTestApp(t, Options{}, nil)
	d := drive(t, app, 120, 40)
	d.keys("2", "enter", "ctrl+d", "enter")
	d.waitFor("Steps", "expires in", "Authorization: Bearer")
	d.keys("f")
	d.waitFor("GET /api/v1/organizations", "200 OK")
	d.keys("H")
	d.waitFor("2 requests this session", "POST", "/oauth/token", "token request", "organizations")
	d.keys("e")
	d.waitFor("Edit and resend", "Authorization: Bearer ••••••••")
	d.keys("ctrl+s")
	d.waitFor("200 OK")
	final := d.final()
	if n := final.c.history.Len(); n != 3 {
		t.Fatalf("history holds %d", n)
	}
	if e := final.c.history.Newest(0, 1)[0]; e.Label != "resent" || e.Status() != 200 {
		t.Fatalf("newest %q %d", e.Label, e.Status())
	}
}

// A token request resent from the history answers with a new token,
// which no list marked before it came: the answer, and the entry it
// makes, mask it all the same.
func TestResentTokenRequestMasksTheNewToken(t *testing.T) {
	app, _ := newTestApp(t, Options{}, nil)
	history := app.c.history
	d := drive(t, app, 120, 40)
	d.keys("2", "enter", "ctrl+d", "enter")
	d.waitFor("Steps", "expires in")
	d.keys("H")
	d.waitFor("1 requests this session", "token request")
	d.keys("e")
	d.waitFor("Edit and resend")
	d.keys("ctrl+s")
	d.waitFor("200 OK", "access_token")
	d.keys("H", "enter", "w") // the resent request's entry, opened
	d.waitFor("Request as sent", "access_token")
	d.final()
	entries := history.All()
	if len(entries) != 2 || entries[1].Label != "resent" || entries[1].Status() != 200 {
		t.Fatalf("history: %v", labelsOf(entries))
	}
	var tokens []string
	for _, e := range entries {
		var answer struct {
			AccessToken string `json:"access_token"`
		}
		if err := json.Unmarshal(e.Result.Body, &answer); err != nil || answer.AccessToken == "" {
			t.Fatalf("#%d: no token in %s", e.Seq, e.Result.Body)
		}
		tokens = append(tokens, answer.AccessToken)
	}
	assertNoLeak(t, "the resent token request's answer", d.out.String(), leakForms("", tokens...))
}

// TestReworkScreensAtSmallSizes: the editor, the history, the compare and
// a typed confirmation draw at 40×12 and smaller without a panic, the
// status line and the quit key on screen.
func TestReworkScreensAtSmallSizes(t *testing.T) {
	app, _ := newTestApp(t, Options{}, nil)
	for i := range 3 {
		app.c.history.Add(requests.Entry{Label: "edited", Request: baseRequest(), Err: fmt.Sprint("timed out ", i)})
	}
	e := app.c.history.Newest(0, 2)
	screens := []screen{newEditor(app.c, entrySource(e[0])), newHistory(app.c), newCompare(app.c, e[1], e[0])}
	r := newEditedAnswer(app.c, editedRequest{original: baseRequest(), req: model.HTTPRequest{Method: "POST", URL: "https://api.scaling.cloud/v1/x"}}, builtHeader{})
	r.fire(false)
	screens = append(screens, r)
	for _, s := range screens {
		app.stack = []screen{newPicker(app.c, model.Providers), s}
		for _, size := range [][2]int{{40, 12}, {20, 5}, {1, 1}} {
			update(t, app, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			v := ansi.Strip(app.View())
			if size[0] == 40 && !strings.Contains(v, "quit") {
				t.Errorf("%s at 40×12: no quit key:\n%s", s.Name(), v)
			}
		}
	}
}

// TestEditAHAREntry: on the findings of a HAR, e asks which entry (the
// one the doctor replays highlighted); the chosen one opens in the
// editor, its token masked, and a POST to a live host waits for its
// method typed.
func TestEditAHAREntry(t *testing.T) {
	app, _ := newTestApp(t, Options{}, nil)
	update(t, app, keyMsg("d"), openFindingsMsg{ex: examineFixture(t, "session.har")})
	update(t, app, keyMsg("e"))
	s, ok := app.top().(*entriesScreen)
	if !ok {
		t.Fatalf("top is %T", app.top())
	}
	if v := ansi.Strip(app.View()); !strings.Contains(v, "Edit which request? · 7 in the HAR") || s.cursor != 5 {
		t.Fatalf("cursor %d:\n%s", s.cursor, v)
	}
	update(t, app, keyMsg("up"), keyMsg("up"), keyMsg("enter"))
	ed, ok := app.top().(*editor)
	if !ok {
		t.Fatalf("top is %T", app.top())
	}
	if v := ansi.Strip(app.View()); !strings.Contains(v, "entry 4 of the pasted HAR") || !strings.Contains(v, "POST /oauth/token") {
		t.Fatalf("%s", v)
	}
	for _, sec := range app.top().(*editor).src.secrets {
		if len(sec) > 8 && strings.Contains(ed.area.Value(), sec) {
			t.Fatal("a secret of the HAR shows in the editor")
		}
	}
	update(t, app, keyMsg("ctrl+s"))
	r, ok := app.top().(*request)
	if !ok || r.state != reqConfirming || !strings.Contains(ansi.Strip(app.View()), "live environment") {
		t.Fatalf("a POST to acme.scalekit.com did not ask: %T\n%s", app.top(), ansi.Strip(app.View()))
	}
	update(t, app, keyMsg("esc"))
	if !strings.Contains(ansi.Strip(app.View()), "not sent") || app.c.history.Len() != 0 {
		t.Fatalf("not cancelled:\n%s", ansi.Strip(app.View()))
	}
}

// TestEditorHoldsABigBodyOut: a body over maxEditorBody is not put in the
// text area (which redraws all its text on every key) but held and sent
// byte for byte, secret and all; the headers stay editable, the editor
// says so, and text typed below the blank line is refused, not merged.
func TestEditorHoldsABigBodyOut(t *testing.T) {
	secret := "client_secret=" + demoKey
	body := strings.Repeat("x", maxEditorBody) + "&" + secret
	orig := baseRequest().WithHeader("Content-Type", model.Plain("application/x-www-form-urlencoded"))
	orig.Method, orig.Body = "POST", model.Concat(model.Plain(body[:len(body)-len(demoKey)]), model.SecretText(demoKey))
	e := editorOn(t, orig)
	if strings.Contains(e.area.Value(), "xxxx") || len(e.area.Value()) > 1024 {
		t.Fatalf("the body is in the text area (%d bytes of text)", len(e.area.Value()))
	}
	view := strings.Join(strings.Fields(ansi.Strip(e.View())), " ")
	if !strings.Contains(view, "held out of the editor") || strings.Contains(view, demoKey) {
		t.Fatalf("the editor does not say the body is held, or shows the key:\n%s", view)
	}
	// The cursor starts on a header, not below the blank line where a
	// held body takes nothing: a key typed at once is taken.
	typedAt := editorOn(t, orig)
	typedAt.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("x")})
	if typedAt.problem != "" {
		t.Errorf("a key typed at once: %q", typedAt.problem)
	}
	e.area.SetValue(strings.Replace(e.area.Value(), "Content-Type:", "X-Edited: yes\nContent-Type:", 1))
	e.check()
	e.Update(keyMsg("ctrl+s"))
	msgs := e.out.take()
	if len(msgs) != 1 {
		t.Fatalf("ctrl+s sent %d, problem %q", len(msgs), e.problem)
	}
	sent := msgs[0].(sendEditedMsg).src.req
	if v, _ := sent.Header("X-Edited"); v.Reveal() != "yes" || sent.Body.Reveal() != body || len(sent.Body.Secrets()) != 1 {
		t.Fatalf("sent X-Edited %q, body %d bytes (want %d), %d secrets", v.Reveal(), len(sent.Body.Reveal()), len(body), len(sent.Body.Secrets()))
	}
	e.area.SetValue(e.area.Value() + "a=1")
	e.check()
	if e.parsed != nil || !strings.Contains(e.problem, "held out of the editor") {
		t.Fatalf("text below the blank line was taken: problem %q", e.problem)
	}
}

// TestEditorNeverCutsWhatItShows: the text area drops what is over its
// limit without a word; a request whose headers and body together are
// over it has its body held (sent whole), and headers alone over it are
// shown whole, so what is sent is never silently shorter.
func TestEditorNeverCutsWhatItShows(t *testing.T) {
	body := strings.Repeat("b", maxEditorBody-100)
	orig := baseRequest().WithHeader("X-Big", model.Plain(strings.Repeat("h", 20<<10)))
	orig.Method, orig.Body = "POST", model.Plain(body)
	e := editorOn(t, orig)
	if e.heldBody == nil || e.parsed == nil || e.parsed.Body.Reveal() != body {
		t.Fatalf("headers and body over the limit: held %v, problem %q", e.heldBody != nil, e.problem)
	}
	if v, _ := e.parsed.Header("X-Big"); len(v.Reveal()) != 20<<10 {
		t.Fatalf("X-Big is %d bytes", len(v.Reveal()))
	}

	huge := baseRequest().WithHeader("X-Huge", model.Plain(strings.Repeat("h", maxEditorText+1000)))
	e = editorOn(t, huge)
	if e.area.Value() != editorText(huge, false) || e.parsed == nil {
		t.Fatalf("a header over the limit was cut: %d of %d bytes shown, problem %q", len(e.area.Value()), len(editorText(huge, false)), e.problem)
	}
}

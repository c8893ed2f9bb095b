package ui

import (
	"github.com/authscope/authscope/model"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/authscope/authscope/themes"
)

// Navigation (issue 12, point 1), called straight through Update.

// TestEscOnEveryScreenGoesBackOne: from the deepest screen, each Esc
// closes one thing — the help, the copy menu, the inspector, the answer,
// decode, the samples, the steps, the credentials, the environment list
// — and on the first screen Esc does nothing, however often.
func TestEscOnEveryScreenGoesBackOne(t *testing.T) {
	a, _ := newTestApp(t, Options{}, nil)
	update(t, a, keyMsg("1"), keyMsg("enter"), keyMsg("ctrl+d"), keyMsg("enter"), keyMsg("enter"))
	respond(t, a, 401, `{"statusCode":401,"code":"invalid_api_key","requestId":"3f2b8c1e-0d4a-4b6f-9e7a-5c1d2e3f4a5b"}`)
	update(t, a, keyMsg("c"))
	update(t, a, keyMsg("?"))
	steps := []struct {
		name  string
		check func() bool
	}{
		{"the help closes", func() bool { _, ok := a.top().(*copyMenu); return ok && !a.help.ShowAll }},
		{"the copy menu closes", func() bool { _, ok := a.top().(*inspector); return ok }},
		{"the inspector closes", func() bool { r, ok := a.top().(*request); return ok && r.state == reqDone }},
		{"the answer closes", func() bool { r, ok := a.top().(*request); return ok && r.state == reqChoosing }},
		{"the samples close", func() bool { _, ok := a.top().(*steps); return ok }},
		{"the steps close", func() bool { _, ok := a.top().(*credentials); return ok }},
		{"the credentials close", func() bool { p, ok := a.top().(*picker); return ok && p.onEnvs }},
		{"the environments close", func() bool { p, ok := a.top().(*picker); return ok && !p.onEnvs }},
	}
	for _, s := range steps {
		if cmd := update(t, a, keyMsg("esc")); cmd != nil && isQuit(cmd) {
			t.Fatalf("esc quit when %s should have", s.name)
		}
		if !s.check() {
			t.Fatalf("esc: expected %s; top is %T (stack %d)", s.name, a.top(), len(a.stack))
		}
	}
	for i := 0; i < 10; i++ {
		if cmd := update(t, a, keyMsg("esc")); cmd != nil && isQuit(cmd) {
			t.Fatalf("esc #%d on the first screen quit", i+1)
		}
	}
	if len(a.stack) != 1 {
		t.Fatalf("stack %d after esc on the first screen", len(a.stack))
	}
	if strings.Contains(ansi.Strip(a.View()), "esc back") {
		t.Error("the first screen's footer offers esc back, which does nothing there")
	}
}

func TestDecodeOpensFromEveryScreen(t *testing.T) {
	a, _ := newTestApp(t, Options{}, nil)
	openAndBack := func(where, k string) {
		t.Helper()
		depth := len(a.stack)
		update(t, a, keyMsg(k))
		if _, ok := a.top().(*decodeScreen); !ok {
			t.Fatalf("%s: %s should open decode, top is %T", where, k, a.top())
		}
		update(t, a, keyMsg("esc"))
		if len(a.stack) != depth {
			t.Fatalf("%s: esc from decode should come back here", where)
		}
	}
	openAndBack("picker", "d")
	update(t, a, keyMsg("3"), keyMsg("enter"))
	openAndBack("credentials", "ctrl+o")
	update(t, a, keyMsg("d")) // a field takes the letter
	if got := a.top().(*credentials).fields[0].input.Value(); got != "d" {
		t.Fatalf("d in a field should type, field = %q", got)
	}
	update(t, a, keyMsg("backspace"), keyMsg("ctrl+d"), keyMsg("enter"))
	openAndBack("steps", "d")
	update(t, a, keyMsg("enter"))
	openAndBack("request list", "d")
	respond(t, a, 200, `[]`)
	openAndBack("answer", "d")
	update(t, a, keyMsg("c"))
	openAndBack("copy menu", "d")
	update(t, a, keyMsg("esc"), keyMsg("esc"))
	respond(t, a, 401, `{"statusCode":401,"code":"invalid_api_key"}`)
	openAndBack("inspector", "d")
}

// TestTypedInputSurvivesBackAndForth: what was typed comes back per
// provider and environment; reveal is off again after leaving.
func TestTypedInputSurvivesBackAndForth(t *testing.T) {
	a, _ := newTestApp(t, Options{}, nil)
	update(t, a, keyMsg("1"), keyMsg("enter"), keyMsg("scl_live_typed"), keyMsg("ctrl+r"))
	cr := a.top().(*credentials)
	if !cr.reveal || cr.fields[0].input.EchoMode != textinput.EchoNormal {
		t.Fatal("ctrl+r should reveal the key")
	}
	update(t, a, keyMsg("esc"))
	if cr.reveal || cr.fields[0].input.EchoMode != textinput.EchoPassword {
		t.Fatal("leaving the credentials should mask the key again")
	}
	// Another provider's field starts empty; its own value is kept too.
	update(t, a, keyMsg("esc"), keyMsg("3"), keyMsg("enter"), keyMsg("test_other"), keyMsg("esc"), keyMsg("esc"))
	update(t, a, keyMsg("1"), keyMsg("enter"))
	cr = a.top().(*credentials)
	if got := cr.fields[0].input.Value(); got != "scl_live_typed" {
		t.Fatalf("back on Scaling's sandbox the key is %q, want what was typed", got)
	}
	if cr.reveal || cr.fields[0].input.EchoMode != textinput.EchoPassword {
		t.Fatal("a recalled key must come back masked")
	}
	update(t, a, keyMsg("esc"), keyMsg("esc"), keyMsg("3"), keyMsg("enter"))
	if got := a.top().(*credentials).fields[0].input.Value(); got != "test_other" {
		t.Fatalf("Scale AI's key is %q, want test_other", got)
	}
	// The steps' reveal goes off when the user moves on.
	update(t, a, keyMsg("ctrl+d"), keyMsg("enter"), keyMsg("ctrl+r"))
	st := a.top().(*steps)
	if !st.reveal {
		t.Fatal("ctrl+r should reveal the steps")
	}
	update(t, a, keyMsg("enter"))
	if st.reveal {
		t.Fatal("leaving the steps should mask them again")
	}
}

// TestHelpOverAToast: ? opens the full help while a toast shows, and
// both are on screen; esc closes the help without going back.
func TestHelpOverAToast(t *testing.T) {
	a, _ := newTestApp(t, Options{}, nil)
	update(t, a, keyMsg("3"), keyMsg("enter"), keyMsg("ctrl+d"), keyMsg("enter"))
	update(t, a, copiedMsg{What: "header", Preview: "Authorization: Basic ••••", Report: CopyReport{Via: "xclip"}})
	update(t, a, keyMsg("?"))
	view := ansi.Strip(a.View())
	for _, want := range []string{"Copied header via xclip", "walk/show all", "decode a paste"} {
		if !strings.Contains(view, want) {
			t.Fatalf("the view lacks %q:\n%s", want, view)
		}
	}
	update(t, a, keyMsg("esc"))
	if _, ok := a.top().(*steps); !ok || a.help.ShowAll {
		t.Fatalf("esc should close the help and stay: %T, help %v", a.top(), a.help.ShowAll)
	}
}

// TestQuitKeyAlwaysInTheFooter: at 80×24 and 40×12, on every screen,
// the last line names the quit key.
func TestQuitKeyAlwaysInTheFooter(t *testing.T) {
	for _, f := range fixtures {
		if f.name == "full-help" {
			continue // the full help lists it in its first column
		}
		for _, size := range [][2]int{{80, 24}, {40, 12}} {
			a := fixtureApp(t, f, themes.Dark, nil, 80, 24)
			update(t, a, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			for _, toast := range []bool{false, true} {
				if toast {
					// A copy toast (the OSC 52 one is three lines long) sits
					// above the keys; it never pushes the quit key away.
					a.copied(copiedMsg{What: "header", Report: CopyReport{Via: "OSC 52", Unconfirmed: true, Advice: "to let it through tmux: tmux set -g set-clipboard on"}, Text: model.Plain("Authorization: Basic x")})
				}
				lines := strings.Split(ansi.Strip(a.View()), "\n")
				last := lines[len(lines)-1]
				if !strings.Contains(last, "q quit") && !strings.Contains(last, "ctrl+c quit") {
					t.Errorf("%s at %dx%d (toast %v): no quit key in %q", f.name, size[0], size[1], toast, last)
				}
			}
		}
	}
}

// TestDecodeKeepsCROnlyPasteIntact: a paste whose lines end in CR alone
// (what tmux paste-buffer and many terminals send) reaches the decoder
// byte for byte, while the text area shows it as lines; ctrl+v pastes
// the clipboard the same way.
func TestDecodeKeepsCROnlyPasteIntact(t *testing.T) {
	raw := "HTTP/1.1 401 Unauthorized\rContent-Type: application/json\r\r{\"statusCode\":401,\"code\":\"invalid_api_key\"}"
	for _, how := range []string{"bracketed", "ctrl+v"} {
		a, _ := newTestApp(t, Options{}, nil)
		update(t, a, keyMsg("d"))
		d := a.top().(*decodeScreen)
		if how == "bracketed" {
			cmd := update(t, a, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(raw), Paste: true})
			if cmd == nil {
				t.Fatal("a paste should decode at once")
			}
		} else {
			cmd := update(t, a, tea.KeyMsg{Type: tea.KeyCtrlV})
			if cmd == nil {
				t.Fatal("ctrl+v should read the clipboard")
			}
			update(t, a, clipboardPasteMsg{text: raw}) // what reading it returns
		}
		if got := d.input(); got != raw {
			t.Fatalf("%s: the decoder gets %q, want the paste intact %q", how, got, raw)
		}
		if got := d.area.Value(); got != strings.ReplaceAll(raw, "\r", "\n") {
			t.Fatalf("%s: the text area shows %q", how, got)
		}
	}
}

// TestDecodeTextSurvivesBackAndForth: the paste is still there (byte for
// byte) when decode is opened again.
func TestDecodeTextSurvivesBackAndForth(t *testing.T) {
	raw := "HTTP/1.1 401 Unauthorized\r\r{\"statusCode\":401}"
	a, _ := newTestApp(t, Options{}, nil)
	update(t, a, keyMsg("d"), tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(raw), Paste: true})
	update(t, a, inspectMsg{}) // as the decode command answers
	update(t, a, keyMsg("esc"), keyMsg("esc"))
	if _, ok := a.top().(*picker); !ok {
		t.Fatalf("top is %T, want the picker", a.top())
	}
	update(t, a, keyMsg("d"))
	d := a.top().(*decodeScreen)
	if d.input() != raw || d.area.Value() != strings.ReplaceAll(raw, "\r", "\n") {
		t.Fatalf("decode came back with %q / %q", d.input(), d.area.Value())
	}
	update(t, a, keyMsg("ctrl+l"), keyMsg("esc"), keyMsg("d"))
	if got := a.top().(*decodeScreen).input(); got != "" {
		t.Fatalf("after ctrl+l the next visit should start empty, got %q", got)
	}
}

// TestFullHelpShowsEveryKeyAt80x24: ? lists every key of the screen, each
// once, however narrow the terminal (bubbles' column view dropped the last
// column at 80×24).
func TestFullHelpShowsEveryKeyAt80x24(t *testing.T) {
	for _, f := range fixtures {
		a := fixtureApp(t, f, themes.Dark, nil, 80, 24)
		a.help.ShowAll = true
		s := a.top()
		keys := helpKeys{screen: s, global: a.keys, takesText: s.TakesText(), canGoBack: len(a.stack) > 1 || handlesEsc(s)}
		footer := ansi.Strip(a.View())
		for _, group := range keys.FullHelp() {
			for _, b := range group {
				if h := b.Help(); b.Enabled() && h.Key != "" && !strings.Contains(footer, h.Key+" "+h.Desc) {
					t.Errorf("%s: the full help at 80 columns lacks %q", f.name, h.Key+" "+h.Desc)
				}
			}
		}
	}
}

// TestPastedIDAndSecretFillBothFields: "id⏎secret" pasted into Client ID
// (a terminal sends the line break as CR) fills the id and the secret;
// the secret is never drawn in the id field.
func TestPastedIDAndSecretFillBothFields(t *testing.T) {
	app, _ := newTestApp(t, Options{Provider: "scalekit", Env: "sandbox"}, nil)
	d := drive(t, app, 100, 30)
	d.waitFor("Client ID")
	d.paste("skc_pasted_client\rpasted_client_secret_0123456789")
	d.waitFor("skc_pasted_client")
	a := d.final()
	s := a.top().(*credentials)
	if got := s.fields[s.focus].input.Value(); got != "pasted_client_secret_0123456789" {
		t.Errorf("the secret field holds %q", got)
	}
	if strings.Contains(ansi.Strip(a.View()), "pasted_client_secret") {
		t.Error("the secret is on screen")
	}
}

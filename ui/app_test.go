package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/themes"
)

// Routing, called straight through Update (no program running).

func update(t *testing.T, a *App, msgs ...tea.Msg) tea.Cmd {
	t.Helper()
	var cmd tea.Cmd
	for _, m := range msgs {
		_, cmd = a.Update(m)
	}
	return cmd
}

func TestPickerNumbersOpenCredentials(t *testing.T) {
	a, _ := newTestApp(t, Options{}, nil)
	update(t, a, keyMsg("3"), keyMsg("enter"))
	cr, ok := a.top().(*credentials)
	if !ok {
		t.Fatalf("top is %T, want credentials", a.top())
	}
	if cr.provider.ID != "scale" || !cr.env.Sandbox {
		t.Fatalf("credentials for %s/%s, want scale/sandbox", cr.provider.ID, cr.env.ID)
	}
	if len(a.stack) != 2 {
		t.Fatalf("stack depth %d, want 2", len(a.stack))
	}
}

func TestEscGoesBackAndNeverQuits(t *testing.T) {
	a, _ := newTestApp(t, Options{Provider: "scaling", Env: "sandbox"}, nil)
	if _, ok := a.top().(*credentials); !ok {
		t.Fatalf("--provider --env should open on credentials, got %T", a.top())
	}
	update(t, a, keyMsg("esc"))
	if _, ok := a.top().(*picker); !ok {
		t.Fatalf("esc should go back to the picker, got %T", a.top())
	}
	// The picker opened on the environments (--provider): esc goes to
	// the providers, then does nothing, however often it is pressed.
	if p := a.top().(*picker); !p.onEnvs {
		t.Fatal("the picker should be on the environments")
	}
	for i := 0; i < 5; i++ {
		if cmd := update(t, a, keyMsg("esc")); cmd != nil && isQuit(cmd) {
			t.Fatalf("esc #%d on the first screen quit", i+1)
		}
	}
	if p, ok := a.top().(*picker); !ok || p.onEnvs || len(a.stack) != 1 {
		t.Fatalf("after esc: %T, stack %d", a.top(), len(a.stack))
	}
	if cmd := update(t, a, keyMsg("q")); cmd == nil || !isQuit(cmd) {
		t.Fatal("q outside a text field should quit")
	}
}

func isQuit(cmd tea.Cmd) bool {
	_, ok := cmd().(tea.QuitMsg)
	return ok
}

func TestLettersTypeIntoFieldsInsteadOfQuitting(t *testing.T) {
	a, _ := newTestApp(t, Options{Provider: "scale", Env: "sandbox"}, nil)
	cmd := update(t, a, keyMsg("q"))
	if cmd != nil && isQuit(cmd) {
		t.Fatal("q in a text field quit the explorer")
	}
	if got := a.top().(*credentials).fields[0].input.Value(); got != "q" {
		t.Fatalf("field = %q, want q", got)
	}
	if cmd := update(t, a, keyMsg("ctrl+c")); cmd == nil || !isQuit(cmd) {
		t.Fatal("ctrl+c should always quit")
	}
}

func TestHelpToggles(t *testing.T) {
	a, _ := newTestApp(t, Options{}, nil)
	short := ansi.Strip(a.View())
	update(t, a, keyMsg("?"))
	full := ansi.Strip(a.View())
	if !a.help.ShowAll || full == short || !strings.Contains(full, "pick by number") || !strings.Contains(full, "providers") {
		t.Fatalf("? should show the full help:\n%s", full)
	}
	update(t, a, keyMsg("?"))
	if a.help.ShowAll {
		t.Fatal("? again should hide it")
	}
}

func TestResizeReachesEveryScreen(t *testing.T) {
	a, _ := newTestApp(t, Options{Provider: "scale", Env: "sandbox"}, nil)
	update(t, a, keyMsg("ctrl+d"), keyMsg("enter"))
	update(t, a, tea.WindowSizeMsg{Width: 61, Height: 19})
	for _, s := range a.stack {
		var w int
		switch s := s.(type) {
		case *picker:
			w = s.width
		case *credentials:
			w = s.width
		case *steps:
			w = s.width
		default:
			t.Fatalf("unexpected screen %T", s)
		}
		if w != 61 {
			t.Errorf("%T has width %d after resize to 61", s, w)
		}
	}
}

func TestResponsesReachTheirScreenAfterMovingOn(t *testing.T) {
	a, _ := newTestApp(t, Options{Provider: "scale", Env: "sandbox"}, nil)
	update(t, a, keyMsg("ctrl+d"), keyMsg("enter"), keyMsg("enter"))
	r, ok := a.top().(*request)
	if !ok {
		t.Fatalf("top is %T, want request", a.top())
	}
	cmd := r.fire(false)
	if r.state != reqSending || cmd == nil {
		t.Fatal("fire should start sending")
	}
	// The answer arrives while another screen is on top.
	a.push(newSelection(a.c, "test", model.Plain("text")))
	update(t, a, responseMsg{seq: r.seq, sample: r.sample(), err: errTest})
	if r.state != reqDone || r.resp == nil {
		t.Fatal("the response did not reach the request screen")
	}
}

var errTest = &testError{}

type testError struct{}

func (*testError) Error() string { return "test failure" }

func TestCostlyNonGetAsksFirst(t *testing.T) {
	c, _ := testCommon(t, themes.Dark, nil)
	c.out = &outbox{}
	p, _ := model.Lookup("scale")
	live, _ := p.Env("live")
	r := newRequest(c, model.Target{Provider: p, Env: live, BaseURL: "https://api.scale.com", Creds: map[string]string{"key": "live_0123456789abcdef0123456789abcdef"}}, builtHeader{})
	r.cursor = indexOfSample(t, "scale", "create-project")
	r.fire(false)
	if r.state != reqConfirming {
		t.Fatalf("a live POST must wait for confirmation; state %v", r.state)
	}
	if !strings.Contains(ansi.Strip(r.View()), "charged") {
		t.Fatal("the prompt should say it costs money")
	}
	// No habit answers it: y (the copy key elsewhere), enter, and y+enter
	// all leave it waiting; nothing is sent.
	for _, k := range []string{"y", "enter", "n", "enter"} {
		r.Update(keyMsg(k))
		if r.state != reqConfirming {
			t.Fatalf("%q answered the confirmation; state %v", k, r.state)
		}
	}
	r.Update(keyMsg("esc"))
	if r.state != reqChoosing || !strings.Contains(ansi.Strip(r.View()), "not sent") {
		t.Fatalf("esc should cancel and say not sent; state %v\n%s", r.state, ansi.Strip(r.View()))
	}
	// Typing the method sends it.
	r.fire(false)
	for _, k := range []string{"P", "O", "S", "T", "enter"} {
		r.Update(keyMsg(k))
	}
	if r.state != reqSending {
		t.Fatalf("typing POST and enter should send; state %v", r.state)
	}
	r.cancel()
}

func TestEscCancelsARequestInFlight(t *testing.T) {
	a, _ := newTestApp(t, Options{Provider: "scale", Env: "sandbox"}, nil)
	update(t, a, keyMsg("ctrl+d"), keyMsg("enter"), keyMsg("enter"))
	r := a.top().(*request)
	r.fire(false)
	seq := r.seq
	update(t, a, keyMsg("esc"))
	if r.state != reqChoosing {
		t.Fatalf("esc should cancel, state %v", r.state)
	}
	if a.top() != r {
		t.Fatal("esc while sending should cancel, not leave the screen")
	}
	update(t, a, responseMsg{seq: seq, err: errTest})
	if r.resp != nil {
		t.Fatal("a cancelled request's answer should be dropped")
	}
}

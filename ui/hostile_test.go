package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/authscope/authscope/internal/hostile"
)

// onRequestScreen opens Scaling's request list with the demo key and
// points it at a hostile server, as if the sandbox lived there.
func onRequestScreen(t *testing.T, mode hostile.Mode) (*App, *request) {
	t.Helper()
	app, _ := newTestApp(t, Options{}, nil)
	update(t, app, keyMsg("1"), keyMsg("enter"), keyMsg("ctrl+d"), keyMsg("enter"), keyMsg("enter"))
	r, ok := app.top().(*request)
	if !ok {
		t.Fatalf("top is %T, want request", app.top())
	}
	srv, err := hostile.Start(mode)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	r.target.BaseURL = srv.URL
	return app, r
}

// sending puts the request screen in flight the way fire does and returns
// its real send command (requests.SendSample over loopback).
func sending(r *request, ctx context.Context) func() responseMsg {
	r.state = reqSending
	r.seq++
	cmd := sendCmd(ctx, r.common, r.seq, r.target, r.sample(), r.built)
	return func() responseMsg { return cmd().(responseMsg) }
}

func assertCleanView(t *testing.T, name, view string) {
	t.Helper()
	for _, r := range view {
		if r == 0x1b || r == 0x07 || (r >= 0x80 && r < 0xa0) {
			t.Fatalf("%s: control %U on screen", name, r)
		}
	}
	for _, bad := range []string{"]52;", "ZXZpbA=="} {
		if strings.Contains(view, bad) && strings.Contains(view, "\x1b") {
			t.Fatalf("%s: an OSC 52 write on screen", name)
		}
	}
}

// Hostile answers end on a usable screen: decoded, sanitised, bounded.
func TestExplorerSurvivesHostileAnswers(t *testing.T) {
	for _, mode := range []hostile.Mode{hostile.InvalidUTF8, hostile.BigError, hostile.DeepJSON, hostile.GiantBody, hostile.SlowHeaders} {
		t.Run(string(mode), func(t *testing.T) {
			app, r := onRequestScreen(t, mode)
			msg := sending(r, context.Background())()
			if msg.result == nil {
				t.Fatalf("no answer: %v", msg.err)
			}
			update(t, app, msg)
			for _, size := range [][2]int{{80, 24}, {40, 12}, {200, 60}} {
				update(t, app, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
				view := app.View()
				assertCleanView(t, string(mode), view)
				if n := strings.Count(view, "\n") + 1; n > size[1] {
					t.Fatalf("%v: %d lines drawn", size, n)
				}
			}
			if mode != hostile.GiantBody && !strings.Contains(app.View(), "invalid_api_key") && !strings.Contains(app.View(), "401") {
				t.Fatalf("the error is not shown:\n%s", app.View())
			}
		})
	}
}

// A server that never answers: the spinner's Esc cancels the request at
// once, and the screen is back to choosing.
func TestEscCancelsARequestThatNeverAnswers(t *testing.T) {
	app, r := onRequestScreen(t, hostile.Silent)
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	answered := make(chan responseMsg, 1)
	send := sending(r, ctx)
	go func() { answered <- send() }()
	time.Sleep(50 * time.Millisecond) // let it connect and wait
	update(t, app, keyMsg("esc"))
	select {
	case msg := <-answered:
		if msg.err == nil {
			t.Fatal("a cancelled request reported success")
		}
		update(t, app, msg) // a late answer must not take the screen back
	case <-time.After(10 * time.Second): // a bound against a hang, not a timing
		t.Fatal("Esc did not cancel the request")
	}
	if r.state != reqChoosing || app.top() != r {
		t.Fatalf("state %v, top %T", r.state, app.top())
	}
	assertCleanView(t, "after cancel", app.View())
}

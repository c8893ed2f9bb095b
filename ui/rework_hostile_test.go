package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/authscope/authscope/internal/hostile"
	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
	"github.com/authscope/authscope/themes"
)

// sendEdited sends an edited request the way the editor does and waits
// for the answer (or the timeout), returning the answer screen.
func sendEdited(t *testing.T, req model.HTTPRequest, wait time.Duration) (*request, common) {
	t.Helper()
	c, _ := testCommon(t, themes.Dark, nil)
	c.out, c.history = &outbox{}, &requests.History{}
	r := newEditedAnswer(c, editedRequest{original: req, req: req, secrets: req.Secrets()}, builtHeader{})
	r.SetSize(120, 40)
	cmd := r.fire(false)
	if r.state != reqSending {
		t.Fatalf("not sending: state %v", r.state)
	}
	done := make(chan tea.Msg, 16)
	go runCmd(cmd, done)
	deadline := time.After(wait)
	for {
		select {
		case msg := <-done:
			if m, ok := msg.(responseMsg); ok {
				r.Update(m)
				return r, c
			}
		case <-deadline:
			return r, c
		}
	}
}

// runCmd runs a command and its batches, handing every message on.
func runCmd(cmd tea.Cmd, out chan<- tea.Msg) {
	if cmd == nil {
		return
	}
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		for _, c := range b {
			go runCmd(c, out)
		}
		return
	}
	if _, tick := msg.(interface{ Tick() }); !tick {
		out <- msg
	}
}

func authorized(url string) model.HTTPRequest {
	req := model.HTTPRequest{Method: "GET", URL: url}
	return req.WithHeader("Authorization", model.Concat(model.Plain("Bearer "), model.SecretText(demoKey)))
}

// An edited request that is redirected to another origin loses its
// Authorization on the way (the sender's policy), and the wire view says
// so.
func TestResendRedirectKeepsTheCredentialHome(t *testing.T) {
	away := hostile.NewRecorder(hostile.OK())
	defer away.Close()
	home := hostile.NewRecorder(hostile.Redirect(302, away.URL+"/landing"))
	defer home.Close()
	r, c := sendEdited(t, authorized(home.URL+"/v1/x"), 10*time.Second)
	if r.resp == nil || r.resp.result == nil || r.resp.result.Status != 200 {
		t.Fatalf("no answer: %+v", r.resp)
	}
	for _, got := range away.Requests() {
		if got.Header.Get("Authorization") != "" {
			t.Fatal("the credential followed the redirect to another origin")
		}
	}
	r.Update(keyMsg("w"))
	if v := ansi.Strip(r.View()); !strings.Contains(v, "Authorization not sent on") {
		t.Fatalf("the wire view does not say the credential stayed:\n%s", v)
	}
	if c.history.Len() != 1 {
		t.Fatalf("history %d", c.history.Len())
	}
}

// An echoing server puts the key back in headers and body: the answer
// screen and the history entry's compare view mask it.
func TestResendEchoIsMasked(t *testing.T) {
	echo := hostile.NewRecorder(&hostile.Echo{})
	defer echo.Close()
	r, c := sendEdited(t, authorized(echo.URL+"/v1/x"), 10*time.Second)
	r.Update(keyMsg("w"))
	r.Update(keyMsg("h"))
	if v := r.View(); strings.Contains(v, demoKey) || !strings.Contains(ansi.Strip(v), "401") {
		t.Fatalf("the echoed key is shown, or no 401:\n%s", ansi.Strip(v))
	}
	e := c.history.Newest(0, 1)[0]
	cmp := newCompare(c, e, e)
	cmp.SetSize(160, 60)
	if strings.Contains(cmp.View(), demoKey) {
		t.Fatal("the compare view shows the echoed key")
	}
}

// A server that drips its headers: esc cancels the resend, the screen
// says so, and it does not wait for the drip.
func TestResendDripCancels(t *testing.T) {
	srv, err := hostile.Start(hostile.SlowHeaders)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	r, _ := sendEdited(t, authorized(srv.URL+"/v1/x"), 300*time.Millisecond)
	if r.state != reqSending {
		t.Fatalf("state %v, want still sending", r.state)
	}
	r.Update(tea.KeyMsg{Type: tea.KeyEsc})
	if r.state != reqDone || !strings.Contains(ansi.Strip(r.View()), "cancelled") {
		t.Fatalf("state %v:\n%s", r.state, ansi.Strip(r.View()))
	}
}

// A header that carries a secret, typed in the editor, is masked like the
// built Authorization: every name model.IsSecretHeader knows.
func TestEditorMasksEverySecretHeaderTyped(t *testing.T) {
	orig := model.HTTPRequest{Method: "GET", URL: "http://127.0.0.1:9/v1/x"}
	req, _, err := parseEditor("GET /v1/x\nX-Auth-Token: supersecretvalue123\nX-Goog-Api-Key: anothersecret999\nAccept: application/json\n\n", "http://127.0.0.1:9", orig, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"X-Auth-Token", "X-Goog-Api-Key"} {
		if v, ok := req.Header(name); !ok || len(v.Secrets()) == 0 {
			t.Errorf("%s typed in the editor is not a secret: %q", name, v.Masked())
		}
	}
	if v, _ := req.Header("Accept"); len(v.Secrets()) != 0 {
		t.Errorf("Accept was marked secret")
	}
}

package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/authscope/authscope/authschemes"
	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/themes"
)

// The expiry countdown is driven by countdownMsg ticks: fed by hand here,
// so the test controls the clock.
func TestTokenCountdownIsLive(t *testing.T) {
	c, _ := testCommon(t, themes.Dark, nil)
	c.out = &outbox{}
	received := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	c.now = func() time.Time { return received }
	p, _ := model.Lookup("scalekit")
	env, _ := p.Env("sandbox")
	s := newSteps(c, model.Target{Provider: p, Env: env, Creds: map[string]string{"client_id": "skc_sandbox_client", "client_secret": scalekitSecret}})
	s.SetSize(100, 30)
	s.busy, s.seq = true, 1
	token := "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJza2MifQ.c2ln"
	x := &authschemes.Exchange{Status: 200, Token: &authschemes.Token{AccessToken: token, TokenType: "Bearer", Scope: "openid", ExpiresIn: 100, ReceivedAt: received}}
	if cmd := s.Update(exchangeMsg{seq: 1, exchange: x}); cmd == nil {
		t.Fatal("a token should start the countdown ticks")
	}
	msgs := c.out.take()
	if len(msgs) != 1 {
		t.Fatalf("the header should go to the root, got %v", msgs)
	}
	if h, ok := msgs[0].(headerMsg); !ok || h.built.token != token {
		t.Fatalf("header message %#v", msgs[0])
	}
	view := func() string { return ansi.Strip(s.View()) }
	if !strings.Contains(view(), "expires in 1m40s") {
		t.Fatalf("at receipt:\n%s", view())
	}
	s.Update(countdownMsg{seq: 1, now: received.Add(10 * time.Second)})
	if !strings.Contains(view(), "expires in 1m30s") {
		t.Fatalf("10 s later:\n%s", view())
	}
	s.Update(countdownMsg{seq: 1, now: received.Add(130 * time.Second)})
	if v := view(); !strings.Contains(v, "expired 30s ago") || !strings.Contains(v, "r fetches a new one") {
		t.Fatalf("past expiry:\n%s", v)
	}
	if strings.Contains(view(), token) || strings.Contains(view(), scalekitSecret) {
		t.Fatal("the token or the secret is on screen")
	}
	// A tick from a superseded exchange changes nothing.
	s.Update(countdownMsg{seq: 0, now: received})
	if !strings.Contains(view(), "expired 30s ago") {
		t.Fatal("a stale tick moved the clock")
	}
}

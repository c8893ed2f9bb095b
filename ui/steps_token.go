package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/authscope/authscope/authschemes"
	"github.com/authscope/authscope/decode"
	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
)

// The steps screen's OAuth2 half: the token exchange, its outcome and
// the token's live expiry countdown.

// startExchange runs the token exchange in a command; the sandbox starts
// here if this is its first use.
func (s *steps) startExchange() tea.Cmd {
	if s.cancel != nil {
		s.cancel()
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel, s.busy, s.err, s.decoded = cancel, true, nil, nil
	s.seq++
	seq, c, t, auth := s.seq, s.common, s.target, s.clientAuth
	run := func() tea.Msg {
		t, err := resolveTarget(c, t)
		if err != nil {
			return exchangeMsg{seq: seq, err: err}
		}
		x, res, err := requests.NewToken(ctx, t, auth, c.sendOptions(t))
		msg := exchangeMsg{seq: seq, exchange: x, result: res, err: err}
		if x != nil && x.TokenError != nil && res != nil {
			d := decode.Decode(decode.Input{Provider: t.Provider.ID, Status: res.Status, Header: res.Header, Body: res.Body})
			decode.Diagnose(&d, decode.Sent{Seen: true, Front: decode.FrontExplorer, Provider: t.Provider.ID, ClientAuth: string(auth), AuthScheme: requests.SchemeWord(x.Request)})
			msg.decoded = &d
		}
		return msg
	}
	return tea.Batch(run, s.spin.Tick)
}

func (s *steps) tick() tea.Cmd {
	seq := s.seq
	return tea.Tick(time.Second, func(now time.Time) tea.Msg { return countdownMsg{seq: seq, now: now} })
}

func (s *steps) exchanged(msg exchangeMsg) tea.Cmd {
	if msg.seq != s.seq {
		return nil // a cancelled or superseded exchange
	}
	s.busy, s.err, s.decoded = false, msg.err, msg.decoded
	if msg.exchange == nil {
		s.refresh()
		return nil
	}
	s.exchange = msg.exchange
	s.steps = authschemes.ExchangeSteps(*msg.exchange)
	s.shown = 1
	s.built = nil
	var cmds []tea.Cmd
	if tok := msg.exchange.Token; tok != nil && tok.AccessToken != "" {
		secrets := append(s.target.Secrets(), tok.AccessToken)
		s.built = &builtHeader{header: authschemes.BearerHeader(tok.AccessToken), token: tok.AccessToken, clientAuth: s.clientAuth, secrets: secrets}
		s.out.send(headerMsg{built: *s.built})
		s.now = s.common.now()
		cmds = append(cmds, s.tick())
	}
	s.refresh()
	return tea.Batch(cmds...)
}

// tokenSummary is the token's type, scope and a live expiry countdown.
func (s *steps) tokenSummary() string {
	sty := s.styles
	x := s.exchange
	if x == nil || x.Token == nil {
		if x != nil && x.TokenError != nil {
			return sty.Error.Render(cut(fmt.Sprintf("token refused: %d %s", x.TokenError.Status, model.Scrub(model.Sanitize(x.TokenError.Code), s.secrets()...)), s.width)) + sty.Muted.Render(" · i inspect · a try other client auth")
		}
		return sty.Muted.Render("no token yet")
	}
	tok := x.Token
	// Every field came from the server: a hostile one echoes the secret
	// in any of them (the scope, here), so each goes through Scrub.
	clean := func(v string) string { return model.Scrub(model.Sanitize(v), s.secrets()...) }
	parts := []string{sty.Success.Render(clean(tok.TokenType))}
	if exp := tok.ExpiresAt(); !exp.IsZero() && tok.ExpiresIn > 0 {
		left := exp.Sub(s.now).Truncate(time.Second)
		if left > 0 {
			parts = append(parts, "expires in "+sty.Text.Render(left.String()))
		} else {
			parts = append(parts, sty.Error.Render("expired "+(-left).String()+" ago")+" — r fetches a new one")
		}
	}
	if tok.Scope != "" {
		parts = append(parts, "scope "+clean(tok.Scope))
	}
	if v := x.Verification; v != nil {
		if v.Valid {
			parts = append(parts, sty.Success.Render("JWKS ✓ "+clean(v.KeyID)))
		} else {
			parts = append(parts, sty.Error.Render("JWKS ✗"))
		}
	}
	return cut(strings.Join(parts, sty.Muted.Render(" · ")), s.width)
}

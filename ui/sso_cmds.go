package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/authscope/authscope/authschemes"
	"github.com/authscope/authscope/decode"
	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
)

// The SSO screen's slow work: each a tea.Cmd answering with a typed
// message that carries the sequence number of the sign-in it belongs to.

// ssoStartedMsg: the listener is open and the URL built (or not).
type ssoStartedMsg struct {
	seq    int
	signIn *requests.SignIn
	target model.Target
	err    error
}

// ssoCallbackMsg: the browser came back (or the wait ended).
type ssoCallbackMsg struct {
	seq     int
	arrival requests.Arrival
	err     error
}

// ssoFollowedMsg: the no-browser sign-in's authorization request ended.
type ssoFollowedMsg struct {
	seq       int
	authorize *requests.Result
	err       error
	decoded   *model.DecodedError
}

// ssoExchangedMsg: a code exchange or a refresh came back.
type ssoExchangedMsg struct {
	seq     int
	note    *model.Step // a what-if's explanation, shown before the exchange
	x       *authschemes.CodeExchange
	res     *requests.Result
	err     error
	decoded *model.DecodedError
}

// What the sign-in's requests are called in the session's history.
const (
	ssoAuthorizeLabel = "SSO authorize"
	ssoCallbackLabel  = "SSO callback" // the forged-state what-if's, to the listener
	ssoExchangeLabel  = "SSO code exchange"
	ssoRefreshLabel   = "SSO refresh"
)

// sendOptionsAs are the session's options for one of this sign-in's
// requests, so it lands in the history like every other: labelled, and
// masking every secret the sign-in holds so far (client secret, PKCE
// verifier, code, the tokens of an earlier exchange). The tokens that
// arrive in the answer are added as it is recorded (requests.AnswerSecrets).
// Called in Update, never in a command: s.secrets is copied here.
func (s *sso) sendOptionsAs(label string) requests.Options {
	o := s.sendOptions(s.target)
	o.Label, o.Secrets = label, slices.Clone(s.secrets)
	return o
}

// withWhatIf names the what-if a request was sent under, for the history.
func withWhatIf(label string, w ssoWhatIf) string {
	if w == whatIfNone {
		return label
	}
	return label + " · what-if: " + w.String()
}

// ssoPortVar fixes the explorer's callback port (the login command's
// --redirect-port), so the redirect URI can be registered exactly.
const ssoPortVar = "AUTHSCOPE_REDIRECT_PORT"

// start begins a new sign-in: the previous listener closes first, so a
// fixed port is free again.
func (s *sso) start() tea.Cmd {
	if s.cancel != nil {
		s.cancel()
	}
	if s.signIn != nil {
		s.signIn.Close()
	}
	if s.typed != nil && s.typed.signIn != nil {
		_ = s.typed.signIn.Close()
		s.typed.signIn = nil
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.seq++
	s.state, s.signIn, s.err, s.decoded, s.authorize, s.pending = ssoStarting, nil, nil, nil, nil, nil
	s.jump = -1
	s.scroll.GotoTop()
	s.before, s.after, s.logout, s.tokens, s.idToken = nil, nil, nil, authschemes.TokenSet{}, nil
	seq, c, t := s.seq, s.common, s.target
	route, value := "", s.value
	if s.route >= 0 {
		route = s.flow.Routing[s.route].Param
	}
	port := 0
	if v := s.getenv(ssoPortVar); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 65535 {
			s.state, s.err = ssoFailed, fmt.Errorf("$%s=%q is not a port (1–65535)", ssoPortVar, v)
			return nil
		}
		port = n
	}
	run := func() tea.Msg {
		t, err := resolveTarget(c, t)
		if err != nil {
			return ssoStartedMsg{seq: seq, err: err}
		}
		si, err := requests.StartSignIn(t, requests.SignInOptions{Port: port, Route: route, RouteValue: value})
		return ssoStartedMsg{seq: seq, signIn: si, target: t, err: err}
	}
	return tea.Batch(run, s.spin.Tick)
}

func (s *sso) started(msg ssoStartedMsg) tea.Cmd {
	if msg.seq != s.seq {
		if msg.signIn != nil {
			msg.signIn.Close()
		}
		return nil
	}
	if msg.err != nil {
		s.state, s.err = ssoFailed, msg.err // n starts again
		return nil
	}
	s.signIn, s.target, s.state = msg.signIn, msg.target, ssoWaiting
	if s.typed != nil {
		s.typed.signIn = closeFunc(msg.signIn.Close)
	}
	s.secrets = msg.signIn.Secrets()
	s.before = msg.signIn.Steps()
	s.refresh()
	return s.await()
}

// closer is something a screen holds open (a listener) that must close
// when the screen goes.
type closer interface{ Close() error }

type closeFunc func()

func (c closeFunc) Close() error { c(); return nil }

// Close ends the sign-in when the screen is left for good (esc back):
// the wait stops and the listener's port is free again.
func (s *sso) Close() error {
	if s.cancel != nil {
		s.cancel()
	}
	if s.signIn != nil {
		s.signIn.Close()
	}
	if s.typed != nil {
		s.typed.signIn = nil
	}
	return nil
}

// await waits for the callback in a command; cancelled by a new sign-in.
func (s *sso) await() tea.Cmd {
	seq, si, ctx := s.seq, s.signIn, s.ctx
	return func() tea.Msg {
		a, err := si.Await(ctx)
		return ssoCallbackMsg{seq: seq, arrival: a, err: err}
	}
}

// follow is the sandbox's no-browser sign-in: authscope GETs the
// authorization URL and follows its redirect to its own listener.
func (s *sso) follow() tea.Cmd {
	s.state, s.followDone = ssoSigningIn, false
	seq, si, ctx, pid := s.seq, s.signIn, s.ctx, s.target.Provider.ID
	if s.whatIf == whatIfForgedState {
		// What a CSRF attempt looks like: a callback to the listener
		// that this sign-in never asked for, with another state. Its
		// code is made up, so the history may show it as sent.
		opts := s.sendOptionsAs(withWhatIf(ssoCallbackLabel, s.whatIf))
		return tea.Batch(func() tea.Msg {
			forged, _ := authschemes.RandomString(nil, 16)
			_, err := requests.Send(ctx, model.HTTPRequest{Method: "GET", URL: si.Request.RedirectURI + "?code=forged_code_from_elsewhere&state=" + forged}, opts)
			return ssoFollowedMsg{seq: seq, err: err}
		}, s.spin.Tick)
	}
	opts := s.sendOptionsAs(ssoAuthorizeLabel)
	run := func() tea.Msg {
		res, err := requests.FollowAuthorize(ctx, si.URL(), si.Request.RedirectURI, opts)
		msg := ssoFollowedMsg{seq: seq, authorize: res, err: err}
		if d, ok := requests.DecodeAuthorize(err, pid); ok {
			msg.decoded = &d
		}
		return msg
	}
	return tea.Batch(run, s.spin.Tick)
}

func (s *sso) followed(msg ssoFollowedMsg) tea.Cmd {
	if msg.seq != s.seq {
		return nil
	}
	s.authorize, s.followDone = msg.authorize, true
	if p := s.pending; p != nil {
		// The callback came first; its refusal quotes this response's
		// request id.
		s.pending = nil
		return s.called(*p)
	}
	if msg.err == nil || s.state != ssoSigningIn {
		return nil // the callback is on its way to the listener
	}
	return s.fail(msg.err, msg.decoded)
}

func (s *sso) called(msg ssoCallbackMsg) tea.Cmd {
	if msg.seq != s.seq {
		return nil
	}
	var na *requests.NoAnswerError
	if errors.As(msg.err, &na) {
		if na.Phase == "cancelled" {
			return nil
		}
		return s.fail(msg.err, nil)
	}
	if msg.err != nil && s.state == ssoSigningIn && !s.followDone && s.pending == nil {
		s.pending = &msg // wait for the authorization response and its request id
		return nil
	}
	cb := msg.arrival.Callback
	s.secrets = append(s.secrets, cb.Code)
	s.showFrom(len(s.before) + len(s.after))
	s.after = append(s.after, authschemes.CallbackStep(cb, s.signIn.Request.State, msg.err))
	if msg.err != nil {
		d, _ := requests.DecodeCallback(msg.err, cb, s.authorize)
		return s.fail(msg.err, &d)
	}
	return s.exchange(cb.Code)
}

// exchange redeems the code, with the chosen what-if applied.
func (s *sso) exchange(code string) tea.Cmd {
	s.state = ssoExchanging
	s.refresh()
	seq, si, ctx, w := s.seq, s.signIn, s.ctx, s.whatIf
	opts := s.sendOptionsAs(withWhatIf(ssoExchangeLabel, w))
	run := func() tea.Msg {
		redirect, verifier := si.Request.RedirectURI, si.Request.PKCE.Verifier
		var note *model.Step
		switch w {
		case whatIfWrongRedirect:
			redirect += "/"
			note = &model.Step{Title: "What if: another redirect URI", Output: model.Plain("redirect_uri=" + redirect),
				Explain: "The exchange sends the redirect URI with a trailing slash: one character off the authorization URL's."}
		case whatIfBadVerifier:
			other, err := authschemes.NewPKCE(nil)
			if err != nil {
				return ssoExchangedMsg{seq: seq, err: err}
			}
			verifier = other.Verifier
			note = &model.Step{Title: "What if: a wrong verifier", Output: model.SecretText(verifier),
				Explain: "The exchange sends a verifier from another sign-in: its hash is not the challenge the server saw."}
		case whatIfNoVerifier:
			verifier = ""
			note = &model.Step{Title: "What if: no verifier", Explain: "The exchange leaves code_verifier out, as a client that forgot PKCE would."}
		case whatIfReusedCode:
			firstOpts := opts
			firstOpts.Label, firstOpts.SkipJWKS = withWhatIf(ssoExchangeLabel+" (first use)", w), true
			first, _, err := requests.RedeemCode(ctx, si.SSO, code, redirect, verifier, firstOpts)
			status := "no answer"
			if err == nil && first != nil {
				status = fmt.Sprintf("HTTP %d", first.Status)
			}
			note = &model.Step{Title: "What if: the same code twice", Output: model.Plain("first exchange: " + status),
				Explain: "The code was redeemed once already (as a retry or a second callback would); this is the second time."}
		}
		x, res, err := requests.RedeemCode(ctx, si.SSO, code, redirect, verifier, opts)
		return exchangedMsg(seq, note, x, res, err, si)
	}
	return tea.Batch(run, s.spin.Tick)
}

// refreshTokens spends the refresh token (RFC 6749 §6).
func (s *sso) refreshTokens() tea.Cmd {
	s.state = ssoExchanging
	seq, si, ctx, rt := s.seq, s.signIn, s.ctx, s.tokens.RefreshToken
	opts := s.sendOptionsAs(ssoRefreshLabel)
	run := func() tea.Msg {
		x, res, err := requests.Refresh(ctx, si.SSO, rt, opts)
		return exchangedMsg(seq, nil, x, res, err, si)
	}
	return tea.Batch(run, s.spin.Tick)
}

func exchangedMsg(seq int, note *model.Step, x *authschemes.CodeExchange, res *requests.Result, err error, si *requests.SignIn) ssoExchangedMsg {
	msg := ssoExchangedMsg{seq: seq, note: note, x: x, res: res, err: err}
	if x != nil && res != nil && (x.TokenError != nil || res.Status >= 400) {
		d := requests.DecodeGrant(res, si.SSO.Target.Provider.ID, x.Grant, si.SSO.Auth, decode.FrontExplorer)
		msg.decoded = &d
	}
	return msg
}

func (s *sso) exchanged(msg ssoExchangedMsg) tea.Cmd {
	if msg.seq != s.seq {
		return nil
	}
	if msg.x != nil && msg.x.Grant == "refresh_token" {
		s.showFrom(len(s.before) + len(s.after))
	}
	if msg.note != nil {
		s.after = append(s.after, *msg.note)
	}
	if msg.x != nil {
		s.secrets = append(s.secrets, msg.x.Secrets()...)
		steps := authschemes.CodeExchangeSteps(*msg.x)
		for i, st := range steps {
			switch {
			// A sign-in is read from who signed in: the ID token's
			// claims; a refusal from the server's answer.
			case st.Title == "ID token claims" && msg.x.Grant == "authorization_code",
				st.Title == "Token response" && msg.x.TokenError != nil:
				s.showFrom(len(s.before) + len(s.after) + i)
			}
		}
		s.after = append(s.after, steps...)
	}
	if msg.decoded != nil || msg.err != nil || msg.x == nil || msg.x.Tokens.Token == nil {
		err := msg.err
		if err == nil {
			err = fmt.Errorf("the token endpoint answered HTTP %d", msg.x.Status)
		}
		return s.fail(err, msg.decoded)
	}
	s.state, s.tokens = ssoDone, msg.x.Tokens
	if msg.x.ID != nil {
		s.idToken = msg.x.ID
	}
	s.refresh()
	return nil
}

// fail lands a failure in the inspector, as a 401 does.
func (s *sso) fail(err error, d *model.DecodedError) tea.Cmd {
	s.state, s.err, s.decoded = ssoFailed, err, d
	if d == nil {
		dd := model.DecodedError{Shape: model.ShapeUnknown, ShapeTitle: "no answer", Message: err.Error(),
			Meaning: "The sign-in did not get an answer it could use.", Advice: "Check the environment is reachable; press n for a new sign-in."}
		var na *requests.NoAnswerError
		if errors.As(err, &na) && na.Step == requests.StepCallback {
			dd.Meaning = "The browser never came back to authscope's listener."
			dd.Advice = "Open the URL (o) and finish signing in; check the redirect URI is registered for the client."
		}
		d = &dd
		s.decoded = d
	}
	s.refresh()
	s.out.send(inspectMsg{decoded: *d, secrets: s.secrets})
	return nil
}

// openBrowserCmd opens the URL in $BROWSER or the system's browser.
func openBrowserCmd(getenv func(string) string, u string) tea.Cmd {
	return func() tea.Msg {
		if err := requests.OpenBrowser(getenv("BROWSER"), u); err != nil {
			return copiedMsg{What: "browser", Err: fmt.Errorf("could not open a browser: %v", err), Text: model.Plain(u)}
		}
		return nil
	}
}

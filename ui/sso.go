package ui

import (
	"context"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/authscope/authscope/authschemes"
	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
)

// The SSO login screen: Scalekit's authorization code flow with PKCE,
// step by step, from the verifier to the logout URL. Its commands and
// messages are in sso_cmds.go.

// ssoState is where the sign-in is.
type ssoState int

const (
	ssoStarting   ssoState = iota // the listener (and the sandbox) starting
	ssoWaiting                    // URL built, listener waiting for the browser
	ssoSigningIn                  // the sandbox's no-browser sign-in in flight
	ssoExchanging                 // the code exchange (or a refresh) in flight
	ssoDone                       // signed in
	ssoFailed                     // a step failed: the inspector has it
)

// ssoWhatIf is a deliberate mistake in the code exchange, to see the
// server's answer to it.
type ssoWhatIf int

const (
	whatIfNone ssoWhatIf = iota
	whatIfWrongRedirect
	whatIfBadVerifier
	whatIfReusedCode
	whatIfNoVerifier
	whatIfForgedState // a callback that is not this sign-in's: s sends it to the listener
	whatIfCount
)

func (w ssoWhatIf) String() string {
	return [...]string{"", "wrong redirect URI", "bad verifier", "reused code", "no verifier", "forged callback (state)"}[w]
}

type ssoKeys struct {
	Open, Copy, Demo, Route, Edit, WhatIf, Refresh, Logout, New, Inspect, Reveal key.Binding
}

func newSSOKeys() ssoKeys {
	return ssoKeys{
		Open:    key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "open in browser")),
		Copy:    key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy URL")),
		Demo:    key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sign in as the demo user")),
		Route:   key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "routing: org/connection/domain/login_hint")),
		Edit:    key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit the routing value")),
		WhatIf:  key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "what-if: a mistake in the exchange")),
		Refresh: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh tokens")),
		Logout:  key.NewBinding(key.WithKeys("l"), key.WithHelp("l", "logout URL")),
		New:     key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "new sign-in")),
		Inspect: key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "inspect the error")),
		Reveal:  key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "reveal/mask")),
	}
}

// sso is the screen.
type sso struct {
	common
	keys   ssoKeys
	target model.Target
	flow   model.SSOFlow
	state  ssoState
	seq    int
	ctx    context.Context
	cancel context.CancelFunc

	signIn     *requests.SignIn
	route      int // index in flow.Routing; -1 none
	value      string
	whatIf     ssoWhatIf
	before     []model.Step // up to the URL: rebuilt when the route changes
	after      []model.Step // from the callback on
	secrets    []string
	decoded    *model.DecodedError
	err        error
	tokens     authschemes.TokenSet
	idToken    *authschemes.JWT
	logout     model.Text
	authorize  *requests.Result // the no-browser sign-in's authorization response
	pending    *ssoCallbackMsg  // a refused callback waiting for that response
	followDone bool             // the no-browser sign-in's request has ended

	jump    int // the step to show at the top on the next refresh; -1 none
	reveal  bool
	editing bool
	edit    textinput.Model
	spin    spinner.Model
	scroll  scroller
}

func newSSO(c common, t model.Target) *sso {
	flow, _ := t.Provider.SSO()
	s := &sso{common: c, keys: newSSOKeys(), target: t, flow: flow, route: -1, jump: -1}
	s.spin = spinner.New(spinner.WithSpinner(spinner.Dot), spinner.WithStyle(c.styles.Info))
	s.scroll = newScroller(c.styles)
	s.edit = textinput.New()
	s.edit.Prompt = "› "
	s.edit.PromptStyle = c.styles.Cursor
	s.edit.Cursor.SetMode(cursor.CursorStatic)
	return s
}

func (s *sso) Init() tea.Cmd { return s.start() }

func (s *sso) Name() string { return "SSO login" }

func (s *sso) TakesText() bool { return s.editing }

// HandlesEsc: Esc closes the editor; otherwise it goes back.
func (s *sso) HandlesEsc() bool { return s.editing }

func (s *sso) leave() {
	if s.reveal {
		s.reveal = false
		s.refresh()
	}
}

func (s *sso) demoUser() string {
	if s.target.Env.Sandbox {
		return model.SandboxSSOUser
	}
	return ""
}

func (s *sso) Hint() string {
	switch s.state {
	case ssoStarting:
		return "starting the callback listener…"
	case ssoWaiting:
		if s.demoUser() != "" {
			return "s: sign in as " + s.demoUser() + " (no browser) · o: open in browser · y: copy URL"
		}
		return "o: open the URL in your browser · y: copy it · waiting for the callback"
	case ssoSigningIn:
		return "signing in as " + s.demoUser() + "…"
	case ssoExchanging:
		return "exchanging the code…"
	case ssoDone:
		return "r: refresh · l: logout URL · n: new sign-in"
	}
	return "i: inspect the error · n: new sign-in · x: what-if"
}

func (s *sso) ShortHelp() []key.Binding {
	switch s.state {
	case ssoDone:
		return []key.Binding{s.keys.Refresh, s.keys.Logout, s.keys.Copy, s.keys.New, s.keys.WhatIf}
	case ssoFailed:
		return []key.Binding{s.keys.Inspect, s.keys.New, s.keys.WhatIf}
	}
	keys := []key.Binding{}
	if s.demoUser() != "" {
		keys = append(keys, s.keys.Demo)
	}
	return append(keys, s.keys.Open, s.keys.Copy, s.keys.Route, s.keys.WhatIf)
}

func (s *sso) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{s.keys.Demo, s.keys.Open, s.keys.Copy, s.keys.Route, s.keys.Edit},
		{s.keys.WhatIf, s.keys.Refresh, s.keys.Logout, s.keys.New, s.keys.Inspect, s.keys.Reveal},
		s.scroll.help(),
	}
}

func (s *sso) SetSize(w, h int) {
	s.common.SetSize(w, h)
	s.edit.Width = max(w-6, 4)
	s.refresh()
}

func (s *sso) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case ssoStartedMsg:
		return s.started(msg)
	case ssoCallbackMsg:
		return s.called(msg)
	case ssoFollowedMsg:
		return s.followed(msg)
	case ssoExchangedMsg:
		return s.exchanged(msg)
	case spinner.TickMsg:
		if s.state != ssoStarting && s.state != ssoSigningIn && s.state != ssoExchanging {
			return nil
		}
		var cmd tea.Cmd
		s.spin, cmd = s.spin.Update(msg)
		return cmd
	case tea.KeyMsg:
		if s.editing {
			return s.editKey(msg)
		}
		return s.key(msg)
	}
	return nil
}

func (s *sso) key(k tea.KeyMsg) tea.Cmd {
	waiting := s.state == ssoWaiting
	switch {
	case key.Matches(k, s.keys.Demo) && waiting && s.demoUser() != "":
		s.setRoute(len(s.flow.Routing)-1, s.demoUser())
		return s.follow()
	case key.Matches(k, s.keys.Open) && waiting:
		return openBrowserCmd(s.getenv, s.signIn.URL())
	case key.Matches(k, s.keys.Copy) && s.signIn != nil:
		if len(s.logout) > 0 {
			return copyCmd(s.clip, "logout URL", s.logout)
		}
		return copyCmd(s.clip, "authorization URL", model.Plain(s.signIn.URL()))
	case key.Matches(k, s.keys.Route) && waiting:
		next := s.route + 1
		if next >= len(s.flow.Routing) {
			next = -1
		}
		s.setRoute(next, s.sandboxValue(next))
		if next >= 0 && s.value == "" {
			s.openEditor()
			return nil
		}
	case key.Matches(k, s.keys.Edit) && waiting && s.route >= 0:
		s.openEditor()
		return nil
	case key.Matches(k, s.keys.WhatIf) && s.state != ssoExchanging && s.state != ssoSigningIn:
		s.whatIf = (s.whatIf + 1) % whatIfCount
	case key.Matches(k, s.keys.Refresh) && s.state == ssoDone && s.tokens.RefreshToken != "":
		return s.refreshTokens()
	case key.Matches(k, s.keys.Logout) && s.state == ssoDone && s.tokens.IDToken != "":
		s.logout = s.signIn.LogoutURL(s.tokens.IDToken)
		s.showFrom(len(s.before) + len(s.after))
		s.after = append(s.after, authschemes.LogoutStep(s.logout))
	case key.Matches(k, s.keys.New) && s.state != ssoStarting:
		return s.start()
	case key.Matches(k, s.keys.Inspect) && s.decoded != nil:
		s.out.send(inspectMsg{decoded: *s.decoded, secrets: s.secrets})
		return nil
	case key.Matches(k, s.keys.Reveal):
		s.reveal = !s.reveal
	default:
		s.jump = -1 // the user scrolls: the view stays where they put it
		return s.scroll.Update(k)
	}
	s.refresh()
	return nil
}

// sandboxValue is a routing value that works on the sandbox, so the
// routing can be tried without typing.
func (s *sso) sandboxValue(i int) string {
	if !s.target.Env.Sandbox || i < 0 {
		return ""
	}
	return map[string]string{"organization_id": model.SandboxOrgID, "connection_id": model.SandboxSSOConnectionID,
		"domain": model.SandboxSSODomain, "login_hint": model.SandboxSSOUser}[s.flow.Routing[i].Param]
}

func (s *sso) setRoute(i int, value string) {
	s.route, s.value = i, value
	if s.signIn == nil {
		return
	}
	s.signIn.Request.Route, s.signIn.Request.RouteValue = "", ""
	if i >= 0 {
		s.signIn.Request.Route, s.signIn.Request.RouteValue = s.flow.Routing[i].Param, value
	}
	s.before = s.signIn.Steps()
	s.refresh()
}

func (s *sso) openEditor() {
	s.editing = true
	s.edit.SetValue(s.value)
	s.edit.CursorEnd()
	s.edit.Focus()
}

func (s *sso) editKey(k tea.KeyMsg) tea.Cmd {
	switch k.Type {
	case tea.KeyEsc:
		s.editing = false
		s.edit.Blur()
		if s.value == "" {
			s.setRoute(-1, "")
		}
		return nil
	case tea.KeyEnter:
		s.editing = false
		s.edit.Blur()
		v := strings.TrimSpace(s.edit.Value())
		if v == "" {
			s.setRoute(-1, "")
		} else {
			s.setRoute(s.route, v)
		}
		return nil
	}
	var cmd tea.Cmd
	s.edit, cmd = s.edit.Update(k)
	return cmd
}

// show renders a Text masked (unless revealed) and scrubbed.
func (s *sso) show(t model.Text) string {
	if s.reveal {
		return model.Sanitize(t.Reveal())
	}
	return model.Scrub(model.Sanitize(t.Masked()), s.secrets...)
}

// refresh lays the steps out in the viewport.
func (s *sso) refresh() {
	var b strings.Builder
	if s.decoded != nil && s.decoded.LikelyCause != "" && s.state == ssoFailed {
		b.WriteString(s.styles.Cause.Render(wrapText("Likely cause: "+model.Scrub(model.Sanitize(s.decoded.LikelyCause), s.secrets...), s.width-2)) + "\n")
	}
	all := append(append([]model.Step{}, s.before...), s.after...)
	jumpTo := -1
	for i, st := range all {
		if i == s.jump {
			jumpTo = s.linesOf(b.String())
		}
		b.WriteString(s.stepView(i, st))
	}
	h := s.height - 3
	if s.editing {
		h -= 2
	}
	s.scroll.SetSize(s.width, max(h, 1))
	s.scroll.SetContent(strings.TrimRight(b.String(), "\n"))
	if jumpTo >= 0 {
		// Kept until the user scrolls: steps still arriving below move
		// the view on to the anchor as far as the content allows.
		s.scroll.vp.SetYOffset(jumpTo)
	}
}

// showFrom brings step i (counted over all steps) to the top of the
// viewport: a new answer is read from its start.
func (s *sso) showFrom(i int) { s.jump = i }

// linesOf counts the lines text takes in the viewport, wrapped as the
// scroller wraps them.
func (s *sso) linesOf(text string) int {
	n := 0
	for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		if text == "" {
			break
		}
		if s.scroll.wrap {
			n += len(wrapIndented(l, s.width))
		} else {
			n++
		}
	}
	return n
}

func (s *sso) stepView(i int, st model.Step) string {
	sty := s.styles
	var b strings.Builder
	title := sty.StepTitle.Render(fmt.Sprintf("%d. %s", i+1, model.Sanitize(st.Title)))
	b.WriteString(title + "\n")
	field := func(label string, t model.Text) {
		if len(t) == 0 {
			return
		}
		for j, l := range strings.Split(strings.TrimRight(s.show(t), "\n"), "\n") {
			prefix := "      "
			if j == 0 {
				prefix = sty.StepLabel.Render(fmt.Sprintf("  %-4s", label))
			}
			line := l
			switch {
			case strings.HasPrefix(l, "✗"):
				line = sty.Error.Render(l)
			case strings.HasPrefix(l, "✓"):
				line = sty.Success.Render(l)
			}
			b.WriteString(prefix + line + "\n")
		}
	}
	field("in", st.Input)
	field("out", st.Output)
	if st.Explain != "" {
		for _, l := range strings.Split(wrapText(model.Scrub(model.Sanitize(st.Explain), s.secrets...), max(s.width-6, 10)), "\n") {
			b.WriteString("      " + sty.StepExplain.Render(l) + "\n")
		}
	}
	return b.String()
}

func (s *sso) View() string {
	sty := s.styles
	var b strings.Builder
	title := sty.Title.Render(s.target.Provider.Name)
	if s.whatIf != whatIfNone {
		title += " " + sty.Warning.Render("what-if: "+s.whatIf.String())
	}
	title += sty.Muted.Render(" · SSO login (authorization code + PKCE)")
	if s.route >= 0 {
		title += sty.Muted.Render(" · " + s.flow.Routing[s.route].Param + "=" + model.Sanitize(s.value))
	}
	b.WriteString(cut(title, s.width) + "\n")
	b.WriteString(cut(s.statusView(), s.width) + "\n")
	if s.editing {
		b.WriteString(sty.Subtitle.Render(s.flow.Routing[s.route].Param+" (enter to use, esc to drop)") + "\n" + s.edit.View() + "\n")
	}
	if s.state == ssoStarting && s.signIn == nil {
		if s.err != nil {
			b.WriteString(sty.Error.Render(wrapText(model.Sanitize(s.err.Error()), s.width-2)) + "\n")
		}
		return b.String()
	}
	b.WriteString(s.scroll.View() + "\n")
	if s.signIn != nil {
		u := model.Plain(s.signIn.URL())
		if len(s.logout) > 0 {
			u = s.logout
		}
		b.WriteString(sty.HeaderLine.Render(cut(s.show(u), s.width)))
	}
	return b.String()
}

// statusView is one line: where the sign-in is.
func (s *sso) statusView() string {
	sty := s.styles
	port := ""
	if s.signIn != nil {
		port = fmt.Sprintf("127.0.0.1:%d", s.signIn.Listener.Port)
		if s.signIn.Listener.Fixed {
			port += " (fixed)"
		}
	}
	switch s.state {
	case ssoStarting:
		return s.spin.View() + " starting the callback listener…"
	case ssoWaiting:
		return sty.Info.Render("listening on "+port) + sty.Muted.Render(" · waiting for the browser's callback")
	case ssoSigningIn:
		return s.spin.View() + " signing in as " + s.demoUser() + " without a browser…"
	case ssoExchanging:
		return s.spin.View() + " exchanging the code at " + s.target.Provider.TokenPath + "…"
	case ssoDone:
		who := ""
		if s.idToken != nil {
			if c, ok := s.idToken.Claim("email"); ok {
				who = " as " + model.Sanitize(c.Value)
			}
		}
		return sty.Success.Render("signed in"+who) + sty.Muted.Render(" · ID token ✓ · listener closed")
	}
	msg := "failed"
	if s.decoded != nil {
		msg += ": " + model.Scrub(model.Sanitize(s.decoded.Code), s.secrets...)
	} else if s.err != nil {
		msg += ": " + model.Scrub(model.Sanitize(s.err.Error()), s.secrets...)
	}
	return sty.Error.Render(msg) + sty.Muted.Render(" · i inspect · n new sign-in")
}

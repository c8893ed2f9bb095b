package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/authscope/authscope/authschemes"
	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
)

// exchangeMsg is the OAuth2 token exchange's outcome.
type exchangeMsg struct {
	seq      int
	exchange *authschemes.Exchange
	result   *requests.Result
	decoded  *model.DecodedError // the token error, decoded
	err      error               // no answer at all
}

// countdownMsg ticks the token's expiry countdown once a second.
type countdownMsg struct {
	seq int
	now time.Time
}

type stepsKeys struct {
	Fire, Request, Copy, Menu, Walk, Next, Prev, Reveal, Refresh, ClientAuth, Inspect key.Binding
}

func newStepsKeys() stepsKeys {
	return stepsKeys{
		Fire:       key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "fire the first sample")),
		Request:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "choose a request")),
		Copy:       key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy header")),
		Menu:       key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy menu")),
		Walk:       key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "walk/show all")),
		Next:       key.NewBinding(key.WithKeys("n", "tab"), key.WithHelp("n", "next step")),
		Prev:       key.NewBinding(key.WithKeys("p", "shift+tab"), key.WithHelp("p", "previous step")),
		Reveal:     key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "reveal/mask")),
		Refresh:    key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "new token")),
		ClientAuth: key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "client auth post/basic")),
		Inspect:    key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "inspect the error")),
	}
}

// steps shows the credential becoming the header, one step at a time or
// all at once.
type steps struct {
	common
	keys       stepsKeys
	target     model.Target
	oauth      bool
	clientAuth authschemes.ClientAuth

	steps    []model.Step
	built    *builtHeader
	warnings []model.Warning
	mode     string // Scale: "live" or "test"

	busy     bool
	seq      int
	cancel   context.CancelFunc
	exchange *authschemes.Exchange
	decoded  *model.DecodedError
	err      error
	now      time.Time

	walk   bool
	shown  int // steps shown in walk mode
	reveal bool
	spin   spinner.Model
	scroll scroller
}

func newSteps(c common, t model.Target) *steps {
	s := &steps{common: c, keys: newStepsKeys(), target: t, oauth: t.Provider.Scheme == model.SchemeOAuth2,
		clientAuth: authschemes.ClientSecretPost, now: c.now()}
	s.spin = spinner.New(spinner.WithSpinner(spinner.Dot), spinner.WithStyle(c.styles.Info))
	s.scroll = newScroller(c.styles)
	if !s.oauth {
		s.build()
	}
	return s
}

// build runs the engine for Basic and Bearer: pure, instant.
func (s *steps) build() {
	res, err := authschemes.Build(s.target.Provider, s.target.Env, s.target.Creds)
	if err != nil {
		s.err = err
		return
	}
	s.steps, s.warnings, s.mode = res.Steps, res.Warnings, res.Mode
	s.built = &builtHeader{header: res.Header, secrets: s.target.Secrets()}
	s.shown = 1
	s.refresh()
}

func (s *steps) Init() tea.Cmd {
	if s.oauth {
		return s.startExchange()
	}
	if s.built != nil {
		s.out.send(headerMsg{built: *s.built})
	}
	return nil
}

func (s *steps) Name() string { return "Steps" }

// leave masks a revealed header again.
func (s *steps) leave() {
	if s.reveal {
		s.reveal = false
		s.refresh()
	}
}

func (s *steps) TakesText() bool { return false }
func (s *steps) HandlesEsc() bool {
	return s.busy
}

func (s *steps) Hint() string {
	switch {
	case s.busy:
		return "exchanging credentials for a token… esc cancels"
	case s.built == nil:
		return "esc: back to the credentials"
	case s.walk && s.shown < len(s.steps):
		return "n: next step"
	}
	return "f: fire " + s.target.Provider.Samples[0].Method + " " + s.target.Provider.Samples[0].Path + " · y: copy header"
}

func (s *steps) ShortHelp() []key.Binding {
	if s.built == nil {
		return []key.Binding{s.keys.Refresh, s.keys.Inspect, s.keys.ClientAuth}
	}
	return []key.Binding{s.keys.Fire, s.keys.Copy, s.keys.Menu, s.keys.Request, s.keys.Walk}
}

func (s *steps) FullHelp() [][]key.Binding {
	cols := [][]key.Binding{
		{s.keys.Fire, s.keys.Request, s.keys.Copy, s.keys.Menu},
		{s.keys.Walk, s.keys.Next, s.keys.Prev, s.keys.Reveal},
	}
	if s.oauth {
		cols = append(cols, []key.Binding{s.keys.Refresh, s.keys.ClientAuth, s.keys.Inspect})
	}
	return append(cols, s.scroll.help())
}

func (s *steps) SetSize(w, h int) {
	s.common.SetSize(w, h)
	s.refresh()
}

func (s *steps) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case exchangeMsg:
		return s.exchanged(msg)
	case countdownMsg:
		if msg.seq != s.seq || s.exchange == nil || s.exchange.Token == nil {
			return nil
		}
		s.now = msg.now
		return s.tick()
	case spinner.TickMsg:
		if !s.busy {
			return nil
		}
		var cmd tea.Cmd
		s.spin, cmd = s.spin.Update(msg)
		return cmd
	case tea.KeyMsg:
		return s.key(msg)
	}
	return nil
}

func (s *steps) key(k tea.KeyMsg) tea.Cmd {
	switch {
	case s.busy && k.Type == tea.KeyEsc:
		s.cancel()
		s.busy, s.err = false, fmt.Errorf("cancelled")
		s.seq++
		return nil
	case key.Matches(k, s.keys.Fire) && s.built != nil:
		s.out.send(openRequestMsg{fire: true})
		return nil
	case key.Matches(k, s.keys.Request) && s.built != nil:
		s.out.send(openRequestMsg{})
		return nil
	case key.Matches(k, s.keys.Copy) && s.built != nil:
		return copyCmd(s.clip, "header", s.built.line())
	case key.Matches(k, s.keys.Menu):
		s.out.send(openCopyMenuMsg{})
		return nil
	case key.Matches(k, s.keys.Walk):
		s.walk = !s.walk
		s.shown = 1
	case key.Matches(k, s.keys.Next):
		s.shown = min(s.shown+1, len(s.steps))
	case key.Matches(k, s.keys.Prev):
		s.shown = max(s.shown-1, 1)
	case key.Matches(k, s.keys.Reveal):
		s.reveal = !s.reveal
	case key.Matches(k, s.keys.Refresh) && s.oauth && !s.busy:
		return s.startExchange()
	case key.Matches(k, s.keys.ClientAuth) && s.oauth && !s.busy:
		// RFC 6749 lets a client authenticate in the form body (what every
		// Scalekit SDK does) or with HTTP Basic; flipping shows both.
		if s.clientAuth == authschemes.ClientSecretPost {
			s.clientAuth = authschemes.ClientSecretBasic
		} else {
			s.clientAuth = authschemes.ClientSecretPost
		}
		return s.startExchange()
	case key.Matches(k, s.keys.Inspect) && s.decoded != nil:
		s.out.send(inspectMsg{decoded: *s.decoded, secrets: s.target.Secrets()})
		return nil
	default:
		return s.scroll.Update(k)
	}
	s.refresh()
	return nil
}

// secrets is what to mask in everything drawn, unless revealed.
func (s *steps) secrets() []string {
	if s.built != nil {
		return s.built.secrets
	}
	return s.target.Secrets()
}

// refresh redraws the steps into the viewport; it runs when something
// changes, not on every frame.
func (s *steps) refresh() {
	var b strings.Builder
	if s.built == nil && s.decoded != nil && s.decoded.LikelyCause != "" {
		b.WriteString(s.styles.Cause.Render(wrapText("Likely cause: "+explorerAdvice(model.Sanitize(s.decoded.LikelyCause)), s.width-2)) + "\n")
	}
	n := len(s.steps)
	if s.walk {
		n = min(max(s.shown, 1), len(s.steps))
	}
	for i := 0; i < n; i++ {
		b.WriteString(s.stepView(i, s.steps[i]))
	}
	if s.walk && n < len(s.steps) {
		b.WriteString(s.styles.Muted.Render(fmt.Sprintf("… %d more: press n", len(s.steps)-n)) + "\n")
	}
	for _, w := range s.warnings {
		b.WriteString(s.styles.Warning.Render(wrapText("⚠ "+model.Sanitize(w.Message+" "+w.Fix), s.width-2)) + "\n")
	}
	s.scroll.SetSize(s.width, s.height-s.chromeHeight())
	s.scroll.SetContent(strings.TrimRight(b.String(), "\n"))
}

// chromeHeight is the lines around the viewport: title, token summary,
// header line.
func (s *steps) chromeHeight() int {
	h := 2
	if s.oauth {
		h++
	}
	return h
}

// show renders a Text masked (unless revealed), made safe for the
// terminal, with every known secret scrubbed as a last defence.
func (s *steps) show(t model.Text) string {
	if s.reveal {
		return model.Sanitize(t.Reveal())
	}
	return model.Scrub(model.Sanitize(t.Masked()), s.secrets()...)
}

func (s *steps) stepView(i int, st model.Step) string {
	sty := s.styles
	w := max(s.width-6, 10)
	var b strings.Builder
	b.WriteString(sty.StepTitle.Render(fmt.Sprintf("%d. %s", i+1, model.Sanitize(st.Title))) + "\n")
	field := func(label string, t model.Text) {
		if len(t) == 0 {
			return
		}
		lines := strings.Split(strings.TrimRight(s.show(t), "\n"), "\n")
		for j, l := range lines {
			prefix := "      "
			if j == 0 {
				prefix = sty.StepLabel.Render(fmt.Sprintf("  %-4s", label))
			}
			b.WriteString(prefix + l + "\n")
		}
	}
	field("in", st.Input)
	field("out", st.Output)
	if st.Explain != "" {
		for _, l := range strings.Split(wrapText(model.Sanitize(st.Explain), w), "\n") {
			b.WriteString("      " + sty.StepExplain.Render(l) + "\n")
		}
	}
	return b.String()
}

func (s *steps) View() string {
	sty := s.styles
	var b strings.Builder
	title := sty.Title.Render(s.target.Provider.Name) + sty.Muted.Render(" · "+s.target.Provider.Scheme.Label())
	if s.oauth {
		title += sty.Muted.Render(" · client auth " + string(s.clientAuth))
	}
	if s.mode != "" {
		title += " " + keyModeBadge(sty, s.target.Provider, s.mode+"_")
	}
	b.WriteString(title + "\n")
	if s.oauth {
		b.WriteString(s.tokenSummary() + "\n")
	}
	switch {
	case s.busy:
		b.WriteString(s.spin.View() + " requesting a token…\n")
		return b.String()
	case s.err != nil && len(s.steps) == 0:
		b.WriteString(sty.Error.Render(wrapText(model.Scrub(model.Sanitize(s.err.Error()), s.secrets()...), s.width-2)) + "\n")
		return b.String()
	}
	b.WriteString(s.scroll.View() + "\n")
	if s.built != nil {
		b.WriteString(sty.HeaderLine.Render(cut(s.show(s.built.line()), s.width)))
	} else if s.decoded != nil {
		b.WriteString(sty.Muted.Render(cut("i: inspect the error · a: other client auth", s.width)))
	}
	return b.String()
}

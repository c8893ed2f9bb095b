package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/authscope/authscope/authschemes"
	"github.com/authscope/authscope/model"
)

// credentialsMsg: the credentials are in; build the header from them.
// sso is set when the user chose the provider's SSO login flow.
type credentialsMsg struct {
	target model.Target
	sso    bool
}

type credKeys struct {
	Next, Prev, Demo, Reveal, Submit, Paste, Flow key.Binding
}

func newCredKeys() credKeys {
	return credKeys{
		Next:   key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab", "next field")),
		Prev:   key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab", "previous field")),
		Demo:   key.NewBinding(key.WithKeys("ctrl+d"), key.WithHelp("ctrl+d", "demo")),
		Reveal: key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "reveal/mask")),
		Submit: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "build header")),
		Paste:  key.NewBinding(key.WithKeys("ctrl+v"), key.WithHelp("ctrl+v", "paste")),
		Flow:   key.NewBinding(key.WithKeys("ctrl+t"), key.WithHelp("ctrl+t", "flow: API access / SSO login")),
	}
}

// credField is one input: a credential from the provider table, or the
// environment's parameter (a subdomain, a custom URL).
type credField struct {
	field    model.Field // zero for the parameter
	param    bool
	label    string
	hint     string
	input    textinput.Model
	source   string // where the value came from: "$SCALE_API_KEY", "demo: docs' key"
	original string // the value as it came; typing over it drops the source
}

// credentials collects the values, checking them as they are typed.
type credentials struct {
	common
	keys     credKeys
	provider model.Provider
	env      model.Environment
	fields   []*credField
	focus    int
	reveal   bool
	nextDemo int
	warnings []model.Warning
	problem  string // why enter did not go on
	sso      bool   // the SSO login flow (providers that have one), not API access
}

func newCredentials(c common, p model.Provider, env model.Environment) *credentials {
	s := &credentials{common: c, keys: newCredKeys(), provider: p, env: env}
	for _, f := range p.Fields {
		cf := &credField{field: f, label: f.Label, hint: f.Hint, input: s.newInput(f.Secret)}
		if v := c.getenv(f.EnvVar); f.EnvVar != "" && v != "" {
			cf.set(v, "from $"+f.EnvVar)
		}
		s.fields = append(s.fields, cf)
	}
	if env.Param != model.ParamNone {
		cf := &credField{param: true, label: "Subdomain", hint: strings.Replace(env.BaseURL, "{subdomain}", "‹subdomain›", 1), input: s.newInput(false)}
		if env.Param == model.ParamURL {
			cf.label, cf.hint = "Base URL", env.Note
		}
		if v := c.getenv(p.EnvURLVar); p.EnvURLVar != "" && v != "" {
			if matched, param, err := model.MatchEnvironment(p, v); err == nil && matched.ID == env.ID {
				cf.set(param, "from $"+p.EnvURLVar)
			}
		}
		s.fields = append(s.fields, cf)
	}
	s.recall()
	s.fields[0].input.Focus()
	s.check()
	return s
}

// fieldKey names a field in the typed memory.
func (f *credField) key() string {
	if f.param {
		return "param"
	}
	return f.field.ID
}

// recall puts back what was typed here before, over the environment's
// values: the user's last word wins.
func (s *credentials) recall() {
	for _, f := range s.fields {
		if v, ok := s.typed.load(memoryKey(s.provider, s.env))[f.key()]; ok {
			f.set(v.value, v.source)
			if v.source == "" {
				f.original = ""
			}
		}
	}
}

// leave remembers the fields and masks them again: a key revealed for
// a moment is not shown to whoever looks next.
func (s *credentials) leave() {
	values := map[string]typedValue{}
	for _, f := range s.fields {
		values[f.key()] = typedValue{value: f.input.Value(), source: f.source}
	}
	s.typed.save(memoryKey(s.provider, s.env), values)
	if s.reveal {
		s.toggleReveal()
	}
}

func (s *credentials) newInput(secret bool) textinput.Model {
	in := textinput.New()
	in.Prompt = "› "
	in.PromptStyle = s.styles.Cursor
	in.TextStyle = s.styles.Text
	in.PlaceholderStyle = s.styles.Faint
	in.Cursor.Style = s.styles.Cursor
	in.Cursor.SetMode(cursor.CursorStatic) // no blink timer: calm and cheap when idle
	if secret {
		in.EchoMode, in.EchoCharacter = textinput.EchoPassword, '•'
	}
	return in
}

func (f *credField) set(v, source string) {
	f.input.SetValue(v)
	f.input.CursorEnd()
	f.source, f.original = source, v
}

func (s *credentials) Init() tea.Cmd   { return nil }
func (s *credentials) Name() string    { return "Credentials" }
func (s *credentials) TakesText() bool { return true }

func (s *credentials) Hint() string {
	if s.env.Sandbox && s.allEmpty() && len(s.provider.Demos) > 0 {
		return "ctrl+d: demo credential, then enter"
	}
	if s.sso {
		return "enter: start the SSO sign-in"
	}
	return "enter: build the header"
}

func (s *credentials) ShortHelp() []key.Binding {
	keys := []key.Binding{s.keys.Submit}
	if s.sso {
		keys[0] = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "start sign-in"))
	}
	if s.env.Sandbox && len(s.provider.Demos) > 0 {
		keys = append(keys, s.keys.Demo)
	}
	if _, ok := s.provider.SSO(); ok {
		keys = append(keys, s.keys.Flow)
	}
	return append(keys, s.keys.Reveal, s.keys.Next)
}

func (s *credentials) FullHelp() [][]key.Binding {
	return [][]key.Binding{{s.keys.Submit, s.keys.Demo, s.keys.Reveal, s.keys.Flow}, {s.keys.Next, s.keys.Prev, s.keys.Paste}}
}

func (s *credentials) SetSize(w, h int) {
	s.common.SetSize(w, h)
	for _, f := range s.fields {
		f.input.Width = max(w-4, 4)
	}
}

func (s *credentials) Update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyMsg); ok {
		switch {
		case key.Matches(k, s.keys.Submit):
			return s.submit()
		case key.Matches(k, s.keys.Next):
			s.move(1)
			return nil
		case key.Matches(k, s.keys.Prev):
			s.move(-1)
			return nil
		case key.Matches(k, s.keys.Demo):
			s.fillDemo()
			return nil
		case key.Matches(k, s.keys.Reveal):
			s.toggleReveal()
			return nil
		case key.Matches(k, s.keys.Flow):
			_, ok := s.provider.SSO()
			s.sso = ok && !s.sso
			return nil
		}
	}
	if k, ok := msg.(tea.KeyMsg); ok && k.Paste && s.spreadPaste(string(k.Runes)) {
		return nil
	}
	f := s.fields[s.focus]
	before := f.input.Value()
	var cmd tea.Cmd
	f.input, cmd = f.input.Update(msg)
	if v := f.input.Value(); v != before {
		if v != f.original {
			f.source = ""
		}
		s.problem = ""
		s.check()
	}
	return cmd
}

// spreadPaste fills the focused field and the ones after it from a paste
// of several lines ("skc_…⏎secret" copied from a dashboard): each line to
// its own field, so a secret never lands, unmasked, in a field that shows
// what it holds. A paste with more lines than fields left is typed as
// usual (and its line breaks warned about).
func (s *credentials) spreadPaste(text string) bool {
	lines := strings.FieldsFunc(text, func(r rune) bool { return r == '\r' || r == '\n' })
	if len(lines) < 2 || s.focus+len(lines) > len(s.fields) {
		return false
	}
	for i, line := range lines {
		s.fields[s.focus+i].set(line, "")
	}
	s.move(len(lines) - 1)
	s.problem = ""
	s.check()
	return true
}

func (s *credentials) move(by int) {
	s.fields[s.focus].input.Blur()
	s.focus = (s.focus + by + len(s.fields)) % len(s.fields)
	s.fields[s.focus].input.Focus()
}

// fillDemo puts the next demo set in (sandbox only: the demos work
// nowhere else).
func (s *credentials) fillDemo() {
	if !s.env.Sandbox || len(s.provider.Demos) == 0 {
		s.problem = "demo credentials work in the sandbox only"
		return
	}
	d := s.provider.Demos[s.nextDemo%len(s.provider.Demos)]
	s.nextDemo++
	for _, f := range s.fields {
		if v, ok := d.Values[f.field.ID]; ok && !f.param {
			f.set(v, "demo: "+d.Label)
		}
	}
	s.problem = ""
	s.check()
}

func (s *credentials) toggleReveal() {
	s.reveal = !s.reveal
	for _, f := range s.fields {
		if f.field.Secret {
			f.input.EchoMode = textinput.EchoPassword
			if s.reveal {
				f.input.EchoMode = textinput.EchoNormal
			}
		}
	}
}

func (s *credentials) allEmpty() bool {
	for _, f := range s.fields {
		if f.input.Value() != "" {
			return false
		}
	}
	return true
}

func (s *credentials) creds() authschemes.Credentials {
	c := authschemes.Credentials{}
	for _, f := range s.fields {
		if !f.param {
			c[f.field.ID] = f.input.Value()
		}
	}
	return c
}

// check runs the engine's cheap pre-send checks on every change.
func (s *credentials) check() {
	s.warnings = authschemes.Check(s.provider, s.env, s.creds())
}

// submit goes on when every field is filled and nothing blocks the
// header; otherwise it moves to the first empty field or says why not.
func (s *credentials) submit() tea.Cmd {
	for i, f := range s.fields {
		if strings.TrimSpace(f.input.Value()) == "" {
			s.fields[s.focus].input.Blur()
			s.focus = i
			f.input.Focus()
			s.problem = f.label + " is empty"
			if s.env.Sandbox && len(s.provider.Demos) > 0 {
				s.problem += " (ctrl+d fills the demo credential)"
			}
			return nil
		}
	}
	for _, w := range s.warnings {
		if w.Severity == model.SeverityError {
			s.problem = w.Message + " " + w.Fix
			return nil
		}
	}
	t := model.Target{Provider: s.provider, Env: s.env, Creds: s.creds(), Sources: map[string]string{}}
	for _, f := range s.fields {
		switch {
		case f.param:
			base, err := model.ResolveBaseURL(s.env, f.input.Value())
			if err != nil {
				s.problem = err.Error()
				return nil
			}
			t.BaseURL = base
		case f.source != "":
			t.Sources[f.field.ID] = f.source
		default:
			t.Sources[f.field.ID] = "typed"
		}
	}
	if t.BaseURL == "" && !s.env.Sandbox {
		t.BaseURL = s.env.BaseURL
	}
	s.out.send(credentialsMsg{target: t, sso: s.sso})
	return nil
}

func (s *credentials) View() string {
	st := s.styles
	var b strings.Builder
	scheme := s.provider.Scheme.Label()
	if s.sso {
		scheme = "SSO login (authorization code + PKCE)"
	}
	b.WriteString(st.Title.Render(s.provider.Name) + st.Muted.Render(" · "+s.env.Label+" · "+scheme) + "\n")
	if s.height >= 16 {
		b.WriteString("\n")
	}
	b.WriteString(s.flowLine())
	for i, f := range s.fields {
		b.WriteString(s.fieldView(i, f))
	}
	for _, w := range s.warnings {
		if w.Field == "" {
			b.WriteString(s.warningLine(w) + "\n")
		}
	}
	if s.problem != "" {
		b.WriteString(st.Error.Render(wrapText(model.Sanitize(s.problem), s.width-2)) + "\n")
	}
	if s.env.Sandbox && len(s.provider.Demos) > 0 && s.height >= 14 {
		next := s.provider.Demos[s.nextDemo%len(s.provider.Demos)]
		b.WriteString("\n" + st.Key.Render("ctrl+d") + st.Muted.Render(" fills the sandbox demo credential ("+next.Label+")"))
	}
	return b.String()
}

func (s *credentials) fieldView(i int, f *credField) string {
	st := s.styles
	var b strings.Builder
	label := st.Subtitle.Render(f.label)
	if i == s.focus {
		label = st.Selected.Render(f.label)
	}
	if f.field.Secret {
		if badge := keyModeBadge(st, s.provider, f.input.Value()); badge != "" {
			label += " " + badge
		}
	}
	if f.source != "" {
		label += " " + st.Info.Render(f.source)
	}
	b.WriteString(label + "\n")
	b.WriteString(f.input.View() + "\n")
	if f.hint != "" && s.height >= 12 {
		b.WriteString("  " + st.Faint.Render(f.hint) + "\n")
	}
	for _, w := range s.warnings {
		if !f.param && w.Field == f.field.ID {
			b.WriteString(s.warningLine(w) + "\n")
		}
	}
	return b.String()
}

// warningLine is a check's finding with its fix. Messages never hold the
// secret (the engine's promise), and are sanitised anyway.
func (s *credentials) warningLine(w model.Warning) string {
	st := s.styles.Warning
	mark := "⚠ "
	switch w.Severity {
	case model.SeverityError:
		st, mark = s.styles.Error, "✗ "
	case model.SeverityInfo:
		st, mark = s.styles.Info, "ℹ "
	}
	text := w.Message
	if w.Fix != "" {
		text += " — " + w.Fix
	}
	// Continuation lines hang under the text, not under the mark.
	return st.Render(indent(mark+wrapText(model.Sanitize(text), s.width-6), "    ")[2:])
}

// flowLine offers a provider's two flows: API access (client
// credentials) and SSO login (authorization code + PKCE).
func (s *credentials) flowLine() string {
	if _, ok := s.provider.SSO(); !ok {
		return ""
	}
	st := s.styles
	api, sso := "API access (client credentials)", "SSO login (auth code + PKCE)"
	if s.sso {
		return st.Subtitle.Render("Flow ") + st.Muted.Render(api+" · ") + st.Selected.Render("› "+sso) + st.Muted.Render(" ctrl+t") + "\n"
	}
	return st.Subtitle.Render("Flow ") + st.Selected.Render("› "+api) + st.Muted.Render(" · "+sso+" ctrl+t") + "\n"
}

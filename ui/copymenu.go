package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/authscope/authscope/authschemes"
	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
	"github.com/authscope/authscope/snippets"
)

// copySource is what the copy menu can copy from: a snapshot of the
// session when the menu opened.
type copySource struct {
	target  model.Target
	sample  model.Sample
	built   *builtHeader
	resp    *responseMsg
	decoded *model.DecodedError
	session []*requests.Entry // the session's history, newest first
}

// copyTargetMsg carries the target with its base URL, once resolved.
type copyTargetMsg struct {
	target model.Target
	err    error
}

// copyItem is one thing to copy.
type copyItem struct {
	label string
	what  string // for the toast
	make  func(src copySource, flavour snippets.Flavour) (model.Text, error)
}

var errNothing = fmt.Errorf("nothing to copy yet")

func snippetItem(label string, kind snippets.Kind) copyItem {
	return copyItem{label: label, what: string(kind), make: func(src copySource, fl snippets.Flavour) (model.Text, error) {
		if src.resp != nil && src.resp.edited != nil {
			return editedSnippet(kind, src.resp.request)
		}
		if err := needsCredentials(src); err != nil {
			return nil, err
		}
		return snippets.Write(kind, requests.NewOutgoing(src.target, clientAuthOf(src)), src.sample, fl, tokenOf(src))
	}}
}

// needsCredentials refuses snippets before there is anything to write
// them from (the inspector of a pasted error has no provider or key).
func needsCredentials(src copySource) error {
	if src.target.Provider.ID == "" || len(src.target.Creds) == 0 {
		return fmt.Errorf("no provider and credentials yet: pick them first (esc back to the picker)")
	}
	return nil
}

// copyItems is the menu, in order (J5).
func copyItems() []copyItem {
	return []copyItem{
		{label: "Authorization header", what: "header", make: func(src copySource, fl snippets.Flavour) (model.Text, error) {
			if fl == snippets.SecretInline && src.built != nil {
				return src.built.line(), nil
			}
			if err := needsCredentials(src); err != nil {
				return nil, err
			}
			t, err := snippets.Write(snippets.Header, requests.NewOutgoing(src.target, clientAuthOf(src)), src.sample, fl, tokenOf(src))
			return trimNewline(t), err
		}},
		snippetItem("curl command", snippets.Curl),
		snippetItem("env exports", snippets.Env),
		snippetItem("Go (net/http)", snippets.Go),
		snippetItem("Python (requests)", snippets.Python),
		snippetItem("Node (fetch)", snippets.Node),
		{label: "request id", what: "request id", make: func(src copySource, _ snippets.Flavour) (model.Text, error) {
			if id := requestIDOf(src); id != "" {
				return model.Plain(model.Sanitize(id)), nil
			}
			return nil, fmt.Errorf("no request id yet: fire a request first")
		}},
		{label: "support bundle (redacted)", what: "support bundle", make: func(src copySource, _ snippets.Flavour) (model.Text, error) {
			if src.resp == nil {
				return nil, fmt.Errorf("no request yet: the bundle reports on the last request fired")
			}
			return model.Plain(requests.Bundle(requests.BundleInput{
				Target: src.target, Sample: src.resp.sample, Request: src.resp.request, Result: src.resp.result,
				Failure: src.resp.err, Decoded: src.resp.decoded, Secrets: src.resp.secrets, Session: src.session,
			})), nil
		}},
	}
}

// clientAuthOf is the client authentication the token was fetched with
// (`a` on the steps screen), so snippets authenticate the same way.
func clientAuthOf(src copySource) authschemes.ClientAuth {
	if src.built != nil {
		return src.built.clientAuth
	}
	return ""
}

func tokenOf(src copySource) string {
	if src.built != nil {
		return src.built.token
	}
	return ""
}

// requestIDOf is the id to copy. It is the server's word: a hostile one
// puts the key there, so it is scrubbed like everything else it says.
func requestIDOf(src copySource) string {
	secrets := src.target.Secrets()
	if src.resp != nil {
		secrets = append(secrets, src.resp.secrets...)
	}
	if src.built != nil {
		secrets = append(secrets, src.built.secrets...)
	}
	if src.decoded != nil && src.decoded.RequestID != "" {
		return model.Scrub(model.CleanID(src.decoded.RequestID), secrets...)
	}
	if src.resp != nil && src.resp.result != nil {
		return model.Scrub(src.resp.result.RequestID(), secrets...)
	}
	return ""
}

func trimNewline(t model.Text) model.Text {
	if n := len(t); n > 0 && !t[n-1].Secret {
		t = append(model.Text{}, t...)
		t[n-1].Text = strings.TrimRight(t[n-1].Text, "\n")
	}
	return t
}

type copyKeys struct {
	Up, Down, Copy, Number, Flavour, Reveal key.Binding
}

func newCopyKeys() copyKeys {
	return copyKeys{
		Up:      key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:    key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Copy:    key.NewBinding(key.WithKeys("enter", "y"), key.WithHelp("enter", "copy")),
		Number:  key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7", "8"), key.WithHelp("1-8", "copy #")),
		Flavour: key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "inline/env")),
		Reveal:  key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "reveal preview")),
	}
}

// copyMenu copies headers, snippets, the request id and the bundle.
type copyMenu struct {
	common
	keys    copyKeys
	src     copySource
	items   []copyItem
	cursor  int
	flavour snippets.Flavour
	reveal  bool
	ready   bool // the target has its base URL
	err     error
}

func newCopyMenu(c common, src copySource) *copyMenu {
	m := &copyMenu{common: c, keys: newCopyKeys(), src: src, items: copyItems()}
	m.ready = !src.target.Env.Sandbox || src.target.BaseURL != ""
	return m
}

// Init resolves a sandbox target's URL (snippets need it); the sandbox
// is normally running by now, so this is immediate.
func (m *copyMenu) Init() tea.Cmd {
	if m.ready {
		return nil
	}
	c, t := m.common, m.src.target
	return func() tea.Msg {
		t, err := resolveTarget(c, t)
		return copyTargetMsg{target: t, err: err}
	}
}

func (m *copyMenu) Name() string { return "Copy" }

// leave masks the preview again.
func (m *copyMenu) leave() { m.reveal = false }

func (m *copyMenu) TakesText() bool { return false }
func (m *copyMenu) Hint() string    { return "enter: copy " + m.items[m.cursor].label }

func (m *copyMenu) ShortHelp() []key.Binding {
	return []key.Binding{m.keys.Copy, m.keys.Number, m.keys.Flavour, m.keys.Reveal}
}

func (m *copyMenu) FullHelp() [][]key.Binding {
	return [][]key.Binding{{m.keys.Up, m.keys.Down, m.keys.Copy, m.keys.Number}, {m.keys.Flavour, m.keys.Reveal}}
}

func (m *copyMenu) SetSize(w, h int) { m.common.SetSize(w, h) }

func (m *copyMenu) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case copyTargetMsg:
		if !m.ready {
			m.src.target, m.err, m.ready = msg.target, msg.err, msg.err == nil
		}
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, m.keys.Up):
			m.cursor = (m.cursor + len(m.items) - 1) % len(m.items)
		case key.Matches(msg, m.keys.Down):
			m.cursor = (m.cursor + 1) % len(m.items)
		case key.Matches(msg, m.keys.Number):
			if n := int(msg.Runes[0] - '1'); n < len(m.items) {
				m.cursor = n
				return m.copy()
			}
		case key.Matches(msg, m.keys.Copy):
			return m.copy()
		case key.Matches(msg, m.keys.Flavour):
			m.flavour = 1 - m.flavour
		case key.Matches(msg, m.keys.Reveal):
			m.reveal = !m.reveal
		}
	}
	return nil
}

func (m *copyMenu) current() (model.Text, error) {
	if !m.ready {
		if m.err != nil {
			return nil, m.err
		}
		return nil, fmt.Errorf("starting the sandbox for its URL…")
	}
	return m.items[m.cursor].make(m.src, m.flavour)
}

func (m *copyMenu) copy() tea.Cmd {
	text, err := m.current()
	if err != nil {
		m.err = err
		return nil
	}
	m.err = nil
	what := m.items[m.cursor].what
	if m.flavour == snippets.SecretFromEnv && m.cursor < 6 {
		what += " (from env vars)"
	}
	return copyCmd(m.clip, what, text)
}

func (m *copyMenu) View() string {
	st := m.styles
	var b strings.Builder
	flavour := "secret inline"
	if m.flavour == snippets.SecretFromEnv {
		flavour = "secret from env vars"
	}
	title := st.Title.Render("Copy")
	if m.src.sample.Method != "" {
		title += st.Muted.Render(" · " + m.src.sample.Method + " " + model.Sanitize(m.src.sample.Path))
	}
	b.WriteString(title + st.Muted.Render(" · ") + st.Info.Render(flavour) + st.Muted.Render(" (e)") + "\n")
	for i, it := range m.items {
		line := fmt.Sprintf("%d %s", i+1, it.label)
		if i == m.cursor {
			b.WriteString(st.Cursor.Render("› ") + st.Selected.Render(line) + "\n")
		} else {
			b.WriteString("  " + line + "\n")
		}
	}
	room := m.height - len(m.items) - 2
	if room < 2 {
		return b.String()
	}
	text, err := m.current()
	if err == nil {
		err = m.err
	}
	if err != nil {
		b.WriteString(st.Warning.Render(wrapText(model.Sanitize(err.Error()), m.width-2)))
		return b.String()
	}
	label := "Preview (masked; ctrl+r reveals)"
	if m.reveal {
		label = "Preview (revealed)"
	}
	b.WriteString(st.Subtitle.Render(label) + "\n")
	// Wrapped, not cut: a snippet's comment (the sandbox note) and long
	// command lines read whole.
	var lines []string
	for _, l := range strings.Split(strings.TrimRight(model.Sanitize(text.String(m.reveal)), "\n"), "\n") {
		lines = append(lines, wrapIndented(l, m.width)...)
	}
	if len(lines) > room-1 {
		lines = append(lines[:room-2], st.Muted.Render(fmt.Sprintf("… %d more lines", len(lines)-(room-2))))
	}
	b.WriteString(st.Faint.Render(strings.Join(lines, "\n")))
	return b.String()
}

// selection shows text no clipboard could take, for the user to select
// with the mouse; masked until they reveal it.
type selection struct {
	common
	what   string
	text   model.Text
	reveal bool
	keys   struct{ Reveal key.Binding }
	scroll scroller
}

func newSelection(c common, what string, text model.Text) *selection {
	s := &selection{common: c, what: what, text: text, scroll: newScroller(c.styles)}
	s.keys.Reveal = key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "reveal/mask"))
	s.layout()
	return s
}

func (s *selection) Init() tea.Cmd { return nil }

// leave masks the text again.
func (s *selection) leave() {
	if s.reveal {
		s.reveal = false
		s.layout()
	}
}

func (s *selection) Name() string    { return "Select" }
func (s *selection) TakesText() bool { return false }
func (s *selection) Hint() string {
	if s.text.HasSecret() && !s.reveal {
		return "ctrl+r: reveal, then select with the mouse"
	}
	return "select with the mouse (shift+drag in most terminals)"
}
func (s *selection) ShortHelp() []key.Binding { return []key.Binding{s.keys.Reveal} }
func (s *selection) FullHelp() [][]key.Binding {
	return [][]key.Binding{{s.keys.Reveal}, s.scroll.help()}
}

func (s *selection) SetSize(w, h int) {
	s.common.SetSize(w, h)
	s.layout()
}

func (s *selection) layout() {
	s.scroll.SetSize(s.width, s.height-1)
	s.scroll.SetContent(model.Sanitize(s.text.String(s.reveal)))
}

func (s *selection) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	if key.Matches(k, s.keys.Reveal) {
		s.reveal = !s.reveal
		s.layout()
		return nil
	}
	return s.scroll.Update(k)
}

func (s *selection) View() string {
	return s.styles.Warning.Render(cut("No clipboard could take the "+s.what+"; here it is to select:", s.width)) + "\n" + s.scroll.View()
}

// editedSnippet writes an edited request exactly as it was sent (its
// headers and body, not the sample's): curl and Go; the others write
// samples only.
func editedSnippet(kind snippets.Kind, req model.HTTPRequest) (model.Text, error) {
	req = withoutSenderHeaders(req)
	switch kind {
	case snippets.Curl:
		return requests.CurlOf(req), nil
	case snippets.Go:
		return requests.GoOf(req), nil
	}
	return nil, fmt.Errorf("an edited request is copied as curl or Go (as it was sent); %s is written for samples", kind)
}

package ui

import (
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
)

// globalKeys work on every screen. The root owns them; screens own the
// rest. Each binding carries its own help text, so help cannot drift
// from the keys.
type globalKeys struct {
	Help     key.Binding // "?" — only when no field takes text
	HelpText key.Binding // f1 — always
	Back     key.Binding
	Quit     key.Binding // q — only when no field takes text
	ForceQ   key.Binding // ctrl+c — always
	// Decode opens the decode screen from anywhere: d outside text
	// fields, ctrl+o always (a field takes the d).
	Decode     key.Binding
	DecodeText key.Binding
	// History opens the session's history (H outside text fields).
	History key.Binding
}

func newGlobalKeys() globalKeys {
	return globalKeys{
		Help:     key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		HelpText: key.NewBinding(key.WithKeys("f1"), key.WithHelp("f1", "help")),
		Back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Quit:     key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		ForceQ:   key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),

		Decode:     key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "decode a paste")),
		DecodeText: key.NewBinding(key.WithKeys("ctrl+o"), key.WithHelp("ctrl+o", "decode a paste")),
		History:    key.NewBinding(key.WithKeys("H"), key.WithHelp("H", "history")),
	}
}

// helpKeys joins a screen's keys with the global ones for the footer.
type helpKeys struct {
	screen interface {
		ShortHelp() []key.Binding
		FullHelp() [][]key.Binding
	}
	global    globalKeys
	takesText bool
	canGoBack bool // Esc does something here (it never quits)
}

func (h helpKeys) globals() []key.Binding {
	keys := []key.Binding{h.global.Help}
	if h.takesText {
		keys[0] = h.global.HelpText
	}
	if h.canGoBack {
		keys = append(keys, h.global.Back)
	}
	if h.takesText {
		return append(keys, h.global.ForceQ)
	}
	return append(keys, h.global.Quit)
}

// ShortHelp is the screen's keys only: the footer (App.shortHelp) draws
// the globals itself, pinned to the right, so the quit key never falls
// off.
func (h helpKeys) ShortHelp() []key.Binding { return h.screen.ShortHelp() }

func (h helpKeys) FullHelp() [][]key.Binding {
	// Globals first: the help cuts columns that do not fit from the right.
	decode := h.global.Decode
	if h.takesText {
		decode = h.global.DecodeText
	}
	globals := append(h.globals(), decode)
	if !h.takesText {
		globals = append(globals, h.global.History)
	}
	return append([][]key.Binding{globals}, h.screen.FullHelp()...)
}

// scrollKeys is the viewport key map without its single-letter page
// keys (f, b, d, u), which the screens use for their own actions.
func scrollKeys() viewport.KeyMap {
	km := viewport.DefaultKeyMap()
	km.PageDown = key.NewBinding(key.WithKeys("pgdown", " "), key.WithHelp("pgdn", "page down"))
	km.PageUp = key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up"))
	km.HalfPageDown = key.NewBinding(key.WithKeys("ctrl+d"), key.WithHelp("ctrl+d", "½ page down"))
	km.HalfPageUp = key.NewBinding(key.WithKeys("ctrl+u"), key.WithHelp("ctrl+u", "½ page up"))
	// ← and → work once wrapping is off (z); the scroller handles them.
	km.Left = key.NewBinding(key.WithKeys("left"), key.WithHelp("←", "scroll left (z: no wrap)"))
	km.Right = key.NewBinding(key.WithKeys("right"), key.WithHelp("→", "scroll right"))
	return km
}

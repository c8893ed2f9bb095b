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
}

func newGlobalKeys() globalKeys {
	return globalKeys{
		Help:     key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		HelpText: key.NewBinding(key.WithKeys("f1"), key.WithHelp("f1", "help")),
		Back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Quit:     key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		ForceQ:   key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
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
}

func (h helpKeys) globals() []key.Binding {
	if h.takesText {
		return []key.Binding{h.global.HelpText, h.global.Back, h.global.ForceQ}
	}
	return []key.Binding{h.global.Help, h.global.Back, h.global.Quit}
}

func (h helpKeys) ShortHelp() []key.Binding {
	return append(append([]key.Binding{}, h.screen.ShortHelp()...), h.globals()...)
}

func (h helpKeys) FullHelp() [][]key.Binding {
	// Globals first: the help cuts columns that do not fit from the right.
	return append([][]key.Binding{h.globals()}, h.screen.FullHelp()...)
}

// scrollKeys is the viewport key map without its single-letter page
// keys (f, b, d, u), which the screens use for their own actions.
func scrollKeys() viewport.KeyMap {
	km := viewport.DefaultKeyMap()
	km.PageDown = key.NewBinding(key.WithKeys("pgdown", " "), key.WithHelp("pgdn", "page down"))
	km.PageUp = key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up"))
	km.HalfPageDown = key.NewBinding(key.WithKeys("ctrl+d"), key.WithHelp("ctrl+d", "½ page down"))
	km.HalfPageUp = key.NewBinding(key.WithKeys("ctrl+u"), key.WithHelp("ctrl+u", "½ page up"))
	km.Left = key.NewBinding(key.WithKeys("left"), key.WithHelp("←", "scroll left"))
	km.Right = key.NewBinding(key.WithKeys("right"), key.WithHelp("→", "scroll right"))
	return km
}

// scrollHelp lists the scroll keys for a full help column.
func scrollHelp(km viewport.KeyMap) []key.Binding {
	return []key.Binding{km.Up, km.Down, km.PageDown, km.PageUp, km.Left, km.Right}
}

package themes

import (
	"io"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// Styles is every style the explorer draws with, built once per program
// from a renderer and a palette and then passed down read-only.
type Styles struct {
	Palette Palette

	Text, Muted, Faint lipgloss.Style
	Title, Subtitle    lipgloss.Style
	Selected, Cursor   lipgloss.Style // the chosen row; the "›" marker before it
	Key                lipgloss.Style // a key named in running text ("press ctrl+d")
	Rule               lipgloss.Style // horizontal separators
	Box                lipgloss.Style // a bordered panel

	Success, Warning, Error, Info lipgloss.Style

	// The status line and its parts.
	StatusBar, StatusScreen, StatusProvider, StatusHint lipgloss.Style
	Sandbox, Live, Test, Badge                          lipgloss.Style // environment badges; Badge is neutral

	Secret    lipgloss.Style // masked secrets
	RequestID lipgloss.Style // the id to quote to support
	Cause     lipgloss.Style // the one-line likely cause above the inspector
	Toast     lipgloss.Style
	ToastFail lipgloss.Style

	StepTitle, StepLabel, StepExplain, HeaderLine lipgloss.Style

	Status2xx, Status3xx, Status4xx, Status5xx lipgloss.Style

	JSONKey, JSONString, JSONNumber, JSONLiteral, JSONPunct lipgloss.Style

	Phases [5]lipgloss.Style // DNS, connect, TLS, first byte, transfer

	Help help.Styles
}

// New builds the styles for a palette on a renderer. The renderer decides
// how colours come out (true colour, 256, 16 or none for NO_COLOR), so
// the same palette degrades on its own.
//
// With no colour at all (NO_COLOR, an Ascii profile) the styles fall
// back to attributes, which NO_COLOR does not forbid: the selection and
// the request id in reverse video, focus and titles bold, keys
// underlined, so what colour used to mark stays visible.
func New(r *lipgloss.Renderer, p Palette) *Styles {
	if r.ColorProfile() == termenv.Ascii {
		return newMono(p)
	}
	fg := func(c lipgloss.Color) lipgloss.Style { return r.NewStyle().Foreground(c) }
	badge := func(bg lipgloss.Color) lipgloss.Style {
		return r.NewStyle().Foreground(p.OnBadge).Background(bg).Bold(true)
	}
	s := &Styles{Palette: p}
	s.Text = fg(p.Text)
	s.Muted = fg(p.Muted)
	s.Faint = fg(p.Faint)
	s.Title = fg(p.Accent).Bold(true)
	s.Subtitle = fg(p.Muted).Bold(true)
	// Selection and focus carry an attribute as well as a colour, so
	// they read in every theme and to colour-blind eyes. Not underline:
	// lipgloss underlines word by word and, over a row that is already
	// styled, splits its escape codes into visible text.
	s.Selected = fg(p.Accent).Bold(true)
	s.Cursor = fg(p.Accent).Bold(true)
	s.Key = fg(p.Accent).Bold(true)
	s.Rule = fg(p.Faint)
	s.Box = r.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(p.Faint).Padding(0, 1)

	s.Success = fg(p.Success)
	s.Warning = fg(p.Warning)
	s.Error = fg(p.Error).Bold(true)
	s.Info = fg(p.Info)

	s.StatusBar = fg(p.Muted)
	s.StatusScreen = r.NewStyle().Foreground(p.OnAccent).Background(p.Accent).Bold(true)
	s.StatusProvider = fg(p.Text).Bold(true)
	s.StatusHint = fg(p.Muted)
	s.Sandbox = badge(p.Sandbox)
	s.Live = badge(p.Live)
	s.Test = badge(p.Test)
	s.Badge = badge(p.Faint)

	s.Secret = fg(p.Secret)
	s.RequestID = r.NewStyle().Foreground(p.OnHighlight).Background(p.Highlight).Bold(true)
	s.Cause = fg(p.Warning).Bold(true)
	s.Toast = fg(p.Success).Bold(true)
	s.ToastFail = fg(p.Error).Bold(true)

	s.StepTitle = fg(p.Accent).Bold(true)
	s.StepLabel = fg(p.Muted)
	s.StepExplain = fg(p.Muted).Italic(true)
	s.HeaderLine = fg(p.Success).Bold(true)

	s.Status2xx = fg(p.Success).Bold(true)
	s.Status3xx = fg(p.Info).Bold(true)
	s.Status4xx = fg(p.Warning).Bold(true)
	s.Status5xx = fg(p.Error).Bold(true)

	s.JSONKey = fg(p.JSONKey)
	s.JSONString = fg(p.JSONString)
	s.JSONNumber = fg(p.JSONNumber)
	s.JSONLiteral = fg(p.JSONLiteral)
	s.JSONPunct = fg(p.JSONPunct)

	for i, c := range p.Phases {
		s.Phases[i] = fg(c)
	}

	s.Help = help.Styles{
		Ellipsis:       fg(p.Faint),
		ShortKey:       fg(p.Accent),
		ShortDesc:      fg(p.Muted),
		ShortSeparator: fg(p.Faint),
		FullKey:        fg(p.Accent),
		FullDesc:       fg(p.Muted),
		FullSeparator:  fg(p.Faint),
	}
	return s
}

// StatusStyle picks the style for an HTTP status.
func (s *Styles) StatusStyle(code int) lipgloss.Style {
	switch {
	case code >= 500:
		return s.Status5xx
	case code >= 400:
		return s.Status4xx
	case code >= 300:
		return s.Status3xx
	}
	return s.Status2xx
}

// newMono builds the attribute-only styles: a renderer that may emit
// SGR attributes (the ANSI profile) with every colour left out.
func newMono(p Palette) *Styles {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.ANSI)
	plain := r.NewStyle()
	bold := plain.Bold(true)
	reverse := plain.Reverse(true)
	s := &Styles{Palette: p}
	s.Text, s.Muted, s.Faint = plain, plain, plain
	s.Title, s.Subtitle = bold, bold
	s.Selected = reverse.Bold(true)
	s.Cursor = bold
	s.Key = bold.Underline(true)
	s.Rule = plain
	s.Box = plain.Border(lipgloss.RoundedBorder()).Padding(0, 1)
	s.Success, s.Warning, s.Info = plain, plain, plain
	s.Error = bold
	s.StatusBar = plain
	s.StatusScreen = reverse.Bold(true)
	s.StatusProvider = bold
	s.StatusHint = plain
	// The badges' words say the environment (SANDBOX, LIVE, TEST).
	s.Sandbox, s.Live, s.Test, s.Badge = reverse, reverse.Bold(true), reverse, reverse
	s.Secret = plain
	s.RequestID = reverse.Bold(true)
	s.Cause = bold
	s.Toast = bold
	s.ToastFail = bold
	s.StepTitle = bold
	s.StepLabel = plain
	s.StepExplain = plain
	s.HeaderLine = bold
	s.Status2xx, s.Status3xx, s.Status4xx, s.Status5xx = bold, bold, bold, bold
	s.JSONKey, s.JSONString, s.JSONNumber, s.JSONLiteral, s.JSONPunct = plain, plain, plain, plain, plain
	for i := range s.Phases {
		s.Phases[i] = plain // the glyphs tell the phases apart
	}
	s.Help = help.Styles{
		Ellipsis: plain, ShortKey: bold, ShortDesc: plain, ShortSeparator: plain,
		FullKey: bold, FullDesc: plain, FullSeparator: plain,
	}
	return s
}

package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/authscope/authscope/themes"
)

// scroller is a viewport that never hides text silently. Lines wrap by
// default, keeping their indent; z turns wrapping off, and then ←/→
// scroll sideways with "…" marking text cut on either side. When the
// text does not fit, a last line says where you are ("12–30/87") and
// whether there is more below or to the right.
type scroller struct {
	styles  *themes.Styles
	keys    scrollerKeys
	vp      viewport.Model
	content []string // as given: unwrapped
	wrap    bool
	xOffset int // columns scrolled right, when not wrapping
	widest  int // the widest line, in cells
	width   int
	height  int
	shown   int // lines after wrapping
}

type scrollerKeys struct {
	viewport.KeyMap
	Wrap key.Binding
}

func newScroller(st *themes.Styles) scroller {
	km := scrollKeys()
	s := scroller{styles: st, wrap: true, width: 1, height: 1,
		keys: scrollerKeys{KeyMap: km, Wrap: key.NewBinding(key.WithKeys("z"), key.WithHelp("z", "wrap on/off"))}}
	s.vp = viewport.New(1, 1)
	s.vp.KeyMap = km
	// Left and right are handled here (with ellipses), not by the viewport.
	s.vp.KeyMap.Left.SetEnabled(false)
	s.vp.KeyMap.Right.SetEnabled(false)
	return s
}

// help lists the scroll keys for a full help column.
func (s *scroller) help() []key.Binding {
	return []key.Binding{s.keys.Up, s.keys.Down, s.keys.PageDown, s.keys.PageUp, s.keys.Wrap, s.keys.Left, s.keys.Right}
}

func (s *scroller) SetContent(content string) {
	s.content = strings.Split(content, "\n")
	s.widest = 0
	for _, l := range s.content {
		s.widest = max(s.widest, ansi.StringWidth(l))
	}
	s.layout()
}

func (s *scroller) SetSize(w, h int) {
	s.width, s.height = max(w, 1), max(h, 1)
	s.layout()
}

func (s *scroller) GotoTop() { s.vp.GotoTop() }

// layout lays the content out for the width: wrapped, or cut to the
// window scrolled to, and sizes the viewport around the position line.
func (s *scroller) layout() {
	var lines []string
	if s.wrap {
		s.xOffset = 0
		for _, l := range s.content {
			lines = append(lines, wrapIndented(l, s.width)...)
		}
	} else {
		s.xOffset = max(0, min(s.xOffset, s.widest-s.width+1))
		for _, l := range s.content {
			lines = append(lines, s.window(l))
		}
	}
	s.shown = len(lines)
	h := s.height
	if s.needsPosition() {
		h--
	}
	y := s.vp.YOffset
	s.vp.Width, s.vp.Height = s.width, max(h, 1)
	s.vp.SetContent(strings.Join(lines, "\n"))
	s.vp.SetYOffset(y)
}

// needsPosition: the text is taller than the room, or wider (unwrapped).
func (s *scroller) needsPosition() bool {
	return s.height > 1 && (s.shown > s.height || (!s.wrap && s.widest > s.width))
}

// window is one line cut to the visible columns, "…" where text goes on.
func (s *scroller) window(l string) string {
	w := ansi.StringWidth(l)
	if w <= s.width && s.xOffset == 0 {
		return l
	}
	left, right := s.xOffset, s.xOffset+s.width
	out := ansi.Cut(l, left, right)
	if left > 0 && w > left {
		out = "…" + ansi.Cut(out, 1, s.width)
	}
	if w > right {
		out = ansi.Cut(out, 0, ansi.StringWidth(out)-1) + "…"
	}
	return out
}

// nbHyphen is U+2011, one cell wide like "-", which ansi.Wrap does not
// break after.
const nbHyphen = "\u2011"

// wrapIndented wraps a line to width, continuation lines under the
// line's own indent, so wrapped JSON and step fields stay readable.
func wrapIndented(l string, width int) []string {
	if ansi.StringWidth(l) <= width {
		return []string{l}
	}
	plain := ansi.Strip(l)
	indent := len(plain) - len(strings.TrimLeft(plain, " "))
	pad := strings.Repeat(" ", indent)
	if indent > width/2 || !strings.HasPrefix(l, pad) {
		indent, pad = 0, "" // the indent is styled, or too deep to keep
	}
	// Besides spaces, a line may break after the separators of form
	// bodies, query strings and JSON, so a long token or form body fills
	// the line instead of starting on the next one. ansi.Wrap always
	// breaks after "-" too; a non-breaking hyphen stands in for it, so a
	// request id stays whole when it fits.
	body := strings.ReplaceAll(l[indent:], "-", nbHyphen)
	lines := strings.Split(ansi.Wrap(body, width-indent, "&,;?/"), "\n")
	out := lines[:0]
	for i, w := range lines {
		if i == 0 && strings.TrimSpace(ansi.Strip(w)) == "" && len(lines) > 1 {
			continue // a leading word too long for the first line
		}
		out = append(out, pad+strings.ReplaceAll(w, nbHyphen, "-"))
	}
	return out
}

// Update scrolls: z, ←/→ here, the rest by the viewport.
func (s *scroller) Update(k tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(k, s.keys.Wrap):
		s.wrap = !s.wrap
		s.layout()
		return nil
	case key.Matches(k, s.keys.Left):
		if !s.wrap {
			s.xOffset = max(0, s.xOffset-s.width/2)
			s.layout()
		}
		return nil
	case key.Matches(k, s.keys.Right):
		if !s.wrap {
			s.xOffset += s.width / 2
			s.layout()
		}
		return nil
	}
	var cmd tea.Cmd
	s.vp, cmd = s.vp.Update(k)
	return cmd
}

// Position is "12–30/87", the visible lines of all of them.
func (s *scroller) Position() string {
	first := s.vp.YOffset + 1
	last := min(s.vp.YOffset+s.vp.Height, s.shown)
	return fmt.Sprintf("%d–%d/%d", first, last, s.shown)
}

func (s *scroller) View() string {
	if !s.needsPosition() {
		return s.vp.View()
	}
	var parts []string
	parts = append(parts, s.Position())
	if !s.vp.AtBottom() {
		parts = append(parts, "↓ more below")
	}
	if !s.wrap {
		parts = append(parts, fmt.Sprintf("col %d", s.xOffset+1))
		if s.xOffset+s.width <= s.widest {
			parts = append(parts, "→ more")
		}
	} else if s.height > 6 {
		parts = append(parts, "z: no wrap")
	}
	line := s.styles.Muted.Render(cut(strings.Join(parts, " · "), s.width))
	return s.vp.View() + "\n" + line
}

package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/authscope/authscope/doctor"
	"github.com/authscope/authscope/model"
)

// entriesScreen picks which request of a paste with several (a HAR) to
// open in the editor or, for replay, which one r and R replay; the one
// the doctor would replay (or the one chosen before) is highlighted
// first.
type entriesScreen struct {
	common
	rep    *doctor.Report
	replay bool // choosing what the findings screen replays, not what to edit
	cursor int
	keys   struct{ Up, Down, Edit key.Binding }
}

func newEntries(c common, rep *doctor.Report) *entriesScreen {
	s := &entriesScreen{common: c, rep: rep}
	s.keys.Up = key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up"))
	s.keys.Down = key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down"))
	s.keys.Edit = key.NewBinding(key.WithKeys("enter", "e"), key.WithHelp("enter", "edit this one"))
	if i, err := doctor.ReplayTarget(rep); err == nil {
		s.cursor = i
	}
	return s
}

// newReplayEntries lists the paste's requests to choose the one the
// findings screen replays; entry is the current choice (1-based, 0 for
// the doctor's pick).
func newReplayEntries(c common, rep *doctor.Report, entry int) *entriesScreen {
	s := newEntries(c, rep)
	s.replay = true
	s.keys.Edit = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "replay this one"))
	if entry > 0 && entry <= len(rep.Exchanges) {
		s.cursor = entry - 1
	}
	return s
}

func (s *entriesScreen) Init() tea.Cmd   { return nil }
func (s *entriesScreen) Name() string    { return "Which request" }
func (s *entriesScreen) TakesText() bool { return false }
func (s *entriesScreen) Hint() string {
	if s.replay {
		return "enter: r and R replay this request"
	}
	return "enter: edit and resend this request"
}
func (s *entriesScreen) ShortHelp() []key.Binding {
	return []key.Binding{s.keys.Edit, s.keys.Up, s.keys.Down}
}
func (s *entriesScreen) FullHelp() [][]key.Binding { return [][]key.Binding{s.ShortHelp()} }

func (s *entriesScreen) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	n := len(s.rep.Exchanges)
	switch {
	case key.Matches(k, s.keys.Up):
		s.cursor = max(s.cursor-1, 0)
	case key.Matches(k, s.keys.Down):
		s.cursor = min(s.cursor+1, n-1)
	case key.Matches(k, s.keys.Edit) && s.replay:
		if s.rep.Exchanges[s.cursor].Request.URL == "" {
			return nil // nothing to send: the entry has no URL
		}
		s.out.send(replayEntryChosenMsg{entry: s.cursor + 1})
	case key.Matches(k, s.keys.Edit):
		s.out.send(openEditorMsg{src: pastedEntry(s.rep, s.cursor)})
	}
	return nil
}

func (s *entriesScreen) View() string {
	st := s.styles
	var b strings.Builder
	title := "Edit which request?"
	if s.replay {
		title = "Replay which request?"
	}
	b.WriteString(st.Title.Render(title) + st.Muted.Render(fmt.Sprintf(" · %d in the %s", len(s.rep.Exchanges), s.rep.Input.Label())) + "\n")
	room := max(s.height-2, 1)
	start := max(0, min(s.cursor-room/2, len(s.rep.Exchanges)-room))
	scrub := model.ScrubFunc(s.rep.Secrets...)
	for i := start; i < len(s.rep.Exchanges) && i < start+room; i++ {
		x := s.rep.Exchanges[i]
		status := "  — "
		if x.Response != nil {
			status = st.StatusStyle(x.Response.Status).Render(fmt.Sprintf("%4d", x.Response.Status))
		}
		line := fmt.Sprintf("%3d %s %-6s %s", i+1, status, model.Sanitize(x.Request.Method), scrub(model.Sanitize(shortURL(x.Request.URL))))
		if i == s.cursor {
			b.WriteString(st.Cursor.Render("› ") + st.Selected.Render(line) + "\n")
		} else {
			b.WriteString("  " + line + "\n")
		}
	}
	return b.String()
}

// Command tuiref is the reference for bench/tui.sh: the smallest honest
// Bubble Tea program — one styled screen on the alternate screen — so the
// explorer's start-up can be compared with Bubble Tea's own floor on the
// same machine in the same run.
package main

import (
	"fmt"
	"os"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

type model struct{ title, body lipgloss.Style }

func (m model) Init() tea.Cmd { return nil }

func (m model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(tea.KeyMsg); ok {
		return m, tea.Quit
	}
	return m, nil
}

func (m model) View() string {
	return m.title.Render("tuiref") + "\n\n" + m.body.Render("one styled screen; any key quits") + "\n"
}

func main() {
	m := model{
		title: lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("#AF87FF")),
		body:  lipgloss.NewStyle().Foreground(lipgloss.Color("#A8A8A8")),
	}
	if _, err := tea.NewProgram(m, tea.WithAltScreen()).Run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

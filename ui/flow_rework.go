package ui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/authscope/authscope/doctor"
)

// navigateRework moves between the rework screens (J9): the editor, the
// answer to an edited request, the history and a comparison.
func (a *App) navigateRework(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case openEditorMsg:
		if msg.err != nil {
			return a.notify("cannot edit: "+msg.err.Error(), true), true
		}
		return a.push(newEditor(a.c, msg.src)), true
	case sendEditedMsg:
		built := builtHeader{}
		if a.sess.built != nil {
			built = *a.sess.built
		}
		r := newEditedAnswer(a.c, msg.src, built)
		return tea.Batch(a.push(r), r.fire(false)), true
	case openHistoryMsg:
		if _, already := a.top().(*historyScreen); already {
			return nil, true
		}
		return a.push(newHistory(a.c)), true
	case openEntryMsg:
		r := newEditedAnswer(a.c, msg.src, builtHeader{})
		resp := answerOf(a.c, msg.src, msg.entry.Result, errorOf(msg.entry))
		r.seq, r.state = 1, reqSending
		cmd := a.push(r)
		r.answered(withSeq(resp, 1))
		return cmd, true
	case openEntriesMsg:
		if msg.replay {
			return a.push(newReplayEntries(a.c, msg.rep, msg.entry)), true
		}
		return a.push(newEntries(a.c, msg.rep)), true
	case replayEntryChosenMsg:
		cmd := a.pop()
		if f, ok := a.top().(*findings); ok {
			f.chooseEntry(msg.entry)
		}
		return cmd, true
	case openCompareMsg:
		return a.push(newCompare(a.c, msg.older, msg.newer)), true
	}
	return nil, false
}

func withSeq(m responseMsg, seq int) responseMsg {
	m.seq = seq
	return m
}

// notify shows a toast that is not about a copy.
func (a *App) notify(text string, fail bool) tea.Cmd {
	a.toast.id++
	id := a.toast.id
	a.toast.text, a.toast.fail = text, fail
	a.resize()
	return tea.Tick(toastFor, func(time.Time) tea.Msg { return toastExpiredMsg{id} })
}

// openEntriesMsg: choose which request of a paste to edit or, with
// replay, to replay (entry is the current choice, 1-based).
type openEntriesMsg struct {
	rep    *doctor.Report
	replay bool
	entry  int
}

// replayEntryChosenMsg: the request (1-based) the findings screen replays.
type replayEntryChosenMsg struct{ entry int }

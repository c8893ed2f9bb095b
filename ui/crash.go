package ui

import (
	"context"
	"errors"
	"sync/atomic"

	tea "github.com/charmbracelet/bubbletea"
)

// ErrCrashed is what Run returns after a panic inside the explorer. The
// terminal is restored first (the program quits normally), and neither
// the panic's value, which could hold a secret, nor a stack trace is
// printed: the command line prints this one line and exits non-zero.
var ErrCrashed = errors.New("the explorer stopped on an internal error (this is a bug; please report what you did, not your credentials)")

// crashedMsg is a panic caught inside a command's goroutine.
type crashedMsg struct{}

// guarded wraps the explorer's root model so that a panic in Init,
// Update, View or any command it starts (tea.Batch included) ends the
// program the ordinary way, terminal restored, instead of Bubble Tea's
// own recovery, which prints the panic and a stack trace and made Run
// return as if the user had quit.
type guarded struct {
	m       tea.Model
	crashed *atomic.Bool
	quit    func() // the program's Quit, for a panic in View
}

func newGuarded(m tea.Model) *guarded { return &guarded{m: m, crashed: new(atomic.Bool)} }

func (g *guarded) fail() tea.Cmd {
	g.crashed.Store(true)
	return tea.Quit
}

func (g *guarded) Init() (cmd tea.Cmd) {
	defer func() {
		if recover() != nil {
			cmd = g.fail()
		}
	}()
	return guardCmd(g.m.Init())
}

func (g *guarded) Update(msg tea.Msg) (model tea.Model, cmd tea.Cmd) {
	if _, ok := msg.(crashedMsg); ok {
		return g, g.fail()
	}
	if g.crashed.Load() {
		return g, tea.Quit
	}
	defer func() {
		if recover() != nil {
			model, cmd = g, g.fail()
		}
	}()
	m, c := g.m.Update(msg)
	g.m = m
	return g, guardCmd(c)
}

func (g *guarded) View() (s string) {
	if g.crashed.Load() {
		return ""
	}
	defer func() {
		if recover() != nil {
			g.crashed.Store(true)
			s = ""
			if g.quit != nil {
				go g.quit() // View runs inside the event loop: Quit must not wait on it
			}
		}
	}()
	return g.m.View()
}

// guardCmd runs cmd with a recover: a panic becomes crashedMsg. The
// commands of a tea.Batch are guarded in turn when it runs.
func guardCmd(cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() (msg tea.Msg) {
		defer func() {
			if recover() != nil {
				msg = crashedMsg{}
			}
		}()
		msg = cmd()
		if b, ok := msg.(tea.BatchMsg); ok {
			out := make(tea.BatchMsg, len(b))
			for i, c := range b {
				out[i] = guardCmd(c)
			}
			return out
		}
		return msg
	}
}

// runGuarded runs m as a Bubble Tea program and says whether it ended on
// a panic (ErrCrashed), on the context, or as the user quit it.
func runGuarded(ctx context.Context, m tea.Model, opts ...tea.ProgramOption) error {
	g := newGuarded(m)
	p := tea.NewProgram(g, append(opts, tea.WithContext(ctx))...)
	g.quit = p.Quit
	_, err := p.Run()
	switch {
	case g.crashed.Load() || errors.Is(err, tea.ErrProgramPanic):
		return ErrCrashed
	case err != nil && !errors.Is(err, tea.ErrProgramKilled) && ctx.Err() == nil:
		return err
	}
	return nil
}

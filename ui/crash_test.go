package ui

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// bomb panics where it is told to, with a value that must not be shown.
type bomb struct{ where string }

const bombValue = "scl_live_PanicValueMustNotShow000000000"

type tick struct{}

func (b bomb) Init() tea.Cmd {
	switch b.where {
	case "init":
		panic(bombValue)
	case "cmd":
		return func() tea.Msg { panic(bombValue) }
	case "batch":
		return tea.Batch(func() tea.Msg { return nil }, func() tea.Msg { panic(bombValue) })
	}
	return func() tea.Msg { return tick{} }
}

func (b bomb) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(tick); ok && b.where == "update" {
		panic(bombValue)
	}
	if _, ok := msg.(tick); ok && b.where == "view" {
		return bomb{where: "view now"}, nil
	}
	return b, nil
}

func (b bomb) View() string {
	if b.where == "view now" {
		panic(bombValue)
	}
	return "ok"
}

// A panic anywhere in the explorer's program (Init, Update, View, a
// command, a command inside tea.Batch) ends it as a quit does — Bubble
// Tea restores the terminal — and Run reports ErrCrashed, not success,
// with neither the panic's value nor a stack trace in the output.
func TestPanicEndsTheProgramWithErrCrashed(t *testing.T) {
	for _, where := range []string{"init", "update", "view", "cmd", "batch"} {
		t.Run(where, func(t *testing.T) {
			var out bytes.Buffer
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			var err error
			printed := captureStdio(t, func() {
				err = runGuarded(ctx, bomb{where: where}, tea.WithInput(strings.NewReader("")), tea.WithOutput(&out))
			})
			out.WriteString(printed)
			if ctx.Err() != nil {
				t.Fatal("the program did not end after the panic")
			}
			if !errors.Is(err, ErrCrashed) {
				t.Fatalf("Run returned %v, want ErrCrashed", err)
			}
			if s := out.String(); strings.Contains(s, bombValue) || strings.Contains(s, "goroutine ") || strings.Contains(s, "Caught panic") {
				t.Fatalf("the panic showed:\n%s", s)
			}
		})
	}
	t.Run("a quit is not a crash", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		quitter := quitAtOnce{}
		if err := runGuarded(ctx, quitter, tea.WithInput(strings.NewReader("")), tea.WithOutput(&bytes.Buffer{})); err != nil {
			t.Fatalf("a quit returned %v", err)
		}
	})
}

// captureStdio runs f with os.Stdout and os.Stderr going to a file and
// returns what was written there: Bubble Tea's own recovery prints the
// panic and a stack trace on them.
func captureStdio(t *testing.T, f func()) string {
	t.Helper()
	file, err := os.CreateTemp(t.TempDir(), "stdio")
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	stdout, stderr := os.Stdout, os.Stderr
	os.Stdout, os.Stderr = file, file
	defer func() { os.Stdout, os.Stderr = stdout, stderr }()
	f()
	b, _ := os.ReadFile(file.Name())
	return string(b)
}

type quitAtOnce struct{}

func (quitAtOnce) Init() tea.Cmd                         { return tea.Quit }
func (q quitAtOnce) Update(tea.Msg) (tea.Model, tea.Cmd) { return q, nil }
func (quitAtOnce) View() string                          { return "" }

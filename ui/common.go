package ui

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
	"github.com/authscope/authscope/sandbox"
	"github.com/authscope/authscope/themes"
)

// common is what every screen is given: read-only shared services plus
// the screen's own size. It is passed by value, so a screen's SetSize
// never resizes another; the pointers inside are shared and never
// reassigned after start-up.
type common struct {
	styles  *themes.Styles
	width   int
	height  int
	getenv  func(string) string
	clip    Clipboard
	sandbox *sandboxHost
	now     func() time.Time
	out     *outbox
	typed   *typedMemory
	// history is the session's requests (history.go): every Send the
	// explorer makes records itself there through sendOptions.
	history *requests.History
}

// sendOptions are the sender's options for a request to t: recorded in
// the session's history, labelled with its provider and environment.
func (c common) sendOptions(t model.Target) requests.Options {
	o := requests.Options{History: c.history}
	if t.Provider.Name != "" {
		o.TargetLabel = t.Provider.Name + " · " + t.Env.Label
	}
	return o
}

// typedMemory keeps what was typed into the credential fields, per
// provider and environment, so going back and forth loses nothing. It
// lives in memory only, for as long as the program runs.
type typedMemory struct {
	fields map[string]map[string]typedValue // "provider/env" → field id → value
	decode decodeDraft                      // what the decode screen held
	signIn io.Closer                        // the SSO sign-in whose listener is open, closed by the next
}

// decodeDraft is the decode screen's text when it was left.
type decodeDraft struct {
	shown, pasted string
	edited        bool
}

type typedValue struct{ value, source string }

func newTypedMemory() *typedMemory {
	return &typedMemory{fields: map[string]map[string]typedValue{}}
}

func memoryKey(p model.Provider, env model.Environment) string { return p.ID + "/" + env.ID }

// save and load do nothing on a nil memory (a screen built alone in a
// test).
func (m *typedMemory) save(key string, values map[string]typedValue) {
	if m != nil {
		m.fields[key] = values
	}
}

func (m *typedMemory) saveDecode(d decodeDraft) {
	if m != nil {
		m.decode = d
	}
}

func (m *typedMemory) loadDecode() decodeDraft {
	if m == nil {
		return decodeDraft{}
	}
	return m.decode
}

func (m *typedMemory) load(key string) map[string]typedValue {
	if m == nil {
		return nil
	}
	return m.fields[key]
}

// outbox carries what a screen tells the root (go to the next screen, a
// header is ready). The root reads it right after the screen's Update,
// before the next key, so keys typed quickly land on the screen they
// were meant for; a tea.Cmd would deliver it only after them.
type outbox struct{ msgs []tea.Msg }

func (o *outbox) send(m tea.Msg) { o.msgs = append(o.msgs, m) }

func (o *outbox) take() []tea.Msg {
	m := o.msgs
	o.msgs = nil
	return m
}

// SetSize records the space the screen may draw in.
func (c *common) SetSize(width, height int) {
	c.width, c.height = max(width, 1), max(height, 1)
}

// screen is the contract every screen meets (soft-serve's Component):
// a small model with its own keys, drawn inside the size it was given.
type screen interface {
	Init() tea.Cmd
	Update(msg tea.Msg) tea.Cmd
	View() string
	SetSize(width, height int)
	help.KeyMap

	// Name is where the user is, for the status line.
	Name() string
	// Hint says what the next key does, for the status line.
	Hint() string
	// TakesText reports whether printable keys are being typed into a
	// field, so the root must not treat "q" or "?" as commands.
	TakesText() bool
}

// escHandler is a screen that uses Esc itself at the moment (to cancel a
// request in flight, close a prompt) instead of going back.
type escHandler interface{ HandlesEsc() bool }

// sandboxHost starts the in-process sandbox the first time something
// needs it, never on the start-up path: its listener and RSA key cost
// nothing until a sandbox request is fired. URL is called only from
// inside tea.Cmds.
type sandboxHost struct {
	once sync.Once
	srv  *sandbox.Server
	err  error
	// addrs are tried in order: `authscope sandbox`'s port when it is
	// free, so URLs stay the same from one run to the next, else any
	// free port. Tests use a free port only, leaving 8787 to tests that
	// run `authscope sandbox` at the same time.
	addrs []string
	// start is sandbox.Start; tests may point it elsewhere.
	start func(ctx context.Context, opts sandbox.Options) (*sandbox.Server, error)
}

func newSandboxHost() *sandboxHost {
	return &sandboxHost{start: sandbox.Start, addrs: []string{sandbox.StableAddr, sandbox.DefaultAddr}}
}

// URL starts the sandbox if needed and returns its base URL.
func (h *sandboxHost) URL() (string, error) {
	h.once.Do(func() {
		// The sandbox lives as long as the program: its own context,
		// not the request's, which Esc may cancel.
		for _, addr := range h.addrs {
			if h.srv, h.err = h.start(context.Background(), sandbox.Options{Addr: addr}); h.err == nil {
				return
			}
		}
	})
	if h.err != nil {
		return "", h.err
	}
	return h.srv.URL(), nil
}

// Close stops the sandbox if it was started.
func (h *sandboxHost) Close() {
	if h.srv != nil {
		_ = h.srv.Close()
	}
}

// fit makes s exactly fit width×height: every line cut to the width
// (escape sequences kept intact, "…" where text was cut) and the block
// cut (saying so) or padded to the height. The root applies it to each screen, so no screen can garble
// the layout at any size.
func fit(s string, width, height int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > height {
		// Never cut silently: the last line says how much is missing.
		more := len(lines) - height + 1
		lines = lines[:height]
		if height >= 2 {
			lines[height-1] = fmt.Sprintf("… %d more lines (a taller terminal shows them)", more)
		}
	}
	for i, l := range lines {
		if ansi.StringWidth(l) > width {
			lines[i] = ansi.Truncate(l, width, "…")
		}
	}
	for len(lines) < height {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// cut shortens plain or styled text to width cells.
func cut(s string, width int) string {
	if width <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= width {
		return s
	}
	return ansi.Truncate(s, width, "…")
}

// wrapText wraps plain text to width, for explanations.
func wrapText(s string, width int) string {
	if width < 8 {
		width = 8
	}
	return ansi.Wordwrap(s, width, "")
}

// resolveTarget fills the base URL of a sandbox target, starting the
// sandbox on first use. Call it only inside a tea.Cmd.
func resolveTarget(c common, t model.Target) (model.Target, error) {
	if !t.Env.Sandbox || t.BaseURL != "" {
		return t, nil
	}
	base, err := c.sandbox.URL()
	if err != nil {
		return t, fmt.Errorf("starting the sandbox: %w", err)
	}
	t.BaseURL = base + t.Provider.SandboxPath
	return t, nil
}

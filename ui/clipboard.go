package ui

import (
	"errors"
	"fmt"
	"io"
	"os/exec"
	"runtime"
	"strings"

	"github.com/atotto/clipboard"
	osc52 "github.com/aymanbagabas/go-osc52/v2"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/authscope/authscope/model"
)

// Clipboard puts text where the user can paste it and reports how, so
// the toast can say where to look and whether the copy is certain.
// Tests give the explorer their own to observe copies.
type Clipboard interface {
	Copy(text string) (CopyReport, error)
}

// CopyReport is how a copy went out. A local tool (xclip) confirms the
// copy; an OSC 52 escape goes to the terminal, which may ignore it
// without a word (tmux does by default), so it cannot be confirmed.
type CopyReport struct {
	Via         string // "xclip", "OSC 52"
	Unconfirmed bool   // only OSC 52 carried it
	Advice      string // how to make an unconfirmed path work
}

// ClipboardEnv is the variable that forces a path: system (a local tool
// such as xclip), osc52 (the terminal's clipboard escape), none (show
// the text for selection) or auto (the default).
const ClipboardEnv = "AUTHSCOPE_CLIPBOARD"

// clipPath is how a copy reaches a clipboard.
type clipPath int

const (
	pathNone   clipPath = iota // nothing can work: show the text
	pathSystem                 // a local tool through atotto/clipboard
	pathOSC52                  // the terminal's OSC 52 escape
)

// tmuxAdvice is what lets an application's OSC 52 through tmux, whose
// default (set-clipboard external) drops it.
const tmuxAdvice = "to let it through tmux: tmux set -g set-clipboard on"

// terminalClipboard is the real Clipboard.
type terminalClipboard struct {
	getenv   func(string) string
	term     io.Writer // where OSC 52 goes: the terminal the explorer draws on
	termOK   bool      // term is a terminal that is not "dumb"
	lookPath func(string) (string, error)
	write    func(string) error // clipboard.WriteAll, replaceable in tests
}

func newTerminalClipboard(getenv func(string) string, term io.Writer, termOK bool) *terminalClipboard {
	return &terminalClipboard{getenv: getenv, term: term, termOK: termOK, lookPath: exec.LookPath, write: clipboard.WriteAll}
}

var errNoClipboard = errors.New("no clipboard: no local clipboard tool (xclip, xsel, wl-copy) and no terminal for OSC 52")

// choose picks the path. With a local display (X or Wayland) and no SSH
// session, the system clipboard is the one the user pastes from — also
// inside tmux or screen, which run on the same desktop. Over SSH a local
// tool would fill the clipboard of the wrong machine, so OSC 52 asks the
// user's own terminal; with no tool, OSC 52 is the one thing left.
func (c *terminalClipboard) choose() (clipPath, string) {
	tool, haveTool := c.localTool()
	switch strings.ToLower(c.getenv(ClipboardEnv)) {
	case "system":
		if haveTool {
			return pathSystem, tool
		}
		return pathNone, ""
	case "osc52":
		return c.osc52Path()
	case "none":
		return pathNone, ""
	}
	if haveTool && !c.remote() {
		return pathSystem, tool
	}
	if p, via := c.osc52Path(); p == pathOSC52 {
		return p, via
	}
	if haveTool {
		return pathSystem, tool
	}
	return pathNone, ""
}

func (c *terminalClipboard) remote() bool {
	return c.getenv("SSH_TTY") != "" || c.getenv("SSH_CONNECTION") != ""
}

func (c *terminalClipboard) multiplexed() bool {
	return c.getenv("TMUX") != "" || c.getenv("STY") != ""
}

func (c *terminalClipboard) osc52Path() (clipPath, string) {
	if !c.termOK {
		return pathNone, ""
	}
	switch {
	case c.getenv("TMUX") != "":
		return pathOSC52, "OSC 52 through tmux"
	case c.getenv("STY") != "":
		return pathOSC52, "OSC 52 through screen"
	}
	return pathOSC52, "OSC 52"
}

// localTool names the tool atotto/clipboard would run, if it can work
// here: on Linux a tool needs a display to talk to.
func (c *terminalClipboard) localTool() (string, bool) {
	switch runtime.GOOS {
	case "darwin":
		return "pbcopy", true
	case "windows":
		return "the Windows clipboard", true
	}
	if clipboard.Unsupported {
		return "", false
	}
	has := func(name string) bool { _, err := c.lookPath(name); return err == nil }
	if c.getenv("WAYLAND_DISPLAY") != "" && has("wl-copy") && has("wl-paste") {
		return "wl-copy", true
	}
	if c.getenv("DISPLAY") == "" {
		return "", false
	}
	for _, tool := range []string{"xclip", "xsel"} {
		if has(tool) {
			return tool, true
		}
	}
	return "", false
}

// Copy writes text to the chosen clipboard. Inside tmux or screen a
// system copy also sends OSC 52, for a client attached from another
// machine; the system copy is what the report vouches for. A failing
// tool falls back to OSC 52 when a terminal is there to take it.
func (c *terminalClipboard) Copy(text string) (CopyReport, error) {
	path, via := c.choose()
	switch path {
	case pathSystem:
		err := c.write(text)
		if err == nil {
			if p, _ := c.osc52Path(); p == pathOSC52 && c.multiplexed() && c.getenv(ClipboardEnv) == "" {
				_ = c.writeOSC52(text) // best effort: the tool already has it
			}
			return CopyReport{Via: via}, nil
		}
		if p, v := c.osc52Path(); p == pathOSC52 {
			r := c.unconfirmed(v)
			r.Via += " (" + via + " failed: " + err.Error() + ")"
			return r, c.writeOSC52(text)
		}
		return CopyReport{}, fmt.Errorf("%s failed: %w", via, err)
	case pathOSC52:
		return c.unconfirmed(via), c.writeOSC52(text)
	}
	return CopyReport{}, errNoClipboard
}

// unconfirmed reports an OSC 52 copy, with the setting that lets it
// through when a multiplexer is in the way.
func (c *terminalClipboard) unconfirmed(via string) CopyReport {
	r := CopyReport{Via: via, Unconfirmed: true}
	switch {
	case c.getenv("TMUX") != "":
		r.Advice = tmuxAdvice
	case c.getenv("STY") != "":
		r.Advice = "screen passes it only to terminals that support OSC 52"
	default:
		r.Advice = "your terminal must allow OSC 52 clipboard writes"
	}
	return r
}

// writeOSC52 sends the escape. Inside tmux it is sent twice: plain, which
// tmux takes with set-clipboard on, and wrapped for passthrough, which
// tmux forwards with allow-passthrough on; whichever tmux ignores does
// nothing, so one setting or the other is enough.
func (c *terminalClipboard) writeOSC52(text string) error {
	seq := osc52.New(text)
	var b strings.Builder
	switch {
	case c.getenv("TMUX") != "":
		b.WriteString(seq.String())
		b.WriteString(seq.Tmux().String())
	case c.getenv("STY") != "":
		b.WriteString(seq.Screen().String())
	default:
		b.WriteString(seq.String())
	}
	_, err := io.WriteString(c.term, b.String())
	return err
}

// toastText says what became of a copy, honestly: "Copied" only when a
// local tool confirmed it.
func (m copiedMsg) toastText() string {
	r := m.Report
	if r.Unconfirmed {
		// What was sent first, the advice last: the preview must not read
		// as the end of the command the advice quotes.
		s := "Sent " + m.What + " to the terminal via " + r.Via + " (cannot be confirmed): " + m.Preview
		if r.Advice != "" {
			s += " — " + r.Advice
		}
		return s
	}
	return "Copied " + m.What + " via " + r.Via + ": " + m.Preview
}

// copiedMsg reports a copy: what was copied (masked, for the toast), the
// path it took, or why it failed together with the text to show for
// selection.
type copiedMsg struct {
	What    string     // "header", "curl (env vars)", "request id"
	Preview string     // one line, secrets masked
	Report  CopyReport // the path it took
	Err     error      // nothing could take it
	Text    model.Text // kept for the fallback view
}

// copyCmd copies outside the event loop (a tool may take a moment) and
// reports back with a copiedMsg. What leaves is the revealed text: the
// user asked for the secret in their clipboard; the toast masks it.
func copyCmd(clip Clipboard, what string, text model.Text) tea.Cmd {
	return func() tea.Msg {
		report, err := clip.Copy(text.Reveal())
		return copiedMsg{What: what, Preview: previewLine(text), Report: report, Err: err, Text: text}
	}
}

// previewLine is the first line of the masked text, sanitised, short.
func previewLine(t model.Text) string {
	s := model.Sanitize(t.Masked())
	first, _, more := strings.Cut(s, "\n")
	if more {
		first += " …"
	}
	return first
}

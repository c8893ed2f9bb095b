package ui

import (
	"bytes"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/sandbox"
	"github.com/authscope/authscope/themes"
)

// Goldens are plain text: the default renderer draws no colour, so a
// golden shows layout and words, and a lipgloss upgrade cannot break it.
func init() { lipgloss.SetColorProfile(termenv.Ascii) }

// fakeClipboard records what the explorer copies.
type fakeClipboard struct {
	mu     sync.Mutex
	copies []string
	fail   error
}

func (f *fakeClipboard) Copy(text string) (CopyReport, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return CopyReport{}, f.fail
	}
	f.copies = append(f.copies, text)
	return CopyReport{Via: "test clipboard"}, nil
}

func (f *fakeClipboard) last(t *testing.T) string {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.copies) == 0 {
		t.Fatal("nothing was copied")
	}
	return f.copies[len(f.copies)-1]
}

// fixedNow keeps countdowns and bundles stable in tests.
var fixedNow = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// testCommon is the explorer's common with the real sandbox (started on
// first use, like in the product), a recording clipboard and no
// environment variables unless given.
func testCommon(t testing.TB, palette themes.Palette, env map[string]string) (common, *fakeClipboard) {
	t.Helper()
	clip := &fakeClipboard{}
	host := newSandboxHost()
	host.addrs = []string{sandbox.DefaultAddr} // 8787 stays free for other tests
	t.Cleanup(host.Close)
	c := common{
		styles:  themes.New(lipgloss.DefaultRenderer(), palette),
		getenv:  func(k string) string { return env[k] },
		clip:    clip,
		sandbox: host,
		now:     time.Now,
	}
	c.SetSize(80, 24)
	return c, clip
}

func newTestApp(t *testing.T, opts Options, env map[string]string) (*App, *fakeClipboard) {
	t.Helper()
	c, clip := testCommon(t, themes.Dark, env)
	app, err := newExplorer(c, opts)
	if err != nil {
		t.Fatal(err)
	}
	return app, clip
}

// driver plays keys into a running program and waits for what the
// screen shows.
type driver struct {
	t   *testing.T
	tm  *teatest.TestModel
	out bytes.Buffer // everything drawn so far, escape sequences removed
}

func drive(t *testing.T, app *App, w, h int) *driver {
	t.Helper()
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(w, h))
	t.Cleanup(func() { _ = tm.Quit() })
	return &driver{t: t, tm: tm}
}

// keys sends key names as the terminal would: "enter", "ctrl+d", "esc",
// "tab", "down", or literal text.
func (d *driver) keys(names ...string) {
	for _, n := range names {
		d.tm.Send(keyMsg(n))
	}
}

func keyMsg(name string) tea.KeyMsg {
	special := map[string]tea.KeyType{
		"enter": tea.KeyEnter, "esc": tea.KeyEsc, "tab": tea.KeyTab, "down": tea.KeyDown, "up": tea.KeyUp,
		"ctrl+d": tea.KeyCtrlD, "ctrl+r": tea.KeyCtrlR, "ctrl+s": tea.KeyCtrlS, "ctrl+c": tea.KeyCtrlC,
		"backspace": tea.KeyBackspace, "f1": tea.KeyF1, "shift+tab": tea.KeyShiftTab,
	}
	if k, ok := special[name]; ok {
		return tea.KeyMsg{Type: k}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(name)}
}

// paste sends text as one bracketed paste.
func (d *driver) paste(text string) {
	d.tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(text), Paste: true})
}

// waitFor blocks until the screen has shown every string. The bound is
// generous: it only stops a broken test from hanging.
func (d *driver) waitFor(want ...string) {
	d.t.Helper()
	// Only what was drawn since the last wait counts: strings from before
	// (an earlier toast) cannot satisfy this one.
	var fresh bytes.Buffer
	deadline := time.Now().Add(20 * time.Second)
	for {
		b, err := io.ReadAll(d.tm.Output())
		if err != nil {
			d.t.Fatal(err)
		}
		fresh.Write(b)
		d.out.Write(b)
		seen := ansi.Strip(fresh.String())
		missing := ""
		for _, w := range want {
			if !strings.Contains(seen, w) {
				missing = w
				break
			}
		}
		if missing == "" {
			return
		}
		if time.Now().After(deadline) {
			d.t.Fatalf("the screen never showed %q; drawn since the last wait:\n%s", missing, tail(seen, 3000))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// final quits and returns the root model for inspection.
func (d *driver) final() *App {
	d.t.Helper()
	if err := d.tm.Quit(); err != nil {
		d.t.Fatal(err)
	}
	return d.tm.FinalModel(d.t, teatest.WithFinalTimeout(20*time.Second)).(*App)
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// indexOfSample finds a sample's row in the request list.
func indexOfSample(t *testing.T, providerID, name string) int {
	t.Helper()
	p, err := model.Lookup(providerID)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range p.Samples {
		if s.Name == name {
			return i
		}
	}
	t.Fatalf("%s has no sample %s", providerID, name)
	return 0
}

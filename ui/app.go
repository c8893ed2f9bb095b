package ui

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/authscope/authscope/model"
)

// App is the root model. It owns the screen stack, the status line, the
// help footer and the toast, and routes: keys to the screen on top,
// everything else to every screen (so a response lands in the screen
// that asked for it even after the user moved on). Moving between
// screens happens here, in reply to the small messages screens send.
type App struct {
	c     common
	keys  globalKeys
	help  help.Model
	stack []screen
	sess  session
	toast toast
	w, h  int
}

// session is what the journey has produced so far; the copy menu and
// the support bundle read it.
type session struct {
	target model.Target
	built  *builtHeader
	sample model.Sample // the last sample fired
	resp   *responseMsg // its outcome
}

type toast struct {
	text string
	fail bool
	id   int
}

type toastExpiredMsg struct{ id int }

const toastFor = 4 * time.Second

// backMsg asks the root to close the screen on top.
type backMsg struct{}

func back() tea.Msg { return backMsg{} }

// newApp builds the root on the given start screen(s).
func newApp(c common, first ...screen) *App {
	a := &App{c: c, keys: newGlobalKeys(), help: help.New(), stack: first, w: 80, h: 24}
	a.help.Styles = c.styles.Help
	a.resize()
	return a
}

func (a *App) top() screen { return a.stack[len(a.stack)-1] }

// Init starts the first screen. Nothing slow happens here: the first
// frame paints straight away.
func (a *App) Init() tea.Cmd { return a.top().Init() }

func (a *App) push(s screen) tea.Cmd {
	leave(a.top())
	a.stack = append(a.stack, s)
	a.resize()
	return s.Init()
}

// pop goes back one screen. On the first screen it does nothing: only q
// and ctrl+c quit, so a person mashing Esc in a call keeps the session.
func (a *App) pop() tea.Cmd {
	if len(a.stack) == 1 {
		return nil
	}
	leave(a.top())
	if c, ok := a.top().(closer); ok {
		c.Close() // the screen is gone for good: what it holds open goes too
	}
	a.stack = a.stack[:len(a.stack)-1]
	return nil
}

func handlesEsc(s screen) bool {
	h, ok := s.(escHandler)
	return ok && h.HandlesEsc()
}

// leaver is a screen with something to undo when the user leaves it
// (a revealed secret is masked again).
type leaver interface{ leave() }

func leave(s screen) {
	if l, ok := s.(leaver); ok {
		l.leave()
	}
}

// Update routes one message, then whatever the screens told the root
// while handling it.
func (a *App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := a.route(msg)
	for _, m := range a.c.out.take() {
		_, next := a.Update(m)
		cmd = tea.Batch(cmd, next)
	}
	return a, cmd
}

func (a *App) route(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.w, a.h = msg.Width, msg.Height
		a.resize()
		return nil
	case tea.KeyMsg:
		return a.key(msg)
	case backMsg:
		return a.pop()
	case toastExpiredMsg:
		if msg.id == a.toast.id {
			a.toast = toast{id: a.toast.id}
			a.resize()
		}
		return nil
	case copiedMsg:
		return a.copied(msg)
	}
	if cmd, handled := a.navigate(msg); handled {
		return cmd
	}
	var cmds []tea.Cmd
	for _, s := range a.stack {
		cmds = append(cmds, s.Update(msg))
	}
	return tea.Batch(cmds...)
}

// key applies the global keys, then hands the key to the top screen.
func (a *App) key(msg tea.KeyMsg) tea.Cmd {
	s := a.top()
	text := s.TakesText()
	switch {
	case key.Matches(msg, a.keys.ForceQ):
		return tea.Quit
	case key.Matches(msg, a.keys.HelpText), !text && key.Matches(msg, a.keys.Help):
		a.help.ShowAll = !a.help.ShowAll
		a.resize()
		return nil
	case !text && key.Matches(msg, a.keys.Quit):
		return tea.Quit
	case key.Matches(msg, a.keys.Back):
		// Esc closes what is open first: the full help, then whatever
		// the screen has open (a prompt, a request in flight), and only
		// then goes back a screen.
		if a.help.ShowAll {
			a.help.ShowAll = false
			a.resize()
			return nil
		}
		if handlesEsc(s) {
			return s.Update(msg)
		}
		return a.pop()
	case !text && key.Matches(msg, a.keys.History):
		cmd, _ := a.navigateRework(openHistoryMsg{})
		return cmd
	case key.Matches(msg, a.keys.DecodeText), !text && key.Matches(msg, a.keys.Decode):
		if _, already := s.(*decodeScreen); !already {
			return a.push(newDecode(a.c, a.sess.target.Provider.ID))
		}
	}
	return s.Update(msg)
}

// copied shows the toast for a copy, or the text for selection when no
// clipboard could take it.
func (a *App) copied(msg copiedMsg) tea.Cmd {
	a.toast.id++
	id := a.toast.id
	if msg.Err != nil {
		a.toast.text, a.toast.fail = "Could not copy "+msg.What+": "+msg.Err.Error()+" — shown for selection", true
	} else {
		a.toast.text, a.toast.fail = msg.toastText(), false
	}
	a.resize()
	cmds := []tea.Cmd{tea.Tick(toastFor, func(time.Time) tea.Msg { return toastExpiredMsg{id} })}
	if msg.Err != nil {
		cmds = append(cmds, a.push(newSelection(a.c, msg.What, msg.Text)))
	}
	return tea.Batch(cmds...)
}

// resize gives every screen the space left by the status line and the
// footer.
func (a *App) resize() {
	a.help.Width = a.w
	for _, s := range a.stack {
		s.SetSize(a.w, a.contentHeight())
	}
}

func (a *App) footerHeight() int {
	return min(lipgloss.Height(a.footer()), max(a.h-2, 1))
}

func (a *App) contentHeight() int { return max(a.h-1-a.footerHeight(), 1) }

// View draws the screen, the status line and the footer, each cut to
// the terminal so nothing wraps at any size.
func (a *App) View() string {
	s := a.top()
	var b strings.Builder
	b.WriteString(fit(s.View(), a.w, a.contentHeight()))
	b.WriteString("\n")
	b.WriteString(cut(a.statusLine(), a.w))
	b.WriteString("\n")
	b.WriteString(fit(a.footer(), a.w, a.footerHeight()))
	return b.String()
}

// footer is the help, with the toast above it while it lasts: the quit
// key stays on screen during a toast, and ? works while one is up.
func (a *App) footer() string {
	toast := a.toastView()
	s := a.top()
	keys := helpKeys{screen: s, global: a.keys, takesText: s.TakesText(), canGoBack: len(a.stack) > 1 || handlesEsc(s)}
	var help string
	if a.help.ShowAll {
		help = a.fullHelp(keys)
	} else {
		help = a.shortHelp(keys)
	}
	if toast != "" {
		return toast + "\n" + help
	}
	return help
}

// fullHelp is every key of the screen, each once, flowing over as many
// lines as the width needs: bubbles' column view drops whole columns
// with "…" when they do not fit (the last column at 80×24), and the full
// help exists to show every key.
func (a *App) fullHelp(keys helpKeys) string {
	st := a.help.Styles
	seen := map[string]bool{}
	var items []string
	for _, group := range keys.FullHelp() {
		for _, b := range group {
			h := b.Help()
			if !b.Enabled() || h.Key == "" || seen[h.Key+h.Desc] {
				continue
			}
			seen[h.Key+h.Desc] = true
			items = append(items, st.FullKey.Render(h.Key)+" "+st.FullDesc.Render(h.Desc))
		}
	}
	const gap = "   "
	var lines []string
	line, used := "", 0
	for _, it := range items {
		w := lipgloss.Width(it)
		if used > 0 && used+len(gap)+w > a.w {
			lines = append(lines, line)
			line, used = "", 0
		}
		if used > 0 {
			line += gap
			used += len(gap)
		}
		line += it
		used += w
	}
	if line != "" {
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

// shortHelp is the screen's keys in the room the global keys leave:
// help, back and quit stay at the right end at any width. A key that
// does not fit is dropped whole, with "…" saying the full help (?) has
// more.
func (a *App) shortHelp(keys helpKeys) string {
	st := a.help.Styles
	sep := st.ShortSeparator.Render(" • ")
	item := func(b key.Binding) string {
		return st.ShortKey.Render(b.Help().Key) + " " + st.ShortDesc.Render(b.Help().Desc)
	}
	var globals []string
	for _, b := range keys.globals() {
		globals = append(globals, item(b))
	}
	right := strings.Join(globals, sep)
	room := a.w - lipgloss.Width(right) - lipgloss.Width(sep)
	var items []string
	for _, b := range keys.ShortHelp() {
		if b.Enabled() {
			items = append(items, item(b))
		}
	}
	// All of them when they fit; else as many as leave room for " • …".
	if lipgloss.Width(strings.Join(items, sep)) > room {
		room -= lipgloss.Width(sep) + 1
	}
	var own []string
	used := 0
	for _, it := range items {
		w := lipgloss.Width(it)
		if len(own) > 0 {
			w += lipgloss.Width(sep)
		}
		if used+w > room {
			own = append(own, st.Ellipsis.Render("…"))
			break
		}
		own = append(own, it)
		used += w
	}
	if len(own) == 0 || (len(own) == 1 && room < 2) {
		return right
	}
	return strings.Join(own, sep) + sep + right
}

// toastView is the toast wrapped to the width (at most three lines), so
// a long explanation — how to let OSC 52 through tmux — is read whole.
func (a *App) toastView() string {
	if a.toast.text == "" {
		return ""
	}
	st := a.c.styles.Toast
	if a.toast.fail {
		st = a.c.styles.ToastFail
	}
	lines := strings.Split(wrapText(model.Sanitize(a.toast.text), a.w), "\n")
	if len(lines) > 3 {
		lines = lines[:3]
		lines[2] = cut(lines[2]+" …", a.w)
	}
	for i, l := range lines {
		lines[i] = st.Render(cut(l, a.w))
	}
	return strings.Join(lines, "\n")
}

package ui

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/authscope/authscope/doctor"
	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
)

// openHistoryMsg: show the session's history.
type openHistoryMsg struct{}

// openEntryMsg: show one history entry on an answer screen.
type openEntryMsg struct {
	entry *requests.Entry
	src   editedRequest
}

// openCompareMsg: two entries side by side.
type openCompareMsg struct{ older, newer *requests.Entry }

// exportedMsg: the session was written as a HAR (or could not be).
type exportedMsg struct {
	path string
	n    int
	err  error
}

type historyKeys struct {
	Up, Down, PageUp, PageDown, Top, Open, Edit, CopyID, CopyCurl, CopyGo, Mark, Compare, Export key.Binding
}

func newHistoryKeys() historyKeys {
	return historyKeys{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "newer")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "older")),
		PageUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", " "), key.WithHelp("pgdn", "page down")),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "newest")),
		Open:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		Edit:     key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit and resend")),
		CopyID:   key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy request id")),
		CopyCurl: key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy as curl")),
		CopyGo:   key.NewBinding(key.WithKeys("G"), key.WithHelp("G", "copy as Go")),
		Mark:     key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "mark to compare")),
		Compare:  key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "compare with the mark")),
		Export:   key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "export session as HAR")),
	}
}

// historyScreen lists every request the session sent, newest first:
// time, method, path, status, duration, request id. It draws only the
// rows that fit (History.Newest), so ten thousand entries cost what a
// screenful does.
type historyScreen struct {
	common
	keys   historyKeys
	cursor int // 0 = the newest
	top    int
	mark   int // Seq of the marked entry, 0 for none
	notice string
	fail   bool
	// exportDir is where x writes the HAR: the working directory, or
	// $AUTHSCOPE_EXPORT_DIR.
	exportDir string
	// scrubs are the entries' maskers by Seq, built once: building every
	// spelling of every secret per row per frame was most of a redraw.
	scrubs map[int]func(string) string
}

func newHistory(c common) *historyScreen {
	dir := "."
	if c.getenv != nil && c.getenv("AUTHSCOPE_EXPORT_DIR") != "" {
		dir = c.getenv("AUTHSCOPE_EXPORT_DIR")
	}
	return &historyScreen{common: c, keys: newHistoryKeys(), exportDir: dir}
}

func (h *historyScreen) Init() tea.Cmd   { return nil }
func (h *historyScreen) Name() string    { return "History" }
func (h *historyScreen) TakesText() bool { return false }
func (h *historyScreen) Hint() string {
	if h.history.Len() == 0 {
		return "nothing sent yet in this session"
	}
	if h.mark != 0 {
		return "v: compare with the marked request · enter: open"
	}
	return "enter: open · e: edit and resend · m: mark, then v: compare"
}

func (h *historyScreen) ShortHelp() []key.Binding {
	return []key.Binding{h.keys.Open, h.keys.Edit, h.keys.CopyID, h.keys.CopyCurl, h.keys.Mark, h.keys.Compare, h.keys.Export}
}

func (h *historyScreen) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{h.keys.Up, h.keys.Down, h.keys.PageUp, h.keys.PageDown, h.keys.Top},
		{h.keys.Open, h.keys.Edit, h.keys.Mark, h.keys.Compare},
		{h.keys.CopyID, h.keys.CopyCurl, h.keys.CopyGo, h.keys.Export},
	}
}

func (h *historyScreen) rows() int { return max(h.height-3, 1) }

func (h *historyScreen) current() *requests.Entry {
	if e := h.history.Newest(h.cursor, 1); len(e) == 1 {
		return e[0]
	}
	return nil
}

func (h *historyScreen) move(d int) {
	n := h.history.Len()
	h.cursor = max(0, min(h.cursor+d, n-1))
	if h.cursor < h.top {
		h.top = h.cursor
	}
	if h.cursor >= h.top+h.rows() {
		h.top = h.cursor - h.rows() + 1
	}
}

func (h *historyScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case exportedMsg:
		if msg.err != nil {
			h.notice, h.fail = "not exported: "+msg.err.Error(), true
		} else {
			abs, _ := filepath.Abs(msg.path)
			h.notice, h.fail = fmt.Sprintf("exported %d requests, secrets redacted, to %s (authscope doctor %s reads it back)", msg.n, abs, msg.path), false
		}
		return nil
	case tea.KeyMsg:
		return h.key(msg)
	}
	return nil
}

func (h *historyScreen) key(k tea.KeyMsg) tea.Cmd {
	h.notice, h.fail = "", false
	switch {
	case key.Matches(k, h.keys.Up):
		h.move(-1)
	case key.Matches(k, h.keys.Down):
		h.move(1)
	case key.Matches(k, h.keys.PageUp):
		h.move(-h.rows())
	case key.Matches(k, h.keys.PageDown):
		h.move(h.rows())
	case key.Matches(k, h.keys.Top):
		h.cursor, h.top = 0, 0
	case key.Matches(k, h.keys.Export):
		return exportCmd(h.history, h.exportDir, h.now)
	}
	e := h.current()
	if e == nil {
		return nil
	}
	switch {
	case key.Matches(k, h.keys.Open):
		h.out.send(openEntryMsg{entry: e, src: entrySource(e)})
	case key.Matches(k, h.keys.Edit):
		h.out.send(openEditorMsg{src: entrySource(e)})
	case key.Matches(k, h.keys.CopyID):
		if id := e.RequestID(); id != "" {
			return copyCmd(h.clip, "request id", model.Plain(id))
		}
		h.notice, h.fail = fmt.Sprintf("#%d has no request id (the server sent none)", e.Seq), true
	case key.Matches(k, h.keys.CopyCurl):
		return copyCmd(h.clip, "curl", requests.CurlOf(withoutSenderHeaders(e.Request)))
	case key.Matches(k, h.keys.CopyGo):
		return copyCmd(h.clip, "Go snippet", requests.GoOf(withoutSenderHeaders(e.Request)))
	case key.Matches(k, h.keys.Mark):
		if h.mark == e.Seq {
			h.mark = 0
		} else {
			h.mark = e.Seq
		}
	case key.Matches(k, h.keys.Compare):
		return h.compare(e)
	}
	return nil
}

// compare opens the marked entry beside the highlighted one, the older
// on the left.
func (h *historyScreen) compare(e *requests.Entry) tea.Cmd {
	if h.mark == 0 || h.mark == e.Seq {
		h.notice, h.fail = "mark one request with m, move to another, then v compares them", true
		return nil
	}
	var marked *requests.Entry
	for _, x := range h.history.All() {
		if x.Seq == h.mark {
			marked = x
		}
	}
	if marked == nil {
		h.notice, h.fail = "the marked request fell off the history", true
		return nil
	}
	older, newer := marked, e
	if older.Seq > newer.Seq {
		older, newer = newer, older
	}
	h.out.send(openCompareMsg{older: older, newer: newer})
	return nil
}

// entrySource is a history entry as a request to open or edit again.
func entrySource(e *requests.Entry) editedRequest {
	req := withoutSenderHeaders(e.Request)
	t := model.Target{}
	pl := doctor.Identify(req.URL, "", "")
	if pl.Known {
		t.Provider, t.Env = pl.Provider, pl.Env
	}
	from := fmt.Sprintf("history #%d (%s)", e.Seq, e.Label)
	if e.BodyDropped {
		from += ", its body dropped to bound the history's memory: type it again"
	}
	return editedRequest{target: t, original: req, req: req, secrets: e.Secrets, from: from, authNote: "as sent then"}
}

func errorOf(e *requests.Entry) error {
	if e.Err == "" {
		return nil
	}
	return errors.New(e.Err)
}

func (h *historyScreen) View() string {
	st := h.styles
	n := h.history.Len()
	var b strings.Builder
	title := st.Title.Render("History") + st.Muted.Render(fmt.Sprintf(" · %d requests this session, newest first", n))
	if d := h.history.Dropped(); d > 0 {
		title += st.Muted.Render(fmt.Sprintf(" · %d oldest dropped (at most %d kept)", d, requests.MaxHistory))
	}
	b.WriteString(cut(title, h.width) + "\n")
	if n == 0 {
		b.WriteString(st.Muted.Render(wrapText("Nothing sent yet. Fire a sample, edit a request (e) or replay a paste in the doctor: every request lands here.", max(h.width-2, 10))))
		return b.String()
	}
	for i, e := range h.history.Newest(h.top, h.rows()) {
		line := h.row(e)
		switch {
		case h.top+i == h.cursor:
			b.WriteString(st.Cursor.Render("› ") + st.Selected.Render(line))
		default:
			b.WriteString("  " + line)
		}
		b.WriteString("\n")
	}
	if h.notice != "" {
		style := st.Success
		if h.fail {
			style = st.Error
		}
		b.WriteString(style.Render(wrapText(model.Sanitize(h.notice), max(h.width-2, 10))))
	}
	return b.String()
}

// row is one entry on one line: mark, number, time, method, status,
// duration, request id, path, label.
// scrubFor is the entry's masker (entries are replaced, never changed in
// place, so its Seq names its secrets).
func (h *historyScreen) scrubFor(e *requests.Entry) func(string) string {
	if h.scrubs == nil {
		h.scrubs = map[int]func(string) string{}
	}
	f, ok := h.scrubs[e.Seq]
	if !ok {
		f = model.ScrubFunc(e.Secrets...)
		h.scrubs[e.Seq] = f
	}
	return f
}

func (h *historyScreen) row(e *requests.Entry) string {
	st := h.styles
	mark := " "
	if e.Seq == h.mark {
		mark = "*"
	}
	status := st.Error.Render("---")
	if e.Result != nil {
		status = st.StatusStyle(e.Status()).Render(fmt.Sprint(e.Status()))
	}
	id := e.RequestID()
	if id == "" {
		id = "-"
	}
	scrub := h.scrubFor(e)
	idWidth := 24 // the whole id is on the entry (enter) and y copies it
	if h.width < 110 {
		idWidth = 13 // leave the path room at 80 columns
	}
	head := fmt.Sprintf("%s#%-4d %s %-6s %s %7s  %s  ", mark, e.Seq, e.Time.Format("15:04:05"), model.Sanitize(e.Request.Method), status,
		roundDuration(e.Duration), st.RequestID.Render(fmt.Sprintf("%-*s", idWidth, cut(model.CleanID(id), idWidth))))
	label := model.Sanitize(e.Label)
	// The path gives way to the label: an authorization request's URL
	// would otherwise push what sent it ("SSO authorize") off the row.
	// 2 for the cursor View puts before the row, 1 for the space.
	room := h.width - 2 - ansi.StringWidth(head) - ansi.StringWidth(label) - 1
	return head + cut(scrub(model.Sanitize(e.Path())), max(room, 16)) + " " + st.Muted.Render(label)
}

func roundDuration(d time.Duration) string {
	switch {
	case d >= time.Second:
		return d.Round(10 * time.Millisecond).String()
	case d >= time.Millisecond:
		return d.Round(100 * time.Microsecond).String()
	}
	return d.Round(time.Microsecond).String()
}

// exportCmd writes the session as a redacted HAR in dir, named by the
// time: a file already there is never replaced, and a place that
// cannot be written says so.
func exportCmd(h *requests.History, dir string, now func() time.Time) tea.Cmd {
	return func() tea.Msg {
		entries := h.All()
		if len(entries) == 0 {
			return exportedMsg{err: errors.New("nothing sent yet: the session is empty")}
		}
		clock := time.Now
		if now != nil {
			clock = now
		}
		name := filepath.Join(dir, "authscope-session-"+clock().Format("20060102-150405")+".har")
		data, err := doctor.SessionHAR(entries, requests.Version)
		if err != nil {
			return exportedMsg{err: err}
		}
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		switch {
		case errors.Is(err, fs.ErrExist):
			return exportedMsg{err: fmt.Errorf("%s exists: left as it is (wait a second and press x again)", name)}
		case err != nil:
			return exportedMsg{err: fmt.Errorf("cannot write %s: %v", name, unwrapPath(err))}
		}
		if _, err := f.Write(data); err != nil {
			f.Close()
			return exportedMsg{err: fmt.Errorf("writing %s: %v", name, err)}
		}
		if err := f.Close(); err != nil {
			return exportedMsg{err: err}
		}
		return exportedMsg{path: name, n: len(entries)}
	}
}

package ui

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/authscope/authscope/doctor"
	"github.com/authscope/authscope/model"
)

type findingsKeys struct {
	CopyID, Inspect, Replay, ReplayReal, Redacted, Edit, Entry, Entries key.Binding
	ReadAs                                                              readAsKeys
}

func newFindingsKeys() findingsKeys {
	return findingsKeys{
		CopyID:     key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy request id")),
		Inspect:    key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "inspect the error")),
		Replay:     key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "replay fixes")),
		ReplayReal: key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "replay for real")),
		Redacted:   key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "copy redacted")),
		Edit:       key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit and resend")),
		Entry:      key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next request to replay")),
		Entries:    key.NewBinding(key.WithKeys("l"), key.WithHelp("l", "list requests to replay")),
		ReadAs:     newReadAsKeys(),
	}
}

// replayState is the findings screen's replay stage.
type replayState int

const (
	replayIdle       replayState = iota
	replayConfirming             // a costly non-GET on the real API waits for its method, typed
	replaySending
)

// findings shows what the doctor found in a pasted curl, curl -v output,
// raw request or HAR: the same findings as `authscope doctor`, drawn like
// the inspector (request id highlighted, y copies it), with a replay of
// each fix and a redacted copy one key away.
type findings struct {
	common
	keys    findingsKeys
	ex      examined
	state   replayState
	seq     int
	cancel  context.CancelFunc
	spin    spinner.Model
	replay  *replayedMsg // the last replay's outcome
	problem string       // a refused replay or redaction, one line
	scroll  scroller
	confirm typedConfirm
	entry   int // the request r and R replay, 1-based; 0 lets the doctor pick (ReplayTarget)
}

func newFindings(c common, ex examined) *findings {
	f := &findings{common: c, keys: newFindingsKeys(), ex: ex}
	f.spin = spinner.New(spinner.WithSpinner(spinner.Dot), spinner.WithStyle(c.styles.Info))
	f.scroll = newScroller(c.styles)
	f.confirm = newTypedConfirm(c)
	f.keys.Inspect.SetEnabled(failedResponse(ex.report) != nil)
	f.setKeys()
	f.layout()
	return f
}

// setKeys fits the keys to the report: a pasted credential has no
// request to replay; p reads a paste as another provider; v asks for the
// issuer's published keys when only they could verify the token.
func (f *findings) setKeys() {
	cred := f.ex.report.Input == doctor.KindCredential
	f.keys.CopyID.SetEnabled(!cred || f.requestID() != "")
	f.keys.Replay.SetEnabled(!cred)
	f.keys.ReplayReal.SetEnabled(!cred)
	f.keys.Edit.SetEnabled(!cred)
	f.keys.Entry.SetEnabled(!cred && len(f.ex.report.Exchanges) > 1)
	f.keys.Entries.SetEnabled(!cred && len(f.ex.report.Exchanges) > 1)
	f.keys.ReadAs.Provider.SetEnabled(f.ex.name == "" && f.ex.text != "")
	canFetch := false
	for _, fd := range f.ex.report.Findings {
		canFetch = canFetch || fd.Check == "jwt-unverified" && strings.Contains(fd.Title, "not done by default")
	}
	f.keys.ReadAs.FetchKeys.SetEnabled(cred && canFetch && !f.ex.read.fetch)
}

// pasteTarget: the status line shows the paste's provider and environment.
func (f *findings) pasteTarget() model.Target {
	return targetOf(f.ex.report.Provider, f.ex.report.Environment)
}

// rereadMsg is the paste read again (another provider, or with the
// issuer's keys): the findings screen's own answer.
type rereadMsg struct {
	seq int
	msg examinedMsg
}

func (f *findings) reread(read readAs) tea.Cmd {
	f.seq++
	seq, cmd := f.seq, examineCmd(0, f.ex.text, read, f.now)
	return func() tea.Msg {
		m, _ := cmd().(examinedMsg)
		return rereadMsg{seq: seq, msg: m}
	}
}

func (f *findings) Init() tea.Cmd   { return nil }
func (f *findings) Name() string    { return "Findings" }
func (f *findings) TakesText() bool { return f.state == replayConfirming }

// HandlesEsc: Esc refuses a confirmation and cancels a replay in flight
// before it goes back.
func (f *findings) HandlesEsc() bool { return f.state != replayIdle }

// requestID is the id to quote: the most likely cause's, else the first
// one the input holds.
func (f *findings) requestID() string {
	for _, fd := range f.ex.report.Findings {
		if fd.RequestID != "" {
			return fd.RequestID
		}
	}
	if len(f.ex.report.RequestIDs) > 0 {
		return f.ex.report.RequestIDs[0]
	}
	return ""
}

func (f *findings) Hint() string {
	switch f.state {
	case replayConfirming:
		if costly(f.ex.report, f.entry) {
			return "type the method and enter to send it to the real API (costs money) · esc: don't"
		}
		return "type the method and enter to send it with the credential in the paste · esc: don't"
	case replaySending:
		return "esc: cancel the replay"
	}
	if id := f.requestID(); id != "" {
		return "y: copy request id " + f.clean(model.CleanID(id)) + " · r: replay each fix"
	}
	if f.ex.report.Input == doctor.KindCredential {
		return "p: read as another provider · x: copy a redacted copy"
	}
	return "r: replay each fix on the sandbox · x: copy a redacted copy"
}

func (f *findings) ShortHelp() []key.Binding {
	switch f.state {
	case replayConfirming:
		return f.confirm.help()
	case replaySending:
		return nil
	}
	return []key.Binding{f.keys.CopyID, f.keys.Inspect, f.keys.Replay, f.keys.Edit, f.keys.Redacted, f.keys.ReadAs.Provider, f.keys.ReadAs.FetchKeys, f.keys.ReplayReal, f.scroll.keys.Down, f.scroll.keys.Wrap}
}

func (f *findings) FullHelp() [][]key.Binding {
	return [][]key.Binding{{f.keys.CopyID, f.keys.Inspect, f.keys.Redacted}, {f.keys.Replay, f.keys.ReplayReal, f.keys.Entry, f.keys.Entries, f.keys.Edit}, {f.keys.ReadAs.Provider, f.keys.ReadAs.FetchKeys}, f.scroll.help()}
}

func (f *findings) SetSize(w, h int) {
	f.common.SetSize(w, h)
	f.layout()
}

func (f *findings) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case rereadMsg:
		if msg.seq != f.seq {
			return nil
		}
		switch {
		case msg.msg.err != nil:
			f.problem = "not read again: " + msg.msg.err.Error()
		case msg.msg.ex.report != nil:
			f.ex, f.problem, f.replay = msg.msg.ex, "", nil
			f.setKeys()
			f.scroll.GotoTop()
		}
		f.layout()
		return nil
	case replayedMsg:
		if msg.seq != f.seq || f.state != replaySending {
			return nil
		}
		f.state = replayIdle
		if msg.err != nil {
			f.problem = "not replayed: " + msg.err.Error()
		} else {
			f.replay, f.problem = &msg, ""
			f.scroll.GotoTop()
		}
		f.layout()
		return nil
	case redactFailedMsg:
		f.problem = "no redacted copy: " + msg.err.Error()
		f.layout()
		return nil
	case spinner.TickMsg:
		if f.state != replaySending {
			return nil
		}
		var cmd tea.Cmd
		f.spin, cmd = f.spin.Update(msg)
		return cmd
	case tea.KeyMsg:
		return f.key(msg)
	}
	return nil
}

func (f *findings) key(k tea.KeyMsg) tea.Cmd {
	switch f.state {
	case replaySending:
		if k.Type == tea.KeyEsc {
			f.cancel()
			f.seq++ // a late answer is dropped
			f.state = replayIdle
			f.layout()
		}
		return nil
	case replayConfirming:
		res, cmd := f.confirm.update(k)
		switch res {
		case confirmYes:
			return f.startReplay(true)
		case confirmNo:
			f.state = replayIdle
			f.problem = "not sent"
		}
		f.layout()
		return cmd
	}
	switch {
	case key.Matches(k, f.keys.CopyID):
		id := f.requestID()
		if id == "" {
			f.problem = "the input holds no request id"
			f.layout()
			return nil
		}
		return copyCmd(f.clip, "request id", model.Plain(model.CleanID(id)))
	case key.Matches(k, f.keys.Inspect):
		if x := failedResponse(f.ex.report); x != nil {
			return inspectResponseCmd(f.ex.report, x)
		}
		return nil
	case key.Matches(k, f.keys.Replay):
		return f.startReplay(false)
	case key.Matches(k, f.keys.ReplayReal):
		// The customer's own credential to the host in the paste: always
		// asked first, naming the entry and the host, and answered by
		// typing the method (no key of this screen sends it).
		i, _, err := doctor.ReplayEntry(f.ex.report, f.entry)
		if err != nil {
			f.problem = "nothing to replay: " + err.Error()
			f.layout()
			return nil
		}
		x := f.ex.report.Exchanges[i].Request
		warn := ""
		if costly(f.ex.report, f.entry) {
			warn = fmt.Sprintf("%s %s is live: the work is done by people and charged. ", f.ex.report.Provider, f.ex.report.Environment)
		}
		host := "(unreadable URL)"
		if u, err := url.Parse(x.URL); err == nil {
			host = u.Host
		}
		f.state = replayConfirming
		cmd := f.confirm.ask(x.Method, fmt.Sprintf("%sSend entry %d of %d (%s %s) to %s with the credential in the paste?",
			warn, i+1, len(f.ex.report.Exchanges), f.clean(x.Method), f.clean(shortURL(x.URL)), f.clean(host)))
		f.layout()
		return cmd
	case key.Matches(k, f.keys.Entry):
		f.nextEntry()
		f.layout()
		return nil
	case key.Matches(k, f.keys.Entries):
		f.out.send(openEntriesMsg{rep: f.ex.report, replay: true, entry: f.entry})
		return nil
	case key.Matches(k, f.keys.Redacted):
		return redactCmd(f.clip, f.ex)
	case key.Matches(k, f.keys.ReadAs.Provider):
		return f.reread(f.ex.read.next())
	case key.Matches(k, f.keys.ReadAs.FetchKeys):
		r := f.ex.read
		r.fetch = true
		return f.reread(r)
	case key.Matches(k, f.keys.Edit):
		if len(f.ex.report.Exchanges) > 1 {
			f.out.send(openEntriesMsg{rep: f.ex.report})
			return nil
		}
		src, err := pastedSource(f.ex.report)
		if err != nil {
			f.problem = "nothing to edit: " + err.Error()
			f.layout()
			return nil
		}
		f.out.send(openEditorMsg{src: src})
		return nil
	}
	return f.scroll.Update(k)
}

// startReplay re-sends the request with each fix, off the event loop.
func (f *findings) startReplay(real bool) tea.Cmd {
	if f.cancel != nil {
		f.cancel()
	}
	ctx, cancel := context.WithCancel(context.Background())
	f.cancel, f.state, f.problem = cancel, replaySending, ""
	f.seq++
	f.layout()
	return tea.Batch(replayCmd(ctx, f.common, f.seq, f.ex.report, f.entry, real), f.spin.Tick)
}

// clean makes pasted or server text safe to draw and free of the
// paste's secrets.
func (f *findings) clean(s string) string {
	return model.Scrub(model.Sanitize(s), f.ex.report.Secrets...)
}

func (f *findings) layout() {
	f.scroll.SetSize(f.width, max(f.height-lineCount(f.head()), 1))
	f.scroll.SetContent(f.body())
}

// head is the line above the scroller: a prompt, a replay in flight or
// a refusal.
func (f *findings) head() string {
	st := f.styles
	switch {
	case f.state == replayConfirming:
		return f.confirm.view(f.common, f.width)
	case f.state == replaySending:
		return f.spin.View() + st.Muted.Render(" replaying each fix… (esc cancels)")
	case f.problem != "":
		return st.Error.Render(wrapText(f.clean(f.problem), max(f.width-2, 10)))
	case f.entry != 0:
		x := f.ex.report.Exchanges[f.entry-1].Request
		return st.Info.Render(wrapText(fmt.Sprintf("r and R replay entry %d of %d: %s %s (n: next, l: list)",
			f.entry, len(f.ex.report.Exchanges), f.clean(x.Method), f.clean(shortURL(x.URL))), max(f.width-2, 10)))
	}
	return ""
}

func (f *findings) View() string {
	if h := f.head(); h != "" {
		return h + "\n" + f.scroll.View()
	}
	return f.scroll.View()
}

// chooseEntry makes entry (1-based) the request r and R replay.
func (f *findings) chooseEntry(entry int) {
	if entry >= 1 && entry <= len(f.ex.report.Exchanges) {
		f.entry = entry
		f.layout()
	}
}

// nextEntry picks the next request of the input to replay (a HAR holds
// many): from the doctor's pick onwards, skipping entries without a URL.
func (f *findings) nextEntry() {
	n := len(f.ex.report.Exchanges)
	cur := f.entry
	if cur == 0 {
		i, _ := doctor.ReplayTarget(f.ex.report)
		cur = i + 1
	}
	for step := 1; step <= n; step++ {
		e := (cur-1+step)%n + 1
		if f.ex.report.Exchanges[e-1].Request.URL != "" {
			f.entry = e
			return
		}
	}
}

// costly reports whether replaying on the real API costs money: a
// non-GET to an environment where requests do (as `request`).
func costly(rep *doctor.Report, entry int) bool {
	i, _, err := doctor.ReplayEntry(rep, entry)
	if err != nil {
		return false
	}
	p, err := model.Lookup(rep.Provider)
	if err != nil {
		return false
	}
	env, err := p.Env(rep.Environment)
	if err != nil {
		return false
	}
	m := strings.ToUpper(rep.Exchanges[i].Request.Method)
	return env.Costly && m != "" && m != "GET"
}

// shortURL drops the query, which may carry secrets and is long.
func shortURL(raw string) string {
	u, _, _ := strings.Cut(raw, "?")
	return u
}

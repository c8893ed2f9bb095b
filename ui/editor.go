package ui

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textarea"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/authscope/authscope/decode"
	"github.com/authscope/authscope/doctor"
	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
)

// maxEditorText bounds what the editor holds: a request to rework by
// hand is small; a bigger body goes with `authscope request -d @file`.
// The text area re-wraps and redraws all of its text on every key: at
// 64 KiB a key and its frame take 20 ms, at 240 KiB 90 ms
// (BenchmarkEditorKeystroke), which is typing that lags.
const maxEditorText = 64 << 10

// maxEditorBody is the largest body the editor shows for editing; a
// bigger one is held out of the text and sent as it was, so the
// request line and headers, what a 401 is about, stay quick to edit.
const maxEditorBody = 48 << 10

// editedRequest is a request to edit and send: where it came from, the
// request it started as (what the answer's "changed" line compares
// with), and the request as edited.
type editedRequest struct {
	target   model.Target // provider and environment, when known
	original model.HTTPRequest
	req      model.HTTPRequest
	secrets  []string // to scrub from what the server sends back
	from     string   // "sample incidents", "history #3", "the pasted curl"
	authNote string   // what the Authorization line is: "built by the steps", "as pasted"
}

// openEditorMsg: open the editor on a request.
type openEditorMsg struct {
	src editedRequest
	err error // the request could not be prepared
}

// sample is the edited request as the answer screen and copy menu name it.
func (e editedRequest) sample() model.Sample {
	path := pathOf(e.req.URL)
	return model.Sample{Name: "edited", Title: "Edited: " + e.req.Method + " " + path, Method: e.req.Method, Path: path}
}

func pathOf(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		return u.RequestURI()
	}
	return raw
}

func originOf(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		return u.Scheme + "://" + u.Host
	}
	return ""
}

// stake is what sending would risk, "" when nothing: a non-GET that
// costs money (Scale AI live) or changes live data (any host off
// loopback that is not a sandbox). It is answered by typing the method.
func (e editedRequest) stake() string {
	m := strings.ToUpper(e.req.Method)
	if m == "GET" || m == "HEAD" || m == "OPTIONS" {
		return ""
	}
	u, err := url.Parse(e.req.URL)
	if err != nil {
		return ""
	}
	env := e.target.Env
	provider := e.target.Provider
	if originOf(e.req.URL) != originOf(e.original.URL) || provider.ID == "" {
		pl := doctor.Identify(e.req.URL, "", provider.ID)
		provider, env = pl.Provider, pl.Env
	}
	what := m + " " + model.Sanitize(u.Path)
	switch {
	case env.Costly:
		return provider.Name + " " + env.Label + ": " + what + " is done by people and charged."
	case env.Sandbox || model.IsLoopback(u.Hostname()):
		return ""
	}
	return what + " goes to " + model.Sanitize(u.Host) + ", a live environment: it changes real data."
}

type editorKeys struct {
	Send key.Binding
}

// editor edits a request as text — the method and path on the first
// line, a header a line, a blank line, the body — checked as it is
// typed: CR, LF or NUL in a header and a name with a space are refused
// at the line, a URL with a password is refused, JSON is checked where
// the content type says JSON (a warning, not a refusal). Secrets show
// masked; a masked value left as it is sends the value it stands for.
type editor struct {
	common
	keys    editorKeys
	src     editedRequest
	origin  string // scheme://host the path goes to
	area    textarea.Model
	parsed  *model.HTTPRequest // the text as a request, nil while it has a problem
	problem string             // what stops it being sent
	notes   []string           // what is odd but sent
	cut     bool               // a paste was over maxEditorText
	// heldBody is the body kept out of the text (over maxEditorBody),
	// sent as it was; nil when the body is in the text.
	heldBody *model.Text
	refused  string // a key or paste refused at the field (a NUL)
	// sent is the last request sent from here: a secret typed for it is
	// masked once sent, and its masked form still stands for it.
	sent *model.HTTPRequest
}

// controlRune finds a control character other than tab and line ends.
func controlRune(rs []rune) (rune, bool) {
	for _, r := range rs {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f {
			return r, true
		}
	}
	return 0, false
}

func newEditor(c common, src editedRequest) *editor {
	e := &editor{common: c, src: src, origin: originOf(src.req.URL)}
	e.keys.Send = key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "send"))
	e.area = textarea.New()
	e.area.ShowLineNumbers = true
	e.area.MaxHeight = 0
	e.area.Prompt = ""
	e.area.KeyMap.Paste.SetEnabled(false) // the terminal's paste (bounded) only
	for _, s := range []*textarea.Style{&e.area.FocusedStyle, &e.area.BlurredStyle} {
		s.Base, s.Text, s.CursorLine = c.styles.Text, c.styles.Text, c.styles.Text
		s.LineNumber, s.CursorLineNumber, s.EndOfBuffer, s.Placeholder = c.styles.Faint, c.styles.Muted, c.styles.Faint, c.styles.Faint
	}
	e.area.Cursor.Style = c.styles.Cursor
	if len(src.req.Body.Masked()) > maxEditorBody || len(editorText(src.req, false)) > maxEditorText {
		e.heldBody = &src.req.Body
	}
	// The text area cuts what is over its limit without a word: big
	// headers raise it for this request, so nothing shown is ever short
	// of what it stands for (typing past it stays refused).
	text := editorText(src.req, e.heldBody != nil)
	e.area.CharLimit = max(maxEditorText, utf8.RuneCountInString(text))
	e.area.SetValue(text)
	if e.heldBody != nil {
		// The cursor would sit below the blank line, where a held body
		// takes nothing: it starts at the end of the last header instead.
		e.area.CursorUp()
		e.area.CursorUp()
		e.area.CursorEnd()
	}
	e.area.Focus()
	e.check()
	return e
}

// editorText writes a request for the editor, secrets masked, the body
// left out when it is held. The sender adds Content-Length and Host from
// the body and the URL.
func editorText(req model.HTTPRequest, bodyHeld bool) string {
	var b strings.Builder
	b.WriteString(req.Method + " " + pathOf(req.URL) + "\n")
	for _, h := range req.Headers {
		if strings.EqualFold(h.Name, "Content-Length") {
			continue
		}
		b.WriteString(h.Name + ": " + h.Value.Masked() + "\n")
	}
	b.WriteString("\n")
	if !bodyHeld {
		b.WriteString(req.Body.Masked())
	}
	return b.String()
}

// parseEditor reads the editor's text back as a request. A value left
// as it was shown (masked) stands for the original, secret and all; a
// value typed in a secret header is marked secret. A held body (not in
// the text) is sent as it was.
func parseEditor(text, origin string, orig model.HTTPRequest, sent *model.HTTPRequest, held *model.Text) (model.HTTPRequest, []string, error) {
	head, body, _ := strings.Cut(text, "\n\n")
	lines := strings.Split(head, "\n")
	var req model.HTTPRequest
	var notes []string
	first := strings.Fields(lines[0])
	if len(first) < 2 {
		return req, nil, fmt.Errorf("line 1: write the method and the path, e.g. GET /v1/projects")
	}
	if len(first) > 2 && !strings.HasPrefix(first[2], "HTTP/") {
		return req, nil, fmt.Errorf("line 1: the path holds a space; encode it as %%20")
	}
	req.Method = strings.ToUpper(first[0])
	target := first[1]
	switch {
	case strings.HasPrefix(target, "/"):
		req.URL = origin + target
	case strings.HasPrefix(target, "http://"), strings.HasPrefix(target, "https://"):
		req.URL = target
	default:
		return req, nil, fmt.Errorf("line 1: the path must start with / (or be a full https:// URL)")
	}
	if err := requests.CheckMethod(req.Method); err != nil {
		return req, nil, fmt.Errorf("line 1: %v", err)
	}
	if err := requests.CheckURL(req.URL); err != nil {
		return req, nil, fmt.Errorf("line 1: %v", err)
	}
	for i, l := range lines[1:] {
		n := i + 2
		if strings.TrimSpace(l) == "" {
			continue
		}
		name, value, ok := strings.Cut(l, ":")
		if !ok {
			return req, nil, fmt.Errorf("line %d: write a header as Name: value", n)
		}
		value = strings.TrimLeft(value, " \t")
		if err := requests.CheckHeader(name, value); err != nil {
			return req, nil, fmt.Errorf("line %d: %v", n, err)
		}
		var v model.Text = model.Plain(value)
		was, had := orig.Header(name)
		var last model.Text
		if sent != nil {
			last, _ = sent.Header(name)
		}
		switch {
		case had && len(was.Secrets()) > 0 && was.Masked() == value:
			v = was // left as shown: the secret it stands for
		case len(last.Secrets()) > 0 && last.Masked() == value:
			v = last // as the last send had it, typed then, masked since
		case strings.Contains(value, model.MaskRune):
			return req, nil, fmt.Errorf("line %d: %s still holds a masked value (%s): type the real one or delete the line", n, name, model.MaskRune)
		case had && len(was.Secrets()) > 0, model.IsSecretHeader(name):
			v = model.SecretText(value)
		}
		req.Headers = append(req.Headers, model.Header{Name: name, Value: v})
	}
	switch {
	case held != nil && body != "":
		return req, nil, fmt.Errorf("the %s body is held out of the editor and sent as it was: leave nothing below the blank line (to change it, send it with authscope request -d @FILE)", requests.FormatBytes(int64(len(held.Masked()))))
	case held != nil:
		req.Body = *held
	case body == orig.Body.Masked():
		req.Body = orig.Body
	case sent != nil && body == sent.Body.Masked():
		req.Body = sent.Body
	case strings.Contains(body, model.MaskRune):
		return req, nil, fmt.Errorf("the body still holds a masked value (%s): type the real one", model.MaskRune)
	default:
		req.Body = model.Plain(body)
	}
	if _, had := orig.Header("Host"); had {
		if _, has := req.Header("Host"); !has {
			notes = append(notes, "Host removed: the URL's host is sent (every HTTP/1.1 request carries one)")
		}
	}
	if err := requests.Check(req); err != nil {
		return req, nil, err
	}
	return req, append(notes, requests.Warnings(req)...), nil
}

// check reads the text as it stands: the problem that stops it, or the
// request and its notes.
func (e *editor) check() {
	req, notes, err := parseEditor(e.area.Value(), e.origin, e.src.original, e.sent, e.heldBody)
	e.parsed, e.problem, e.notes = nil, "", notes
	if err != nil {
		e.problem = err.Error()
		return
	}
	e.parsed = &req
	for _, w := range requests.CredentialChecks(e.src.target.Provider, e.src.target.Env, e.src.original, req) {
		note := "Authorization: " + w.Message
		if w.Fix != "" {
			note += " — " + w.Fix
		}
		e.notes = append(e.notes, model.Scrub(note, req.Secrets()...))
	}
}

func (e *editor) Init() tea.Cmd   { return nil }
func (e *editor) Name() string    { return "Edit request" }
func (e *editor) TakesText() bool { return true }
func (e *editor) Hint() string {
	if e.problem != "" {
		return "fix the request to send it"
	}
	return "ctrl+s: send " + e.parsed.Method + " " + pathOf(e.parsed.URL)
}

func (e *editor) ShortHelp() []key.Binding  { return []key.Binding{e.keys.Send} }
func (e *editor) FullHelp() [][]key.Binding { return [][]key.Binding{{e.keys.Send}} }

func (e *editor) SetSize(w, h int) {
	e.common.SetSize(w, h)
	e.area.SetWidth(max(w, 10))
	e.layout()
}

func (e *editor) layout() {
	e.area.SetHeight(max(e.height-lineCount(e.above())-lineCount(e.below()), 2))
}

func (e *editor) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	if key.Matches(k, e.keys.Send) {
		if e.problem != "" || e.parsed == nil {
			return nil
		}
		src := e.src
		src.req = *e.parsed
		e.out.send(sendEditedMsg{src: src})
		e.remask()
		return nil
	}
	room := maxEditorText - len(e.area.Value())
	if k.Paste && len(string(k.Runes)) > room {
		e.cut = true
		e.layout()
		return nil // refused whole: half a body is worse than none
	}
	e.cut = false
	if r, ok := controlRune(k.Runes); ok {
		// The text area would drop it silently: a NUL ends a header
		// where servers read it, so it is refused here, in words.
		e.refused = fmt.Sprintf("refused at the field: the input holds U+%04X (a control character; NUL ends a header where servers read it)", r)
		e.layout()
		return nil
	}
	e.refused = ""
	var cmd tea.Cmd
	e.area, cmd = e.area.Update(k)
	e.check()
	e.layout()
	return cmd
}

// remask redraws the text with every secret masked, a secret typed in
// clear included, once it has been sent; the cursor stays where it was.
func (e *editor) remask() {
	sent := *e.parsed
	e.sent = &sent
	row, col := e.area.Line(), e.area.LineInfo().CharOffset
	e.area.SetValue(editorText(sent, e.heldBody != nil))
	for i := e.area.LineCount() - 1; i > row; i-- {
		e.area.CursorUp()
	}
	e.area.SetCursor(col)
	e.check()
}

// above is the lines over the text: where it goes and what the
// Authorization line is.
func (e *editor) above() string {
	st := e.styles
	w := max(e.width-2, 10)
	lines := []string{st.Title.Render("Edit and resend") + st.Muted.Render(" · from "+model.Sanitize(e.src.from))}
	to := "to " + model.Sanitize(e.origin)
	if e.src.target.Provider.Name != "" {
		to += " (" + e.src.target.Provider.Name + " · " + e.src.target.Env.Label + ")"
	}
	lines = append(lines, st.Muted.Render(cut(to, e.width)))
	if n := e.authLine(); n > 0 && e.src.authNote != "" {
		lines = append(lines, st.Info.Render(wrapText(fmt.Sprintf("line %d Authorization: %s, masked; left as shown it is sent as it was — edit the line to replace it, delete it to send none", n, e.src.authNote), w)))
	}
	return strings.Join(lines, "\n")
}

// authLine is the editor line holding Authorization, 0 for none.
func (e *editor) authLine() int {
	for i, l := range strings.Split(e.area.Value(), "\n") {
		if l == "" {
			return 0
		}
		if name, _, ok := strings.Cut(l, ":"); ok && strings.EqualFold(strings.TrimSpace(name), "Authorization") {
			return i + 1
		}
	}
	return 0
}

// below is the live check: what stops the request, or that it is ready,
// with the notes (a body that is not JSON, Host removed).
func (e *editor) below() string {
	st := e.styles
	w := max(e.width-2, 10)
	var lines []string
	if e.refused != "" {
		lines = append(lines, st.Error.Render(wrapText(e.refused, w)))
	}
	if e.cut {
		lines = append(lines, st.Error.Render(wrapText(fmt.Sprintf("the paste is over the %s the editor holds: not taken (send a big body with authscope request -d @FILE)", requests.FormatBytes(maxEditorText)), w)))
	}
	if e.problem != "" {
		lines = append(lines, st.Error.Render(wrapText("not sendable: "+model.Sanitize(e.problem), w)))
	} else {
		ready := "ready: ctrl+s sends " + e.parsed.Method + " " + model.Sanitize(pathOf(e.parsed.URL))
		if ct, ok := e.parsed.Header("Content-Type"); ok && requests.IsJSONType(ct.Reveal()) && e.parsed.Body.Reveal() != "" && len(e.notes) == 0 {
			ready += " · body: valid JSON"
		}
		if changes := requests.Changes(e.src.original, *e.parsed); len(changes) > 0 {
			ready += " · " + fmt.Sprintf("%d change(s)", len(changes))
		}
		lines = append(lines, st.Success.Render(wrapText(ready, w)))
	}
	if e.heldBody != nil {
		lines = append(lines, st.Info.Render(wrapText(fmt.Sprintf("body: %s, held out of the editor (over %s) and sent as it was; to change it, send it with authscope request -d @FILE",
			requests.FormatBytes(int64(len(e.heldBody.Masked()))), requests.FormatBytes(maxEditorBody)), w)))
	}
	for _, n := range e.notes {
		lines = append(lines, st.Warning.Render(wrapText(model.Sanitize(n), w)))
	}
	return strings.Join(lines, "\n")
}

func (e *editor) View() string {
	return e.above() + "\n" + e.area.View() + "\n" + e.below()
}

// sendEditedMsg asks the root to send an edited request and show its
// answer on a request screen of its own.
type sendEditedMsg struct{ src editedRequest }

// sendEditedCmd sends an edited request through the same sender as the
// samples (one deadline, the redirect policy), recorded in the history,
// and prepares the answer as sendCmd does.
func sendEditedCmd(ctx context.Context, c common, seq int, e editedRequest) tea.Cmd {
	return func() tea.Msg {
		if err := requests.Check(e.req); err != nil {
			return responseMsg{seq: seq, sample: e.sample(), target: e.target, request: e.req, err: &requests.NotSentError{Err: err}, edited: &e}
		}
		o := c.sendOptions(e.target)
		o.Label, o.Secrets = "edited", e.secrets
		if len(requests.Changes(e.original, e.req)) == 0 {
			o.Label = "resent"
		}
		res, err := requests.Send(ctx, e.req, o)
		msg := answerOf(c, e, res, err)
		msg.seq = seq
		return msg
	}
}

// answerOf is the answer screen's message for a request sent (or from
// the history): the error decoded, the body rendered.
func answerOf(c common, e editedRequest, res *requests.Result, err error) responseMsg {
	msg := responseMsg{sample: e.sample(), target: e.target, request: e.req, result: res, edited: &e}
	// A resent token request answers with new tokens: masked like the rest.
	msg.secrets = slices.Concat(e.secrets, e.req.Secrets(), requests.AnswerSecrets(res))
	msg.changes = requests.Changes(e.original, e.req)
	if res == nil {
		msg.err = err
		if msg.err == nil {
			msg.err = fmt.Errorf("no answer")
		}
		return msg
	}
	if res.Status >= 400 {
		provider := e.target.Provider.ID
		if provider == "" {
			provider = doctor.Identify(e.req.URL, "", "").Provider.ID
		}
		d := decode.Decode(decode.Input{Provider: provider, Status: res.Status, Header: res.Header, Body: res.Body})
		decode.Diagnose(&d, decode.Sent{Seen: true, Front: decode.FrontExplorer, Provider: provider, AuthScheme: requests.SchemeWord(e.req), EnvMode: e.target.Env.KeyMode})
		msg.decoded = &d
	}
	msg.body, msg.bodyNote = renderBody(c.styles, res.Header, res.Body, msg.secrets)
	return msg
}

// newEditedAnswer is a request screen for an edited request: it sends
// at once (after the typed confirmation if the request is at stake), and
// its fire key sends the same request again.
func newEditedAnswer(c common, e editedRequest, built builtHeader) *request {
	r := newRequest(c, e.target, built)
	r.samples = nil
	r.edited = &e
	return r
}

// prepareEditCmd prepares a sample as it would be sent (the steps'
// header, the sample's headers and body) and opens it in the editor.
func prepareEditCmd(c common, t model.Target, s model.Sample, built builtHeader) tea.Cmd {
	return func() tea.Msg {
		t, err := resolveTarget(c, t)
		if err != nil {
			return openEditorMsg{err: err}
		}
		req, err := requests.Prepare(t, s, built.token)
		if err != nil {
			return openEditorMsg{err: err}
		}
		return openEditorMsg{src: editedRequest{target: t, original: req, req: req, secrets: append(append([]string{}, built.secrets...), t.Secrets()...), from: "sample " + s.Name, authNote: "built by the steps"}}
	}
}

// pastedSource is the request a doctor paste holds (the one a replay
// would send) for the editor: as pasted, to the host in the paste, every
// secret the paste holds marked.
func pastedSource(rep *doctor.Report) (editedRequest, error) {
	i, err := doctor.ReplayTarget(rep)
	if err != nil {
		return editedRequest{}, err
	}
	return pastedEntry(rep, i), nil
}

// pastedEntry is the i-th request of a paste (a HAR entry) for the editor.
func pastedEntry(rep *doctor.Report, i int) editedRequest {
	req := rep.Exchanges[i].Request.HTTP()
	req.Body = markSecrets(req.Body.Reveal(), rep.Secrets)
	for j, h := range req.Headers {
		if len(h.Value.Secrets()) == 0 {
			req.Headers[j].Value = markSecrets(h.Value.Reveal(), rep.Secrets)
		}
	}
	t := model.Target{}
	if p, err := model.Lookup(rep.Provider); err == nil {
		t.Provider = p
		if env, err := p.Env(rep.Environment); err == nil {
			t.Env = env
		}
	}
	from := "the pasted " + rep.Input.Label()
	if len(rep.Exchanges) > 1 {
		from = fmt.Sprintf("entry %d of the pasted %s", i+1, rep.Input.Label())
	}
	return editedRequest{target: t, original: req, req: req, secrets: rep.Secrets, from: from, authNote: "as pasted"}
}

// markSecrets marks every occurrence of the secrets in s.
func markSecrets(s string, secrets []string) model.Text {
	if s == "" {
		return nil
	}
	out := model.Text{}
	for s != "" {
		at, which := -1, ""
		for _, sec := range secrets {
			if len(sec) < 4 {
				continue
			}
			if i := strings.Index(s, sec); i >= 0 && (at < 0 || i < at || i == at && len(sec) > len(which)) {
				at, which = i, sec
			}
		}
		if at < 0 {
			return append(out, model.Segment{Text: s})
		}
		if at > 0 {
			out = append(out, model.Segment{Text: s[:at]})
		}
		out = append(out, model.Segment{Text: which, Secret: true})
		s = s[at+len(which):]
	}
	return out
}

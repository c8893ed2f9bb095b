package ui

import (
	"context"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/authscope/authscope/decode"
	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
)

// responseMsg is one fired request's outcome, prepared for display in
// the command that fetched it (pretty-printing a big body once, off the
// event loop).
type responseMsg struct {
	seq      int
	target   model.Target // with its base URL resolved
	sample   model.Sample
	request  model.HTTPRequest
	result   *requests.Result
	decoded  *model.DecodedError // for a status >= 400
	body     string              // viewport content
	bodyNote string
	err      error // no answer (or the request could not be built)
	secrets  []string
	// exchangeRefused: the token request was refused, so request and
	// result are the exchange's (POST {env}/oauth/token).
	exchangeRefused bool
	// tokenRequest is the token request that went out before the API
	// call (OAuth2, a fresh token), for the wire view.
	tokenRequest *sentExchange
	// tokenReused: the request sent the cached token, the one the steps
	// screen fetched and shows; no token request went out.
	tokenReused bool
	// edited: the answer to an edited request (editor.go), changes what
	// the edit changed from the request it started as.
	edited  *editedRequest
	changes []string
}

// sentExchange is a token request as sent and the status it got.
type sentExchange struct {
	request model.HTTPRequest
	status  string // "HTTP/1.1 200 OK"
}

// reqState is the request screen's stage.
type reqState int

const (
	reqChoosing   reqState = iota // picking a sample
	reqConfirming                 // a costly non-GET waits for its method, typed
	reqSending
	reqDone
)

type requestKeys struct {
	Up, Down, Fire, Copy, Menu, Inspect, Headers, Samples, Wire, Edit key.Binding
}

func newRequestKeys() requestKeys {
	return requestKeys{
		Up:      key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:    key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Fire:    key.NewBinding(key.WithKeys("enter", "f"), key.WithHelp("enter", "fire")),
		Copy:    key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy header")),
		Menu:    key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy menu")),
		Inspect: key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "inspect error")),
		Headers: key.NewBinding(key.WithKeys("h"), key.WithHelp("h", "headers")),
		Samples: key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "samples")),
		Wire:    key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "request as sent")),
		Edit:    key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit and resend")),
	}
}

// request fires samples and shows the answers.
type request struct {
	common
	keys    requestKeys
	target  model.Target
	built   builtHeader
	samples []model.Sample
	cursor  int
	state   reqState
	seq     int
	cancel  context.CancelFunc
	spin    spinner.Model
	resp    *responseMsg
	headers bool // show all response headers
	wire    bool // show the request as sent (and redirects) above the response
	scroll  scroller
	confirm typedConfirm
	notice  string // "not sent: …" after a cancelled confirmation
	// edited is set on the answer to an edited request (editor.go): the
	// fire key sends it again, and changes lists what the edit changed.
	edited *editedRequest
}

func newRequest(c common, t model.Target, built builtHeader) *request {
	r := &request{common: c, keys: newRequestKeys(), target: t, built: built, samples: t.Provider.Samples}
	r.spin = spinner.New(spinner.WithSpinner(spinner.Dot), spinner.WithStyle(c.styles.Info))
	r.scroll = newScroller(c.styles)
	r.confirm = newTypedConfirm(c)
	return r
}

func (r *request) Init() tea.Cmd   { return nil }
func (r *request) Name() string    { return "Request" }
func (r *request) TakesText() bool { return r.state == reqConfirming }

// HandlesEsc: Esc cancels a request in flight, refuses a confirmation,
// and goes from an answer back to the samples.
func (r *request) HandlesEsc() bool { return r.state != reqChoosing }

func (r *request) sample() model.Sample {
	if r.edited != nil || len(r.samples) == 0 {
		if r.resp != nil {
			return r.resp.sample
		}
		return model.Sample{}
	}
	return r.samples[r.cursor]
}

func (r *request) Hint() string {
	s := r.sample()
	switch r.state {
	case reqConfirming:
		return "type " + s.Method + " and enter to send " + s.Path + " (costs money) · esc: don't"
	case reqSending:
		return "esc: cancel"
	case reqDone:
		if r.resp != nil && r.resp.decoded != nil {
			return "i: inspect the error · y: copy header · c: copy menu"
		}
		return "y: copy header · c: copy menu · e: edit and resend"
	}
	return "enter: fire " + s.Method + " " + s.Path
}

func (r *request) ShortHelp() []key.Binding {
	switch r.state {
	case reqConfirming:
		return r.confirm.help()
	case reqDone:
		keys := []key.Binding{r.keys.Copy, r.keys.Menu}
		if r.resp != nil && r.resp.decoded != nil {
			keys = append([]key.Binding{r.keys.Inspect}, keys...)
		}
		return append(keys, r.keys.Headers, r.keys.Edit, r.keys.Fire, r.keys.Samples)
	}
	return []key.Binding{r.keys.Fire, r.keys.Up, r.keys.Down, r.keys.Copy, r.keys.Menu, r.keys.Edit}
}

func (r *request) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{r.keys.Fire, r.keys.Up, r.keys.Down, r.keys.Samples},
		{r.keys.Copy, r.keys.Menu, r.keys.Inspect, r.keys.Headers, r.keys.Edit},
		append([]key.Binding{r.keys.Wire}, r.scroll.help()...),
	}
}

func (r *request) SetSize(w, h int) {
	r.common.SetSize(w, h)
	r.layoutBody()
}

// fireFirst is the steps screen's "f": fire the default sample.
func (r *request) fireFirst() tea.Cmd {
	r.cursor = 0
	return r.fire(false)
}

func (r *request) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case responseMsg:
		return r.answered(msg)
	case spinner.TickMsg:
		if r.state != reqSending {
			return nil
		}
		var cmd tea.Cmd
		r.spin, cmd = r.spin.Update(msg)
		return cmd
	case tea.KeyMsg:
		return r.key(msg)
	}
	return nil
}

func (r *request) key(k tea.KeyMsg) tea.Cmd {
	switch r.state {
	case reqSending:
		if k.Type == tea.KeyEsc {
			r.cancel()
			r.seq++ // the answer, if it still comes, is dropped
			r.state = reqChoosing
			if r.edited != nil {
				r.state, r.notice = reqDone, "cancelled: no answer waited for (f sends it again)"
			}
		}
		return nil
	case reqConfirming:
		res, cmd := r.confirm.update(k)
		switch res {
		case confirmYes:
			return r.fire(true)
		case confirmNo:
			s := r.sample()
			r.notice = "not sent: " + s.Method + " " + s.Path
			r.state = reqChoosing
			if r.edited != nil {
				r.state = reqDone
			}
		}
		return cmd
	}
	r.notice = ""
	switch {
	case key.Matches(k, r.keys.Copy):
		return copyCmd(r.clip, "header", r.built.line())
	case key.Matches(k, r.keys.Menu):
		r.out.send(openCopyMenuMsg{})
		return nil
	case key.Matches(k, r.keys.Fire):
		return r.fire(false)
	case key.Matches(k, r.keys.Edit):
		return r.edit()
	case r.edited != nil && r.state == reqDone && (k.Type == tea.KeyEsc || key.Matches(k, r.keys.Samples)):
		return back
	case r.state == reqChoosing && key.Matches(k, r.keys.Up):
		r.cursor = (r.cursor + len(r.samples) - 1) % len(r.samples)
	case r.state == reqChoosing && key.Matches(k, r.keys.Down):
		r.cursor = (r.cursor + 1) % len(r.samples)
	case r.state == reqDone && (k.Type == tea.KeyEsc || key.Matches(k, r.keys.Samples)):
		r.state = reqChoosing
	case r.state == reqDone && key.Matches(k, r.keys.Inspect) && r.resp != nil && r.resp.decoded != nil:
		return r.inspect()
	case r.state == reqDone && key.Matches(k, r.keys.Headers):
		r.headers = !r.headers
		r.layoutBody()
	case r.state == reqDone && key.Matches(k, r.keys.Wire):
		r.wire = !r.wire
		r.scroll.GotoTop()
		r.layoutBody()
	case r.state == reqDone:
		return r.scroll.Update(k)
	}
	return nil
}

// fire sends the highlighted sample. A non-GET against an environment
// where requests cost money waits for an explicit yes.
func (r *request) fire(confirmed bool) tea.Cmd {
	s := r.sample()
	if r.edited != nil {
		if stake := r.edited.stake(); stake != "" && !confirmed {
			r.state = reqConfirming
			return r.confirm.ask(r.edited.req.Method, stake)
		}
	} else if r.target.Env.Costly && s.Method != "GET" && !confirmed {
		r.state = reqConfirming
		return r.confirm.ask(s.Method, r.target.Env.Label+": "+s.Method+" "+s.Path+" is done by people and charged.")
	}
	if r.cancel != nil {
		r.cancel()
	}
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel, r.state = cancel, reqSending
	r.seq++
	if r.edited != nil {
		return tea.Batch(sendEditedCmd(ctx, r.common, r.seq, *r.edited), r.spin.Tick)
	}
	return tea.Batch(sendCmd(ctx, r.common, r.seq, r.target, s, r.built), r.spin.Tick)
}

// sendCmd fires one sample the way `authscope request` does
// (requests.SendSample: for OAuth2 a token first, a staged exchange for
// the wrong-key and expired-token what-ifs, then Prepare and Send), then
// decodes an error answer and renders the body, all off the event loop.
func sendCmd(ctx context.Context, c common, seq int, t model.Target, s model.Sample, built builtHeader) tea.Cmd {
	return func() tea.Msg {
		msg := responseMsg{seq: seq, sample: s, secrets: built.secrets}
		t, err := resolveTarget(c, t)
		msg.target = t
		if err != nil {
			msg.err = err
			return msg
		}
		run, err := requests.SendSample(ctx, t, s, requests.SampleOptions{ClientAuth: built.clientAuth, Options: c.sendOptions(t)})
		msg.secrets = append(append([]string{}, built.secrets...), run.Secrets()...)
		msg.request, msg.result, msg.tokenReused = run.Request, run.Result, run.TokenReused
		// What the diagnosis knows about the run, its advice in keys.
		sent := requests.SentOf(run, built.clientAuth, decode.FrontExplorer)
		if run.Result == nil && run.Exchange != nil && run.ExchangeResult != nil && run.Exchange.TokenError != nil {
			// The token request was refused: that answer is the one to read.
			msg.request, msg.result, msg.exchangeRefused = run.Exchange.Request, run.ExchangeResult, true
		}
		if x, xr := run.Exchange, run.ExchangeResult; x != nil && xr != nil && !msg.exchangeRefused {
			req := x.Request
			if xr.Request.Method != "" {
				req = xr.Request
			}
			msg.tokenRequest = &sentExchange{request: req, status: xr.Proto + " " + xr.StatusText}
		}
		if msg.result == nil {
			msg.err = err
			if msg.err == nil {
				msg.err = fmt.Errorf("no answer")
			}
			return msg
		}
		res := msg.result
		if res.Status >= 400 {
			d := decode.Decode(decode.Input{Provider: t.Provider.ID, Status: res.Status, Header: res.Header, Body: res.Body})
			decode.Diagnose(&d, sent)
			msg.decoded = &d
		}
		msg.body, msg.bodyNote = renderBody(c.styles, res.Header, res.Body, msg.secrets)
		return msg
	}
}

func (r *request) answered(msg responseMsg) tea.Cmd {
	if msg.seq != r.seq || r.state != reqSending {
		return nil
	}
	r.resp, r.state = &msg, reqDone
	r.scroll.GotoTop()
	r.layoutBody()
	if msg.decoded != nil {
		return r.inspect()
	}
	return nil
}

// edit opens the editor: on the answer, the request as it was sent; on
// the list, the highlighted sample as the steps prepare it.
func (r *request) edit() tea.Cmd {
	if r.state == reqDone && r.resp != nil {
		src := editedRequest{target: r.resp.target, original: r.resp.request, req: r.resp.request, secrets: r.resp.secrets, from: "the answer to " + r.resp.sample.Method + " " + r.resp.sample.Path, authNote: "as sent"}
		if r.resp.edited != nil {
			src.original, src.authNote = r.resp.edited.original, r.resp.edited.authNote
			src.from = r.resp.edited.from + ", edited"
		} else {
			src.authNote = "built by the steps"
		}
		if r.resp.result != nil && r.resp.result.Request.Method != "" {
			src.req = withoutSenderHeaders(r.resp.result.Request)
		}
		r.out.send(openEditorMsg{src: src})
		return nil
	}
	if len(r.samples) == 0 {
		return nil
	}
	return prepareEditCmd(r.common, r.target, r.sample(), r.built)
}

// withoutSenderHeaders drops what the sender adds on its own (User-Agent,
// Content-Length), so an edit starts from what the user chose.
func withoutSenderHeaders(req model.HTTPRequest) model.HTTPRequest {
	if ua, ok := req.Header("User-Agent"); ok && strings.HasPrefix(ua.Reveal(), "authscope/") {
		req = req.WithoutHeader("User-Agent")
	}
	return req.WithoutHeader("Content-Length")
}

func (r *request) inspect() tea.Cmd {
	r.out.send(inspectMsg{decoded: *r.resp.decoded, secrets: r.resp.secrets})
	return nil
}

// layoutBody sizes the body viewport below the summary lines.
func (r *request) layoutBody() {
	content := ""
	if r.resp != nil && r.resp.result != nil {
		content = r.resp.body
		if r.headers || r.wire {
			content = strings.Join(headerLines(r.styles, r.resp.result.Header, r.resp.secrets, r.resp.result.RequestID()), "\n") + "\n\n" + content
		}
	}
	if r.wire && r.resp != nil {
		content = wireView(r.styles, r.resp) + content
	}
	r.scroll.SetSize(r.width, r.height-lineCount(r.summary()))
	r.scroll.SetContent(content)
}

func lineCount(s string) int {
	if s == "" {
		return 0
	}
	return strings.Count(s, "\n") + 1
}

package ui

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/authscope/authscope/authschemes"
	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
)

// navigate moves between screens in reply to the messages screens send,
// and keeps the session up to date. It reports whether the message was
// consumed; results the screens need (responses, exchanges) still go on
// to them.
func (a *App) navigate(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case pickedMsg:
		a.sess = session{}
		a.sess.target.Provider, a.sess.target.Env = msg.provider, msg.env
		return a.push(newCredentials(a.c, msg.provider, msg.env)), true
	case credentialsMsg:
		a.sess = session{target: msg.target}
		if msg.sso {
			return a.push(newSSO(a.c, msg.target)), true
		}
		return a.push(newSteps(a.c, msg.target)), true
	case headerMsg:
		built := msg.built
		a.sess.built = &built
		return nil, true
	case openRequestMsg:
		if a.sess.built == nil {
			return nil, true
		}
		r := newRequest(a.c, a.sess.target, *a.sess.built)
		cmd := a.push(r)
		if msg.fire {
			cmd = tea.Batch(cmd, r.fireFirst())
		}
		return cmd, true
	case responseMsg:
		if msg.err == nil || msg.result != nil {
			resp := msg
			a.sess.resp, a.sess.sample = &resp, msg.sample
			if msg.target.BaseURL != "" {
				a.sess.target = msg.target
			}
		}
		return nil, false
	case inspectMsg:
		in := newInspector(a.c, msg.decoded, msg.secrets)
		in.pasted = msg.pasted
		in.setPaste(msg.text, msg.readFrom)
		return a.push(in), true
	case openCopyMenuMsg:
		return a.push(newCopyMenu(a.c, a.copySource())), true
	case openFindingsMsg:
		return a.push(newFindings(a.c, msg.ex)), true
	}
	return a.navigateRework(msg)
}

// copySource snapshots the session for the copy menu. A decoded error on
// screen (the inspector) is the one whose request id to copy.
func (a *App) copySource() copySource {
	src := copySource{target: a.sess.target, sample: a.sess.sample, built: a.sess.built, resp: a.sess.resp, session: a.c.history.Newest(0, requests.MaxHistory)}
	if src.sample.Name == "" && len(src.target.Provider.Samples) > 0 {
		src.sample = src.target.Provider.Samples[0]
	}
	if in, ok := a.top().(*inspector); ok {
		d := in.d
		if in.pasted {
			// A pasted answer is nobody's request here: the copy menu
			// offers its request id, not the session's header or snippets.
			return copySource{decoded: &d}
		}
		src.decoded = &d
	} else if a.sess.resp != nil {
		src.decoded = a.sess.resp.decoded
	}
	return src
}

// builtHeader is the header the steps produced, with the OAuth2 token
// behind it; the request screen and the copy menu use it.
type builtHeader struct {
	header     model.Header
	token      string                 // OAuth2 access token; "" for Basic and Bearer
	clientAuth authschemes.ClientAuth // OAuth2: how the client authenticated
	secrets    []string               // every secret to mask in server text
}

// line is the header as one line, secrets still marked.
func (h builtHeader) line() model.Text {
	return model.Concat(model.Plain(h.header.Name+": "), h.header.Value)
}

// headerMsg: a header is ready (at once for Basic and Bearer, after the
// exchange for OAuth2).
type headerMsg struct{ built builtHeader }

// openRequestMsg: go to the request screen; fire the default sample at
// once when fire is set.
type openRequestMsg struct{ fire bool }

// openCopyMenuMsg: open the copy menu on what the session has.
type openCopyMenuMsg struct{}

// openFindingsMsg: show what the doctor found in a paste or a HAR.
type openFindingsMsg struct{ ex examined }

// inspectMsg: show a decoded error in the inspector.
type inspectMsg struct {
	decoded  model.DecodedError
	secrets  []string
	pasted   bool   // decoded from a paste: it belongs to no session request
	text     string // the paste, to read again as another provider (p)
	readFrom string // which provider it was read as, and from what
}

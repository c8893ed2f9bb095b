package ui

import (
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
	"github.com/authscope/authscope/themes"
)

func (r *request) View() string {
	if r.edited != nil && r.state == reqConfirming {
		return r.summary() + "\n" + r.confirm.view(r.common, r.width)
	}
	if r.edited != nil && r.notice != "" && r.state == reqDone {
		notice := r.styles.Warning.Render(wrapText(model.Sanitize(r.notice), r.width-2))
		if r.resp == nil {
			return notice
		}
		return notice + "\n" + r.summary() + "\n" + r.scroll.View()
	}
	switch r.state {
	case reqChoosing, reqConfirming:
		return r.listView()
	case reqSending:
		s := r.sample()
		line := r.spin.View() + " " + s.Method + " " + model.Sanitize(s.Path) + " … " + r.styles.Muted.Render("esc cancels")
		if s.WhatIf == model.WhatIfExpiredToken {
			line += "\n" + r.styles.Muted.Render(wrapText("Getting a token that lives one second, then waiting for it to expire before sending it.", r.width-2))
		}
		return line
	}
	return r.summary() + "\n" + r.scroll.View()
}

// summary is the lines above the body: status first (it must survive
// the narrowest terminal), the request, the likely cause, the request id
// and timing. Every line wraps; nothing is cut.
func (r *request) summary() string {
	if r.resp == nil {
		return ""
	}
	st, m := r.styles, r.resp
	w := max(r.width, 10)
	var lines []string
	add := func(s string) { lines = append(lines, s) }
	what := st.Title.Render(m.sample.Method+" ") + model.Sanitize(m.sample.Path)
	if m.err != nil {
		var notSent *requests.NotSentError
		if errors.As(m.err, &notSent) {
			add(wrapJoin([]string{st.Error.Render("not sent"), what}, " ", w))
			add(st.Error.Render(wrapText(model.Scrub(model.Sanitize(m.err.Error()), m.secrets...), w-2)))
			return strings.Join(lines, "\n")
		}
		add(wrapJoin([]string{st.Error.Render("no answer"), what}, " ", w))
		add(st.Error.Render(wrapText(noAnswer(m.err, m.secrets), w-2)))
		return strings.Join(lines, "\n")
	}
	res := m.result
	head := []string{st.StatusStyle(res.Status).Render(model.Sanitize(res.StatusText)), what}
	if m.sample.Expect != 0 && m.sample.Expect != res.Status {
		head = append(head, st.Warning.Render(fmt.Sprintf("(the docs say %d)", m.sample.Expect)))
	}
	add(wrapJoin(head, " ", w))
	if len(m.changes) > 0 {
		add(st.Info.Render(wrapText("Changed: "+model.Sanitize(strings.Join(m.changes, " · ")), w)))
	}
	if m.exchangeRefused {
		add(st.Error.Render(wrapText("never sent: the token request was refused (w shows it)", w)))
	}
	if m.decoded != nil && m.decoded.LikelyCause != "" {
		add(st.Cause.Render(wrapText("Likely cause: "+explorerAdvice(model.Sanitize(m.decoded.LikelyCause)), w)))
	}
	if id := res.RequestID(); id != "" {
		// The id is the server's word: a hostile one puts the key there.
		add(requestIDLine(st, model.Scrub(model.CleanID(id), m.secrets...), w))
	}
	view := "w: request as sent"
	if r.wire {
		view = "w: response only"
	}
	meta := []string{st.Muted.Render(view)}
	if !r.headers && !r.wire && len(res.Header) > 0 {
		meta = append(meta, st.Muted.Render(fmt.Sprintf("h: %d headers", len(res.Header))))
	}
	if r.height >= 14 || r.wire {
		// On a short terminal the body needs the line; ? lists w and h.
		add(wrapJoin(meta, st.Muted.Render(" · "), w))
	}
	if r.height >= 14 {
		add(timingView(st, spans(res.Timing), res.Timing.Total, r.width))
	}
	if note := strings.TrimSpace(m.bodyNote + " " + res.TruncatedNote()); note != "" {
		add(st.Muted.Render(wrapText(note, w)))
	}
	return strings.Join(lines, "\n")
}

// requestIDLine is "request id <id>", the id moved whole to a line of
// its own when both do not fit, and wrapped rather than cut when even
// the id is wider than the screen: half an id read aloud is worse than
// none.
func requestIDLine(st *themes.Styles, id string, width int) string {
	const label = "request id "
	if len(label)+ansi.StringWidth(id) <= width {
		return label + st.RequestID.Render(id)
	}
	lines := strings.Split(ansi.Hardwrap(id, width, true), "\n")
	for i, l := range lines {
		lines[i] = st.RequestID.Render(l)
	}
	return strings.TrimSpace(label) + "\n" + strings.Join(lines, "\n")
}

// wireView is the request as it went out — method, URL, headers with the
// credential masked, body — and every redirect followed, drawn above the
// response's headers and body.
func wireView(st *themes.Styles, m *responseMsg) string {
	req := m.request
	if m.result != nil && m.result.Request.Method != "" {
		req = m.result.Request // as sent: User-Agent and Content-Length included
	}
	// Every line holds what a server may have chosen (a redirect's
	// Location, a status text): all of it is scrubbed, not just headers.
	scrubSecrets := model.ScrubFunc(m.secrets...)
	scrub := func(s string) string { return scrubSecrets(model.Sanitize(s)) }
	clean := func(t model.Text) string { return scrub(t.Masked()) }
	var b strings.Builder
	request := func(title string, req model.HTTPRequest) {
		b.WriteString(st.Subtitle.Render(title) + "\n")
		b.WriteString(st.Title.Render(req.Method) + " " + scrub(req.URL) + "\n")
		for _, h := range req.Headers {
			b.WriteString(st.JSONKey.Render(model.Sanitize(h.Name)+":") + " " + clean(h.Value) + "\n")
		}
		if len(req.Body) > 0 {
			b.WriteString("\n" + clean(req.Body) + "\n")
		}
	}
	if x := m.tokenRequest; x != nil {
		request("Token request as sent (first)", x.request)
		b.WriteString(st.Muted.Render("→ "+scrub(x.status)+" (a new token, fetched for this request)") + "\n\n")
	} else if m.tokenReused {
		b.WriteString(st.Muted.Render("Token: the one the steps screen shows, reused (no token request)") + "\n\n")
	}
	request("Request as sent", req)
	if m.result != nil && len(m.result.Redirects) > 0 {
		b.WriteString("\n" + st.Subtitle.Render(fmt.Sprintf("Redirects followed (%d)", len(m.result.Redirects))) + "\n")
		for _, hop := range m.result.Redirects {
			line := fmt.Sprintf("%d %s → %s", hop.Status, scrub(hop.From), scrub(hop.To))
			if hop.AuthorizationDropped {
				line += st.Warning.Render(" (Authorization not sent on: another origin)")
			}
			b.WriteString(line + "\n")
		}
	}
	b.WriteString("\n" + st.Subtitle.Render("Response"))
	if m.result != nil {
		b.WriteString(" " + scrub(m.result.Proto+" "+m.result.StatusText))
		if m.result.URL != "" && m.result.URL != req.URL {
			b.WriteString(st.Muted.Render(" from " + scrub(m.result.URL)))
		}
	}
	return b.String() + "\n"
}

func spans(t requests.Timing) []phaseSpan {
	var out []phaseSpan
	for _, p := range t.Phases {
		if i := phaseIndex(p.Name); i >= 0 {
			out = append(out, phaseSpan{index: i, start: p.Start, end: p.End})
		}
	}
	return out
}

// noAnswer explains a request that got no HTTP answer, naming the phase.
func noAnswer(err error, secrets []string) string {
	var na *requests.NoAnswerError
	msg := err.Error()
	if errors.As(err, &na) {
		msg = "no answer (" + na.Phase + "): " + msg
	}
	return explorerAdvice(model.Scrub(model.Sanitize(msg), secrets...))
}

// listView lists the samples, what-ifs marked, with the highlighted
// one's explanation; it scrolls to keep the cursor in view.
func (r *request) listView() string {
	st := r.styles
	var b strings.Builder
	room := max(r.height-5, 1)
	title := st.Title.Render("Requests") + st.Muted.Render(" · "+r.target.Provider.Name+" · "+r.target.Env.Label)
	if len(r.samples) > room {
		// Not every sample fits: say which one this is of how many.
		title += st.Muted.Render(fmt.Sprintf(" · %d/%d", r.cursor+1, len(r.samples)))
	}
	b.WriteString(title + "\n")
	start := max(0, min(r.cursor-room/2, len(r.samples)-room))
	for i := start; i < len(r.samples) && i < start+room; i++ {
		s := r.samples[i]
		line := fmt.Sprintf("%-4s %s", s.Method, model.Sanitize(s.Title))
		if s.IsWhatIf() {
			line = fmt.Sprintf("%-4s %s", s.Method, st.Warning.Render(model.Sanitize(s.Title)))
		}
		if i == r.cursor {
			b.WriteString(st.Cursor.Render("› ") + st.Selected.Render(line) + "\n")
		} else {
			b.WriteString("  " + line + "\n")
		}
	}
	s := r.sample()
	b.WriteString(st.Muted.Render(cut(s.Method+" "+s.Path, r.width)) + "\n")
	b.WriteString(st.StepExplain.Render(wrapText(model.Sanitize(s.Explain), r.width-2)))
	if r.state == reqConfirming {
		b.WriteString("\n" + r.confirm.view(r.common, r.width))
	} else if r.notice != "" {
		b.WriteString("\n" + st.Warning.Render(wrapText(model.Sanitize(r.notice), r.width-2)))
	}
	return b.String()
}

package ui

import (
	"errors"
	"fmt"
	"strings"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
)

func (r *request) View() string {
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
	return r.summary() + "\n" + r.vp.View()
}

// summary is the lines above the body: the request, status, timing.
func (r *request) summary() string {
	if r.resp == nil {
		return ""
	}
	st, m := r.styles, r.resp
	var b strings.Builder
	b.WriteString(st.Title.Render(m.sample.Method+" ") + model.Sanitize(m.sample.Path))
	if m.exchangeRefused {
		b.WriteString(st.Error.Render(" — never sent: the token request was refused"))
	}
	if m.err != nil {
		b.WriteString("\n" + st.Error.Render(wrapText(noAnswer(m.err, m.secrets), r.width-2)))
		return b.String()
	}
	res := m.result
	b.WriteString("  " + st.StatusStyle(res.Status).Render(model.Sanitize(res.StatusText)))
	if m.sample.Expect != 0 && m.sample.Expect != res.Status {
		b.WriteString(st.Warning.Render(fmt.Sprintf("  (the docs say %d)", m.sample.Expect)))
	}
	if m.decoded != nil && m.decoded.LikelyCause != "" {
		b.WriteString("\n" + st.Cause.Render(cut("Likely cause: "+model.Sanitize(m.decoded.LikelyCause), r.width)))
	}
	meta := []string{}
	if id := res.RequestID(); id != "" {
		meta = append(meta, "request id "+st.RequestID.Render(model.Sanitize(id)))
	}
	if !r.headers && len(res.Header) > 0 {
		meta = append(meta, st.Muted.Render(fmt.Sprintf("h: %d headers", len(res.Header))))
	}
	if len(meta) > 0 {
		b.WriteString("\n" + strings.Join(meta, st.Muted.Render(" · ")))
	}
	if r.height >= 14 {
		b.WriteString("\n" + timingView(st, spans(res.Timing), res.Timing.Total, r.width))
	}
	if note := strings.TrimSpace(m.bodyNote + " " + res.TruncatedNote()); note != "" {
		b.WriteString("\n" + st.Muted.Render(note))
	}
	return b.String()
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
	return model.Scrub(model.Sanitize(msg), secrets...)
}

// listView lists the samples, what-ifs marked, with the highlighted
// one's explanation; it scrolls to keep the cursor in view.
func (r *request) listView() string {
	st := r.styles
	var b strings.Builder
	b.WriteString(st.Title.Render("Requests") + st.Muted.Render(" · "+r.target.Provider.Name+" · "+r.target.Env.Label) + "\n")
	room := max(r.height-5, 1)
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
		b.WriteString("\n" + st.Error.Render(wrapText(r.target.Env.Label+": "+s.Method+" is done by people and charged. Send it? y/n", r.width-2)))
	}
	return b.String()
}

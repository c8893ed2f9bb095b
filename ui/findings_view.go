package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/authscope/authscope/doctor"
	"github.com/authscope/authscope/model"
)

// body is the findings as the inspector draws a decoded error: what was
// read, the request id to quote, the replay if one ran, then each
// finding most likely cause first.
func (f *findings) body() string {
	st := f.styles
	rep := f.ex.report
	w := max(f.width-2, 10)
	var b strings.Builder
	line := func(s string) { b.WriteString(s + "\n") }

	what := rep.Input.Label()
	if f.ex.name != "" {
		what += " " + f.clean(f.ex.name)
	}
	head := fmt.Sprintf("%s, %d request(s)", what, len(rep.Requests))
	if rep.Provider != "" {
		head += " → " + f.clean(rep.Provider)
		if rep.Environment != "" {
			head += ", " + f.clean(rep.Environment)
		}
	}
	if rep.Input == doctor.KindCredential {
		b.WriteString(f.credentialView(w))
	} else {
		line(st.Title.Render("Doctor") + st.Muted.Render(" · "+wrapText(head, w-9)))
		who := "none — the host is not one authscope knows · p assumes one"
		switch {
		case rep.Provider != "" && f.ex.read.provider == rep.Provider && rep.Environment == "custom":
			who = providerName(rep.Provider) + " — assumed (the host does not say) · p switches"
		case rep.Provider != "":
			who = providerName(rep.Provider) + ", " + rep.Environment + " — detected from the host " + rep.Host
		}
		line(st.StepLabel.Render("Provider ") + indentRest(wrapText(f.clean(who), w-9), "         "))
	}
	if id := f.requestID(); id != "" {
		line("Request id " + st.RequestID.Render(" "+f.clean(model.CleanID(id))+" ") + st.Muted.Render(" · y copies it"))
	}
	if f.replay != nil {
		line("")
		b.WriteString(replayView(f.common, f.replay.result, f.clean))
	}
	line("")
	if len(rep.Findings) == 0 {
		line(st.Success.Render("No findings: nothing in this input looks wrong to authscope."))
	} else {
		line(st.Subtitle.Render("Findings, most likely cause first"))
	}
	for i, fd := range rep.Findings {
		line("")
		badge := st.Info
		switch fd.Severity {
		case doctor.SevError:
			badge = st.Error
		case doctor.SevWarning:
			badge = st.Warning
		}
		num := fmt.Sprintf("%2d. ", i+1)
		pad := strings.Repeat(" ", len(num))
		line(num + badge.Render("["+fd.Severity+"]") + " " + indentRest(wrapText(f.clean(fd.Title), w-len(num)-len(fd.Severity)-3), pad))
		if e := fd.EntriesText(); e != "" {
			line(st.Muted.Render(pad + e))
		}
		if fd.Evidence != "" {
			line(pad + st.StepLabel.Render("evidence ") + indentRest(wrapText(f.clean(fd.Evidence), w-len(num)-9), pad+"         "))
		}
		if fd.Fix != "" {
			line(pad + st.StepLabel.Render("fix      ") + indentRest(wrapText(explorerAdvice(f.clean(fd.Fix)), w-len(num)-9), pad+"         "))
		}
		if fd.RequestID != "" {
			line(pad + st.StepLabel.Render("request  ") + st.RequestID.Render(f.clean(model.CleanID(fd.RequestID))))
		}
	}
	if len(rep.Requests) > 1 {
		line("")
		line(st.Subtitle.Render("Requests"))
		for _, r := range rep.Requests {
			s := fmt.Sprintf("  %3d  %s %s", r.Entry, r.Method, f.clean(r.URL))
			if r.Status != 0 {
				s += fmt.Sprintf(" → %d", r.Status)
			}
			line(s)
			if r.RequestID != "" {
				line("       " + st.Muted.Render("id ") + st.RequestID.Render(f.clean(model.CleanID(r.RequestID))))
			}
		}
	}
	if len(rep.Notes) > 0 {
		line("")
		line(st.Subtitle.Render("Notes"))
		for _, n := range rep.Notes {
			line(st.Muted.Render(indent(wrapText("• "+f.clean(n), w-2), "  ")))
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// replayView is the replay's before and after, one row per fix, side
// by side when the width allows and one under the other when not.
func replayView(c common, res *doctor.ReplayResult, clean func(string) string) string {
	st := c.styles
	w := max(c.width-2, 10)
	var b strings.Builder
	line := func(s string) { b.WriteString(s + "\n") }
	line(st.Subtitle.Render("Replay on the " + res.Target + ", each fix applied alone"))
	line(st.Muted.Render(indent(wrapText(fmt.Sprintf("%s %s (entry %d)", res.Method, clean(res.URL), res.Entry), w-2), "  ")))
	before := outcomeView(c, res.Before, clean)
	hops := func(o doctor.Outcome) {
		for _, h := range o.Redirects {
			s := fmt.Sprintf("    ↪ %d %s → %s", h.Status, clean(h.From), clean(h.To))
			kept := append([]string(nil), h.Dropped...)
			if h.BodyDropped {
				kept = append(kept, "the body")
			}
			if len(kept) > 0 {
				s += " (another origin: " + strings.Join(kept, ", ") + " stayed behind)"
			}
			line(st.Muted.Render(wrapText(s, w)))
		}
	}
	if len(res.Rows) == 0 {
		line("  as sent  " + before)
		hops(res.Before)
		line(st.Muted.Render(wrapText("  No finding proposes a fix that can be applied to this request.", w)))
		return b.String()
	}
	// Side by side only when whole rows fit: a request id cut or wrapped
	// under the table would be read aloud wrong.
	const fixW = 26
	beforeW, afterW := len("before"), len("after")
	for _, r := range res.Rows {
		beforeW = max(beforeW, ansi.StringWidth(outcomeView(c, r.Before, clean)))
		afterW = max(afterW, ansi.StringWidth(outcomeView(c, r.After, clean)))
	}
	side := 2+fixW+2+beforeW+2+afterW <= w
	if side {
		line(st.Muted.Render(fmt.Sprintf("  %-*s  %-*s  %s", fixW, "fix", beforeW, "before", "after")))
	}
	for _, r := range res.Rows {
		fix := clean(r.Fix)
		after := outcomeView(c, r.After, clean)
		rowBefore := outcomeView(c, r.Before, clean)
		if side {
			line(fmt.Sprintf("  %-*s  %s  %s", fixW, cut(fix, fixW), padCells(rowBefore, beforeW), after))
			hops(r.After)
			continue
		}
		line("  " + st.StepLabel.Render(fix))
		line("    before " + rowBefore)
		line("    after  " + after)
		hops(r.After)
	}
	return b.String()
}

// outcomeView is "401 invalid_api_key · id …" or why nothing came back.
func outcomeView(c common, o doctor.Outcome, clean func(string) string) string {
	st := c.styles
	if o.Error != "" {
		return st.Error.Render(clean(o.Error))
	}
	s := st.StatusStyle(o.Status).Render(fmt.Sprint(o.Status))
	if o.Code != "" {
		s += " " + clean(o.Code)
	}
	if o.RequestID != "" {
		s += st.Muted.Render(" id ") + clean(model.CleanID(o.RequestID))
	}
	return s
}

func padCells(s string, n int) string {
	if w := ansi.StringWidth(s); w < n {
		return s + strings.Repeat(" ", n-w)
	}
	return s
}

// indentRest indents every line after the first (the first follows a
// label).
func indentRest(s, prefix string) string {
	return strings.ReplaceAll(s, "\n", "\n"+prefix)
}

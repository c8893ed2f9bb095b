package ui

import (
	"fmt"
	"strings"

	"github.com/authscope/authscope/authschemes"
)

// credentialView is the top of the findings screen for a pasted
// credential (J8): what it was read as and why, whose (detected, from
// what, or assumed), and its parts decoded with the secret masked.
func (f *findings) credentialView(w int) string {
	st := f.styles
	rep := f.ex.report
	var b strings.Builder
	line := func(s string) { b.WriteString(s + "\n") }
	line(st.Title.Render("Credential") + st.Muted.Render(" · ") + indentRest(wrapText(f.clean(strings.TrimPrefix(rep.ReadAs, "Read as ")), w-13), "  "))
	who := "none — " + strings.TrimPrefix(rep.ProviderFrom, "none: ")
	if rep.Provider != "" {
		who = providerName(rep.Provider)
		if rep.Environment != "" {
			who += ", " + rep.Environment
		}
		who += " — " + rep.ProviderFrom
	}
	hint := " · p: read as another provider"
	line(st.StepLabel.Render("Provider ") + indentRest(wrapText(f.clean(who)+st.Muted.Render(hint), w-9), "         "))
	p := rep.Credential
	if p == nil {
		return b.String()
	}
	if p.Value != "" {
		v := p.Value
		if p.Scheme != "" {
			v = p.Scheme + " " + v
		}
		line(st.StepLabel.Render("Value    ") + cut(f.clean(v), w-9))
	}
	if p.Basic != nil {
		colon := "no ':'"
		if p.Basic.Colon {
			colon = "':' present"
		}
		line(st.StepLabel.Render("Basic    ") + cut(fmt.Sprintf("user %s · password %s · %s", f.clean(p.Basic.User), f.clean(p.Basic.Password), colon), w-9))
	}
	if p.ClientID != "" || p.Secret != "" {
		line(st.StepLabel.Render("Client   ") + cut("id "+f.clean(p.ClientID)+" · secret "+f.clean(p.Secret), w-9))
	}
	for _, fd := range p.Fields {
		line("  " + st.StepLabel.Render(cut(f.clean(fd.Name), 22)) + " " + cut(f.clean(fd.Value), max(w-26, 10)))
	}
	for _, j := range p.JWTs() {
		line("")
		line(st.Subtitle.Render(j.Name) + st.Muted.Render(" · "+j.Parts.Use+" · signature "+j.Parts.Signature))
		f.claimLines(&b, j.Parts.Header, w)
		f.claimLines(&b, j.Parts.Claims, w)
	}
	if len(p.Keys) > 0 {
		line("")
		line(st.Subtitle.Render(fmt.Sprintf("Keys (%d)", p.KeysTotal)))
		for _, k := range p.Keys {
			line(cut(fmt.Sprintf("  %-24s %-4s %-10s %-6s %s", f.clean(orDash(k.Kid)), f.clean(k.Kty), f.clean(k.Size), f.clean(k.Alg), f.clean(k.Use)), w))
		}
		if p.KeysTotal > len(p.Keys) {
			line(st.Muted.Render(fmt.Sprintf("  … %d more", p.KeysTotal-len(p.Keys))))
		}
	}
	return b.String()
}

func (f *findings) claimLines(b *strings.Builder, cs []authschemes.Claim, w int) {
	st := f.styles
	for _, c := range cs {
		v := f.clean(c.Value)
		if c.Time != nil {
			v = c.Time.UTC().Format("2006-01-02 15:04:05Z")
		}
		s := "  " + st.StepLabel.Render(fmt.Sprintf("%-10s", cut(f.clean(c.Name), 10))) + " " + cut(v, max(w-13, 10))
		if c.Meaning != "" && w >= 70 {
			s += st.Muted.Render(" — " + cut(f.clean(c.Meaning), max(w-13-len([]rune(v))-3, 0)))
		}
		b.WriteString(cut(s, w) + "\n")
	}
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/authscope/authscope/model"
)

type inspectorKeys struct {
	CopyID, Menu key.Binding
	ReadAs       readAsKeys
}

func newInspectorKeys() inspectorKeys {
	k := inspectorKeys{
		CopyID: key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy request id")),
		Menu:   key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy menu")),
		ReadAs: newReadAsKeys(),
	}
	k.ReadAs.Provider.SetEnabled(false) // a pasted answer only
	return k
}

// inspector explains a decoded error: the likely cause, what it means,
// what to do, every field, and the request id to quote.
type inspector struct {
	common
	keys    inspectorKeys
	d       model.DecodedError
	secrets []string
	scroll  scroller
	pasted  bool // decoded from a paste or a customer's file, not from a request of this session
	// A paste: its text, how it is read (p switches) and from what.
	text     string
	read     readAs
	readFrom string
}

// setPaste keeps a pasted answer's text so p can read it as another
// provider.
func (in *inspector) setPaste(text, from string) {
	in.text, in.readFrom = text, from
	in.keys.ReadAs.Provider.SetEnabled(in.pasted && text != "")
	in.layout()
}

// pasteTarget: a pasted answer's provider is the one it was read as.
func (in *inspector) pasteTarget() model.Target {
	if !in.pasted {
		return model.Target{}
	}
	return targetOf(in.d.Provider, "")
}

func newInspector(c common, d model.DecodedError, secrets []string) *inspector {
	in := &inspector{common: c, keys: newInspectorKeys(), d: d, secrets: secrets}
	in.scroll = newScroller(c.styles)
	in.layout()
	return in
}

func (in *inspector) Init() tea.Cmd   { return nil }
func (in *inspector) Name() string    { return "Inspector" }
func (in *inspector) TakesText() bool { return false }

func (in *inspector) Hint() string {
	if in.d.RequestID != "" {
		return "y: copy request id " + in.clean(model.CleanID(in.d.RequestID))
	}
	return "esc: back"
}

func (in *inspector) ShortHelp() []key.Binding {
	return []key.Binding{in.keys.CopyID, in.keys.Menu, in.keys.ReadAs.Provider, in.scroll.keys.Down, in.scroll.keys.Wrap}
}

func (in *inspector) FullHelp() [][]key.Binding {
	return [][]key.Binding{{in.keys.CopyID, in.keys.Menu, in.keys.ReadAs.Provider}, in.scroll.help()}
}

func (in *inspector) SetSize(w, h int) {
	in.common.SetSize(w, h)
	in.layout()
}

func (in *inspector) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	switch {
	case key.Matches(k, in.keys.CopyID):
		if in.d.RequestID == "" {
			return nil
		}
		// The id is the server's word: scrubbed, as where it is shown.
		return copyCmd(in.clip, "request id", model.Plain(in.clean(model.CleanID(in.d.RequestID))))
	case key.Matches(k, in.keys.Menu):
		in.out.send(openCopyMenuMsg{})
		return nil
	case key.Matches(k, in.keys.ReadAs.Provider):
		// A paste is at most maxPaste bytes: decoding it again is quick.
		in.read = in.read.next()
		in.d, in.readFrom = decodePasted(in.text, in.read)
		in.layout()
		return nil
	}
	return in.scroll.Update(k)
}

// clean makes decoder output (untrusted: it comes from a server or a
// paste) safe to draw and free of known secrets.
func (in *inspector) clean(s string) string {
	return model.Scrub(model.Sanitize(s), in.secrets...)
}

func (in *inspector) layout() {
	in.scroll.SetSize(in.width, in.height)
	body := inspectorView(in.common, in.d, in.clean)
	if in.pasted && in.readFrom != "" {
		st := in.styles
		body = st.Muted.Render(wrapText("Read as: "+in.clean(in.readFrom), max(in.width-2, 10))) + "\n" + body
	}
	in.scroll.SetContent(body)
}

func (in *inspector) View() string { return in.scroll.View() }

// inspectorView renders a decoded error; the decode screen's result
// looks exactly the same.
func inspectorView(c common, d model.DecodedError, clean func(string) string) string {
	st := c.styles
	w := max(c.width-2, 10)
	var b strings.Builder
	line := func(s string) { b.WriteString(s + "\n") }
	if d.LikelyCause != "" {
		line(st.Cause.Render(wrapText("Likely cause: "+explorerAdvice(clean(d.LikelyCause)), w)))
	}
	var head []string
	if d.Status != 0 {
		head = append(head, st.StatusStyle(d.Status).Render(fmt.Sprintf("%d %s", d.Status, clean(d.StatusText))))
	}
	if d.ShapeTitle != "" {
		head = append(head, st.Muted.Render(clean(d.ShapeTitle)))
	}
	if d.Code != "" {
		code := clean(d.Code)
		if d.CodeName != "" {
			code += " (" + clean(d.CodeName) + ")"
		}
		head = append(head, st.Error.Render(code))
	}
	if len(head) > 0 {
		line(wrapJoin(head, st.Muted.Render(" · "), w))
	}
	if !d.Recognised {
		line(st.Warning.Render("Not a shape authscope knows; showing what it could read."))
	}
	if d.RequestID != "" {
		id := "Request id " + st.RequestID.Render(" "+clean(model.CleanID(d.RequestID))+" ")
		if d.RequestIDSource != "" {
			id += st.Muted.Render(" from " + clean(d.RequestIDSource))
		}
		line(id + st.Muted.Render(" · y copies it"))
	}
	if d.Message != "" {
		line(st.Subtitle.Render("Message ") + wrapText(clean(d.Message), w-8))
	}
	section := func(title, body string) {
		if body == "" {
			return
		}
		line("")
		line(st.Subtitle.Render(title))
		line(wrapText(clean(body), w))
	}
	section("What it means", explorerAdvice(d.Meaning))
	section("What to do", explorerAdvice(d.Advice))
	fields := func(title string, fs []model.FieldMeaning) {
		if len(fs) == 0 {
			return
		}
		line("")
		line(st.Subtitle.Render(title))
		for _, f := range fs {
			val := clean(f.Value)
			if d.RequestID != "" && val == clean(d.RequestID) {
				val = st.RequestID.Render(val)
			} else {
				val = st.JSONString.Render(val)
			}
			line("  " + st.JSONKey.Render(clean(f.Path)) + " = " + val)
			if f.Meaning != "" {
				line(st.StepExplain.Render(indent(wrapText(clean(f.Meaning), w-4), "    ")))
			}
		}
	}
	fields("Fields", d.Fields)
	fields("Headers", d.Headers)
	if len(d.Notes) > 0 {
		line("")
		line(st.Subtitle.Render("Notes"))
		for _, n := range d.Notes {
			line(st.Muted.Render(indent(wrapText("• "+explorerAdvice(clean(n)), w-2), "  ")))
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}

package ui

import (
	"fmt"
	"strings"

	"github.com/atotto/clipboard"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textarea"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/authscope/authscope/requests"
)

// maxPaste bounds what the text area takes: error bodies and raw
// responses are small; a runaway paste must not stall the screen.
const maxPaste = 256 << 10

type decodeKeys struct {
	Decode, Clear, Paste key.Binding
}

func newDecodeKeys() decodeKeys {
	return decodeKeys{
		Decode: key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "decode")),
		Clear:  key.NewBinding(key.WithKeys("ctrl+l"), key.WithHelp("ctrl+l", "clear")),
		Paste:  key.NewBinding(key.WithKeys("ctrl+v"), key.WithHelp("ctrl+v", "paste")),
	}
}

// decode takes a pasted error body or raw HTTP response and shows it in
// the inspector (J4). A bracketed paste decodes at once.
type decode struct {
	common
	keys    decodeKeys
	hint    string // provider id to prefer when a shape fits several
	area    textarea.Model
	pasted  strings.Builder // the bytes as pasted, CRLF and tabs intact
	edited  bool            // typed into after pasting: decode what is shown
	problem string
}

func newDecode(c common, providerHint string) *decode {
	d := &decode{common: c, keys: newDecodeKeys(), hint: providerHint}
	d.area = textarea.New()
	d.area.Placeholder = "Paste an error body or a whole raw HTTP response (status line, headers, body)…"
	d.area.ShowLineNumbers = false
	d.area.CharLimit = maxPaste
	d.area.MaxHeight = 0
	d.area.Prompt = "│ "
	for _, s := range []*textarea.Style{&d.area.FocusedStyle, &d.area.BlurredStyle} {
		s.Base = c.styles.Text
		s.Prompt = c.styles.Faint
		s.Placeholder = c.styles.Faint
		s.CursorLine = c.styles.Text
		s.Text = c.styles.Text
		s.EndOfBuffer = c.styles.Faint
	}
	d.area.Cursor.Style = c.styles.Cursor
	d.area.Focus()
	// What was here when the user left comes back.
	draft := c.typed.loadDecode()
	d.area.SetValue(draft.shown)
	d.pasted.WriteString(draft.pasted)
	d.edited = draft.edited
	return d
}

// leave keeps the text for the next visit.
func (d *decode) leave() {
	d.typed.saveDecode(decodeDraft{shown: d.area.Value(), pasted: d.pasted.String(), edited: d.edited})
}

func (d *decode) Init() tea.Cmd   { return nil }
func (d *decode) Name() string    { return "Decode" }
func (d *decode) TakesText() bool { return true }
func (d *decode) Hint() string {
	if d.area.Value() == "" {
		return "paste (your terminal's paste key) to decode at once"
	}
	return "ctrl+s: decode"
}

func (d *decode) ShortHelp() []key.Binding {
	return []key.Binding{d.keys.Decode, d.keys.Clear, d.keys.Paste}
}
func (d *decode) FullHelp() [][]key.Binding {
	return [][]key.Binding{{d.keys.Decode, d.keys.Clear, d.keys.Paste}}
}

func (d *decode) SetSize(w, h int) {
	d.common.SetSize(w, h)
	d.area.SetWidth(max(w, 4))
	d.area.SetHeight(max(h-2, 1))
}

// clipboardPasteMsg is the system clipboard's text, read for ctrl+v.
type clipboardPasteMsg struct {
	text string
	err  error
}

// readClipboard reads the system clipboard off the event loop.
func readClipboard() tea.Msg {
	text, err := clipboard.ReadAll()
	return clipboardPasteMsg{text: text, err: err}
}

func (d *decode) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case clipboardPasteMsg:
		if msg.err != nil || msg.text == "" {
			d.problem = "ctrl+v found nothing in the clipboard; paste with your terminal's paste key instead"
			return nil
		}
		return d.paste(msg.text)
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, d.keys.Decode):
			return d.decode()
		case key.Matches(msg, d.keys.Clear):
			d.area.Reset()
			d.pasted.Reset()
			d.edited, d.problem = false, ""
			return nil
		case key.Matches(msg, d.keys.Paste):
			return readClipboard
		case msg.Paste:
			return d.paste(string(msg.Runes))
		}
		var cmd tea.Cmd
		d.area, cmd = d.area.Update(msg)
		d.edited = true
		return cmd
	}
	var cmd tea.Cmd
	d.area, cmd = d.area.Update(msg)
	return cmd
}

// paste keeps the bytes exactly as pasted — CR-only line ends (what a
// terminal or tmux paste-buffer sends), CRLF, tabs — for the decoder,
// shows them with plain line breaks, and decodes at once. The copy is
// taken before the text area sees the text: its sanitiser rewrites the
// slice it is given.
func (d *decode) paste(text string) tea.Cmd {
	if !d.edited && d.pasted.Len()+len(text) <= maxPaste {
		d.pasted.WriteString(text)
	}
	d.area.InsertString(displayLineEnds(text))
	return d.decode()
}

// displayLineEnds turns CRLF and lone CR into LF for the text area,
// which would otherwise show CRLF as an empty line after each line.
func displayLineEnds(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// input is what the decoder reads: the paste byte for byte, or once
// edited, what the text area shows.
func (d *decode) input() string {
	if !d.edited && d.pasted.Len() > 0 {
		return d.pasted.String()
	}
	return d.area.Value()
}

// decode runs the decoder on what was pasted (or, once edited, on what
// is shown) and opens the inspector.
func (d *decode) decode() tea.Cmd {
	input := d.input()
	if strings.TrimSpace(input) == "" {
		d.problem = "nothing to decode yet: paste an error body or a raw response"
		return nil
	}
	d.problem = ""
	hint := d.hint
	return func() tea.Msg {
		dec := requests.DecodeBytes([]byte(input), hint)
		provider := dec.Provider
		if provider == "" {
			provider = hint
		}
		requests.Diagnose(&dec, requests.Sent{Front: requests.FrontExplorer, Provider: provider})
		return inspectMsg{decoded: dec}
	}
}

func (d *decode) View() string {
	st := d.styles
	head := st.Title.Render("Decode") + st.Muted.Render(" · an error body or a raw HTTP response")
	if n := d.area.LineCount(); n > d.area.Height() {
		head = st.Title.Render("Decode") + st.Muted.Render(fmt.Sprintf(" · line %d/%d", d.area.Line()+1, n))
	}
	if d.problem != "" {
		head = st.Error.Render(cut(d.problem, d.width))
	}
	return cut(head, d.width) + "\n" + d.area.View()
}

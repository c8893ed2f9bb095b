package ui

import (
	"fmt"
	"strings"

	"github.com/atotto/clipboard"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textarea"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/authscope/authscope/model"
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

// decodeScreen takes a pasted error body or raw HTTP response and shows it in
// the inspector (J4). A bracketed paste decodes at once.
type decodeScreen struct {
	common
	keys decodeKeys
	// hint is the provider of the screen decode was opened from. A paste
	// is read by what it holds, never by this (issue 20): p on the result
	// assumes a provider when the paste names none.
	hint    string
	area    textarea.Model
	pasted  strings.Builder // the bytes as pasted, CRLF and tabs intact
	edited  bool            // typed into after pasting: decode what is shown
	problem string
	seq     int  // the last decode asked for; older answers are dropped
	reading bool // a paste is being read: its text (maybe a key) is not drawn yet
}

func newDecode(c common, providerHint string) *decodeScreen {
	d := &decodeScreen{common: c, keys: newDecodeKeys(), hint: providerHint}
	d.area = textarea.New()
	d.area.Placeholder = "Paste an error body, a raw HTTP response, a curl command or curl -v output, a token, an Authorization line, a key or a JWKS — or type a HAR file's path and press ctrl+s…"
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
func (d *decodeScreen) leave() {
	d.typed.saveDecode(decodeDraft{shown: d.area.Value(), pasted: d.pasted.String(), edited: d.edited})
}

// pasteTarget: the decode screen is about what will be pasted, not the
// provider visited last.
func (d *decodeScreen) pasteTarget() model.Target { return model.Target{} }

func (d *decodeScreen) Init() tea.Cmd   { return nil }
func (d *decodeScreen) Name() string    { return "Decode" }
func (d *decodeScreen) TakesText() bool { return true }
func (d *decodeScreen) Hint() string {
	if d.area.Value() == "" {
		return "paste (your terminal's paste key) to decode at once"
	}
	return "ctrl+s: decode"
}

func (d *decodeScreen) ShortHelp() []key.Binding {
	return []key.Binding{d.keys.Decode, d.keys.Clear, d.keys.Paste}
}
func (d *decodeScreen) FullHelp() [][]key.Binding {
	return [][]key.Binding{{d.keys.Decode, d.keys.Clear, d.keys.Paste}}
}

func (d *decodeScreen) SetSize(w, h int) {
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

func (d *decodeScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case examinedMsg:
		d.examined(msg)
		return nil
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
func (d *decodeScreen) paste(text string) tea.Cmd {
	if !d.edited && d.pasted.Len()+len(text) <= maxPaste {
		d.pasted.WriteString(text)
	}
	d.area.InsertString(displayLineEnds(text))
	cmd := d.decode()
	// A pasted curl or HAR holds the customer's credential: the text
	// is drawn once the doctor has found its secrets and masked them.
	d.reading = cmd != nil && !d.edited
	return cmd
}

// displayLineEnds turns CRLF and lone CR into LF for the text area,
// which would otherwise show CRLF as an empty line after each line.
func displayLineEnds(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// input is what the decoder reads: the paste byte for byte, or once
// edited, what the text area shows.
func (d *decodeScreen) input() string {
	if !d.edited && d.pasted.Len() > 0 {
		return d.pasted.String()
	}
	return foldDoubledBreaks(d.area.Value())
}

// decode reads what was pasted (or, once edited, what is shown): an
// error body or a raw response opens the inspector, a curl, curl -v
// output, raw request, HAR or a HAR's path opens the findings.
func (d *decodeScreen) decode() tea.Cmd {
	input := d.input()
	if strings.TrimSpace(input) == "" {
		d.problem = "nothing to decode yet: paste an error body, a response, a curl or curl -v output, or type a HAR's path"
		return nil
	}
	if strings.Contains(input, strings.Repeat(model.MaskRune, 8)) {
		// The text shown after a paste has its secrets masked: examined
		// again, the mask would be read as the key (a bogus finding, a
		// replay that contradicts the fix).
		d.problem = "this text holds masked secrets (••••): paste the original again to examine it"
		return nil
	}
	d.problem = ""
	d.seq++
	return examineCmd(d.seq, input, readAs{}, d.now)
}

// examined shows the findings (or the decoded error in the inspector),
// or says in one line why the input could not be read. A paste is shown
// from now on with the secrets the doctor found masked; the decoder
// still reads it as pasted.
func (d *decodeScreen) examined(msg examinedMsg) {
	if msg.seq != d.seq {
		return
	}
	if msg.shown != "" && msg.ex.text == d.input() {
		// Typed text (a paste the terminal sent as keys) is kept the
		// same way: the decoder reads it as it was, the area shows it
		// redacted.
		d.pasted.Reset()
		d.pasted.WriteString(msg.ex.text)
		d.edited = false
		d.area.SetValue(displayLineEnds(msg.shown))
	}
	d.reading = false
	switch {
	case msg.err != nil:
		d.problem = model.Sanitize(msg.err.Error())
	case msg.decoded != nil:
		d.out.send(inspectMsg{decoded: *msg.decoded, pasted: true, text: msg.ex.text, readFrom: msg.readFrom})
	default:
		d.out.send(openFindingsMsg{ex: msg.ex})
	}
}

func (d *decodeScreen) View() string {
	st := d.styles
	head := st.Title.Render("Decode") + st.Muted.Render(" · a response, a curl, a token, a header, a key or a HAR's path")
	if n := d.area.LineCount(); n > d.area.Height() {
		head = st.Title.Render("Decode") + st.Muted.Render(fmt.Sprintf(" · line %d/%d", d.area.Line()+1, n))
	}
	if d.problem != "" {
		head = st.Error.Render(cut(d.problem, d.width))
	}
	if d.reading {
		return cut(head, d.width) + "\n" + d.styles.Muted.Render("│ reading the paste…")
	}
	return cut(head, d.width) + "\n" + d.area.View()
}

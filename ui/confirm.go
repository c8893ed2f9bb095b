package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// typedConfirm is the answer no habit can give: a request that costs
// money or changes live data is sent only when the user types its
// method (POST) and presses enter. No single key sends it — y is the
// copy key on the screens that ask — and esc cancels with "not sent".
// It is a part of a screen, not a screen: the screen draws View() and
// hands it keys while Open.
type typedConfirm struct {
	input  textinput.Model
	want   string // the word to type: the method
	prompt string // what is at stake, one sentence
	open   bool
	wrong  bool // enter was pressed on something else
	keys   confirmKeys
}

type confirmKeys struct {
	Send, Cancel key.Binding
}

// confirmedMsg and cancelledMsg are what the confirmation decided; the
// screen that opened it acts on them.
type confirmResult int

const (
	confirmPending confirmResult = iota
	confirmYes
	confirmNo
)

func newTypedConfirm(c common) typedConfirm {
	in := textinput.New()
	in.Prompt = "type the method to send: "
	in.PromptStyle = c.styles.Warning
	in.TextStyle = c.styles.Text
	in.Cursor.Style = c.styles.Cursor
	in.CharLimit = 16
	return typedConfirm{input: in, keys: confirmKeys{
		Send:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "send (after typing the method)")),
		Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "don't send")),
	}}
}

// ask opens the confirmation for a method, with what is at stake.
func (t *typedConfirm) ask(method, prompt string) tea.Cmd {
	t.want, t.prompt, t.open, t.wrong = strings.ToUpper(method), prompt, true, false
	t.input.SetValue("")
	t.input.Placeholder = t.want
	return t.input.Focus()
}

func (t *typedConfirm) close() {
	t.open = false
	t.input.Blur()
	t.input.SetValue("")
}

// update takes a key while open and says what was decided.
func (t *typedConfirm) update(k tea.KeyMsg) (confirmResult, tea.Cmd) {
	switch {
	case key.Matches(k, t.keys.Cancel):
		t.close()
		return confirmNo, nil
	case key.Matches(k, t.keys.Send):
		if strings.EqualFold(strings.TrimSpace(t.input.Value()), t.want) {
			t.close()
			return confirmYes, nil
		}
		t.wrong = true
		return confirmPending, nil
	}
	t.wrong = false
	var cmd tea.Cmd
	t.input, cmd = t.input.Update(k)
	return confirmPending, cmd
}

func (t *typedConfirm) help() []key.Binding { return []key.Binding{t.keys.Send, t.keys.Cancel} }

// view is the prompt and the field, wrapped to width.
func (t *typedConfirm) view(c common, width int) string {
	st := c.styles
	lines := []string{st.Error.Render(wrapText(t.prompt, max(width-2, 10))), t.input.View()}
	if t.wrong {
		lines = append(lines, st.Muted.Render(wrapText("type "+t.want+" exactly, then enter; esc: don't send", max(width-2, 10))))
	}
	return strings.Join(lines, "\n")
}

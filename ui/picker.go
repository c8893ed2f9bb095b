package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/authscope/authscope/model"
)

// pickedMsg: the user chose a provider and an environment.
type pickedMsg struct {
	provider model.Provider
	env      model.Environment
}

type pickerKeys struct {
	Up, Down, Choose, Left, Number, Back key.Binding
	// Decode is the root's global d, listed here because on the first
	// screen it is one of the main things to do.
	Decode key.Binding
}

func newPickerKeys() pickerKeys {
	return pickerKeys{
		Up:     key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:   key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Choose: key.NewBinding(key.WithKeys("enter", "right", "l"), key.WithHelp("enter", "choose")),
		Left:   key.NewBinding(key.WithKeys("left", "h", "backspace"), key.WithHelp("←", "providers")),
		Number: key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7", "8", "9"), key.WithHelp("1-9", "pick by number")),
		Back:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "providers")),
		Decode: key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "decode a paste")),
	}
}

// picker chooses the provider, then its environment (sandbox first).
type picker struct {
	common
	keys      pickerKeys
	providers []model.Provider
	prov, env int  // highlighted rows
	onEnvs    bool // focus on the environment list
}

func newPicker(c common, providers []model.Provider) *picker {
	return &picker{common: c, keys: newPickerKeys(), providers: providers}
}

// focusProvider opens the picker on a provider's environments
// (authscope --provider P).
func (p *picker) focusProvider(id string) {
	for i, pr := range p.providers {
		if pr.ID == id {
			p.prov, p.env, p.onEnvs = i, 0, true
		}
	}
}

func (p *picker) Init() tea.Cmd   { return nil }
func (p *picker) Name() string    { return "Pick" }
func (p *picker) TakesText() bool { return false }

// HandlesEsc: on the environment list Esc goes back to the providers;
// on the provider list it does nothing (the root never quits on Esc).
func (p *picker) HandlesEsc() bool { return p.onEnvs }

func (p *picker) Hint() string {
	if p.onEnvs {
		return "enter: use " + p.current().Environments[p.env].Label
	}
	return "enter or 1-" + fmt.Sprint(len(p.providers)) + ": choose a provider"
}

func (p *picker) ShortHelp() []key.Binding {
	return []key.Binding{p.keys.Choose, p.keys.Number, p.keys.Decode}
}

func (p *picker) FullHelp() [][]key.Binding {
	return [][]key.Binding{{p.keys.Up, p.keys.Down, p.keys.Choose, p.keys.Left}, {p.keys.Number, p.keys.Decode}}
}

func (p *picker) current() model.Provider { return p.providers[p.prov] }

func (p *picker) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	envs := p.current().Environments
	switch {
	case key.Matches(k, p.keys.Number):
		n := int(k.Runes[0] - '1')
		if !p.onEnvs && n < len(p.providers) {
			p.prov, p.env, p.onEnvs = n, 0, true
		} else if p.onEnvs && n < len(envs) {
			p.env = n
			return p.choose()
		}
	case key.Matches(k, p.keys.Up):
		if p.onEnvs {
			p.env = (p.env + len(envs) - 1) % len(envs)
		} else {
			p.prov = (p.prov + len(p.providers) - 1) % len(p.providers)
		}
	case key.Matches(k, p.keys.Down):
		if p.onEnvs {
			p.env = (p.env + 1) % len(envs)
		} else {
			p.prov = (p.prov + 1) % len(p.providers)
		}
	case key.Matches(k, p.keys.Left), key.Matches(k, p.keys.Back):
		p.onEnvs = false
	case key.Matches(k, p.keys.Choose):
		if !p.onEnvs {
			p.env, p.onEnvs = 0, true
			return nil
		}
		return p.choose()
	}
	return nil
}

func (p *picker) choose() tea.Cmd {
	pr := p.current()
	env := pr.Environments[p.env]
	p.out.send(pickedMsg{provider: pr, env: env})
	return nil
}

func (p *picker) View() string {
	st := p.styles
	roomy := p.height >= 18
	var b strings.Builder
	if roomy {
		b.WriteString(st.Title.Render("authscope") + st.Muted.Render(" — see how credentials become an Authorization header") + "\n\n")
	}
	b.WriteString(st.Subtitle.Render("Provider") + "\n")
	for i, pr := range p.providers {
		line := fmt.Sprintf("%d %-9s %s", i+1, pr.Name, st.Muted.Render(pr.Scheme.Label()))
		b.WriteString(p.row(line, i == p.prov, !p.onEnvs) + "\n")
	}
	if roomy {
		b.WriteString("\n")
	}
	pr := p.current()
	b.WriteString(st.Subtitle.Render("Environment for "+pr.Name) + "\n")
	for i, env := range pr.Environments {
		where := env.BaseURL
		if env.Sandbox {
			where = "built in, on this machine"
		}
		if where == "" {
			where = env.Note
		}
		line := fmt.Sprintf("%d %-12s %s", i+1, env.Label, st.Muted.Render(where))
		if env.Sandbox {
			line += " " + envBadge(st, env)
		}
		b.WriteString(p.row(line, p.onEnvs && i == p.env, p.onEnvs) + "\n")
	}
	if p.onEnvs && roomy {
		if note := pr.Environments[p.env].Note; note != "" {
			b.WriteString("\n" + st.Muted.Render(wrapText(note, p.width-2)) + "\n")
		}
	}
	if roomy {
		b.WriteString("\n" + st.Muted.Render("Press ") + st.Key.Render("d") + st.Muted.Render(" to decode an error body or raw response you have pasted."))
	}
	return b.String()
}

// row marks the highlighted row with a cursor that reads without colour.
func (p *picker) row(line string, selected, focused bool) string {
	switch {
	case selected && focused:
		return p.styles.Cursor.Render("› ") + p.styles.Selected.Render(line)
	case selected:
		return p.styles.Muted.Render("• ") + line
	}
	return "  " + line
}

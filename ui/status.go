package ui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/themes"
)

// envKind is how dangerous an environment is, for its colour: the
// sandbox is safe, test costs nothing, live is real.
type envKind string

const (
	kindSandbox envKind = "sandbox"
	kindTest    envKind = "test"
	kindLive    envKind = "live"
)

func kindOf(env model.Environment) envKind {
	switch {
	case env.Sandbox:
		return kindSandbox
	case env.KeyMode == "test" || env.ID == "development" || env.ID == "test":
		return kindTest
	}
	return kindLive
}

// envBadge draws an environment as a coloured badge whose text also says
// it (so it reads without colour, under NO_COLOR); short drops the
// "offline" note for narrow terminals.
func envBadge(st *themes.Styles, env model.Environment, short ...bool) string {
	label := strings.ToUpper(env.ID)
	style := st.Live
	switch kindOf(env) {
	case kindSandbox:
		style, label = st.Sandbox, "SANDBOX·offline"
		if len(short) > 0 && short[0] {
			label = "SANDBOX"
		}
	case kindTest:
		style = st.Test
	}
	return style.Render(" " + label + " ")
}

// keyMode is the mode a key's prefix shows ("live", "test") when the
// provider's environments have modes (Scale), else "".
func keyMode(p model.Provider, key string) string {
	for _, env := range p.Environments {
		if env.KeyMode != "" && strings.HasPrefix(key, env.KeyMode+"_") {
			return env.KeyMode
		}
	}
	return ""
}

// keyModeBadge draws a key's mode, coloured like the environment it
// belongs to.
func keyModeBadge(st *themes.Styles, p model.Provider, key string) string {
	mode := keyMode(p, key)
	switch mode {
	case "":
		return ""
	case "test":
		return st.Test.Render(" TEST KEY ")
	}
	return st.Live.Render(" " + strings.ToUpper(mode) + " KEY ")
}

// statusLine says where the user is, on what, and what the next key
// does. On a narrow terminal it gives up the provider name and the long
// badge before the hint.
func (a *App) statusLine() string {
	st := a.c.styles
	s := a.top()
	name := st.StatusScreen.Render(" " + s.Name() + " ")
	t := a.sess.target
	variants := []string{name}
	if pt, ok := s.(pasteTargeter); ok {
		if in, isIn := s.(*inspector); !isIn || in.pasted {
			// A paste: its own provider and environment, or none;
			// never the last one visited.
			t = pt.pasteTarget()
		}
	}
	if t.Provider.ID != "" && t.Env.ID == "" {
		variants = []string{name + " " + st.StatusProvider.Render(t.Provider.Name), name}
	} else if t.Provider.ID != "" {
		// The environment stays in every variant: it says what a request costs.
		variants = []string{
			name + " " + st.StatusProvider.Render(t.Provider.Name) + " " + envBadge(st, t.Env),
			name + " " + st.StatusProvider.Render(t.Provider.Name) + " " + envBadge(st, t.Env, true),
			name + " " + envBadge(st, t.Env, true),
		}
	}
	hint := s.Hint()
	want := min(lipgloss.Width(hint), 24)
	for _, left := range variants {
		room := a.w - lipgloss.Width(left) - 3
		if hint != "" && room >= want {
			return left + " " + st.StatusHint.Render("▸ "+cut(hint, room))
		}
	}
	last := variants[len(variants)-1]
	return last + " " + st.StatusHint.Render(cut(hint, a.w-lipgloss.Width(last)-1))
}

package themes

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// Theme names accepted by --theme.
const (
	Auto             = "auto"
	NameDark         = "dark"
	NameLight        = "light"
	NameHighContrast = "high-contrast"
)

// Names lists the --theme values in help order.
func Names() []string { return []string{Auto, NameDark, NameLight, NameHighContrast} }

// ByName returns a fixed palette; "auto" is not one (see Pick).
func ByName(name string) (Palette, bool) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case NameDark:
		return Dark, true
	case NameLight:
		return Light, true
	case NameHighContrast + "-dark":
		return HighContrast, true
	case NameHighContrast + "-light":
		return HighContrastLight, true
	}
	return Palette{}, false
}

// Pick resolves a --theme value. For "auto" (or "") it decides between
// dark and light from the terminal background, as cheaply as it can:
// no colour at all (NO_COLOR, a dumb terminal) needs no answer; the
// COLORFGBG variable many terminals set answers without a round trip;
// only then is the terminal asked (one OSC 11 query, which termenv skips
// inside tmux and screen).
func Pick(name string, r *lipgloss.Renderer, getenv func(string) string) (Palette, error) {
	switch n := canonical(name); n {
	case Auto:
		return pickAuto(r, getenv), nil
	case NameHighContrast:
		// Its accents must suit the background, as auto's palette does.
		if darkBackground(r, getenv) {
			return HighContrast, nil
		}
		return HighContrastLight, nil
	default:
		if p, ok := ByName(n); ok {
			return p, nil
		}
	}
	return Palette{}, fmt.Errorf("unknown theme %q; choose one of: %s", name, strings.Join(Names(), ", "))
}

func pickAuto(r *lipgloss.Renderer, getenv func(string) string) Palette {
	if r.ColorProfile() == termenv.Ascii {
		return Dark // no colours are drawn: any palette looks the same
	}
	if darkBackground(r, getenv) {
		return Dark
	}
	return Light
}

// darkBackground: COLORFGBG when the terminal sets it, else the
// renderer's answer (one query; dark inside tmux, where it cannot ask).
func darkBackground(r *lipgloss.Renderer, getenv func(string) string) bool {
	if r.ColorProfile() == termenv.Ascii {
		return true
	}
	if dark, ok := darkFromCOLORFGBG(getenv("COLORFGBG")); ok {
		r.SetHasDarkBackground(dark)
	}
	return r.HasDarkBackground()
}

// darkFromCOLORFGBG reads "fg;bg" (or "fg;default;bg"): background
// colours 0–6 and 8 of the 16-colour table are dark.
func darkFromCOLORFGBG(v string) (dark, ok bool) {
	parts := strings.Split(v, ";")
	if len(parts) < 2 {
		return false, false
	}
	bg, err := strconv.Atoi(parts[len(parts)-1])
	if err != nil || bg < 0 || bg > 15 {
		return false, false
	}
	return bg <= 6 || bg == 8, true
}

// Known reports whether Pick takes name, without asking the terminal
// anything: the command line checks --theme before it needs a terminal.
func Known(name string) bool {
	switch n := canonical(name); n {
	case Auto, NameHighContrast:
		return true
	default:
		_, ok := ByName(n)
		return ok
	}
}

// canonical folds a --theme value to the name Pick switches on: case and
// spaces ignored, "" is auto, and the short spellings of high contrast.
func canonical(name string) string {
	switch n := strings.ToLower(strings.TrimSpace(name)); n {
	case "", Auto:
		return Auto
	case NameHighContrast, "highcontrast", "hc":
		return NameHighContrast
	default:
		return n
	}
}

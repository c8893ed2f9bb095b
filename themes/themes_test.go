package themes

import (
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

func renderer(p termenv.Profile) *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(p)
	return r
}

func TestPickByName(t *testing.T) {
	r := renderer(termenv.TrueColor)
	env := func(string) string { return "" }
	for name, want := range map[string]string{"dark": "dark", "LIGHT": "light", "high-contrast": "high-contrast", "hc": "high-contrast"} {
		p, err := Pick(name, r, env)
		if err != nil || p.Name != want {
			t.Errorf("Pick(%q) = %q, %v; want %q", name, p.Name, err, want)
		}
	}
	if _, err := Pick("solarized", r, env); err == nil || !strings.Contains(err.Error(), "dark, light, high-contrast") {
		t.Fatalf("an unknown theme should list the choices: %v", err)
	}
}

func TestAutoReadsCOLORFGBGWithoutAskingTheTerminal(t *testing.T) {
	for bg, want := range map[string]string{"15;0": "dark", "0;15": "light", "0;default;7": "light", "7;8": "dark"} {
		r := renderer(termenv.TrueColor)
		p, err := Pick("auto", r, func(k string) string {
			if k == "COLORFGBG" {
				return bg
			}
			return ""
		})
		if err != nil || p.Name != want {
			t.Errorf("COLORFGBG=%s: %q, want %q", bg, p.Name, want)
		}
	}
}

func TestAutoWithoutColourNeedsNoAnswer(t *testing.T) {
	// NO_COLOR (an Ascii profile) must not query the terminal at all:
	// the renderer here has no terminal, and the answer is Dark.
	p, err := Pick("auto", renderer(termenv.Ascii), func(string) string { return "" })
	if err != nil || p.Name != "dark" {
		t.Fatalf("%q %v", p.Name, err)
	}
}

func TestNoColorTurnsColourOff(t *testing.T) {
	t.Setenv("NO_COLOR", "1")
	r := lipgloss.NewRenderer(io.Discard, termenv.WithTTY(true))
	if r.ColorProfile() != termenv.Ascii {
		t.Fatalf("NO_COLOR: profile %v, want Ascii", r.ColorProfile())
	}
	s := New(r, Dark)
	if out := s.Error.Render("x"); out != "x" {
		t.Fatalf("NO_COLOR should draw plain text, got %q", out)
	}
}

// TestPalettesDiffer: in true colour every semantic style differs
// between the themes somewhere, and each palette fills every colour.
func TestPalettesDiffer(t *testing.T) {
	r := renderer(termenv.TrueColor)
	palettes := []Palette{Dark, Light, HighContrast}
	for _, p := range palettes {
		v := reflect.ValueOf(p)
		for i := 0; i < v.NumField(); i++ {
			if f := v.Field(i); f.Kind() == reflect.String && f.String() == "" {
				t.Errorf("%s: %s is empty", p.Name, v.Type().Field(i).Name)
			}
		}
	}
	sample := func(s *Styles) string {
		return s.Title.Render("t") + s.Error.Render("e") + s.Sandbox.Render("s") + s.Live.Render("l") +
			s.RequestID.Render("r") + s.JSONKey.Render("k") + s.Phases[0].Render("p")
	}
	seen := map[string]string{}
	for _, p := range palettes {
		out := sample(New(r, p))
		if !strings.Contains(out, "\x1b[") {
			t.Fatalf("%s draws no colour in true colour", p.Name)
		}
		for name, other := range seen {
			if other == out {
				t.Errorf("%s and %s draw the same", name, p.Name)
			}
		}
		seen[p.Name] = out
	}
}

func TestStatusStyles(t *testing.T) {
	s := New(renderer(termenv.TrueColor), Dark)
	if s.StatusStyle(200).Render("x") == s.StatusStyle(401).Render("x") || s.StatusStyle(401).Render("x") == s.StatusStyle(503).Render("x") {
		t.Fatal("2xx, 4xx and 5xx should look different")
	}
}

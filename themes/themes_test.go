package themes

import (
	"github.com/charmbracelet/x/ansi"
	"io"
	"math"
	"reflect"
	"strconv"
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
	r.SetHasDarkBackground(true)
	for name, want := range map[string]string{"dark": "dark", "LIGHT": "light", "high-contrast": "high-contrast", "hc": "high-contrast", "high-contrast-light": "high-contrast-light"} {
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

// TestNoColorKeepsAttributes: NO_COLOR draws no colour, but focus,
// selection, the cursor and the request id keep an attribute (reverse,
// bold, underline), so they stay visible; plain text stays plain.
func TestNoColorKeepsAttributes(t *testing.T) {
	t.Setenv("NO_COLOR", "1")
	r := lipgloss.NewRenderer(io.Discard, termenv.WithTTY(true))
	if r.ColorProfile() != termenv.Ascii {
		t.Fatalf("NO_COLOR: profile %v, want Ascii", r.ColorProfile())
	}
	for _, p := range []Palette{Dark, Light, HighContrast, HighContrastLight} {
		s := New(r, p)
		if out := s.Text.Render("x"); out != "x" {
			t.Fatalf("%s: plain text should stay plain, got %q", p.Name, out)
		}
		for name, st := range map[string]lipgloss.Style{"Selected": s.Selected, "RequestID": s.RequestID, "StatusScreen": s.StatusScreen} {
			if out := st.Render("x"); !hasSGR(out, "7") {
				t.Errorf("%s: %s should be in reverse video without colour, got %q", p.Name, name, out)
			}
		}
		for name, st := range map[string]lipgloss.Style{"Cursor": s.Cursor, "Title": s.Title, "Error": s.Error, "Key": s.Key} {
			if out := st.Render("x"); !hasSGR(out, "1") {
				t.Errorf("%s: %s should be bold without colour, got %q", p.Name, name, out)
			}
		}
		all := s.Selected.Render("a") + s.RequestID.Render("b") + s.Error.Render("c") + s.Live.Render("d") + s.JSONKey.Render("e")
		if colourSGR(all) {
			t.Errorf("%s: NO_COLOR drew a colour: %q", p.Name, all)
		}
	}
}

// sgrParams lists the parameters of every SGR sequence in s.
func sgrParams(s string) []string {
	var out []string
	for {
		i := strings.Index(s, "\x1b[")
		if i < 0 {
			return out
		}
		s = s[i+2:]
		j := strings.IndexByte(s, 'm')
		if j < 0 {
			return out
		}
		out = append(out, strings.Split(s[:j], ";")...)
		s = s[j+1:]
	}
}

func hasSGR(s, param string) bool {
	for _, p := range sgrParams(s) {
		if p == param {
			return true
		}
	}
	return false
}

// colourSGR: any foreground or background colour parameter.
func colourSGR(s string) bool {
	for _, p := range sgrParams(s) {
		if n, err := strconv.Atoi(p); err == nil && (n >= 30 && n <= 49 || n >= 90 && n <= 107) {
			return true
		}
	}
	return false
}

// TestHighContrastReadsOnLightAndDark: body text is the terminal's own
// colour, and every accent reaches 7:1 (WCAG AAA) against the background
// its variant is for; high-contrast picks the variant from COLORFGBG.
func TestHighContrastReadsOnLightAndDark(t *testing.T) {
	for _, tc := range []struct {
		p  Palette
		bg string
	}{{HighContrast, "#000000"}, {HighContrastLight, "#FFFFFF"}} {
		if tc.p.Text != "" || tc.p.Muted != "" || tc.p.Faint != "" {
			t.Errorf("%s: text should use the terminal's own foreground", tc.p.Name)
		}
		v := reflect.ValueOf(tc.p)
		for i := 0; i < v.NumField(); i++ {
			name := v.Type().Field(i).Name
			if c, ok := v.Field(i).Interface().(lipgloss.Color); ok && c != "" && !strings.HasPrefix(name, "On") {
				if ratio := contrast(string(c), tc.bg); ratio < 7 {
					t.Errorf("%s: %s %s is %.1f:1 against %s, want 7:1", tc.p.Name, name, c, ratio, tc.bg)
				}
			}
		}
		for _, badge := range []lipgloss.Color{tc.p.Sandbox, tc.p.Live, tc.p.Test, tc.p.Highlight} {
			if ratio := contrast(string(tc.p.OnBadge), string(badge)); ratio < 7 {
				t.Errorf("%s: badge text on %s is %.1f:1", tc.p.Name, badge, ratio)
			}
		}
	}
	for fgbg, want := range map[string]string{"15;0": "high-contrast", "0;15": "high-contrast-light"} {
		p, _ := Pick("high-contrast", renderer(termenv.TrueColor), func(k string) string {
			if k == "COLORFGBG" {
				return fgbg
			}
			return ""
		})
		if p.Name != want {
			t.Errorf("COLORFGBG=%s: %s, want %s", fgbg, p.Name, want)
		}
	}
}

// contrast is the WCAG 2 contrast ratio of two #RRGGBB colours.
func contrast(a, b string) float64 {
	lum := func(h string) float64 {
		var rgb [3]float64
		for i := range rgb {
			n, _ := strconv.ParseUint(h[1+2*i:3+2*i], 16, 8)
			c := float64(n) / 255
			if c <= 0.03928 {
				rgb[i] = c / 12.92
			} else {
				rgb[i] = math.Pow((c+0.055)/1.055, 2.4)
			}
		}
		return 0.2126*rgb[0] + 0.7152*rgb[1] + 0.0722*rgb[2]
	}
	la, lb := lum(a), lum(b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

// TestPalettesDiffer: in true colour every semantic style differs
// between the themes somewhere, and each palette fills every colour.
func TestPalettesDiffer(t *testing.T) {
	r := renderer(termenv.TrueColor)
	palettes := []Palette{Dark, Light, HighContrast, HighContrastLight}
	for _, p := range palettes {
		v := reflect.ValueOf(p)
		for i := 0; i < v.NumField(); i++ {
			name := v.Type().Field(i).Name
			textual := name == "Text" || name == "Muted" || name == "Faint"
			if strings.HasPrefix(p.Name, "high-contrast") && textual {
				continue // the terminal's own foreground, on purpose
			}
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

// TestFocusHasAnAttributeInEveryTheme: in colour too, the selection,
// the request id and the cursor carry an attribute (bold, underline or
// reverse) besides their colour, so they read to colour-blind eyes and
// on a terminal whose palette washes the colour out.
func TestFocusHasAnAttributeInEveryTheme(t *testing.T) {
	r := renderer(termenv.TrueColor)
	for _, p := range []Palette{Dark, Light, HighContrast, HighContrastLight} {
		s := New(r, p)
		for name, st := range map[string]lipgloss.Style{"Selected": s.Selected, "RequestID": s.RequestID, "Cursor": s.Cursor, "StatusScreen": s.StatusScreen} {
			out := st.Render("x")
			if !hasSGR(out, "1") && !hasSGR(out, "4") && !hasSGR(out, "7") {
				t.Errorf("%s: %s has colour only: %q", p.Name, name, out)
			}
		}
		// A selected row is usually styled already (a muted description):
		// the selection must wrap it without turning its codes into text.
		row := s.Text.Render("Scaling") + "   " + s.Muted.Render("Bearer API key")
		if got := ansi.Strip(s.Selected.Render(row)); got != "Scaling   Bearer API key" {
			t.Errorf("%s: the selected row reads %q", p.Name, got)
		}
	}
}

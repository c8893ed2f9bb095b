// Package themes holds authscope's colour palettes and turns one of them
// into the Styles every screen draws with. A palette names colours by
// what they mean (Error, Sandbox, JSONKey), never by where they are used,
// so a new theme is one value and no screen changes.
package themes

import "github.com/charmbracelet/lipgloss"

// Palette is a semantic set of colours.
type Palette struct {
	Name string

	Text, Muted, Faint lipgloss.Color // body text, secondary text, borders and rules
	Accent, OnAccent   lipgloss.Color // titles and the selection; text drawn on Accent
	Success, Warning   lipgloss.Color
	Error, Info        lipgloss.Color

	// Environment badges: background colours, with OnBadge text.
	Sandbox, Live, Test, OnBadge lipgloss.Color

	Highlight, OnHighlight lipgloss.Color // the request id and other things to quote
	Secret                 lipgloss.Color // masked secrets

	JSONKey, JSONString, JSONNumber, JSONLiteral, JSONPunct lipgloss.Color

	// Timing phases, in order: DNS, connect, TLS, first byte, transfer.
	Phases [5]lipgloss.Color
}

// Dark suits a dark terminal background.
var Dark = Palette{
	Name: "dark",
	Text: "#E4E4E4", Muted: "#A8A8A8", Faint: "#5F5F5F",
	Accent: "#AF87FF", OnAccent: "#1C1C1C",
	Success: "#5FD787", Warning: "#FFD75F", Error: "#FF5F5F", Info: "#5FAFFF",
	Sandbox: "#5FAFFF", Live: "#FF5F5F", Test: "#FFD75F", OnBadge: "#1C1C1C",
	Highlight: "#FFD75F", OnHighlight: "#1C1C1C", Secret: "#D787AF",
	JSONKey: "#87AFFF", JSONString: "#87D787", JSONNumber: "#FFAF5F", JSONLiteral: "#D787FF", JSONPunct: "#8A8A8A",
	Phases: [5]lipgloss.Color{"#5FAFFF", "#5FD7AF", "#AF87FF", "#FFD75F", "#87D787"},
}

// Light suits a light terminal background.
var Light = Palette{
	Name: "light",
	Text: "#262626", Muted: "#585858", Faint: "#A8A8A8",
	Accent: "#5F00D7", OnAccent: "#FFFFFF",
	Success: "#008700", Warning: "#AF5F00", Error: "#D70000", Info: "#005FD7",
	Sandbox: "#005FD7", Live: "#D70000", Test: "#AF5F00", OnBadge: "#FFFFFF",
	Highlight: "#FFD700", OnHighlight: "#000000", Secret: "#AF005F",
	JSONKey: "#005FAF", JSONString: "#008700", JSONNumber: "#AF5F00", JSONLiteral: "#8700AF", JSONPunct: "#767676",
	Phases: [5]lipgloss.Color{"#005FD7", "#00875F", "#5F00D7", "#AF5F00", "#008700"},
}

// HighContrast uses only the strongest colours, for low vision and
// projectors. Body text is the terminal's own foreground (no colour at
// all), which is readable on any background; the accents come in a
// dark-background variant (this one: every colour at least 7:1 against
// black) and a light one (HighContrastLight: at least 7:1 against
// white), picked like the auto theme picks dark or light.
var HighContrast = Palette{
	Name: "high-contrast",
	Text: "", Muted: "", Faint: "",
	Accent: "#FFFF00", OnAccent: "#000000",
	Success: "#00FF00", Warning: "#FFFF00", Error: "#FF5F5F", Info: "#00FFFF",
	Sandbox: "#00FFFF", Live: "#FF5F5F", Test: "#FFFF00", OnBadge: "#000000",
	Highlight: "#FFFF00", OnHighlight: "#000000", Secret: "#FF87FF",
	JSONKey: "#00FFFF", JSONString: "#00FF00", JSONNumber: "#FFFF00", JSONLiteral: "#FF87FF", JSONPunct: "#FFFFFF",
	Phases: [5]lipgloss.Color{"#00FFFF", "#00FF00", "#FF87FF", "#FFFF00", "#FFFFFF"},
}

// HighContrastLight is HighContrast for a light background.
var HighContrastLight = Palette{
	Name: "high-contrast-light",
	Text: "", Muted: "", Faint: "",
	Accent: "#00008B", OnAccent: "#FFFFFF",
	Success: "#005F00", Warning: "#5F3700", Error: "#A00000", Info: "#00005F",
	Sandbox: "#00005F", Live: "#A00000", Test: "#5F3700", OnBadge: "#FFFFFF",
	Highlight: "#00008B", OnHighlight: "#FFFFFF", Secret: "#5F005F",
	JSONKey: "#00005F", JSONString: "#005F00", JSONNumber: "#5F3700", JSONLiteral: "#5F005F", JSONPunct: "#000000",
	Phases: [5]lipgloss.Color{"#00005F", "#005F00", "#5F005F", "#5F3700", "#000000"},
}

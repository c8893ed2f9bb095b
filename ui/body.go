package ui

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/lipgloss"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
	"github.com/authscope/authscope/themes"
)

// maxBodyLines caps what goes into a viewport: past it, scrolling a
// multi-megabyte body would still be instant, but building the lines
// would not. The copy menu and the bundle still have the whole body.
const maxBodyLines = 4000

// maxLineRunes cuts lines once, here: the viewport measures every visible
// line's full width on every frame, so one 10 MB line (a minified body)
// would cost tens of milliseconds a frame.
const maxLineRunes = 4096

// renderBody turns a response body into viewport content: pretty-printed
// when it is JSON, highlighted, sanitised, every known secret scrubbed.
// It runs once per response, inside the command that fetched it, never
// per frame.
func renderBody(st *themes.Styles, header http.Header, body []byte, secrets []string) (content, note string) {
	if len(body) == 0 {
		return st.Muted.Render("(empty body)"), ""
	}
	text, isJSON := requests.PrettyJSON(body)
	text = model.Scrub(model.Sanitize(text), secrets...)
	lines := strings.Split(text, "\n")
	if len(lines) > maxBodyLines {
		note = fmt.Sprintf("showing the first %d of %d lines", maxBodyLines, len(lines))
		lines = lines[:maxBodyLines]
	}
	cut := 0
	for i, l := range lines {
		if len(l) > maxLineRunes && utf8.RuneCountInString(l) > maxLineRunes {
			lines[i] = string([]rune(l)[:maxLineRunes]) + "…"
			cut++
		}
	}
	if cut > 0 {
		more := fmt.Sprintf("long lines cut at %d characters; the copy menu has the whole body", maxLineRunes)
		if note != "" {
			more = note + "; " + more
		}
		note = more
	}
	if isJSON {
		for i, l := range lines {
			lines[i] = highlightJSONLine(st, l)
		}
	}
	return strings.Join(lines, "\n"), note
}

// highlightJSONLine colours one line of indented JSON: keys, strings,
// numbers, literals and punctuation. It only needs to understand what
// json.Indent writes, one value or key per line.
func highlightJSONLine(st *themes.Styles, line string) string {
	var b strings.Builder
	i := 0
	for i < len(line) {
		c := line[i]
		switch {
		case c == ' ':
			j := i
			for j < len(line) && line[j] == ' ' {
				j++
			}
			b.WriteString(line[i:j])
			i = j
		case c == '"':
			j := stringEnd(line, i)
			tok := line[i:j]
			rest := strings.TrimLeft(line[j:], " ")
			if strings.HasPrefix(rest, ":") {
				b.WriteString(st.JSONKey.Render(tok))
			} else {
				b.WriteString(st.JSONString.Render(tok))
			}
			i = j
		case c == '-' || (c >= '0' && c <= '9'):
			j := i + 1
			for j < len(line) && strings.IndexByte("0123456789.eE+-", line[j]) >= 0 {
				j++
			}
			b.WriteString(st.JSONNumber.Render(line[i:j]))
			i = j
		case c == 't' || c == 'f' || c == 'n':
			j := i
			for j < len(line) && line[j] >= 'a' && line[j] <= 'z' {
				j++
			}
			b.WriteString(st.JSONLiteral.Render(line[i:j]))
			i = max(j, i+1)
		default:
			j := i
			for j < len(line) && strings.IndexByte("{}[],:", line[j]) >= 0 {
				j++
			}
			if j == i {
				j = i + 1
			}
			b.WriteString(st.JSONPunct.Render(line[i:j]))
			i = j
		}
	}
	return b.String()
}

// stringEnd returns the index after the JSON string starting at i.
func stringEnd(s string, i int) int {
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(s)
}

// phaseGlyphs tell the phases apart without colour (NO_COLOR).
var phaseGlyphs = [5]string{"░", "▒", "▓", "█", "▆"}

var phaseNames = [5]string{"DNS", "connect", "TLS", "first byte", "transfer"}

// timingView draws the phases as one waterfall bar and a legend.
func timingView(st *themes.Styles, phases []phaseSpan, total time.Duration, width int) string {
	barWidth := max(width-2, 10)
	var bar strings.Builder
	if total <= 0 {
		total = 1
	}
	for cell := 0; cell < barWidth; cell++ {
		at := time.Duration(int64(total) * int64(cell) / int64(barWidth))
		idx := -1
		for _, p := range phases {
			if at >= p.start && at < p.end || (p.end == p.start && at == p.start) {
				idx = p.index
			}
		}
		if idx < 0 {
			bar.WriteString(st.Faint.Render("·"))
			continue
		}
		bar.WriteString(st.Phases[idx].Render(phaseGlyphs[idx]))
	}
	var legend []string
	for _, p := range phases {
		legend = append(legend, st.Phases[p.index].Render(phaseGlyphs[p.index])+" "+phaseNames[p.index]+" "+formatDuration(p.end-p.start))
	}
	legend = append(legend, "total "+formatDuration(total))
	return bar.String() + "\n" + wrapJoin(legend, st.Muted.Render(" · "), width)
}

// phaseSpan is one phase as offsets from the start.
type phaseSpan struct {
	index      int
	start, end time.Duration
}

func phaseIndex(name string) int {
	for i, n := range phaseNames {
		if strings.EqualFold(n, name) {
			return i
		}
	}
	return -1
}

// wrapJoin joins items with sep, breaking lines so none passes width.
func wrapJoin(items []string, sep string, width int) string {
	var lines []string
	cur := ""
	for _, it := range items {
		next := it
		if cur != "" {
			next = cur + sep + it
		}
		if cur != "" && lipgloss.Width(next) > width {
			lines = append(lines, cur)
			next = it
		}
		cur = next
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return strings.Join(lines, "\n")
}

// formatDuration is short and readable: 812µs, 12.3ms, 1.20s.
func formatDuration(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%dµs", d.Microseconds())
	case d < time.Second:
		return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.2fs", d.Seconds())
}

// headerLines lists response headers, sorted, sanitised, secrets
// scrubbed, the request id highlighted.
func headerLines(st *themes.Styles, h http.Header, secrets []string, requestID string) []string {
	names := make([]string, 0, len(h))
	for n := range h {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []string
	for _, n := range names {
		for _, v := range h[n] {
			v = model.Scrub(model.Sanitize(v), secrets...)
			val := st.Text.Render(v)
			if requestID != "" && v == requestID {
				val = st.RequestID.Render(v)
			}
			out = append(out, st.JSONKey.Render(model.Sanitize(n)+":")+" "+val)
		}
	}
	return out
}

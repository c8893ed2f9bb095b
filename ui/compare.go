package ui

import (
	"fmt"
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
)

// compareScreen shows two of the session's requests side by side — the
// request line, status, timing and request id, the response headers and
// the body — with "≠" on every line that differs.
type compareScreen struct {
	common
	older, newer *requests.Entry
	scroll       scroller
}

func newCompare(c common, older, newer *requests.Entry) *compareScreen {
	s := &compareScreen{common: c, older: older, newer: newer, scroll: newScroller(c.styles)}
	s.scroll.wrap = false
	return s
}

func (s *compareScreen) Init() tea.Cmd   { return nil }
func (s *compareScreen) Name() string    { return "Compare" }
func (s *compareScreen) TakesText() bool { return false }
func (s *compareScreen) Hint() string {
	return fmt.Sprintf("#%d (left) and #%d (right) · ≠ marks what differs", s.older.Seq, s.newer.Seq)
}
func (s *compareScreen) ShortHelp() []key.Binding {
	return []key.Binding{s.scroll.keys.Down, s.scroll.keys.Up, s.scroll.keys.PageDown}
}
func (s *compareScreen) FullHelp() [][]key.Binding { return [][]key.Binding{s.scroll.help()} }

func (s *compareScreen) SetSize(w, h int) {
	s.common.SetSize(w, h)
	s.scroll.SetSize(w, max(h-1, 1))
	s.scroll.SetContent(s.content())
}

func (s *compareScreen) Update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyMsg); ok {
		return s.scroll.Update(k)
	}
	return nil
}

func (s *compareScreen) View() string {
	st := s.styles
	title := st.Title.Render("Compare") + st.Muted.Render(fmt.Sprintf(" · #%d %s · #%d %s", s.older.Seq, s.older.Label, s.newer.Seq, s.newer.Label))
	return cut(title, s.width) + "\n" + s.scroll.View()
}

// side is one entry's column, as labelled rows so the two line up.
type side struct {
	rows map[string]string
	body []string
}

func (s *compareScreen) sideOf(e *requests.Entry) side {
	scrub := model.ScrubFunc(e.Secrets...)
	clean := func(v string) string { return scrub(model.Sanitize(v)) }
	out := side{rows: map[string]string{}}
	out.rows["request"] = clean(e.Request.Method + " " + e.Path())
	out.rows["status"] = "no answer: " + clean(e.Err)
	if e.Result != nil {
		out.rows["status"] = clean(e.Result.StatusText)
		for name, vs := range e.Result.Header {
			out.rows["< "+name] = clean(strings.Join(vs, ", "))
		}
		text, _ := requests.PrettyJSON(e.Result.Body)
		out.body = strings.Split(clean(text), "\n")
		if e.BodyDropped {
			out.body = []string{"(body dropped to keep the history within its memory bound)"}
		}
	}
	out.rows["time"] = roundDuration(e.Duration)
	out.rows["request id"] = clean(e.RequestID())
	for _, h := range e.Request.Headers {
		out.rows["> "+h.Name] = clean(h.Value.Masked())
	}
	return out
}

func (s *compareScreen) content() string {
	st := s.styles
	a, b := s.sideOf(s.older), s.sideOf(s.newer)
	col := max((s.width-4)/2, 8)
	pad := func(v string) string {
		v = cut(v, col)
		return v + strings.Repeat(" ", max(col-ansi.StringWidth(v), 0))
	}
	var lines []string
	pair := func(l, r string) {
		mark := "  "
		if l != r {
			mark = st.Warning.Render("≠ ")
		}
		lines = append(lines, mark+pad(l)+"  "+r)
	}
	section := func(name string) { lines = append(lines, "", st.Subtitle.Render(name)) }
	lines = append(lines, "  "+st.Muted.Render(pad(fmt.Sprintf("#%d", s.older.Seq))+"  "+fmt.Sprintf("#%d", s.newer.Seq)))
	for _, k := range []string{"request", "status", "time", "request id"} {
		pair(k+": "+a.rows[k], k+": "+b.rows[k])
	}
	names := func(prefix string) []string {
		seen := map[string]bool{}
		var out []string
		for _, m := range []map[string]string{a.rows, b.rows} {
			for k := range m {
				if strings.HasPrefix(k, prefix) && !seen[strings.ToLower(k)] {
					seen[strings.ToLower(k)] = true
					out = append(out, k)
				}
			}
		}
		sort.Strings(out)
		return out
	}
	section("Request headers (secrets masked)")
	for _, k := range names("> ") {
		pair(cell(k, a.rows), cell(k, b.rows))
	}
	section("Response headers")
	for _, k := range names("< ") {
		pair(cell(k, a.rows), cell(k, b.rows))
	}
	section("Body")
	for i := 0; i < max(len(a.body), len(b.body)); i++ {
		pair(at(a.body, i), at(b.body, i))
	}
	return strings.Join(lines, "\n")
}

func cell(k string, rows map[string]string) string {
	v, ok := rows[k]
	if !ok {
		return "—"
	}
	return strings.TrimPrefix(strings.TrimPrefix(k, "> "), "< ") + ": " + v
}

func at(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return ""
}

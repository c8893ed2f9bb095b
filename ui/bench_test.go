package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/authscope/authscope/themes"
)

// bigBody is a JSON list of about 5 MiB: a response that would freeze a
// viewer that re-renders its body on every frame.
func bigBody() string {
	var b strings.Builder
	b.WriteString("[")
	for i := 0; b.Len() < 5<<20; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"name":"project-%d","type":"imageannotation","param_history":[{"instruction":"Draw a box around each car.","version":%d}],"is_test":false,"created_at":"2025-03-04T10:15:22.418Z"}`, i, i)
	}
	b.WriteString("]")
	return b.String()
}

// bigResultApp is the explorer on the answer to J1's request, with
// bigBody as the body, at 80×24.
func bigResultApp() *App {
	t := &testing.T{}
	f := fixture{"big-result", func(t *testing.T, a *App) {
		update(t, a, keyMsg("3"), keyMsg("enter"), keyMsg("ctrl+d"), keyMsg("enter"), keyMsg("enter"))
		respond(t, a, 200, bigBody())
	}}
	return fixtureApp(t, f, themes.Dark, nil, 80, 24)
}

// BenchmarkView measures one frame of the heaviest screen: the request
// result with a 5 MiB JSON body, timing bar and status, scrolled into
// the middle, at 80×24 (bench/tui.sh runs it; target ≤ 2 ms a frame).
func BenchmarkView(b *testing.B) {
	a := bigResultApp()
	for range 500 {
		a.Update(tea.KeyMsg{Type: tea.KeyPgDown})
	}
	if !strings.Contains(a.View(), "project-") {
		b.Fatal("the body is not on screen")
	}
	b.ResetTimer()
	for b.Loop() {
		_ = a.View()
	}
}

// BenchmarkRenderBody is the once-per-response cost of the same body:
// indent, sanitise, highlight (capped at maxBodyLines).
func BenchmarkRenderBody(b *testing.B) {
	body := []byte(bigBody())
	st := themes.New(lipgloss.DefaultRenderer(), themes.Dark)
	for b.Loop() {
		renderBody(st, nil, body, nil)
	}
}

// BenchmarkLayoutBigBody is the once-per-change cost (an answer arriving,
// a resize, z) of laying the same body out in the scroller: wrapping
// every line to the width, measuring the widest.
func BenchmarkLayoutBigBody(b *testing.B) {
	r := bigResultApp().top().(*request)
	b.ResetTimer()
	for b.Loop() {
		r.layoutBody()
	}
}

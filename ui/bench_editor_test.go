package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/themes"
)

// BenchmarkEditorKeystroke is one key typed into the editor holding a
// 240 KB JSON body, and the frame drawn after it: the live check and
// the redraw run on every key.
func BenchmarkEditorKeystroke(b *testing.B) {
	for _, kb := range []int{16, 40, 240} {
		b.Run(fmt.Sprintf("%dKB", kb), func(b *testing.B) { benchEditorKeystroke(b, kb) })
	}
}

func benchEditorKeystroke(b *testing.B, kb int) {
	body := bigBody()[:kb<<10]
	body = body[:strings.LastIndex(body, "},")+1] + "]"
	req := baseRequest().WithHeader("Content-Type", model.Plain("application/json"))
	req.Method, req.Body = "POST", model.Plain(body)
	c, _ := testCommon(b, themes.Dark, nil)
	c.out = &outbox{}
	c.SetSize(100, 30)
	e := newEditor(c, editedRequest{original: req, req: req, from: "a benchmark"})
	e.SetSize(100, 30)
	if e.problem != "" || !strings.Contains(e.View(), "ready") {
		b.Fatalf("the editor is not ready: %q", e.problem)
	}
	keys := []tea.KeyMsg{{Type: tea.KeyRunes, Runes: []rune{' '}}, {Type: tea.KeyBackspace}}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		e.Update(keys[i%2])
		_ = e.View()
	}
}

package authschemes

import (
	"strings"
	"testing"
)

func TestBearerSteps(t *testing.T) {
	key := "scl_live_0123456789abcdef0123456789abcdef"
	steps, h, err := BearerSteps(key)
	if err != nil {
		t.Fatal(err)
	}
	if got := h.Name + ": " + h.Value.Reveal(); got != "Authorization: Bearer "+key {
		t.Fatalf("header %q", got)
	}
	last := steps[len(steps)-1]
	if last.Output.Reveal() != "Authorization: Bearer "+key || strings.Contains(last.Output.Masked(), key[9:]) {
		t.Fatalf("last step %q / masked %q", last.Output.Reveal(), last.Output.Masked())
	}
	if !strings.Contains(steps[0].Explain, "valid b64token") {
		t.Fatalf("explanation should confirm the syntax: %q", steps[0].Explain)
	}
}

func TestBearerSyntax(t *testing.T) {
	cases := map[string]string{
		"abc-._~+/XYZ09==": "",
		"eyJ.eyJ.sig":      "",
		"abc def":          "a space at position 4",
		"abc=def":          "'=' at position 4",
		"===":              "only '=' padding",
		"ab\u00a0c":        "non-breaking space",
		"abcé":             "non-ASCII character (U+00E9) at position 4",
		"a\u200bb":         "zero-width",
		"":                 "empty",
		"scl_live_x!y":     `'!' at position 11`,
	}
	for token, want := range cases {
		got := B64TokenProblem(token)
		if want == "" && got != "" || want != "" && !strings.Contains(got, want) {
			t.Errorf("B64TokenProblem(%q) = %q, want %q", token, got, want)
		}
	}
	// Off-syntax tokens still build (support must reproduce bad keys), but
	// control characters would break the header and are refused.
	if _, _, err := BearerSteps("abc def"); err != nil {
		t.Errorf("a token with a space should still build: %v", err)
	}
	for _, bad := range []string{"abc\ndef", "abc\rdef", "a\x00", ""} {
		if _, _, err := BearerSteps(bad); err == nil {
			t.Errorf("BearerSteps(%q) built a header", bad)
		}
	}
}

package ui

import (
	"bytes"
	"encoding/base64"
	"errors"
	"os/exec"
	"strings"
	"testing"
)

// clipFor builds the real clipboard with a fake environment, a fake
// PATH and a recording tool.
func clipFor(env map[string]string, tools []string, termOK bool) (*terminalClipboard, *bytes.Buffer, *[]string) {
	var term bytes.Buffer
	var wrote []string
	c := newTerminalClipboard(func(k string) string { return env[k] }, &term, termOK)
	c.lookPath = func(name string) (string, error) {
		for _, t := range tools {
			if t == name {
				return "/usr/bin/" + name, nil
			}
		}
		return "", exec.ErrNotFound
	}
	c.write = func(s string) error { wrote = append(wrote, s); return nil }
	return c, &term, &wrote
}

func TestClipboardChoosesThePath(t *testing.T) {
	x11 := map[string]string{"DISPLAY": ":0"}
	cases := []struct {
		name   string
		env    map[string]string
		tools  []string
		termOK bool
		want   clipPath
		via    string
	}{
		{"local desktop with xclip", x11, []string{"xclip"}, true, pathSystem, "xclip"},
		{"local desktop with xsel", x11, []string{"xsel"}, true, pathSystem, "xsel"},
		{"wayland", map[string]string{"WAYLAND_DISPLAY": "wayland-0"}, []string{"wl-copy", "wl-paste"}, true, pathSystem, "wl-copy"},
		{"xclip but no display", nil, []string{"xclip"}, true, pathOSC52, "OSC 52"},
		{"over ssh", map[string]string{"DISPLAY": ":0", "SSH_TTY": "/dev/pts/1"}, []string{"xclip"}, true, pathOSC52, "OSC 52"},
		{"tmux over ssh", map[string]string{"DISPLAY": "localhost:10.0", "SSH_CONNECTION": "1 2 3 4", "TMUX": "x"}, []string{"xclip"}, true, pathOSC52, "OSC 52 through tmux"},
		{"inside tmux on a local desktop", map[string]string{"DISPLAY": ":0", "TMUX": "/tmp/tmux-1/default,1,0"}, []string{"xclip"}, true, pathSystem, "xclip"},
		{"inside tmux on wayland", map[string]string{"WAYLAND_DISPLAY": "wayland-0", "TMUX": "x"}, []string{"wl-copy", "wl-paste"}, true, pathSystem, "wl-copy"},
		{"inside tmux without a display", map[string]string{"TMUX": "x"}, []string{"xclip"}, true, pathOSC52, "OSC 52 through tmux"},
		{"inside screen", map[string]string{"STY": "1.pts"}, nil, true, pathOSC52, "OSC 52 through screen"},
		{"tmux forced to the system tool", map[string]string{"DISPLAY": ":0", "TMUX": "x", ClipboardEnv: "system"}, []string{"xclip"}, true, pathSystem, "xclip"},
		{"forced osc52", map[string]string{"DISPLAY": ":0", ClipboardEnv: "osc52"}, []string{"xclip"}, true, pathOSC52, "OSC 52"},
		{"forced none", map[string]string{"DISPLAY": ":0", ClipboardEnv: "none"}, []string{"xclip"}, true, pathNone, ""},
		{"nothing works", nil, nil, false, pathNone, ""},
		{"no terminal but a tool", x11, []string{"xclip"}, false, pathSystem, "xclip"},
		{"ssh without a terminal falls back to the tool", map[string]string{"DISPLAY": ":0", "SSH_CONNECTION": "1 2 3 4"}, []string{"xclip"}, false, pathSystem, "xclip"},
	}
	for _, tc := range cases {
		c, _, _ := clipFor(tc.env, tc.tools, tc.termOK)
		got, via := c.choose()
		if got != tc.want || via != tc.via {
			t.Errorf("%s: path %v via %q, want %v via %q", tc.name, got, via, tc.want, tc.via)
		}
	}
}

func TestClipboardOSC52CarriesTheText(t *testing.T) {
	text := "Authorization: Basic bGl2ZV9TY2FsZVJvY2tzOg=="
	enc := base64.StdEncoding.EncodeToString([]byte(text))

	c, term, wrote := clipFor(nil, nil, true)
	r, err := c.Copy(text)
	if err != nil || r.Via != "OSC 52" || !r.Unconfirmed || len(*wrote) != 0 {
		t.Fatalf("report %+v err %v tool writes %d", r, err, len(*wrote))
	}
	if got := term.String(); got != "\x1b]52;c;"+enc+"\x07" {
		t.Fatalf("terminal got %q", got)
	}

	c, term, _ = clipFor(map[string]string{"TMUX": "x"}, nil, true)
	r, err = c.Copy(text)
	if err != nil || !r.Unconfirmed || !strings.Contains(r.Advice, "set -g set-clipboard on") {
		t.Fatalf("an OSC 52 copy in tmux should say how to let it through: %+v %v", r, err)
	}
	out := term.String()
	if !strings.HasPrefix(out, "\x1b]52;c;"+enc+"\x07") || !strings.Contains(out, "\x1bPtmux;\x1b\x1b]52;c;"+enc) {
		t.Fatalf("inside tmux both the plain and the passthrough sequence should go out: %q", out)
	}
	toast := copiedMsg{What: "header", Preview: "Authorization: Basic ••••", Report: r}.toastText()
	for _, want := range []string{"Sent header to the terminal", "cannot be confirmed", "set -g set-clipboard on"} {
		if !strings.Contains(toast, want) {
			t.Errorf("toast %q lacks %q", toast, want)
		}
	}
	if strings.Contains(toast, "Copied") {
		t.Errorf("an OSC 52 copy must not claim it was copied: %q", toast)
	}
}

// TestClipboardLocalTmuxUsesTheTool: tmux on a local desktop copies with
// the tool (the copy that can be confirmed) and also sends OSC 52.
func TestClipboardLocalTmuxUsesTheTool(t *testing.T) {
	c, term, wrote := clipFor(map[string]string{"DISPLAY": ":0", "TMUX": "x"}, []string{"xclip"}, true)
	r, err := c.Copy("abc")
	if err != nil || r.Via != "xclip" || r.Unconfirmed || len(*wrote) != 1 || (*wrote)[0] != "abc" {
		t.Fatalf("report %+v err %v wrote %q", r, err, *wrote)
	}
	if !strings.Contains(term.String(), "\x1b]52;c;") {
		t.Fatalf("inside tmux OSC 52 should go out as well: %q", term.String())
	}
	if toast := (copiedMsg{What: "header", Preview: "x", Report: r}).toastText(); !strings.HasPrefix(toast, "Copied header via xclip") {
		t.Fatalf("toast %q", toast)
	}
}

func TestClipboardSystemToolAndFallback(t *testing.T) {
	c, term, wrote := clipFor(map[string]string{"DISPLAY": ":0"}, []string{"xclip"}, true)
	if r, err := c.Copy("abc"); err != nil || r.Via != "xclip" || len(*wrote) != 1 || (*wrote)[0] != "abc" || term.Len() != 0 {
		t.Fatalf("report %+v err %v wrote %q term %q", r, err, *wrote, term.String())
	}
	c.write = func(string) error { return errors.New("xclip: cannot open display") }
	r, err := c.Copy("abc")
	if err != nil || !strings.Contains(r.Via, "OSC 52") || !strings.Contains(r.Via, "xclip failed") || !r.Unconfirmed || term.Len() == 0 {
		t.Fatalf("a failing tool should fall back to OSC 52 and say so: %+v err %v", r, err)
	}
	c, _, _ = clipFor(nil, nil, false)
	if _, err := c.Copy("abc"); !errors.Is(err, errNoClipboard) {
		t.Fatalf("with nothing available Copy should say so, got %v", err)
	}
}

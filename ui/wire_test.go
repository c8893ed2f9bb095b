package ui

import (
	"net"
	"net/http"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
	"github.com/authscope/authscope/sandbox"
	"github.com/authscope/authscope/themes"
)

// TestWireViewShowsTheRequestAsSent: w shows the request as it went out
// (method, URL, headers with the credential masked, body) and every
// redirect followed, above the response; w again goes back.
func TestWireViewShowsTheRequestAsSent(t *testing.T) {
	a, _ := newTestApp(t, Options{}, nil)
	update(t, a, keyMsg("3"), keyMsg("enter"), keyMsg("ctrl+d"), keyMsg("enter"), keyMsg("enter"))
	r := a.top().(*request)
	r.state, r.seq = reqSending, r.seq+1
	res := fixedResult(200, `[]`)
	res.Request = model.HTTPRequest{Method: "GET", URL: "http://127.0.0.1:8787/scale/v1/projects", Headers: []model.Header{
		{Name: "Authorization", Value: model.Concat(model.Plain("Basic "), model.SecretText(scaleDocsBasic))},
		{Name: "User-Agent", Value: model.Plain("authscope/test")},
	}}
	res.Redirects = []requests.Redirect{{Status: 302, From: "http://127.0.0.1:8787/scale/v1/old", To: "http://elsewhere.test/v1/projects", AuthorizationDropped: true}}
	msg := responseMsg{seq: r.seq, target: r.target, sample: r.sample(), result: res, secrets: r.built.secrets}
	msg.body, msg.bodyNote = renderBody(r.styles, res.Header, res.Body, msg.secrets)
	update(t, a, msg, tea.WindowSizeMsg{Width: 160, Height: 40})
	before := ansi.Strip(a.View())
	if strings.Contains(before, "Request as sent") || !strings.Contains(before, "w: request as sent") {
		t.Fatalf("the answer should show the response and offer w:\n%s", before)
	}
	update(t, a, keyMsg("w"))
	view := ansi.Strip(a.View())
	for _, want := range []string{"Request as sent", "GET http://127.0.0.1:8787/scale/v1/projects", "Authorization: Basic ••••", "User-Agent: authscope/test",
		"Redirects followed (1)", "302 http://127.0.0.1:8787/scale/v1/old → http://elsewhere.test/v1/projects", "Authorization not sent on",
		"Response HTTP/1.1 200 OK", "X-Request-Id: 3f2b8c1e-0d4a-4b6f-9e7a-5c1d2e3f4a5b"} {
		if !strings.Contains(view, want) {
			t.Errorf("the wire view lacks %q", want)
		}
	}
	if strings.Contains(view, scaleDocsBasic) || strings.Contains(view, scaleDocsKey) {
		t.Fatal("the wire view shows the credential")
	}
	update(t, a, keyMsg("w"))
	if strings.Contains(ansi.Strip(a.View()), "Request as sent") {
		t.Fatal("w again should go back to the response")
	}
}

// TestScrollerNeverCutsSilently: wrapped, every character is on screen;
// unwrapped, ellipses mark text on either side and ←/→ reach it; the
// position line says where the view is.
func TestScrollerNeverCutsSilently(t *testing.T) {
	c, _ := testCommon(t, themes.Dark, nil)
	long := "  " + strings.Repeat("abcdefghij", 15) // 152 cells, no spaces
	var content []string
	for i := 0; i < 30; i++ {
		content = append(content, long)
	}
	s := newScroller(c.styles)
	s.SetSize(40, 10)
	s.SetContent(strings.Join(content, "\n"))
	view := ansi.Strip(s.View())
	lines := strings.Split(view, "\n")
	if len(lines) != 10 {
		t.Fatalf("%d lines, want 10", len(lines))
	}
	for _, l := range lines {
		if ansi.StringWidth(l) > 40 {
			t.Fatalf("a wrapped line is %d wide", ansi.StringWidth(l))
		}
	}
	if got := strings.ReplaceAll(strings.Join(lines[:4], ""), " ", ""); got != strings.TrimSpace(long) {
		t.Fatalf("wrapping lost text: %q", got)
	}
	if pos := lines[9]; !strings.Contains(pos, "1–9/") || !strings.Contains(pos, "more below") {
		t.Fatalf("position line %q", pos)
	}
	s.Update(keyMsg("z"))
	lines = strings.Split(ansi.Strip(s.View()), "\n")
	if !strings.HasSuffix(lines[0], "…") || !strings.Contains(lines[9], "1–9/30") || !strings.Contains(lines[9], "→ more") {
		t.Fatalf("unwrapped: %q … %q", lines[0], lines[9])
	}
	s.Update(tea.KeyMsg{Type: tea.KeyRight})
	lines = strings.Split(ansi.Strip(s.View()), "\n")
	if !strings.HasPrefix(lines[0], "…") || !strings.Contains(lines[9], "col 21") {
		t.Fatalf("after →: %q … %q", lines[0], lines[9])
	}
	s.Update(tea.KeyMsg{Type: tea.KeyLeft})
	s.Update(tea.KeyMsg{Type: tea.KeyPgDown})
	lines = strings.Split(ansi.Strip(s.View()), "\n")
	if strings.HasPrefix(lines[0], "…") || !strings.Contains(lines[9], "10–18/30") {
		t.Fatalf("after ← and page down: %q … %q", lines[0], lines[9])
	}
}

// TestRequestIDWrapsWhole: at 40 columns the request id is on screen
// whole, on the answer and in the inspector, and the status too.
func TestRequestIDWrapsWhole(t *testing.T) {
	const id = "3f2b8c1e-0d4a-4b6f-9e7a-5c1d2e3f4a5b"
	for _, name := range []string{"request-result", "inspector"} {
		for _, f := range fixtures {
			if f.name != name {
				continue
			}
			a := fixtureApp(t, f, themes.Dark, nil, 80, 24)
			update(t, a, tea.WindowSizeMsg{Width: 40, Height: 12})
			view := ansi.Strip(a.View())
			if !strings.Contains(view, id) {
				t.Errorf("%s at 40x12: the request id is not whole:\n%s", name, view)
			}
			if status := map[string]string{"request-result": "200 OK", "inspector": "401 Unauthorized"}[name]; !strings.Contains(view, status) {
				t.Errorf("%s at 40x12: the status %q is not on screen:\n%s", name, status, view)
			}
		}
	}
}

// TestAdviceNamesTheKey: advice written with a CLI flag shows the key
// that does it in the explorer.
func TestAdviceNamesTheKey(t *testing.T) {
	a, _ := newTestApp(t, Options{}, nil)
	d := fixedDecoded
	d.LikelyCause = "the client secret is wrong, or the server wants HTTP Basic client auth: check the secret or try --client-auth basic"
	d.Advice = "Try --client-auth basic."
	update(t, a, inspectMsg{decoded: d}, tea.WindowSizeMsg{Width: 100, Height: 40})
	view := ansi.Strip(a.View())
	if strings.Contains(view, "--client-auth") || !strings.Contains(view, "press a to try HTTP Basic client auth") {
		t.Fatalf("the inspector should name the key a, not the flag:\n%s", view)
	}
}

// TestNoColorStillMarksFocus: with no colour (the Ascii profile the
// tests pin, as NO_COLOR gives), the selection, the focused field, the
// cursor and the request id are drawn in reverse video.
func TestNoColorStillMarksFocus(t *testing.T) {
	if lipgloss.ColorProfile() != termenv.Ascii {
		t.Fatal("the tests pin the Ascii profile")
	}
	reverse := func(view, text string) bool {
		for _, l := range strings.Split(view, "\n") {
			if strings.Contains(ansi.Strip(l), text) && (strings.Contains(l, "\x1b[7m") || strings.Contains(l, ";7m") || strings.Contains(l, "[7;")) {
				return true
			}
		}
		return false
	}
	for _, tc := range []struct{ fixture, text string }{
		{"picker", "1 Scaling"},
		{"credentials", "API key"},
		{"request-list", "List projects"},
		{"copy-menu", "curl command"},
		{"inspector", "3f2b8c1e-0d4a-4b6f-9e7a-5c1d2e3f4a5b"},
	} {
		for _, f := range fixtures {
			if f.name == tc.fixture {
				for _, p := range palettes {
					view := fixtureApp(t, f, p, nil, 80, 24).View()
					if !reverse(view, tc.text) {
						t.Errorf("%s (%s): %q is not in reverse video without colour", tc.fixture, p.Name, tc.text)
					}
					if strings.Contains(view, "\x1b[38;") || strings.Contains(view, "\x1b[48;") {
						t.Errorf("%s (%s): colour drawn without colour", tc.fixture, p.Name)
					}
				}
			}
		}
	}
	// The text cursor: reverse video on the cell after the typed text.
	for _, f := range fixtures {
		if f.name == "credentials-warning" {
			view := fixtureApp(t, f, themes.Dark, nil, 80, 24).View()
			if !strings.Contains(view, "\x1b[1;7m") && !strings.Contains(view, "\x1b[7;1m") && !strings.Contains(view, "\x1b[7m") {
				t.Error("the text cursor is invisible without colour")
			}
		}
	}
}

// TestSandboxTakesTheStablePort: the explorer's sandbox listens where
// `authscope sandbox` does when that port is free, else on any free
// port, and works either way.
func TestSandboxTakesTheStablePort(t *testing.T) {
	first := newSandboxHost()
	t.Cleanup(first.Close)
	url1, err := first.URL()
	if err != nil {
		t.Fatal(err)
	}
	if url1 != "http://"+sandbox.StableAddr {
		// Someone else holds the port: it must really be taken.
		l, err := net.Listen("tcp", sandbox.StableAddr)
		if err == nil {
			l.Close()
			t.Fatalf("the sandbox took %s although %s was free", url1, sandbox.StableAddr)
		}
	}
	second := newSandboxHost()
	t.Cleanup(second.Close)
	url2, err := second.URL()
	if err != nil || url2 == url1 {
		t.Fatalf("with the stable port taken a second sandbox should take another: %q %v", url2, err)
	}
	for _, u := range []string{url1, url2} {
		resp, err := http.Get(u + "/scale/v1/projects")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("%s answered %d without a key, want 401", u, resp.StatusCode)
		}
	}
}

// TestExplorerAdviceTable: every flag the diagnosis names today comes
// out as a key or a place in the explorer.
func TestExplorerAdviceTable(t *testing.T) {
	for in, want := range map[string]string{
		"check the secret or try --client-auth basic":                   "check the secret or press a to try HTTP Basic client auth",
		"check both, or try --client-auth post":                         "check both, or press a to try client_secret_post",
		"switch … HTTP Basic client auth (--client-auth basic).":        "switch … HTTP Basic client auth (press a on the steps).",
		"or pass --provider to say which API answered.":                 "or pick the provider first (esc to the picker), then press d, so decode knows which API answered.",
		"the wrong-key sample needs the sandbox (--env sandbox): it is": "the wrong-key sample needs the sandbox (pick Sandbox in the picker): it is",
	} {
		if got := explorerAdvice(in); got != want {
			t.Errorf("explorerAdvice(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestWireViewOnTheRealSandbox: an OAuth2 sample against the real
// sandbox sends the token the steps screen fetched (no second token
// request) with its bearer token masked; a what-if that needs a token of
// its own (expired-token) shows, on w, the token request that went first
// (client secret masked).
func TestWireViewOnTheRealSandbox(t *testing.T) {
	app, _ := newTestApp(t, Options{}, nil)
	d := drive(t, app, 120, 60)
	d.keys("2", "enter", "ctrl+d", "enter")
	d.waitFor("Steps", "expires in")
	d.keys("f")
	d.waitFor("GET /api/v1/organizations", "200 OK", "w: request as sent")
	d.keys("w")
	d.waitFor("Token: the one the steps screen shows, reused (no token request)", "Request as sent",
		"Authorization: Bearer ••", "Response HTTP/1.1 200 OK")
	d.keys("s")
	d.waitFor("Requests")
	for range indexOfSample(t, "scalekit", "expired-token") {
		d.keys("down")
	}
	d.keys("enter")
	d.waitFor("Inspector")
	d.keys("esc") // the wire view is still on
	d.waitFor("Token request as sent (first)", "POST http://127.0.0.1:", "/scalekit/oauth/token", "client_secret=••",
		"HTTP/1.1 200 OK (a new token, fetched for this request)", "Request as sent", "Authorization: Bearer ••")
	noSecretsDrawn(t, d, scalekitSecret)
}

package ui

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
	"github.com/authscope/authscope/themes"
)

// fixture brings a fresh explorer to one screen, synchronously and with
// fixed data where the live answer would vary (request ids, timings), so
// its View can be a golden.
type fixture struct {
	name  string
	build func(t *testing.T, a *App)
}

func fixedResult(status int, body string) *requests.Result {
	ms := time.Millisecond
	return &requests.Result{
		Proto: "HTTP/1.1", Status: status, StatusText: fmt.Sprintf("%d %s", status, http.StatusText(status)),
		Header: http.Header{"Content-Type": {"application/json"}, "X-Request-Id": {"3f2b8c1e-0d4a-4b6f-9e7a-5c1d2e3f4a5b"}},
		Body:   []byte(body),
		Timing: requests.Timing{Connect: ms, FirstByte: 3 * ms, Transfer: ms, Total: 5 * ms, Phases: []requests.Phase{
			{Name: "connect", Start: 0, End: ms}, {Name: "first byte", Start: ms, End: 4 * ms}, {Name: "transfer", Start: 4 * ms, End: 5 * ms}}},
	}
}

var fixedDecoded = model.DecodedError{
	Shape: model.ShapeScaling, ShapeTitle: "Scaling error", Provider: "scaling", Recognised: true,
	Status: 401, StatusText: "Unauthorized", Code: "invalid_api_key",
	Fields: []model.FieldMeaning{
		{Path: "statusCode", Value: "401", Meaning: "The HTTP status, repeated in the body."},
		{Path: "code", Value: "invalid_api_key", Meaning: "The key was read but Scaling does not know it."},
		{Path: "requestId", Value: "3f2b8c1e-0d4a-4b6f-9e7a-5c1d2e3f4a5b", Meaning: "Quote this to Scaling support."},
	},
	Meaning:   "The Authorization header was present and well formed, but the key is not valid.",
	Advice:    "Copy the key again from the dashboard; check it was not revoked.",
	RequestID: "3f2b8c1e-0d4a-4b6f-9e7a-5c1d2e3f4a5b", RequestIDSource: "body field requestId",
	LikelyCause: "The key is wrong or revoked: Scaling read it and does not know it.",
}

func respond(t *testing.T, a *App, status int, body string) {
	t.Helper()
	r, ok := a.top().(*request)
	if !ok {
		t.Fatalf("top is %T, want request", a.top())
	}
	r.state, r.seq = reqSending, r.seq+1
	res := fixedResult(status, body)
	msg := responseMsg{seq: r.seq, target: r.target, sample: r.sample(), result: res, secrets: r.built.secrets}
	msg.body, msg.bodyNote = renderBody(r.styles, res.Header, res.Body, msg.secrets)
	if status >= 400 {
		d := fixedDecoded
		msg.decoded = &d
	}
	update(t, a, msg)
}

var fixtures = []fixture{
	{"picker", func(t *testing.T, a *App) {}},
	{"picker-envs", func(t *testing.T, a *App) { update(t, a, keyMsg("2")) }},
	{"credentials", func(t *testing.T, a *App) { update(t, a, keyMsg("3"), keyMsg("enter"), keyMsg("ctrl+d")) }},
	{"credentials-warning", func(t *testing.T, a *App) {
		update(t, a, keyMsg("1"), keyMsg("enter"), keyMsg("scl_live_0123 "))
	}},
	{"steps", func(t *testing.T, a *App) {
		update(t, a, keyMsg("3"), keyMsg("enter"), keyMsg("ctrl+d"), keyMsg("enter"))
	}},
	{"steps-walk", func(t *testing.T, a *App) {
		update(t, a, keyMsg("3"), keyMsg("enter"), keyMsg("ctrl+d"), keyMsg("enter"), keyMsg("w"), keyMsg("n"))
	}},
	{"request-list", func(t *testing.T, a *App) {
		update(t, a, keyMsg("3"), keyMsg("enter"), keyMsg("ctrl+d"), keyMsg("enter"), keyMsg("enter"))
	}},
	{"request-result", func(t *testing.T, a *App) {
		update(t, a, keyMsg("3"), keyMsg("enter"), keyMsg("ctrl+d"), keyMsg("enter"), keyMsg("enter"))
		respond(t, a, 200, `[{"name":"street-signs-live","type":"imageannotation","param_history":[{"version":0}],"is_test":false,"quota":null}]`)
	}},
	{"inspector", func(t *testing.T, a *App) {
		update(t, a, keyMsg("1"), keyMsg("enter"), keyMsg("ctrl+d"), keyMsg("enter"), keyMsg("enter"))
		respond(t, a, 401, `{"statusCode":401,"type":"not_authorized_error","code":"invalid_api_key","requestId":"3f2b8c1e-0d4a-4b6f-9e7a-5c1d2e3f4a5b"}`)
	}},
	{"decode", func(t *testing.T, a *App) {
		update(t, a, keyMsg("d"), keyMsg(`{"statusCode":401,"code":"invalid_api_key"}`))
	}},
	{"copy-menu", func(t *testing.T, a *App) {
		update(t, a, keyMsg("3"), keyMsg("enter"), keyMsg("ctrl+d"), keyMsg("enter"))
		a.sess.target.BaseURL = "http://127.0.0.1:8787/scale" // as if the sandbox had started there
		update(t, a, keyMsg("c"), keyMsg("down"))
	}},
	{"copy-menu-after-decode", func(t *testing.T, a *App) {
		update(t, a, keyMsg("d"), inspectMsg{decoded: fixedDecoded}, keyMsg("c"), keyMsg("2"))
	}},
	{"full-help", func(t *testing.T, a *App) {
		update(t, a, keyMsg("3"), keyMsg("enter"), keyMsg("ctrl+d"), keyMsg("enter"), keyMsg("?"))
	}},
}

func fixtureApp(t *testing.T, f fixture, palette themes.Palette, r *lipgloss.Renderer, w, h int) *App {
	t.Helper()
	c, _ := testCommon(t, palette, nil)
	if r != nil {
		c.styles = themes.New(r, palette)
	}
	c.now = func() time.Time { return fixedNow }
	a, err := newExplorer(c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	update(t, a, tea.WindowSizeMsg{Width: w, Height: h})
	f.build(t, a)
	return a
}

var palettes = []themes.Palette{themes.Dark, themes.Light, themes.HighContrast, themes.HighContrastLight}

// TestGoldens: one golden per screen at 80×24, with colour off so it
// shows layout and words. Every theme must draw the same layout (themes
// change colours only), which the loop checks against the same golden.
func TestGoldens(t *testing.T) {
	for _, f := range fixtures {
		t.Run(f.name, func(t *testing.T) {
			var first string
			for _, p := range palettes {
				// Without colour the styles still draw attributes (reverse,
				// bold): the golden is the words and the layout.
				view := ansi.Strip(fixtureApp(t, f, p, nil, 80, 24).View())
				if first == "" {
					first = view
					golden.RequireEqual(t, []byte(view))
				} else if view != first {
					t.Errorf("theme %s changes the layout of %s", p.Name, f.name)
				}
			}
		})
	}
}

// TestThemesDiffer: with colour on, each theme draws each screen in its
// own colours.
func TestThemesDiffer(t *testing.T) {
	for _, f := range fixtures {
		seen := map[string]string{}
		for _, p := range palettes {
			r := lipgloss.NewRenderer(nil)
			r.SetColorProfile(termenv.TrueColor)
			view := fixtureApp(t, f, p, r, 80, 24).View()
			if !strings.Contains(view, "\x1b[") {
				t.Fatalf("%s/%s: no colour at all in true colour", f.name, p.Name)
			}
			for other, v := range seen {
				if v == view {
					t.Errorf("%s: themes %s and %s draw the same", f.name, other, p.Name)
				}
			}
			seen[p.Name] = view
		}
	}
}

// TestEverySizeFits: no panic, no line wider than the terminal, exactly
// the terminal's height, at every size down to 40×12, through resizes.
func TestEverySizeFits(t *testing.T) {
	sizes := [][2]int{{80, 24}, {60, 20}, {40, 12}, {120, 40}, {20, 6}}
	for _, f := range fixtures {
		for _, size := range sizes {
			a := fixtureApp(t, f, themes.Dark, nil, 80, 24)
			update(t, a, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			checkFits(t, f.name, a.View(), size[0], size[1])
		}
	}
}

func checkFits(t *testing.T, name, view string, w, h int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) != h {
		t.Errorf("%s at %dx%d: %d lines", name, w, h, len(lines))
	}
	for i, l := range lines {
		if lw := ansi.StringWidth(l); lw > w {
			t.Errorf("%s at %dx%d: line %d is %d wide: %q", name, w, h, i, lw, ansi.Strip(l))
		}
	}
}

// TestNoSecretInAnyView: the demo secrets and their Basic encoding never
// appear unless the user revealed them; revealing shows them (so the
// check can fail).
func TestNoSecretInAnyView(t *testing.T) {
	secrets := []string{scaleDocsKey, scaleDocsBasic, scalingDemoKey}
	for _, f := range fixtures {
		for _, size := range [][2]int{{80, 24}, {200, 60}} {
			view := ansi.Strip(fixtureApp(t, f, themes.Dark, nil, size[0], size[1]).View())
			for _, s := range secrets {
				if strings.Contains(view, s) {
					t.Errorf("%s at %v shows a secret", f.name, size)
				}
			}
		}
	}
	for _, name := range []string{"credentials", "steps", "copy-menu"} {
		for _, f := range fixtures {
			if f.name != name {
				continue
			}
			a := fixtureApp(t, f, themes.Dark, nil, 200, 60)
			update(t, a, keyMsg("ctrl+r"))
			if !strings.Contains(ansi.Strip(a.View()), scaleDocsKey) {
				t.Errorf("%s: ctrl+r should reveal the key", name)
			}
		}
	}
}

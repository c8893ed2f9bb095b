package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/authscope/authscope/internal/hostile"
	"github.com/authscope/authscope/snippets"
)

// Issue 11's echo matrix through the explorer: a loopback server gives
// back every credential it gets in every spelling (raw, Base64 of key:
// and id:secret, URL-encoded, JSON-escaped, HTML entities, split across
// a line wrap), in headers, bodies, error_description and the claims of
// the token it issues. The real explorer is driven through keys to every
// screen that shows what came back — the steps (the exchange and the
// decoded JWT), the inspector, the answer with its headers, the wire
// view, the copy menu's preview of every item, the bundle — and every
// frame it drew must hold no spelling of the key, the client secret or
// the access token.

// Awkward secrets: + / = & < > " % \ a space and non-ASCII.
const (
	echoScalingKey = `scl_live_A+b/C=d&e<f>g"h%i\jé0123456789abcde`
	echoScaleKey   = `live_p+q/r=s&t<u>v"w%x\yü0123456789abcdef`
	echoClientID   = `skc_trust+client/é`
	echoSecret     = `s3cr+t/=&<>"%\ zäöü-€-0123456789`
	echoRefused    = `refuse+me/=&<>"%\ ñ-0123456789ab`
)

// frameLog keeps every frame the program drew, as View returned it.
type frameLog struct {
	mu     sync.Mutex
	frames []string
}

func (l *frameLog) add(v string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if n := len(l.frames); n == 0 || l.frames[n-1] != v {
		l.frames = append(l.frames, v)
	}
}

func (l *frameLog) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.frames...)
}

// recording runs the explorer, keeps each frame and, like retargeting,
// points the open request screen at the echo server on a retargetMsg
// (Scaling and Scale reach a server through their fixed environments).
type recording struct {
	*App
	log *frameLog
}

func (r recording) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if m, ok := msg.(retargetMsg); ok {
		if req, ok := r.top().(*request); ok {
			req.target.BaseURL = m.url
		}
		return r, nil
	}
	_, cmd := r.App.Update(msg)
	return r, cmd
}

func (r recording) View() string {
	v := r.App.View()
	r.log.add(v)
	return v
}

// leakForms is every spelling of each secret that must not show: the
// forms hostile.SecretForms makes and either half (a wrapped line).
func leakForms(id string, secrets ...string) map[string]string {
	out := map[string]string{}
	for i, sec := range secrets {
		forms := hostile.SecretForms(sec, id)
		forms["first half"], forms["second half"] = hostile.Halves(sec)
		for name, form := range forms {
			out[string(rune('a'+i))+" "+name] = form
		}
	}
	return out
}

// noWrap joins a frame's lines and drops every space, so a secret the
// explorer itself wrapped across lines (or across a border) is found too.
var noWrap = regexp.MustCompile(`\s+`)

func assertNoLeak(t *testing.T, where, text string, forms map[string]string) {
	t.Helper()
	plain := ansi.Strip(text)
	joined := noWrap.ReplaceAllString(plain, "")
	for name, form := range forms {
		if i := strings.Index(plain, form); i >= 0 {
			t.Errorf("%s: the secret shows as %s: …%s…", where, name, plain[max(0, i-60):min(len(plain), i+len(form)+60)])
			continue
		}
		if f := noWrap.ReplaceAllString(form, ""); len(f) >= 8 {
			if i := strings.Index(joined, f); i >= 0 {
				t.Errorf("%s: the secret shows as %s across lines: …%s…", where, name, joined[max(0, i-60):min(len(joined), i+len(f)+60)])
			}
		}
	}
}

// echoRun is one journey against the echo server.
type echoRun struct {
	d    *driver
	clip *fakeClipboard
	log  *frameLog
	rec  *hostile.Recorder
}

func startEcho(t *testing.T, opts Options, env map[string]string) *echoRun {
	t.Helper()
	return startEchoWith(t, &hostile.Echo{}, opts, env)
}

func startEchoWith(t *testing.T, h http.Handler, opts Options, env map[string]string) *echoRun {
	t.Helper()
	rec := hostile.NewRecorder(h)
	t.Cleanup(rec.Close) // registered first, so it runs after the program quits
	if env["SCALEKIT_ENVIRONMENT_URL"] == "echo" {
		env["SCALEKIT_ENVIRONMENT_URL"] = rec.URL
	}
	app, clip := newTestApp(t, opts, env)
	log := &frameLog{}
	d := &driver{t: t}
	d.tm = newTestModel(t, recording{app, log}, 120, 60)
	return &echoRun{d: d, clip: clip, log: log, rec: rec}
}

// answerScreens walks from an answer (the inspector on top) through
// every view of it: the inspector, the answer, its headers, the wire
// view scrolled to the end, then the copy menu's preview of each item.
func (e *echoRun) answerScreens() {
	d := e.d
	d.waitFor("Inspector", "invalid_api_key")
	d.keys("y") // the request id, the server's word, to the clipboard
	d.waitFor("Copied request id")
	e.pageDown(3)
	d.keys("esc")
	d.waitFor("401 Unauthorized")
	d.keys("h")
	d.waitFor("X-Echo-")
	d.keys("w")
	d.waitFor("Request as sent")
	e.pageDown(40)
	d.keys("z") // unwrapped: long lines cut, not wrapped
	d.waitFor("col 1")
	d.keys("z", "i")
	d.waitFor("Inspector")
	d.keys("c")
	d.waitFor("Copy", "Preview")
	for i, it := range copyItems()[1:] {
		d.keys("down")
		d.waitFor(fmt.Sprintf("› %d %s", i+2, it.label))
	}
	d.keys("e") // every preview again with secrets from env vars
	d.waitFor("secret from env vars")
	for i, it := range copyItems() { // from the last item round to it
		d.keys("down")
		d.waitFor(fmt.Sprintf("› %d %s", i+1, it.label))
	}
}

// check asserts no frame and no screen's whole content (what scrolls
// out of sight, every copy-menu item) holds a secret.
func (e *echoRun) check(id string, secrets ...string) {
	t := e.d.t
	t.Helper()
	tokens := bearerTokensSent(e.rec)
	forms := leakForms(id, append(secrets, tokens...)...)
	frames := e.log.all()
	if len(frames) < 10 {
		t.Fatalf("only %d frames drawn", len(frames))
	}
	for i, f := range frames {
		assertNoLeak(t, "frame "+strconv.Itoa(i), f, forms)
	}
	e.clip.mu.Lock()
	for _, c := range e.clip.copies {
		assertNoLeak(t, "request id copied", c, forms)
	}
	e.clip.mu.Unlock()
	if err := e.d.tm.Quit(); err != nil {
		t.Fatal(err)
	}
	app := e.d.tm.FinalModel(t).(recording).App
	for _, s := range app.stack {
		switch s := s.(type) {
		case *steps:
			assertNoLeak(t, "steps content", strings.Join(s.scroll.content, "\n"), forms)
		case *request:
			assertNoLeak(t, "answer content", strings.Join(s.scroll.content, "\n"), forms)
			if s.resp != nil {
				assertNoLeak(t, "wire view", wireView(s.styles, s.resp), forms)
			}
		case *inspector:
			assertNoLeak(t, "inspector content", strings.Join(s.scroll.content, "\n"), forms)
		case *copyMenu:
			for i := range s.items {
				for _, fl := range []snippets.Flavour{snippets.SecretInline, snippets.SecretFromEnv} {
					s.cursor, s.flavour = i, fl
					assertNoLeak(t, "copy menu item "+s.items[i].label, s.View(), forms)
					if text, err := s.items[i].make(s.src, fl); err == nil {
						assertNoLeak(t, "copy menu preview "+s.items[i].label, text.String(false), forms)
					}
				}
			}
		}
	}
	if !strings.Contains(strings.Join(frames, ""), "•") {
		t.Error("no mask drawn: were the secrets shown at all?")
	}
}

func bearerTokensSent(rec *hostile.Recorder) []string {
	var out []string
	for _, r := range rec.Requests() {
		if a := r.Header.Get("Authorization"); strings.HasPrefix(a, "Bearer ") {
			out = append(out, strings.TrimPrefix(a, "Bearer "))
		}
	}
	return out
}

// pageDown sends PgDn n times.
func (e *echoRun) pageDown(n int) {
	for range n {
		e.d.tm.Send(tea.KeyMsg{Type: tea.KeyPgDown})
	}
}

// idEcho is the echo server that also gives back the Authorization it
// got as the request id (X-Request-Id and the body's requestId): the id is shown and copied in more places
// than any other header.
type idEcho struct{ hostile.Echo }

type idWriter struct {
	http.ResponseWriter
	id string
}

func (w idWriter) WriteHeader(status int) {
	w.Header().Set("X-Request-Id", w.id)
	w.ResponseWriter.WriteHeader(status)
}

// Write puts the id in the body's requestId too (the decoder reads the
// body's first).
func (w idWriter) Write(b []byte) (int, error) {
	w.Header().Set("X-Request-Id", w.id)
	quoted, _ := json.Marshal(w.id)
	b = bytes.Replace(b, []byte(`"requestId":"`+hostile.RequestID+`"`), append([]byte(`"requestId":`), quoted...), 1)
	if _, err := w.ResponseWriter.Write(b); err != nil {
		return 0, err
	}
	return len(b), nil
}

func (e *idEcho) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	e.Echo.ServeHTTP(idWriter{w, r.Header.Get("Authorization")}, r)
}

func TestExplorerMasksEchoedKeys(t *testing.T) {
	for _, c := range []struct {
		name, provider, envVar, key string
		server                      http.Handler
	}{
		{"scaling", "scaling", "SCALING_API_KEY", echoScalingKey, &hostile.Echo{}},
		{"scale", "scale", "SCALE_API_KEY", echoScaleKey, &hostile.Echo{}},
		{"scaling key as request id", "scaling", "SCALING_API_KEY", echoScalingKey, &idEcho{}},
		{"scale key as request id", "scale", "SCALE_API_KEY", echoScaleKey, &idEcho{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := startEchoWith(t, c.server, Options{Provider: c.provider, Env: "sandbox"}, map[string]string{c.envVar: c.key})
			e.d.waitFor("Credentials")
			e.d.keys("enter")
			e.d.waitFor("Steps", "Authorization:")
			e.d.keys("enter")
			e.d.waitFor("Requests")
			e.d.tm.Send(retargetMsg{url: e.rec.URL + ""})
			e.d.keys("enter")
			e.answerScreens()
			if len(e.rec.Requests()) == 0 {
				t.Fatal("the echo server got no request")
			}
			e.check("", c.key)
		})
	}
}

func TestExplorerMasksEchoedClientSecretsAndTokens(t *testing.T) {
	for _, auth := range []string{"post", "basic"} {
		t.Run(auth, func(t *testing.T) {
			e := startEcho(t, Options{Provider: "scalekit", Env: "custom"}, map[string]string{
				"SCALEKIT_ENVIRONMENT_URL": "echo", "SCALEKIT_CLIENT_ID": echoClientID, "SCALEKIT_CLIENT_SECRET": echoSecret})
			e.d.waitFor("Credentials")
			e.d.keys("enter")
			e.d.waitFor("Steps", "expires in")
			if auth == "basic" {
				e.d.keys("a")
				e.d.waitFor("client auth basic", "expires in")
			}
			e.d.keys("w", "n", "n", "n", "n", "w") // walk the steps, then all of them
			e.pageDown(10)
			e.d.keys("f")
			e.answerScreens()
			if len(bearerTokensSent(e.rec)) == 0 {
				t.Fatal("no access token reached the echo server")
			}
			e.check(echoClientID, echoSecret)
		})
	}
}

// A refused exchange: the steps show the token error, whose
// error_description and headers echo the secret.
func TestExplorerMasksAnEchoedRefusal(t *testing.T) {
	e := startEcho(t, Options{Provider: "scalekit", Env: "custom"}, map[string]string{
		"SCALEKIT_ENVIRONMENT_URL": "echo", "SCALEKIT_CLIENT_ID": echoClientID, "SCALEKIT_CLIENT_SECRET": echoRefused})
	e.d.waitFor("Credentials")
	e.d.keys("enter")
	e.d.waitFor("token refused")
	e.d.keys("i")
	e.d.waitFor("Inspector", "invalid_client")
	e.pageDown(3)
	e.d.keys("esc", "a")
	e.d.waitFor("client auth basic", "token refused")
	e.d.keys("c")
	e.d.waitFor("Copy", "› 1 Authorization header")
	for i, it := range copyItems()[1:] {
		e.d.keys("down")
		e.d.waitFor(fmt.Sprintf("› %d %s", i+2, it.label))
	}
	e.check(echoClientID, echoRefused)
}

// One token in the explorer: the request fired after the steps sends the
// token the steps show (no second exchange), also when the credentials
// came with stray whitespace.
func TestExplorerSendsTheTokenTheStepsShow(t *testing.T) {
	for name, pad := range map[string]string{"as typed": "", "padded": "  "} {
		t.Run(name, func(t *testing.T) {
			env := map[string]string{"SCALEKIT_CLIENT_ID": pad + "skc_sandbox_client" + pad, "SCALEKIT_CLIENT_SECRET": pad + scalekitSecret + pad + "\t"}
			app, _ := newTestApp(t, Options{Provider: "scalekit", Env: "sandbox"}, env)
			d := drive(t, app, 120, 40)
			d.waitFor("Credentials")
			d.keys("enter")
			d.waitFor("Steps", "expires in")
			d.keys("f")
			d.waitFor("GET /api/v1/organizations", "200 OK")
			final := d.final()
			r, ok := final.top().(*request)
			if !ok || r.resp == nil {
				t.Fatalf("top %T: no answer", final.top())
			}
			sent, _ := r.resp.request.Header("Authorization")
			if got := sent.Reveal(); got != "Bearer "+r.built.token || r.built.token == "" {
				t.Errorf("the request sent another token than the steps show:\nsent  …%s\nsteps …%s", tail(got, 16), tail(r.built.token, 16))
			}
			if r.resp.tokenRequest != nil || !r.resp.tokenReused {
				t.Error("firing after the steps ran a second token request")
			}
		})
	}
}

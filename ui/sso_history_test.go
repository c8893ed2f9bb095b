package ui

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/authscope/authscope/internal/hostile"
	"github.com/authscope/authscope/requests"
)

// The SSO flow's requests in the session's history, on the real sandbox:
// a sign-in, a refresh and a refused exchange (another redirect URI)
// each land there with their label and status, and no spelling of the
// client secret, a code, a PKCE verifier or a token shows in the history
// list, in any entry opened (its answer with the request as sent, the
// headers and the body, or the inspector), in a comparison, in the
// exported HAR, in the editor, or in the copy-as-curl preview.
func TestSSORequestsLandInTheHistoryMasked(t *testing.T) {
	exportDir := t.TempDir()
	app, clip := newTestApp(t, Options{}, map[string]string{"AUTHSCOPE_EXPORT_DIR": exportDir})
	history := app.c.history // read from here while the program runs: its own lock
	d := drive(t, app, 160, 50)
	d.signInOnTheSandbox()
	d.keys("r")
	d.waitFor("Refresh request")
	d.keys("x", "n")
	d.waitFor("what-if: wrong redirect URI", "listening on 127.0.0.1:")
	d.keys("s")
	d.waitFor("Inspector", "invalid_grant")
	d.keys("esc")
	d.waitFor("SSO login")

	want := []struct {
		label  string
		status int
	}{
		{ssoAuthorizeLabel, 302},
		{ssoExchangeLabel, 200},
		{ssoRefreshLabel, 200},
		{ssoAuthorizeLabel, 302},
		{ssoExchangeLabel + " · what-if: wrong redirect URI", 400},
	}
	entries := history.All()
	if len(entries) != len(want) {
		t.Fatalf("the history holds %d requests, want %d: %v", len(entries), len(want), labelsOf(entries))
	}
	for i, w := range want {
		e := entries[i]
		if e.Label != w.label || e.Status() != w.status || e.Target != "Scalekit · Sandbox" {
			t.Errorf("#%d: %q %d %q, want %q %d", e.Seq, e.Label, e.Status(), e.Target, w.label, w.status)
		}
	}

	// Each screen the history leads to, as drawn while it was up.
	type surface struct{ where, text string }
	var surfaces []surface
	since := d.out.Len()
	drawnAs := func(where string) {
		surfaces = append(surfaces, surface{where, d.out.String()[since:]})
		since = d.out.Len()
	}
	d.keys("H")
	d.waitFor("5 requests this session", ssoRefreshLabel, want[4].label)
	drawnAs("the history list")
	newestFirst := slices.Clone(entries)
	slices.Reverse(newestFirst)
	for i, e := range newestFirst {
		if i > 0 {
			d.keys("down")
		}
		d.keys("enter")
		if e.Status() >= 400 {
			d.waitFor("Inspector")
			d.keys("esc")
		}
		d.keys("w")
		d.waitFor("Request as sent", "Response")
		d.keys("esc")
		d.waitFor("History")
		// The toast may not be drawn again: the refresh's preview is the
		// exchange's, and the renderer skips a line that did not change.
		// The clipboard says when the copy is done; the toast is in the
		// next screen's text.
		copies := clip.count()
		d.keys("c")
		clip.waitFor(t, copies+1)
		drawnAs(fmt.Sprintf("#%d (%s) opened (w) and copied as curl", e.Seq, e.Label))
		if e.Label == ssoExchangeLabel {
			if got := clip.last(t); !strings.Contains(got, "grant_type=authorization_code") || !strings.Contains(got, scalekitSecret) {
				t.Errorf("the copied curl is not the request as sent (its secrets in clear, to run it):\n%s", got)
			}
		}
	}
	// The cursor is on #1, the first authorization (its Location holds
	// the code): beside #2, the exchange that brought the tokens.
	d.keys("m", "up", "v")
	d.waitFor("Compare", "#1 "+ssoAuthorizeLabel, "#2 "+ssoExchangeLabel)
	drawnAs("#1 compared with #2")
	d.keys("esc")
	d.waitFor("History")
	d.keys("x")
	d.waitFor("exported 5 requests")
	drawnAs("the history, exported")
	d.keys("g", "e") // the refused exchange, to fix and resend
	d.waitFor("Edit and resend")
	drawnAs("the refused exchange in the editor")
	d.final()

	secrets := ssoWireSecrets(entries)
	atLeast := map[string]int{"client_secret": 1, "code": 2, "code_verifier": 2, "access_token": 2, "id_token": 1, "refresh_token": 2}
	var random []string
	for kind, n := range atLeast {
		if len(secrets[kind]) < n {
			t.Fatalf("the requests as sent hold %d %s, want at least %d: the check below would prove nothing", len(secrets[kind]), kind, n)
		}
		if kind != "client_secret" {
			random = append(random, secrets[kind]...)
		}
	}
	// Every spelling, halves included (a token wrapped across lines); the
	// demo client secret is a phrase, so its halves are words the
	// screens hold anyway ("client_secret"): its other spellings only.
	forms := leakForms("", random...)
	for name, form := range hostile.SecretForms(scalekitSecret, "skc_sandbox_client") {
		forms["client secret "+name] = form
	}
	for _, s := range surfaces {
		assertNoLeak(t, s.where, s.text, forms)
	}
	exported, _ := filepath.Glob(filepath.Join(exportDir, "authscope-session-*.har"))
	if len(exported) != 1 {
		t.Fatalf("exported: %v", exported)
	}
	har, err := os.ReadFile(exported[0])
	if err != nil {
		t.Fatal(err)
	}
	// The export keeps a JWT's header and claims for the doctor to read
	// back, its signature REDACTED: half a token is there by design, the
	// signature that makes it usable is not.
	harForms := map[string]string{}
	for name, form := range forms {
		if !strings.HasSuffix(name, " half") {
			harForms[name] = form
		}
	}
	for _, jwt := range slices.Concat(secrets["access_token"], secrets["id_token"]) {
		harForms["the signature of "+jwt[:12]+"…"] = jwt[strings.LastIndex(jwt, ".")+1:]
	}
	assertNoLeak(t, "the exported HAR", string(har), harForms)
	for _, e := range entries {
		req := withoutSenderHeaders(e.Request)
		assertNoLeak(t, fmt.Sprintf("#%d's curl preview", e.Seq), requests.CurlOf(req).Masked(), forms)
		assertNoLeak(t, fmt.Sprintf("#%d's Go preview", e.Seq), requests.GoOf(req).Masked(), forms)
	}
}

// ssoWireSecrets reads every secret of the sign-in's requests out of
// what went over the wire, by kind: the form fields sent, the code in an
// authorization response's Location, the tokens in a token response.
// Not from any list the history masks with, which is what is under test.
func ssoWireSecrets(entries []*requests.Entry) map[string][]string {
	out := map[string][]string{}
	add := func(kind, v string) {
		if v != "" && !slices.Contains(out[kind], v) {
			out[kind] = append(out[kind], v)
		}
	}
	for _, e := range entries {
		sent, _ := url.ParseQuery(e.Request.Body.Reveal())
		for _, field := range []string{"client_secret", "code", "code_verifier", "refresh_token"} {
			add(field, sent.Get(field))
		}
		if e.Result == nil {
			continue
		}
		if loc, err := url.Parse(e.Result.Header.Get("Location")); err == nil {
			add("code", loc.Query().Get("code"))
		}
		var answer map[string]any
		_ = json.Unmarshal(e.Result.Body, &answer)
		for _, field := range []string{"access_token", "id_token", "refresh_token"} {
			s, _ := answer[field].(string)
			add(field, s)
		}
	}
	return out
}

func labelsOf(entries []*requests.Entry) []string {
	var out []string
	for _, e := range entries {
		out = append(out, fmt.Sprintf("#%d %s %d", e.Seq, e.Label, e.Status()))
	}
	return out
}

func (f *fakeClipboard) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.copies)
}

// waitFor blocks until the clipboard has taken n copies.
func (f *fakeClipboard) waitFor(t *testing.T, n int) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); f.count() < n; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the clipboard took %d copies, want %d", f.count(), n)
		}
	}
}

package ui

import (
	"net/http"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/authscope/authscope/internal/ssofake"
	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/themes"
)

// ssoApp opens the explorer on the SSO screen for the fake
// authorization server, marked as a sandbox so the demo key works.
func ssoApp(t *testing.T, f *ssofake.IdP) (*App, *sso) {
	t.Helper()
	c, _ := testCommon(t, themes.Dark, nil)
	c.out, c.typed = &outbox{}, newTypedMemory()
	target := f.Target()
	s := newSSO(c, target)
	return newApp(c, s), s
}

func TestSSOScreenSignsInRefreshesAndLogsOut(t *testing.T) {
	f := ssofake.New(t)
	app, _ := ssoApp(t, f)
	d := drive(t, app, 100, 40)
	d.waitFor("listening on 127.0.0.1:", "PKCE verifier", "S256 challenge", "Authorization URL")
	d.keys("s")
	d.waitFor("signed in as ada@acme.example")
	d.keys("r")
	d.waitFor("Refresh request")
	d.keys("l")
	d.waitFor("Logout URL")
	final := d.final()
	s := final.top().(*sso)
	if s.state != ssoDone || !strings.Contains(s.View(), "id_token_hint=••") {
		t.Fatalf("state %d:\n%s", s.state, s.View())
	}
	for _, secret := range append(s.secrets, "sandbox_client_secret") {
		if len(secret) > 8 && strings.Contains(d.out.String(), secret) {
			t.Fatalf("the screen showed a secret %.10s…", secret)
		}
	}
}

func TestSSOScreenFailuresLandInTheInspector(t *testing.T) {
	for _, c := range []struct {
		presses int
		want    string
	}{
		{1, "redirect_uri sent with the code is not"},
		{2, "code_verifier does not hash"},
		{3, "already redeemed"},
	} {
		f := ssofake.New(t)
		app, _ := ssoApp(t, f)
		d := drive(t, app, 100, 40)
		d.waitFor("listening on 127.0.0.1:")
		for i := 0; i < c.presses; i++ {
			d.keys("x")
		}
		d.keys("s")
		d.waitFor("Inspector", "invalid_grant")
		final := d.final()
		in, ok := final.top().(*inspector)
		if !ok || !strings.Contains(in.d.Meaning+in.d.Advice, strings.Fields(c.want)[0]) || !strings.Contains(in.d.Meaning, c.want) {
			t.Fatalf("what-if %d: top %T %+v", c.presses, final.top(), in)
		}
		if in.d.RequestID != "req_fake_1" {
			t.Errorf("request id %q", in.d.RequestID)
		}
	}
}

// The whole journey on the real sandbox, from the picker: Scalekit →
// Sandbox → demo client → ctrl+t (SSO login) → enter → s; then the
// three failed logins the explorer shows: another redirect URI, a wrong
// verifier, a reused code.
func TestSSOJourneyOnTheSandbox(t *testing.T) {
	app, _ := newTestApp(t, Options{}, nil)
	d := drive(t, app, 100, 40)
	d.signInOnTheSandbox()
	for i, want := range []string{"wrong redirect URI", "bad verifier", "reused code"} {
		if i > 0 {
			d.keys("esc") // the inspector, back to the SSO screen
			d.waitFor("SSO login")
		}
		d.keys("x", "n")
		d.waitFor("what-if: "+want, "listening on 127.0.0.1:")
		d.keys("s")
		d.waitFor("Inspector", "invalid_grant")
	}
	final := d.final()
	in, ok := final.top().(*inspector)
	if !ok || !strings.Contains(in.d.Message, "already used") || in.d.RequestID == "" {
		t.Fatalf("top %T %+v", final.top(), in)
	}
}

// o opens the URL in $BROWSER (curl here, following the redirect to the
// listener); a callback with error=access_denied lands in the inspector.
func TestSSOBrowserKeyAndAccessDenied(t *testing.T) {
	f := ssofake.New(t)
	c, _ := testCommon(t, themes.Dark, map[string]string{"BROWSER": "curl -s -o /dev/null -L"})
	c.out, c.typed = &outbox{}, newTypedMemory()
	app := newApp(c, newSSO(c, f.Target()))
	d := drive(t, app, 100, 40)
	d.waitFor("listening on 127.0.0.1:")
	d.keys("o")
	d.waitFor("signed in as ada@acme.example")
	d.keys("n")
	d.waitFor("listening on 127.0.0.1:")
	for i := 0; i < 4; i++ { // none → organization_id → connection_id → domain → login_hint
		d.keys("m")
	}
	d.waitFor("login_hint=")
	d.keys("e")
	d.waitFor("enter to use")
	d.tm.Send(tea.KeyMsg{Type: tea.KeyCtrlU})
	d.keys("deny@acme.example", "enter")
	d.waitFor("login_hint=deny@acme.example")
	d.keys("o")
	d.waitFor("Inspector", "access_denied")
	final := d.final()
	in, ok := final.top().(*inspector)
	if !ok || in.d.Code != "access_denied" || in.d.Advice == "" {
		t.Fatalf("top %T %+v", final.top(), in)
	}
}

// A callback that is not this sign-in's (another state) is refused
// before any exchange and lands in the inspector.
func TestSSOForgedCallbackIsRefused(t *testing.T) {
	f := ssofake.New(t)
	app, _ := ssoApp(t, f)
	d := drive(t, app, 100, 40)
	d.waitFor("listening on 127.0.0.1:")
	for i := 0; i < int(whatIfForgedState); i++ {
		d.keys("x")
	}
	d.waitFor("what-if: forged callback (state)")
	d.keys("s")
	d.waitFor("Inspector", "state_mismatch")
	final := d.final()
	in, ok := final.top().(*inspector)
	if !ok || in.d.Code != "state_mismatch" || !strings.Contains(in.d.Meaning, "CSRF") {
		t.Fatalf("top %T %+v", final.top(), in)
	}
	for _, st := range final.stack[0].(*sso).after {
		if strings.HasPrefix(st.Title, "Code exchange") {
			t.Fatal("a forged callback's code was redeemed")
		}
	}
}

// Esc back from the SSO screen ends its sign-in: the listener closes.
func TestSSOScreenClosesItsListenerWhenLeft(t *testing.T) {
	f := ssofake.New(t)
	c, _ := testCommon(t, themes.Dark, nil)
	c.out, c.typed = &outbox{}, newTypedMemory()
	s := newSSO(c, f.Target())
	app := newApp(c, newPicker(c, model.Providers), s)
	d := drive(t, app, 100, 40)
	d.waitFor("listening on 127.0.0.1:")
	d.keys("esc")
	d.waitFor("Provider")
	final := d.final()
	if len(final.stack) != 1 {
		t.Fatalf("stack %d", len(final.stack))
	}
	if r, err := http.Get(s.signIn.Request.RedirectURI + "?code=c&state=s"); err == nil {
		r.Body.Close()
		t.Fatalf("the listener still answers after esc: %d", r.StatusCode)
	}
}

// signInOnTheSandbox goes from the picker to a signed-in SSO login:
// Scalekit → Sandbox → demo client → ctrl+t → enter → s (the demo user,
// no browser).
func (d *driver) signInOnTheSandbox() {
	d.t.Helper()
	d.waitFor("Provider")
	d.keys("2", "enter")
	d.waitFor("Flow", "API access (client credentials)")
	d.keys("ctrl+d")
	d.tm.Send(tea.KeyMsg{Type: tea.KeyCtrlT})
	d.waitFor("› SSO login (auth code + PKCE)")
	d.keys("enter")
	d.waitFor("listening on 127.0.0.1:", "PKCE verifier")
	d.keys("s")
	d.waitFor("signed in as ada@acme.example")
}

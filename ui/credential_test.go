package ui

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/golang-jwt/jwt/v5"

	"github.com/authscope/authscope/internal/sandboxtest"
)

func sandboxAccessToken(t *testing.T, base string) string {
	t.Helper()
	resp, err := http.PostForm(base+"/scalekit/oauth/token", url.Values{"grant_type": {"client_credentials"},
		"client_id": {"skc_sandbox_client"}, "client_secret": {"sandbox_client_secret"}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	return body.AccessToken
}

func forgeToken(t *testing.T, token string) string {
	t.Helper()
	parsed, _, err := jwt.NewParser().ParseUnverified(token, jwt.MapClaims{})
	if err != nil {
		t.Fatal(err)
	}
	k, _ := rsa.GenerateKey(rand.Reader, 2048)
	f := jwt.NewWithClaims(jwt.SigningMethodRS256, parsed.Claims)
	f.Header["kid"] = parsed.Header["kid"]
	s, err := f.SignedString(k)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// secretSpellings: every form a secret could be drawn in.
func secretSpellings(s string) []string {
	j, _ := json.Marshal(s)
	return []string{s, base64.StdEncoding.EncodeToString([]byte(s)), url.QueryEscape(s), strings.Trim(string(j), `"`)}
}

// TestPastedCredentialsAreReadForWhatTheyAre: J8 in the explorer, from a
// Scale AI screen: a sandbox token, a forged one, a Basic header and a
// bare key, each read for what it is, the status line naming the paste's
// provider, the secret on no screen.
func TestPastedCredentialsAreReadForWhatTheyAre(t *testing.T) {
	base := sandboxtest.Start(t)
	good := sandboxAccessToken(t, base)
	cases := []struct {
		name, paste, secret, status string
		want                        []string
	}{
		{"sandbox token", good + "\r", good, "Scalekit", []string{"Credential", "a JWT", "Scalekit, sandbox", "detected from iss", "signature verified"}},
		{"forged token", forgeToken(t, good), "", "Scalekit", []string{"a JWT", "signature invalid", "altered or forged"}},
		{"basic header", "Authorization: Basic bGl2ZV9TY2FsZVJvY2tzOg==\r\r", "live_ScaleRocks", "Scale AI", []string{"an Authorization header line", "Scale AI, live", "':' present"}},
		{"bare key", "scl_live_0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef", "Scaling", []string{"an API key", "Scaling, production", "A well-formed Scaling key"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			app, _ := newTestApp(t, Options{Provider: "scale", Env: "sandbox"}, nil)
			d := drive(t, app, 110, 40)
			d.waitFor("API key")
			d.keys("ctrl+o")
			d.waitFor("Decode ·")
			d.paste(tc.paste)
			d.waitFor(tc.want...)
			a := d.final()
			status := ansi.Strip(a.statusLine())
			if !strings.Contains(status, tc.status) || tc.status != "Scale AI" && strings.Contains(status, "Scale AI") {
				t.Errorf("status line %q, want the paste's provider %s", status, tc.status)
			}
			if tc.secret != "" {
				for _, s := range secretSpellings(tc.secret) {
					if strings.Contains(d.out.String(), s) {
						t.Fatalf("the secret was drawn (%.16s…)", s)
					}
				}
			}
		})
	}
}

// TestPastedAnswerIsReadAsItsOwn: a plain 401 pasted from a Scale AI
// screen names no provider: the causes claim none, the screen says so,
// and p assumes one.
func TestPastedAnswerIsReadAsItsOwn(t *testing.T) {
	app, _ := newTestApp(t, Options{Provider: "scale", Env: "sandbox"}, nil)
	d := drive(t, app, 100, 30)
	d.waitFor("API key")
	d.keys("ctrl+o")
	d.waitFor("Decode ·")
	d.paste("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n")
	d.waitFor("Inspector", "Read as: no provider")
	d.keys("p")
	d.waitFor("assumed: Scaling")
	a := d.final()
	in, ok := a.top().(*inspector)
	if !ok {
		t.Fatalf("top is %T", a.top())
	}
	if status := ansi.Strip(a.statusLine()); !strings.Contains(status, "Scaling") {
		t.Errorf("status line %q after p", status)
	}
	if in.d.Provider != "scaling" {
		t.Errorf("read as %q after p", in.d.Provider)
	}
}

// TestNeutralCauseForAnUnnamedAnswer: the same paste, decoded at once,
// does not blame Scale for a request authscope did not see.
func TestNeutralCauseForAnUnnamedAnswer(t *testing.T) {
	dec, from := decodePasted("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n", readAs{})
	if strings.Contains(dec.LikelyCause, "Scale") || !strings.HasPrefix(from, "no provider") {
		t.Errorf("cause %q, from %q", dec.LikelyCause, from)
	}
}

// TestUnbracketedCRCRPaste: tmux paste-buffer without -p turns each CRLF
// into CR CR, each an Enter: the typed response decodes as LF does.
func TestUnbracketedCRCRPaste(t *testing.T) {
	lines := []string{"HTTP/1.1 401 Unauthorized", "Content-Type: application/json", "X-Request-Id: 9b1c0d7e-0000-4000-8000-000000000001", "",
		`{"statusCode":401,"type":"not_authorized_error","code":"invalid_api_key","requestId":"550e8400-e29b-41d4-a716-446655440000"}`}
	app, _ := newTestApp(t, Options{}, nil)
	d := drive(t, app, 100, 30)
	d.keys("d")
	d.waitFor("Decode ·")
	for _, l := range lines {
		if l != "" {
			d.tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(l)})
		}
		d.keys("enter", "enter")
	}
	d.keys("ctrl+s")
	d.waitFor("Inspector", "Scaling API error", "invalid_api_key", "550e8400-e29b-41d4-a716-446655440000")
	in, ok := d.final().top().(*inspector)
	if !ok || in.d.Status != 401 || in.d.Shape == "" || strings.Contains(in.d.ShapeTitle, "Plain") {
		t.Fatalf("not decoded as the response: %+v", in)
	}
}

func TestFoldDoubledBreaks(t *testing.T) {
	for in, want := range map[string]string{
		"a\n\nb\n\n\n\nc\n\n": "a\nb\n\nc\n",
		"a\nb\n\nc":           "a\nb\n\nc", // a single break: left alone
		"abc":                 "abc",
	} {
		if got := foldDoubledBreaks(in); got != want {
			t.Errorf("%q → %q, want %q", in, got, want)
		}
	}
}

// TestPReadsACredentialAsAnotherProvider: an opaque Bearer value names no
// provider; p assumes one, and says so.
func TestPReadsACredentialAsAnotherProvider(t *testing.T) {
	app, _ := newTestApp(t, Options{}, nil)
	d := drive(t, app, 100, 30)
	d.keys("d")
	d.waitFor("Decode ·")
	d.paste("Bearer opaque0123456789abcdef")
	d.waitFor("Credential", "none — nothing in the paste names a provider", "An opaque credential")
	d.keys("p")
	d.waitFor("Scaling — assumed: --provider scaling", "does not start with scl_live_")
	a := d.final()
	if status := ansi.Strip(a.statusLine()); !strings.Contains(status, "Scaling") {
		t.Errorf("status line %q after p", status)
	}
}

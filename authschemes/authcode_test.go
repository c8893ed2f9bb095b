package authschemes

import (
	"bytes"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"
)

// RFC 7636 Appendix B's example.
func TestS256MatchesRFC7636AppendixB(t *testing.T) {
	if got := S256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"); got != "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" {
		t.Fatalf("S256 = %s", got)
	}
}

func TestNewPKCEIsAValidS256Pair(t *testing.T) {
	p, err := NewPKCE(nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckVerifier(p.Verifier); err != nil || len(p.Verifier) != 43 {
		t.Fatalf("verifier %q: %v", p.Verifier, err)
	}
	if p.Method != "S256" || p.Challenge != S256(p.Verifier) || p.Challenge == p.Verifier {
		t.Fatalf("pair %+v", p)
	}
	q, _ := NewPKCE(nil)
	if q.Verifier == p.Verifier {
		t.Fatal("two verifiers alike")
	}
	if _, err := NewPKCE(bytes.NewReader(nil)); err == nil {
		t.Fatal("no randomness must fail, not make a guessable verifier")
	}
}

func TestCheckVerifierRefusesWhatRFC7636Forbids(t *testing.T) {
	for _, v := range []string{"short", strings.Repeat("a", 129), strings.Repeat("a", 42) + "/"} {
		if CheckVerifier(v) == nil {
			t.Errorf("%q accepted", v)
		}
	}
}

func TestCheckRedirectURI(t *testing.T) {
	for raw, ok := range map[string]bool{
		"http://127.0.0.1:53682/callback": true,
		"http://localhost/callback":       true,
		"http://[::1]:8080/cb":            true,
		"https://app.example.com/cb":      true,
		"http://app.example.com/cb":       false,
		"com.example.app:/callback":       false,
		"ftp://127.0.0.1/cb":              false,
		"https://app.example.com/cb#x":    false,
		"/callback":                       false,
	} {
		if err := CheckRedirectURI(raw); (err == nil) != ok {
			t.Errorf("%s: %v", raw, err)
		}
	}
}

func testAuthRequest(route, value string) AuthRequest {
	return AuthRequest{Endpoint: "https://acme.scalekit.dev/oauth/authorize", ClientID: "skc_1", RedirectURI: "http://127.0.0.1:5000/callback",
		Scope: "openid profile email", State: "st", Nonce: "no", PKCE: PKCE{Verifier: "v", Challenge: "chal", Method: "S256"},
		Route: route, RouteValue: value}
}

func TestAuthorizationURLCarriesEveryParameter(t *testing.T) {
	u, err := url.Parse(testAuthRequest("login_hint", "ada@example.org").URL())
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	want := map[string]string{"response_type": "code", "client_id": "skc_1", "redirect_uri": "http://127.0.0.1:5000/callback",
		"scope": "openid profile email", "state": "st", "nonce": "no", "code_challenge": "chal", "code_challenge_method": "S256",
		"login_hint": "ada@example.org"}
	for k, v := range want {
		if q.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, q.Get(k), v)
		}
	}
	if q.Has("code_verifier") || strings.Contains(u.String(), "=v&") {
		t.Error("the verifier leaked into the URL")
	}
	d, _ := url.Parse(testAuthRequest("domain", "example.org").URL())
	if d.Query().Get("domain_hint") != "example.org" || d.Query().Get("domain") != "example.org" {
		t.Errorf("domain hint: %s", d.RawQuery)
	}
	for _, p := range testAuthRequest("organization_id", "org_1").Params() {
		if p.Explain == "" || p.RFC == "" {
			t.Errorf("%s unexplained", p.Name)
		}
	}
}

func TestCallbackCheck(t *testing.T) {
	cases := []struct {
		name string
		q    string
		kind string
	}{
		{"good", "code=c&state=st", ""},
		{"no state", "code=c", "state"},
		{"other state", "code=c&state=evil", "state"},
		{"error with another state is still not ours", "error=access_denied&state=evil", "state"},
		{"access denied", "error=access_denied&error_description=no&state=st", "error"},
		{"no code", "state=st", "code"},
	}
	for _, c := range cases {
		q, _ := url.ParseQuery(c.q)
		err := ParseCallback(q).Check("st")
		var ce *CallbackError
		switch {
		case c.kind == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.kind != "" && (!errors.As(err, &ce) || ce.Kind != c.kind || ce.Fix == "" || ce.Meaning == ""):
			t.Errorf("%s: %#v", c.name, err)
		}
	}
}

func TestGrantRequestsMaskCodeVerifierSecretAndRefreshToken(t *testing.T) {
	for _, auth := range []ClientAuth{ClientSecretPost, ClientSecretBasic} {
		req := CodeRequest("https://x/oauth/token", "skc_1", "sec_ret_value", "code_abcdef", "http://127.0.0.1:1/callback", "verifier_xyz", auth)
		masked := req.Raw().Masked()
		for _, s := range []string{"sec_ret_value", "code_abcdef", "verifier_xyz"} {
			if strings.Contains(masked, s) {
				t.Errorf("%s: %s shown in %s", auth, s, masked)
			}
		}
		raw := req.Raw().Reveal()
		for _, s := range []string{"grant_type=authorization_code", "code=code_abcdef", "code_verifier=verifier_xyz", "redirect_uri=http%3A%2F%2F127.0.0.1%3A1%2Fcallback"} {
			if !strings.Contains(raw, s) {
				t.Errorf("%s: %s missing in %s", auth, s, raw)
			}
		}
		ref := RefreshRequest("https://x/oauth/token", "skc_1", "sec_ret_value", "rt_secret_refresh", auth)
		if strings.Contains(ref.Raw().Masked(), "rt_secret_refresh") || !strings.Contains(ref.Raw().Reveal(), "grant_type=refresh_token&refresh_token=rt_secret_refresh") {
			t.Errorf("%s refresh: %s", auth, ref.Raw().Masked())
		}
	}
	if strings.Contains(LogoutURL("https://x/oidc/logout", "id.tok.en", "", "s").Masked(), "id.tok.en") {
		t.Error("the ID token shows in the logout URL")
	}
}

func TestCheckClaimsOfAnIDToken(t *testing.T) {
	now := time.Now()
	good := func(c map[string]any) {
		c["aud"] = []string{"skc_sandbox_client"}
		c["nonce"] = "n1"
	}
	want := Expect{Issuer: testIssuer, ClientID: "skc_sandbox_client", Nonce: "n1"}
	failing := func(mut func(map[string]any), at time.Time) []string {
		j, err := DecodeJWT(signed(t, at, time.Hour, func(c map[string]any) { good(c); mut(c) }))
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range CheckClaims(j, want, now, true) {
			if !c.OK {
				out = append(out, c.Name)
			}
		}
		return out
	}
	if f := failing(func(map[string]any) {}, now); len(f) != 0 {
		t.Fatalf("good token fails %v", f)
	}
	for name, mut := range map[string]func(map[string]any){
		"nonce": func(c map[string]any) { c["nonce"] = "other" },
		"aud":   func(c map[string]any) { c["aud"] = "skc_other" },
		"iss":   func(c map[string]any) { c["iss"] = "https://acme.scalekit.com" },
	} {
		if f := failing(mut, now); len(f) != 1 || f[0] != name {
			t.Errorf("%s: failing %v", name, f)
		}
	}
	if f := failing(func(map[string]any) {}, now.Add(-2*time.Hour)); len(f) != 1 || f[0] != "exp" {
		t.Errorf("expired: failing %v", f)
	}
	if f := failing(func(map[string]any) {}, now.Add(10*time.Minute)); !strings.Contains(strings.Join(f, ","), "iat") {
		t.Errorf("future iat: failing %v", f)
	}
}

// TokenHash reproduces OIDC Core's own examples (Appendix A.4: at_hash,
// A.3: c_hash), and CheckClaims fails an ID token whose at_hash or
// c_hash is another access token's or code's.
func TestTokenHashAndTheIDTokensHashChecks(t *testing.T) {
	for value, want := range map[string]string{
		"jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y":                "77QmUPtjPfzWtF2AnpK9RQ",
		"Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk": "LDktKdoQak3Pk0cnXxCltA",
	} {
		if got, ok := TokenHash("RS256", value); !ok || got != want {
			t.Errorf("TokenHash(RS256, %s) = %q, want %q", value, got, want)
		}
	}
	if _, ok := TokenHash("none", "x"); ok {
		t.Error("alg none has no hash")
	}
	now := time.Now()
	at, _ := TokenHash("RS256", "the-access-token")
	ch, _ := TokenHash("RS256", "the-code")
	j, err := DecodeJWT(signed(t, now, time.Hour, func(c map[string]any) {
		c["aud"], c["nonce"], c["at_hash"], c["c_hash"] = []string{"skc_sandbox_client"}, "n1", at, ch
	}))
	if err != nil {
		t.Fatal(err)
	}
	want := Expect{Issuer: testIssuer, ClientID: "skc_sandbox_client", Nonce: "n1", AccessToken: "the-access-token", Code: "the-code"}
	failed := func(w Expect) (names []string, seen int) {
		for _, c := range CheckClaims(j, w, now, true) {
			if c.Name == "at_hash" || c.Name == "c_hash" {
				seen++
				if !c.OK {
					names = append(names, c.Name)
				}
			}
		}
		return names, seen
	}
	if f, seen := failed(want); len(f) != 0 || seen != 2 {
		t.Fatalf("matching hashes: failing %v, %d checked", f, seen)
	}
	other := want
	other.AccessToken, other.Code = "another-access-token", "another-code"
	if f, _ := failed(other); strings.Join(f, ",") != "at_hash,c_hash" {
		t.Errorf("another sign-in's token and code: failing %v", f)
	}
	if _, seen := failed(Expect{Issuer: testIssuer, ClientID: "skc_sandbox_client", Nonce: "n1"}); seen != 0 {
		t.Errorf("nothing to check against: %d hash checks made", seen)
	}
}

func TestGrantErrorFixNamesTheBinding(t *testing.T) {
	for desc, want := range map[string]string{
		"redirect_uri does not match":            "redirect_uri",
		"code_verifier does not match challenge": "verifier",
		"authorization code already used":        "already redeemed",
		"authorization code expired":             "expired",
	} {
		m, fix := GrantErrorFix("authorization_code", "invalid_grant", desc)
		if !strings.Contains(m, want) || fix == "" {
			t.Errorf("%q: %s / %s", desc, m, fix)
		}
	}
	if m, _ := GrantErrorFix("refresh_token", "invalid_grant", "refresh token was already used"); !strings.Contains(m, "works once") {
		t.Errorf("refresh: %s", m)
	}
}

package doctor

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/golang-jwt/jwt/v5"

	"github.com/authscope/authscope/internal/sandboxtest"
	"github.com/authscope/authscope/model"
)

// The tests' clock and issuer: a Scalekit development environment.
var (
	credNow = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	devIss  = "https://acme.scalekit.dev"
)

type keyPair struct {
	key  *rsa.PrivateKey
	kid  string
	jwks []byte
}

func newKeyPair(t *testing.T, kid string) keyPair {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	set := jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &k.PublicKey, KeyID: kid, Algorithm: "RS256", Use: "sig"}}}
	b, err := json.Marshal(set)
	if err != nil {
		t.Fatal(err)
	}
	return keyPair{key: k, kid: kid, jwks: b}
}

// mint signs claims with the key pair (RS256, its kid unless header says).
func (kp keyPair) mint(t *testing.T, claims jwt.MapClaims, header map[string]any) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"] = kp.kid
	for k, v := range header {
		if v == nil {
			delete(tok.Header, k)
			continue
		}
		tok.Header[k] = v
	}
	s, err := tok.SignedString(kp.key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func accessClaims(iss string, iat time.Time) jwt.MapClaims {
	return jwt.MapClaims{"iss": iss, "sub": "skc_123", "client_id": "skc_123", "iat": iat.Unix(), "nbf": iat.Unix(),
		"exp": iat.Add(24 * time.Hour).Unix(), "jti": "tkn_1", "scopes": []string{"openid"}}
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// examineCred runs the doctor on text with the key pair as the issuer's keys.
func examineCred(t *testing.T, text string, kp keyPair, opts Options) *Report {
	t.Helper()
	opts.Now = func() time.Time { return credNow }
	if opts.Credential.Keys == nil && kp.jwks != nil {
		opts.Credential.Keys = func(string) ([]byte, string, error) { return kp.jwks, "the test issuer's keys", nil }
	}
	rep, err := ExamineText(text, opts)
	if err != nil {
		t.Fatalf("ExamineText: %v", err)
	}
	if rep.Input != KindCredential {
		t.Fatalf("read as %s, not a credential", rep.Input)
	}
	return rep
}

func credChecks(rep *Report) []string {
	var out []string
	for _, f := range rep.Findings {
		out = append(out, f.Check+"/"+f.Severity)
	}
	return out
}

func hasCheck(rep *Report, check, sev string) bool {
	for _, f := range rep.Findings {
		if f.Check == check && (sev == "" || f.Severity == sev) {
			return true
		}
	}
	return false
}

// TestEachTokenDefectIsFound mints a token with each defect; each case's
// check is the one that finds it (remove the check and its case fails).
func TestEachTokenDefectIsFound(t *testing.T) {
	kp := newKeyPair(t, "snk_1")
	other := newKeyPair(t, "snk_1") // same kid, another key: a forgery
	pub, _ := x509.MarshalPKIXPublicKey(&kp.key.PublicKey)
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub})
	hs := jwt.NewWithClaims(jwt.SigningMethodHS256, accessClaims(devIss, credNow.Add(-time.Hour)))
	hs.Header["kid"] = "snk_1"
	hsToken, err := hs.SignedString(pubPEM) // HS256 "signed" with the public key
	if err != nil {
		t.Fatal(err)
	}
	fresh := accessClaims(devIss, credNow.Add(-time.Hour))
	idClaims := jwt.MapClaims{"iss": devIss, "sub": "usr_1", "aud": "skc_123", "nonce": "n1", "email": "a@b.c",
		"iat": credNow.Unix(), "exp": credNow.Add(time.Hour).Unix()}
	wrongAud := accessClaims(devIss, credNow.Add(-time.Hour))
	wrongAud["aud"] = []string{"skc_other"}
	skewed := accessClaims(devIss, credNow.Add(5*time.Minute))
	delete(skewed, "nbf")
	crit := kp.mint(t, fresh, map[string]any{"crit": []string{"exp"}})
	nested := accessClaims(devIss, credNow.Add(-time.Hour))
	nested["act"] = kp.mint(t, fresh, nil)

	cases := []struct {
		name, text, check, sev string
		opts                   Options
	}{
		{"valid", kp.mint(t, fresh, nil), "jwt-signature-ok", SevInfo, Options{}},
		{"expired", kp.mint(t, accessClaims(devIss, credNow.Add(-48*time.Hour)), nil), "jwt-expired", SevError, Options{}},
		{"not yet valid", kp.mint(t, accessClaims(devIss, credNow.Add(10*time.Minute)), nil), "jwt-not-yet-valid", SevError, Options{}},
		{"skewed iat", kp.mint(t, skewed, nil), "clock-skew", SevWarning, Options{}},
		{"--at makes it expired", kp.mint(t, fresh, nil), "jwt-expired", SevError,
			Options{Credential: CredentialOptions{At: credNow.Add(30 * time.Hour)}}},
		{"wrong aud", kp.mint(t, wrongAud, nil), "jwt-aud", SevError, Options{Credential: CredentialOptions{ClientID: "skc_123"}}},
		{"wrong iss for --env", kp.mint(t, fresh, nil), "env-mismatch", SevError, Options{Provider: "scalekit", Env: "production"}},
		{"wrong provider", kp.mint(t, fresh, nil), "provider-mismatch", SevError, Options{Provider: "scaling"}},
		{"alg none", b64(`{"alg":"none","typ":"JWT"}`) + "." + b64(`{"iss":"`+devIss+`","exp":1999999999}`) + ".", "jwt-alg-none", SevError, Options{}},
		{"HS256 with the public key", hsToken, "jwt-alg-hs", SevError, Options{}},
		{"unknown kid", kp.mint(t, fresh, map[string]any{"kid": "snk_404"}), "jwt-unknown-kid", SevError, Options{}},
		{"bad signature", other.mint(t, fresh, nil), "jwt-bad-signature", SevError, Options{}},
		{"kid absent", kp.mint(t, fresh, map[string]any{"kid": nil}), "jwt-no-kid", SevWarning, Options{}},
		{"ID token as Bearer", "Authorization: Bearer " + kp.mint(t, idClaims, nil), "jwt-id-as-access", SevError, Options{}},
		{"crit header", crit, "jwt-crit", SevWarning, Options{}},
		{"jku header", kp.mint(t, fresh, map[string]any{"jku": "https://evil.example/keys"}), "jwt-header-key", SevWarning, Options{}},
		{"nested JWT", kp.mint(t, nested, nil), "jwt-nested", SevWarning, Options{}},
		{"invalid base64url", "eyJhbGciOiJSUzI1NiJ9.e$$$.sig", "jwt-unreadable", SevError, Options{}},
		{"claims not an object", b64(`{"alg":"RS256"}`) + "." + b64(`[1,2]`) + ".c2ln", "jwt-unreadable", SevError, Options{}},
		{"1 MB claims", b64(`{"alg":"RS256","kid":"snk_1"}`) + "." + b64(`{"x":"`+strings.Repeat("a", 1<<20)+`"}`) + ".c2ln", "jwt-unreadable", SevError, Options{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rep := examineCred(t, tc.text, kp, tc.opts)
			if !hasCheck(rep, tc.check, tc.sev) {
				t.Errorf("no %s/%s finding; got %v", tc.check, tc.sev, credChecks(rep))
			}
			if tc.sev == SevError && (len(rep.Findings) == 0 || rep.Findings[0].Severity != SevError) {
				t.Errorf("an error is not first: %v", credChecks(rep))
			}
			assertNoSecret(t, rep, tc.text)
		})
	}
}

// assertNoSecret: the report as JSON holds no pasted secret in clear.
func assertNoSecret(t *testing.T, rep *Report, text string) {
	t.Helper()
	b, _ := json.Marshal(rep)
	out := string(b)
	for _, s := range rep.Secrets {
		if len(s) < 12 {
			continue
		}
		for _, form := range []string{s, base64.StdEncoding.EncodeToString([]byte(s)), url.QueryEscape(s)} {
			if strings.Contains(out, form) {
				t.Fatalf("the report shows a secret unmasked: %.40s…", form)
			}
		}
	}
	if len(text) > 40 && strings.Contains(out, strings.TrimSpace(text)) {
		t.Fatalf("the report shows the paste unmasked")
	}
}

func TestIssuerNamesProviderAndEnvironment(t *testing.T) {
	kp := newKeyPair(t, "snk_1")
	for iss, want := range map[string]string{
		"https://acme.scalekit.dev":      "scalekit/development",
		"https://acme.scalekit.com":      "scalekit/production",
		"http://127.0.0.1:8787/scalekit": "scalekit/sandbox",
		"https://auth.example.com":       "scalekit/custom", // kid snk_, client_id skc_
	} {
		rep := examineCred(t, kp.mint(t, accessClaims(iss, credNow), nil), kp, Options{})
		if got := rep.Provider + "/" + rep.Environment; got != want {
			t.Errorf("iss %s read as %s, want %s", iss, got, want)
		}
		if !strings.HasPrefix(rep.ProviderFrom, "detected from") {
			t.Errorf("iss %s: provider_from %q", iss, rep.ProviderFrom)
		}
	}
	// Nothing names a provider: neutral, and --provider is said to be assumed.
	rep := examineCred(t, "Bearer opaque-token-0123456789", keyPair{}, Options{Provider: "scaling"})
	if !strings.HasPrefix(rep.ProviderFrom, "assumed") {
		t.Errorf("provider_from %q, want assumed", rep.ProviderFrom)
	}
}

func TestBasicAndKeyChecks(t *testing.T) {
	enc := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	cases := []struct{ name, text, check, sev string }{
		{"scale ok", "Authorization: Basic " + enc("live_ScaleRocks:"), "basic-ok", SevInfo},
		{"no colon", "Basic " + enc("live_0123456789abcdef0123456789abcdef"), "basic-no-colon", SevError},
		{"password", "Basic " + enc("live_0123456789abcdef0123456789abcdef:hunter2"), "basic-scale-password", SevWarning},
		{"scaling key in basic", "Basic " + enc("scl_live_0123456789abcdef0123456789abcdef:"), "wrong-scheme", SevError},
		{"not base64", "Basic live_0123456789abcdef0123456789abcdef:", "basic-not-base64", SevError},
		{"bearer twice", "Authorization: Bearer Bearer scl_live_0123456789abcdef0123456789abcdef", "scheme-twice", SevError},
		{"quoted", `Bearer "scl_live_0123456789abcdef0123456789abcdef"`, "quoted", SevError},
		{"one short", "scl_live_0123456789abcdef0123456789abcde", "credential-shape", SevWarning},
		{"zero width", "scl_live_0123456789abcdef\u200b0123456789abcdef", "credential-shape", SevWarning},
		{"scale key as bearer", "Bearer live_0123456789abcdef0123456789abcdef", "wrong-scheme", SevError},
		{"no scheme", "Authorization: scl_live_0123456789abcdef0123456789abcdef", "no-scheme", SevError},
		{"scaling ok", "scl_live_0123456789abcdef0123456789abcdef", "key-shape-ok", SevInfo},
		{"client id alone", "skc_123456", "client-id-as-key", SevWarning},
		{"client pair", "SCALEKIT_CLIENT_ID=skc_123\nSCALEKIT_CLIENT_SECRET=secret_value_0123456789", "client-pair", SevInfo},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rep := examineCred(t, tc.text, keyPair{}, Options{})
			if !hasCheck(rep, tc.check, tc.sev) {
				t.Errorf("no %s/%s finding; got %v", tc.check, tc.sev, credChecks(rep))
			}
			assertNoSecret(t, rep, tc.text)
		})
	}
}

func TestJWKSAndDiscovery(t *testing.T) {
	kp := newKeyPair(t, "snk_1")
	var many strings.Builder
	many.WriteString(`{"keys":[`)
	for i := range 10000 {
		if i > 0 {
			many.WriteString(",")
		}
		fmt.Fprintf(&many, `{"kty":"RSA","kid":"k%d","n":"AQAB","e":"AQAB"}`, i)
	}
	many.WriteString("]}")
	cases := []struct{ name, text, check, sev string }{
		{"listed", string(kp.jwks), "jwks-keys", SevInfo},
		{"10,000 keys", many.String(), "jwks-many", SevWarning},
		{"unknown kty", `{"keys":[{"kty":"QUANTUM","kid":"q1"}]}`, "jwks-unknown-kty", SevWarning},
		{"private key", `{"keys":[{"kty":"RSA","kid":"p1","n":"AQAB","e":"AQAB","d":"AQAB"}]}`, "jwks-private", SevError},
		{"discovery http", `{"issuer":"https://acme.scalekit.dev","token_endpoint":"http://acme.scalekit.dev/oauth/token","jwks_uri":"https://acme.scalekit.dev/keys"}`, "discovery-http", SevError},
		{"discovery other host", `{"issuer":"https://acme.scalekit.dev","token_endpoint":"https://evil.example/oauth/token","jwks_uri":"https://acme.scalekit.dev/keys"}`, "discovery-origin", SevWarning},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			rep := examineCred(t, tc.text, keyPair{}, Options{})
			if !hasCheck(rep, tc.check, tc.sev) {
				t.Errorf("no %s/%s finding; got %v", tc.check, tc.sev, credChecks(rep))
			}
			if len(rep.Credential.Keys) > maxJWKSKeys {
				t.Errorf("%d keys listed", len(rep.Credential.Keys))
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

// TestTokenResponseFromTheSandbox reads real tokens: the sandbox's token
// endpoint answer, and its access token alone, verified with its keys.
func TestTokenResponseFromTheSandbox(t *testing.T) {
	base := sandboxtest.Start(t) + "/scalekit"
	resp, err := http.PostForm(base+"/oauth/token", url.Values{"grant_type": {"client_credentials"},
		"client_id": {"skc_sandbox_client"}, "client_secret": {"sandbox_client_secret"}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(body)
	keys := func(iss string) ([]byte, string, error) {
		r, err := http.Get(iss + "/keys")
		if err != nil {
			return nil, "", err
		}
		defer r.Body.Close()
		var v json.RawMessage
		err = json.NewDecoder(r.Body).Decode(&v)
		return v, "the sandbox's keys", err
	}
	for name, text := range map[string]string{"response": string(raw), "token": body["access_token"].(string)} {
		rep, err := ExamineText(text+"\n", Options{Credential: CredentialOptions{Keys: keys}})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Provider != "scalekit" || rep.Environment != "sandbox" || !hasCheck(rep, "jwt-signature-ok", SevInfo) {
			t.Errorf("%s: %s/%s %v", name, rep.Provider, rep.Environment, credChecks(rep))
		}
		for _, f := range rep.Findings {
			if f.Severity != SevInfo {
				t.Errorf("%s: a fresh sandbox token has a finding: %+v", name, f)
			}
		}
		assertNoSecret(t, rep, text)
	}
	_ = model.MaskRune
}

// TestRedactAPastedCredential: --redact writes each shape back with its
// secret replaced (fails if Redact reads the paste as an error body).
func TestRedactAPastedCredential(t *testing.T) {
	kp := newKeyPair(t, "snk_1")
	tok := kp.mint(t, accessClaims(devIss, credNow), nil)
	sig := tok[strings.LastIndex(tok, ".")+1:]
	for text, secret := range map[string]string{
		"Authorization: Basic " + base64.StdEncoding.EncodeToString([]byte("live_0123456789abcdef0123456789abcdef:")) + "\r\r": "live_0123456789abcdef0123456789abcdef",
		"Bearer scl_live_0123456789abcdef0123456789abcdef\n":                                                                   "0123456789abcdef0123456789abcdef",
		"skc_1\nsecret_0123456789abcdefghij\n":                                                                                 "secret_0123456789abcdefghij",
		tok + "\n":                                                                                                             sig,
		`{"access_token":"` + tok + `","token_type":"Bearer"}`:                                                                 sig,
	} {
		out, err := Redact([]byte(text), Options{})
		if err != nil {
			t.Fatalf("%.30q: %v", text, err)
		}
		for _, f := range []string{secret, base64.StdEncoding.EncodeToString([]byte(secret + ":"))} {
			if strings.Contains(string(out), f) {
				t.Errorf("%.30q: the redacted copy holds the secret: %.80q", text, out)
			}
		}
	}
}

// TestKeysThatCannotBeRead: a JWKS that is not one, or whose only key is
// of an unknown type, verifies nothing and accuses no one; an unknown key
// beside the right one is skipped.
func TestKeysThatCannotBeRead(t *testing.T) {
	kp := newKeyPair(t, "snk_1")
	tok := kp.mint(t, accessClaims(devIss, credNow), nil)
	mixed := strings.Replace(string(kp.jwks), `"keys":[`, `"keys":[{"kty":"QUANTUM","kid":"q"},`, 1)
	for name, tc := range map[string]struct{ jwks, check string }{
		"not a JWKS":       {`[1,2,3]`, "jwks-unreadable"},
		"unknown kty only": {`{"keys":[{"kty":"QUANTUM","kid":"snk_1"}]}`, "jwks-unreadable"},
		"unknown beside":   {mixed, "jwt-signature-ok"},
	} {
		rep := examineCred(t, tok, keyPair{}, Options{Credential: CredentialOptions{JWKS: []byte(tc.jwks), JWKSFrom: "the test keys"}})
		if !hasCheck(rep, tc.check, "") || hasCheck(rep, "jwt-bad-signature", "") {
			t.Errorf("%s: %v", name, credChecks(rep))
		}
	}
}

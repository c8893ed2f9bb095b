package authschemes

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/golang-jwt/jwt/v5"
)

const testIssuer = "https://acme.scalekit.dev"

var (
	keyOnce sync.Once
	testKey *rsa.PrivateKey
)

func rsaKey(t testing.TB) *rsa.PrivateKey {
	keyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		testKey = k
	})
	return testKey
}

func jwksFor(t testing.TB, kid string, key *rsa.PublicKey) []byte {
	b, err := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: key, KeyID: kid, Algorithm: "RS256", Use: "sig"}}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// signed makes a Scalekit-shaped access token, as the sandbox mints them.
func signed(t testing.TB, iat time.Time, ttl time.Duration, mutate func(map[string]any)) string {
	claims := jwt.MapClaims{
		"iss": testIssuer, "sub": "skc_sandbox_client", "client_id": "skc_sandbox_client",
		"iat": iat.Unix(), "nbf": iat.Unix(), "exp": iat.Add(ttl).Unix(), "jti": "tkn_1", "scopes": []string{"openid"},
	}
	if mutate != nil {
		mutate(map[string]any(claims))
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"] = "snk_1"
	s, err := tok.SignedString(rsaKey(t))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestDecodeJWT(t *testing.T) {
	iat := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	raw := signed(t, iat, 24*time.Hour, nil)
	j, err := DecodeJWT(raw)
	if err != nil {
		t.Fatal(err)
	}
	if j.Alg != "RS256" || j.KeyID != "snk_1" || j.Raw != raw {
		t.Fatalf("alg %q kid %q", j.Alg, j.KeyID)
	}
	if !j.IssuedAt.Equal(iat) || !j.NotBefore.Equal(iat) || !j.ExpiresAt.Equal(iat.Add(24*time.Hour)) {
		t.Fatalf("times %v %v %v", j.IssuedAt, j.NotBefore, j.ExpiresAt)
	}
	if c, ok := j.Claim("scopes"); !ok || c.Value != `["openid"]` || c.Meaning == "" {
		t.Fatalf("scopes claim %+v", c)
	}
	if c, _ := j.Claim("iss"); c.Value != testIssuer {
		t.Fatalf("iss %q", c.Value)
	}
	// JSON never carries the token itself.
	b, _ := json.Marshal(j)
	if strings.Contains(string(b), raw) {
		t.Fatal("JWT marshals its raw token")
	}
}

func TestDecodeJWTKeepsClaimOrder(t *testing.T) {
	enc := base64.RawURLEncoding.EncodeToString
	raw := enc([]byte(`{"alg":"RS256","kid":"k"}`)) + "." + enc([]byte(`{"zeta":1,"alpha":"a","exp":1795488044.5}`)) + ".c2ln"
	j, err := DecodeJWT(raw)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range j.Claims {
		names = append(names, c.Name)
	}
	if strings.Join(names, ",") != "zeta,alpha,exp" {
		t.Fatalf("order %v", names)
	}
	if j.ExpiresAt.UnixMilli() != 1795488044500 {
		t.Fatalf("fractional exp %v", j.ExpiresAt)
	}
}

func TestDecodeJWTRefusesMalformed(t *testing.T) {
	enc := base64.RawURLEncoding.EncodeToString
	good := enc([]byte(`{"alg":"RS256"}`))
	claims := enc([]byte(`{"sub":"x"}`))
	cases := map[string]string{
		"two parts":        good + "." + claims,
		"one part":         "not-a-jwt",
		"five parts (JWE)": "a.b.c.d.e",
		"bad base64":       good + ".!!!." + "c2ln",
		"bad json":         good + "." + enc([]byte(`{"sub":`)) + ".c2ln",
		"json array":       good + "." + enc([]byte(`["sub"]`)) + ".c2ln",
		"trailing json":    good + "." + enc([]byte(`{"a":1}{"b":2}`)) + ".c2ln",
		"alg none":         enc([]byte(`{"alg":"none"}`)) + "." + claims + ".c2ln",
		"alg NoNe":         enc([]byte(`{"alg":"NoNe"}`)) + "." + claims + ".c2ln",
		"no alg":           enc([]byte(`{"typ":"JWT"}`)) + "." + claims + ".c2ln",
		"empty signature":  good + "." + claims + ".",
		"duplicate claim":  good + "." + enc([]byte(`{"sub":"a","sub":"b"}`)) + ".c2ln",
		"exp not a number": good + "." + enc([]byte(`{"exp":"tomorrow"}`)) + ".c2ln",
		"exp negative":     good + "." + enc([]byte(`{"exp":-5}`)) + ".c2ln",
		"invalid utf-8":    good + "." + enc([]byte("{\"sub\":\"\xff\"}")) + ".\xff",
		"too long":         good + "." + strings.Repeat("a", 70<<10) + ".c2ln",
	}
	for name, raw := range cases {
		if j, err := DecodeJWT(raw); err == nil {
			t.Errorf("%s: decoded %+v", name, j)
		}
	}
	if _, err := DecodeJWT(enc([]byte(`{"alg":"none"}`)) + "." + claims + ".c2ln"); err == nil || !strings.Contains(err.Error(), "RFC 8725") {
		t.Errorf("alg none error should say why: %v", err)
	}
}

func TestVerifyJWKS(t *testing.T) {
	now := time.Now()
	key := rsaKey(t)
	jwks := jwksFor(t, "snk_1", &key.PublicKey)

	v := VerifyJWKS(signed(t, now, time.Hour, nil), jwks, testIssuer+"/", now)
	if !v.Valid || v.Err != nil || v.KeyID != "snk_1" || v.Alg != "RS256" {
		t.Fatalf("a good token: %+v", v)
	}

	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	good := signed(t, now, time.Hour, nil)
	parts := strings.Split(good, ".")
	forgedClaims := base64.RawURLEncoding.EncodeToString([]byte(`{"iss":"` + testIssuer + `","sub":"admin","exp":` + jsonNum(now.Add(time.Hour).Unix()) + `}`))
	hs := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"iss": testIssuer, "exp": now.Add(time.Hour).Unix()})
	hs.Header["kid"] = "snk_1"
	hsToken, _ := hs.SignedString([]byte("guess"))

	cases := []struct {
		name, token string
		jwks        []byte
		issuer      string
		want        string
	}{
		{"tampered claims", parts[0] + "." + forgedClaims + "." + parts[2], jwks, testIssuer, "signature does not match"},
		{"signed by another key", good, jwksFor(t, "snk_1", &other.PublicKey), testIssuer, "signature does not match"},
		{"expired", signed(t, now.Add(-2*time.Hour), time.Hour, nil), jwks, testIssuer, "expired"},
		{"not yet valid", signed(t, now, time.Hour, func(c map[string]any) { c["nbf"] = now.Add(time.Hour).Unix() }), jwks, testIssuer, "not valid yet"},
		{"no exp", signed(t, now, time.Hour, func(c map[string]any) { delete(c, "exp") }), jwks, testIssuer, "no exp"},
		{"wrong issuer", good, jwks, "https://other.scalekit.com", "issuer"},
		{"unknown kid", good, jwksFor(t, "snk_rotated", &key.PublicKey), testIssuer, "no key \"snk_1\""},
		{"HS256 with the public key as secret", hsToken, jwks, testIssuer, "HS256, not a public-key signing method"},
		{"not a JWKS", good, []byte(`<html>`), testIssuer, "not a JSON Web Key Set"},
	}
	for _, c := range cases {
		v := VerifyJWKS(c.token, c.jwks, c.issuer, now)
		if v.Valid || v.Err == nil || !strings.Contains(v.Err.Error(), c.want) {
			t.Errorf("%s: %+v, want an error saying %q", c.name, v, c.want)
		}
	}
}

func jsonNum(n int64) string { b, _ := json.Marshal(n); return string(b) }

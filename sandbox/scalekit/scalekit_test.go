package scalekit

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/sandbox/internal/sbtest"
	"github.com/authscope/authscope/sandbox/wire"
	"github.com/go-jose/go-jose/v4"
	"github.com/golang-jwt/jwt/v5"
)

func basicClient(id, secret string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id)+":"+url.QueryEscape(secret)))
}

// token fetches an access token with the demo client.
var jwtShape = regexp.MustCompile(`^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$`)

// The success body is exactly Scalekit's, with no-store headers, and the
// token is an RS256 JWT with the header and claims DESIGN.md lists.
func TestScalekitTokenSuccess(t *testing.T) {
	sb := newSandbox(t)
	for _, c := range []struct {
		name    string
		body    string
		headers []string
	}{
		{"client_secret_post", sbtest.TokenForm, []string{"Content-Type", sbtest.FormType}},
		{"client_secret_basic", "grant_type=client_credentials", []string{"Content-Type", sbtest.FormType, "Authorization", basicClient(sbtest.ClientID, sbtest.ClientSecret)}},
		{"basic with the same client_id in the body", "grant_type=client_credentials&client_id=" + sbtest.ClientID, []string{"Content-Type", sbtest.FormType, "Authorization", basicClient(sbtest.ClientID, sbtest.ClientSecret)}},
		{"stale Bearer header ignored", sbtest.TokenForm, []string{"Content-Type", sbtest.FormType, "Authorization", "Bearer eyJhbGciOiJSUzI1NiJ9.e30.old"}},
		{"content type with charset", sbtest.TokenForm, []string{"Content-Type", sbtest.FormType + "; charset=utf-8"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			sb := sb.with(t)
			a := sb.Do("POST", "/scalekit/oauth/token", c.body, c.headers...)
			var body struct {
				AccessToken string `json:"access_token"`
			}
			json.Unmarshal([]byte(a.Body), &body)
			if !jwtShape.MatchString(body.AccessToken) {
				t.Fatalf("access_token %q is not a JWT (%d %s)", body.AccessToken, a.Status, a.Body)
			}
			sb.ExpectGolden("scalekit_token_ok", a, body.AccessToken, "<jwt>")
			checkTokenClaims(t, body.AccessToken, sb.URL+"/scalekit", 86400)
		})
	}
}

// checkTokenClaims decodes the JWT by hand (no library would show the
// field order) and checks header and claims byte for byte where fixed.
func checkTokenClaims(t *testing.T, raw, issuer string, ttl int64) {
	t.Helper()
	parts := strings.Split(raw, ".")
	header, err1 := base64.RawURLEncoding.DecodeString(parts[0])
	payload, err2 := base64.RawURLEncoding.DecodeString(parts[1])
	if err1 != nil || err2 != nil {
		t.Fatalf("undecodable JWT: %v %v", err1, err2)
	}
	if !regexp.MustCompile(`^\{"alg":"RS256","kid":"snk_[1-9][0-9]{16}","typ":"JWT"\}$`).Match(header) {
		t.Errorf("JWT header %s", header)
	}
	iat := sbtest.FixedNow.Unix()
	want := `{"iss":"` + issuer + `","sub":"` + sbtest.ClientID + `","client_id":"` + sbtest.ClientID + `","iat":` + strconv.FormatInt(iat, 10) +
		`,"nbf":` + strconv.FormatInt(iat, 10) + `,"exp":` + strconv.FormatInt(iat+ttl, 10) + `,"jti":"tkn_JTI","scopes":["openid"]}`
	got := regexp.MustCompile(`"jti":"tkn_[1-9][0-9]{16}"`).ReplaceAllString(string(payload), `"jti":"tkn_JTI"`)
	if got != want {
		t.Errorf("claims\n got %s\nwant %s", payload, want)
	}
}

// A token the sandbox issued verifies against the sandbox's own JWKS,
// read with go-jose and checked with golang-jwt, as a client would.
func TestScalekitTokenVerifiesAgainstJWKS(t *testing.T) {
	sb := newSandbox(t)
	raw := sb.Token("")
	a := sb.Get("/scalekit/keys")
	if a.Status != 200 {
		t.Fatalf("JWKS: %d %s", a.Status, a.Body)
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal([]byte(a.Body), &set); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^\{"keys":\[\{"use":"sig","kty":"RSA","kid":"snk_[0-9]{17}","alg":"RS256","n":"[A-Za-z0-9_-]{342}","e":"AQAB"\}\]\}$`).MatchString(a.Body) {
		t.Errorf("JWKS body %s", a.Body)
	}
	claims := jwt.MapClaims{}
	tok, err := jwt.ParseWithClaims(raw, claims, func(tok *jwt.Token) (any, error) {
		kid, _ := tok.Header["kid"].(string)
		keys := set.Key(kid)
		if len(keys) != 1 {
			t.Fatalf("kid %q: %d keys in the JWKS", kid, len(keys))
		}
		return keys[0].Key, nil
	}, jwt.WithValidMethods([]string{"RS256"}), jwt.WithIssuer(sb.URL+"/scalekit"),
		jwt.WithTimeFunc(func() time.Time { return sbtest.FixedNow.Add(time.Hour) }))
	if err != nil || !tok.Valid {
		t.Fatalf("the sandbox's token does not verify against its JWKS: %v", err)
	}
	if claims["sub"] != sbtest.ClientID {
		t.Errorf("sub %v", claims["sub"])
	}
	// The same key signs every token: a second one verifies with the same JWKS.
	second := sb.Token("")
	if _, err := jwt.Parse(second, func(*jwt.Token) (any, error) { return set.Keys[0].Key, nil },
		jwt.WithTimeFunc(func() time.Time { return sbtest.FixedNow })); err != nil {
		t.Errorf("second token: %v", err)
	}
	if second == raw {
		t.Error("two tokens are identical: jti must differ")
	}
}

func TestScalekitTokenErrors(t *testing.T) {
	sb := newSandbox(t)
	form := []string{"Content-Type", sbtest.FormType}
	cases := []struct {
		name, method, body string
		headers            []string
	}{
		{"scalekit_token_wrong_secret_post", "POST", "grant_type=client_credentials&client_id=" + sbtest.ClientID + "&client_secret=wrong", form},
		{"scalekit_token_wrong_client_post", "POST", "grant_type=client_credentials&client_id=skc_other&client_secret=" + sbtest.ClientSecret, form},
		{"scalekit_token_wrong_secret_basic", "POST", "grant_type=client_credentials", append([]string{"Authorization", basicClient(sbtest.ClientID, "wrong")}, form...)},
		{"scalekit_token_undecodable_basic", "POST", "grant_type=client_credentials", append([]string{"Authorization", "Basic %%%"}, form...)},
		{"scalekit_token_unsupported_grant", "POST", "grant_type=password&client_id=" + sbtest.ClientID + "&client_secret=" + sbtest.ClientSecret, form},
		{"scalekit_token_missing_grant", "POST", "client_id=" + sbtest.ClientID + "&client_secret=" + sbtest.ClientSecret, form},
		{"scalekit_token_missing_secret", "POST", "grant_type=client_credentials&client_id=" + sbtest.ClientID, form},
		{"scalekit_token_missing_both", "POST", "grant_type=client_credentials", form},
		{"scalekit_token_two_methods", "POST", sbtest.TokenForm, append([]string{"Authorization", basicClient(sbtest.ClientID, sbtest.ClientSecret)}, form...)},
		{"scalekit_token_basic_id_mismatch", "POST", "grant_type=client_credentials&client_id=skc_other", append([]string{"Authorization", basicClient(sbtest.ClientID, sbtest.ClientSecret)}, form...)},
		{"scalekit_token_repeated_param", "POST", sbtest.TokenForm + "&client_id=" + sbtest.ClientID, form},
		{"scalekit_token_json_body", "POST", `{"grant_type":"client_credentials"}`, []string{"Content-Type", "application/json"}},
		{"scalekit_token_credentials_in_query_only", "POST", "grant_type=client_credentials", form},
		{"scalekit_token_ttl_zero", "POST", sbtest.TokenForm + "&" + TTLField + "=0", form},
		{"scalekit_token_ttl_too_long", "POST", sbtest.TokenForm + "&" + TTLField + "=86401", form},
		{"scalekit_token_get", "GET", "", nil},
		{"scalekit_token_too_large", "POST", sbtest.TokenForm + "&pad=" + strings.Repeat("a", wire.MaxBody), form},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sb := sb.with(t)
			path := "/scalekit/oauth/token"
			if strings.Contains(c.name, "in_query") {
				path += "?client_id=" + sbtest.ClientID + "&client_secret=" + sbtest.ClientSecret
			}
			sb.ExpectGolden(c.name, sb.Do(c.method, path, c.body, c.headers...))
		})
	}
}

// authscope_ttl shortens the token, and the API then refuses it once the
// clock passes exp.
func TestScalekitShortTTLExpires(t *testing.T) {
	sb := newSandbox(t)
	a := sb.Do("POST", "/scalekit/oauth/token", sbtest.TokenForm+"&"+TTLField+"=60", "Content-Type", sbtest.FormType)
	var body struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int64  `json:"expires_in"`
	}
	json.Unmarshal([]byte(a.Body), &body)
	if a.Status != 200 || body.ExpiresIn != 59 {
		t.Fatalf("ttl 60: %d expires_in %d (%s)", a.Status, body.ExpiresIn, a.Body)
	}
	checkTokenClaims(t, body.AccessToken, sb.URL+"/scalekit", 60)
	bearer := "Bearer " + body.AccessToken
	if a := sb.Get("/scalekit/api/v1/organizations", "Authorization", bearer); a.Status != 200 {
		t.Fatalf("fresh token refused: %d %s", a.Status, a.Body)
	}
	sb.Clock.Set(sbtest.FixedNow.Add(61 * time.Second))
	sb.ExpectGolden("scalekit_api_expired", sb.Get("/scalekit/api/v1/organizations", "Authorization", bearer))
}

func TestScalekitAPIAuthFailures(t *testing.T) {
	sb := newSandbox(t)
	good := sb.Token("")
	parts := strings.Split(good, ".")
	sig := []byte(parts[2])
	// One character of the signature changed, to another base64url one.
	if sig[10] == 'A' {
		sig[10] = 'B'
	} else {
		sig[10] = 'A'
	}
	tampered := parts[0] + "." + parts[1] + "." + string(sig)
	otherSandbox := newSandbox(t).Token("")

	// The "Token empty" body is the seeds', byte for byte.
	const tokenEmpty = `{"code":16,"message":"Token empty","details":[{"@type":"type.googleapis.com/scalekit.v1.errdetails.ErrorInfo","error_code":"UNAUTHENTICATED"}]}`
	for _, auth := range []string{"", "Basic " + good, good, "bearer " + good, "Bearer "} {
		a := sb.Get("/scalekit/api/v1/organizations", "Authorization", auth)
		if a.Status != 401 || a.Body != tokenEmpty {
			t.Errorf("Authorization %.12q: %d %s", auth, a.Status, a.Body)
		}
		a.RequestID(t)
	}
	for name, token := range map[string]string{
		"scalekit_api_malformed": "not.a.jwt",
		"scalekit_api_tampered":  tampered,
		"scalekit_api_other_key": otherSandbox,
		"scalekit_api_alg_none":  base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + parts[1] + ".",
	} {
		t.Run(name, func(t *testing.T) {
			sb := sb.with(t)
			sb.ExpectGolden(name, sb.Get("/scalekit/api/v1/organizations", "Authorization", "Bearer "+token))
		})
	}
	// A token is bound to the environment URL it was issued for.
	t.Run("scalekit_api_issuer_another", func(t *testing.T) {
		sb := sb.with(t)
		a := sb.Get("/scalekit/api/v1/organizations", "Authorization", "Bearer "+good, "Host", "localhost:1")
		sb.ExpectGolden("scalekit_api_issuer_another", a)
	})
}

func TestScalekitGoldens(t *testing.T) {
	sb := newSandbox(t)
	bearer := []string{"Authorization", "Bearer " + sb.Token("")}
	cases := []struct {
		name, method, path string
		headers            []string
	}{
		{"scalekit_orgs_default", "GET", "/scalekit/api/v1/organizations", bearer},
		{"scalekit_orgs_external_id", "GET", "/scalekit/api/v1/organizations?external_id=acme-corp", bearer},
		{"scalekit_orgs_external_id_none", "GET", "/scalekit/api/v1/organizations?external_id=nobody", bearer},
		{"scalekit_orgs_page_size_1", "GET", "/scalekit/api/v1/organizations?page_size=1", bearer},
		{"scalekit_orgs_page_size_0", "GET", "/scalekit/api/v1/organizations?page_size=0", bearer},
		{"scalekit_orgs_page_size_minus_1", "GET", "/scalekit/api/v1/organizations?page_size=-1", bearer},
		{"scalekit_orgs_page_size_101", "GET", "/scalekit/api/v1/organizations?page_size=101", bearer},
		{"scalekit_orgs_bad_page_token", "GET", "/scalekit/api/v1/organizations?page_size=10&page_token=not-a-token", bearer},
		{"scalekit_org", "GET", "/scalekit/api/v1/organizations/" + model.SandboxOrgID, bearer},
		{"scalekit_org_not_found", "GET", "/scalekit/api/v1/organizations/org_doesnotexist", bearer},
		{"scalekit_orgs_rate_limited", "GET", "/scalekit/api/v1/organizations", append([]string{wire.WhatIfHeader, "rate-limit"}, bearer...)},
		{"scalekit_orgs_put", "PUT", "/scalekit/api/v1/organizations", bearer},
		{"scalekit_unknown_path", "GET", "/scalekit/api/v2/whatever", nil},
		{"scalekit_discovery", "GET", "/scalekit/.well-known/openid-configuration", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sb := sb.with(t)
			sb.ExpectGolden(c.name, sb.Do(c.method, c.path, "", c.headers...))
		})
	}
}

type orgPage struct {
	NextPageToken string `json:"next_page_token"`
	TotalSize     int    `json:"total_size"`
	Organizations []struct {
		ID string `json:"id"`
	} `json:"organizations"`
	PrevPageToken string `json:"prev_page_token"`
}

// next_page_token walks every organization once; prev_page_token walks
// back to the first page.
func TestScalekitPagesForwardAndBack(t *testing.T) {
	sb := newSandbox(t)
	bearer := "Bearer " + sb.Token("")
	fetch := func(query string) orgPage {
		a := sb.Get("/scalekit/api/v1/organizations?"+query, "Authorization", bearer)
		var p orgPage
		if a.Status != 200 || json.Unmarshal([]byte(a.Body), &p) != nil {
			t.Fatalf("%s: %d %s", query, a.Status, a.Body)
		}
		return p
	}
	var seen []string
	var pages []orgPage
	for p := fetch("page_size=10"); ; p = fetch("page_size=10&page_token=" + p.NextPageToken) {
		pages = append(pages, p)
		for _, o := range p.Organizations {
			seen = append(seen, o.ID)
		}
		if p.NextPageToken == "" {
			break
		}
	}
	if len(seen) != len(orgRows) || pages[0].TotalSize != len(orgRows) || len(pages) != 3 {
		t.Fatalf("saw %d organizations in %d pages, want %d in 3", len(seen), len(pages), len(orgRows))
	}
	if pages[0].PrevPageToken != "" {
		t.Errorf("first page has prev_page_token %q", pages[0].PrevPageToken)
	}
	back := fetch("page_size=10&page_token=" + pages[2].PrevPageToken)
	if back.Organizations[0].ID != pages[1].Organizations[0].ID {
		t.Errorf("prev_page_token of page 3 leads to %s, want page 2 starting %s", back.Organizations[0].ID, pages[1].Organizations[0].ID)
	}
}

func TestScalekitKeyIsMadeOnFirstUse(t *testing.T) {
	sb := newSandbox(t)
	sb.Get("/scaling/v1/incidents", "Authorization", sbtest.ScalingBearer)
	sb.Get("/scalekit/api/v1/organizations")
	if sb.svc.keys.key != nil {
		t.Fatal("the RSA key exists before any token or JWKS request")
	}
	sb.Token("")
	if sb.svc.keys.key == nil || sb.svc.keys.key.N.BitLen() != 2048 {
		t.Fatal("no RSA-2048 key after a token request")
	}
}

func TestScalekitJWKSAndDiscoveryHeaders(t *testing.T) {
	sb := newSandbox(t)
	a := sb.Get("/scalekit/keys")
	if a.Status != 200 || a.Header.Get("Content-Type") != "application/json" {
		t.Errorf("JWKS: %d %s", a.Status, a.Header.Get("Content-Type"))
	}
	a = sb.Get("/scalekit/.well-known/openid-configuration")
	var d map[string]any
	json.Unmarshal([]byte(a.Body), &d)
	if d["jwks_uri"] != sb.URL+"/scalekit/keys" || d["token_endpoint"] != sb.URL+"/scalekit/oauth/token" {
		t.Errorf("discovery points elsewhere: %s", a.Body)
	}
	if a := sb.Do(http.MethodDelete, "/scalekit/keys", ""); a.Status != 405 {
		t.Errorf("DELETE /keys: %d", a.Status)
	}
}

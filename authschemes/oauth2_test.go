package authschemes

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

var demoClient = Credentials{"client_id": "skc_sandbox_client", "client_secret": "sandbox_client_secret"}

func TestTokenRequestClientSecretPost(t *testing.T) {
	p := mustProvider(t, "scalekit")
	req, err := TokenRequest(p, "https://acme.scalekit.dev/", demoClient, ClientSecretPost)
	if err != nil {
		t.Fatal(err)
	}
	if req.Method != "POST" || req.URL != "https://acme.scalekit.dev/oauth/token" {
		t.Fatalf("%s %s", req.Method, req.URL)
	}
	if ct, _ := req.Header("Content-Type"); ct.Reveal() != "application/x-www-form-urlencoded" {
		t.Fatalf("content type %q", ct.Reveal())
	}
	if _, ok := req.Header("Authorization"); ok {
		t.Fatal("client_secret_post must not send Authorization")
	}
	form, err := url.ParseQuery(req.Body.Reveal())
	if err != nil {
		t.Fatal(err)
	}
	if form.Get("grant_type") != "client_credentials" || form.Get("client_id") != "skc_sandbox_client" ||
		form.Get("client_secret") != "sandbox_client_secret" || form.Has("scope") {
		t.Fatalf("form %v", form)
	}
	steps := ExchangeSteps(Exchange{Request: req})
	for _, s := range steps {
		if strings.Contains(s.Output.Masked(), "sandbox_client_secret") || strings.Contains(s.Input.Masked(), "sandbox_client_secret") {
			t.Errorf("step %q shows the secret when masked", s.Title)
		}
	}
	if raw := steps[1]; raw.Title != "Token request" || !strings.HasPrefix(raw.Output.Reveal(), "POST /oauth/token HTTP/1.1\r\nHost: acme.scalekit.dev\r\n") {
		t.Fatalf("raw request %q", raw.Output.Reveal())
	}
}

func TestTokenRequestClientSecretBasicEncodesEachPart(t *testing.T) {
	p := mustProvider(t, "scalekit")
	creds := Credentials{"client_id": "skc_a:b", "client_secret": "p&s=w rd"}
	req, err := TokenRequest(p, "http://127.0.0.1:1/scalekit", creds, ClientSecretBasic)
	if err != nil {
		t.Fatal(err)
	}
	auth, ok := req.Header("Authorization")
	if !ok {
		t.Fatal("no Authorization header")
	}
	b, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(auth.Reveal(), "Basic "))
	if err != nil {
		t.Fatal(err)
	}
	// RFC 6749 §2.3.1: form-encode, then join: the ':' in the id survives.
	if string(b) != "skc_a%3Ab:p%26s%3Dw+rd" {
		t.Fatalf("decoded pair %q", b)
	}
	if req.Body.Reveal() != "grant_type=client_credentials" {
		t.Fatalf("body %q", req.Body.Reveal())
	}
	// net/http agrees on the decoding.
	hr, _ := http.NewRequest("POST", req.URL, nil)
	hr.Header.Set("Authorization", auth.Reveal())
	u, pw, _ := hr.BasicAuth()
	if id, _ := url.QueryUnescape(u); id != "skc_a:b" {
		t.Fatalf("user %q", u)
	}
	if pwd, _ := url.QueryUnescape(pw); pwd != "p&s=w rd" {
		t.Fatalf("password %q", pw)
	}
}

func TestTokenRequestBadInput(t *testing.T) {
	p := mustProvider(t, "scalekit")
	for _, creds := range []Credentials{{}, {"client_id": "skc_x"}, {"client_id": " ", "client_secret": "s"}} {
		if _, err := TokenRequest(p, "http://127.0.0.1:1", creds, ClientSecretPost); err == nil {
			t.Errorf("%v: no error", creds)
		}
	}
	if _, err := TokenRequest(p, "http://127.0.0.1:1", demoClient, "jwt"); err == nil {
		t.Error("unknown client auth accepted")
	}
	if _, err := ParseClientAuth("client_secret_basic"); err != nil {
		t.Error(err)
	}
	if _, err := ParseClientAuth("private_key_jwt"); err == nil {
		t.Error("ParseClientAuth accepted an unsupported method")
	}
}

func TestParseTokenSuccessKeepsUnknownFields(t *testing.T) {
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	body := `{"access_token":"eyJ.a.b","token_type":"Bearer","expires_in":86399,"scope":"openid","refresh_hint":{"x":1}}`
	tok, te, err := ParseTokenResponse(200, http.Header{"Content-Type": {"application/json"}}, []byte(body), at)
	if err != nil || te != nil {
		t.Fatal(err, te)
	}
	if tok.AccessToken != "eyJ.a.b" || tok.TokenType != "Bearer" || tok.ExpiresIn != 86399 || tok.Scope != "openid" {
		t.Fatalf("%+v", tok)
	}
	if string(tok.Extra["refresh_hint"]) != `{"x":1}` || len(tok.Extra) != 1 {
		t.Fatalf("extra %v", tok.Extra)
	}
	if !tok.ExpiresAt().Equal(at.Add(86399 * time.Second)) {
		t.Fatalf("expires at %v", tok.ExpiresAt())
	}
	tok, _, err = ParseTokenResponse(200, nil, []byte(`{"access_token":"t","token_type":"bearer","expires_in":"3600"}`), at)
	if err != nil || tok.ExpiresIn != 3600 {
		t.Fatalf("string expires_in: %v %+v", err, tok)
	}
	tok, _, _ = ParseTokenResponse(200, nil, []byte(`{"access_token":"t"}`), at)
	if !tok.ExpiresAt().IsZero() {
		t.Fatal("no expires_in must mean no known expiry")
	}
}

func TestParseTokenErrors(t *testing.T) {
	body := `{"error":"invalid_client","error_description":"Client authentication failed","error_uri":"https://docs.example/errors"}`
	tok, te, err := ParseTokenResponse(401, nil, []byte(body), time.Now())
	if err != nil || tok != nil || te == nil {
		t.Fatal(tok, te, err)
	}
	if te.Status != 401 || te.Code != "invalid_client" || te.Description != "Client authentication failed" || te.URI != "https://docs.example/errors" {
		t.Fatalf("%+v", te)
	}
	if !strings.Contains(te.Error(), "401 invalid_client") {
		t.Fatalf("Error() = %q", te.Error())
	}
}

func TestParseTokenRefusesWhatIsNotAToken(t *testing.T) {
	html := http.Header{"Content-Type": {"text/html; charset=utf-8"}}
	huge := append([]byte(`{"access_token":"`), bytes.Repeat([]byte("a"), 20<<20)...) // 20 MB, unterminated
	cases := []struct {
		name   string
		status int
		header http.Header
		body   []byte
		want   string
	}{
		{"html 401 page", 401, html, []byte("<!DOCTYPE html><html><body>Unauthorized</body></html>"), "HTML page"},
		{"empty body", 200, nil, nil, "empty body"},
		{"plain text", 502, http.Header{"Content-Type": {"text/plain"}}, []byte("Bad Gateway"), "text/plain"},
		{"invalid utf-8", 200, nil, []byte("\xff\xfe\xfd"), "not a JSON object"},
		{"json array", 200, nil, []byte(`["access_token"]`), "not a JSON object"},
		{"no access_token", 200, nil, []byte(`{"token_type":"Bearer"}`), "without an access_token"},
		{"error status without error", 400, nil, []byte(`{"message":"no"}`), "not an RFC 6749 error"},
		{"bad expires_in", 200, nil, []byte(`{"access_token":"t","expires_in":"soon"}`), "expires_in"},
		{"trailing data", 200, nil, []byte(`{"access_token":"t"} {"x":1}`), "not a JSON object"},
		{"20 MB unterminated", 200, nil, huge, "not a JSON object"},
	}
	for _, c := range cases {
		tok, te, err := ParseTokenResponse(c.status, c.header, c.body, time.Now())
		if err == nil || tok != nil || te != nil {
			t.Errorf("%s: token %v, token error %v, err %v", c.name, tok, te, err)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %q, want it to say %q", c.name, err, c.want)
		}
		if len(err.Error()) > 200 {
			t.Errorf("%s: error is %d bytes; it must stay one line", c.name, len(err.Error()))
		}
	}
}

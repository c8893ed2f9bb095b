package authschemes

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/authscope/authscope/model"
)

// Single sign-on: the OAuth2 authorization code grant (RFC 6749 §4.1)
// with PKCE (RFC 7636) and OpenID Connect's ID token, as data and
// explained steps. Nothing here listens, sends or prints: package
// requests runs the loopback listener and the code exchange.

// PKCE is one proof key: the verifier stays in authscope, the challenge
// travels in the authorization URL.
type PKCE struct {
	Verifier  string // secret: 43–128 unreserved characters (RFC 7636 §4.1)
	Challenge string // BASE64URL(SHA256(verifier)) (§4.2)
	Method    string // always S256: "plain" sends the verifier itself through the browser
}

// NewPKCE makes a verifier from 32 random bytes (43 base64url
// characters, the RFC's recommendation) and its S256 challenge.
func NewPKCE(random io.Reader) (PKCE, error) {
	v, err := RandomString(random, 32)
	if err != nil {
		return PKCE{}, err
	}
	return PKCE{Verifier: v, Challenge: S256(v), Method: "S256"}, nil
}

// S256 is RFC 7636 §4.2's code_challenge for a verifier.
func S256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// RandomString is n random bytes as base64url without padding: state,
// nonce and verifier values.
func RandomString(random io.Reader, n int) (string, error) {
	if random == nil {
		random = rand.Reader
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(random, b); err != nil {
		return "", fmt.Errorf("no randomness for the flow's values: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// CheckVerifier says what is wrong with a verifier by RFC 7636 §4.1, or
// nil.
func CheckVerifier(v string) error {
	if n := len(v); n < 43 || n > 128 {
		return fmt.Errorf("a code_verifier is 43 to 128 characters (RFC 7636 §4.1), this one is %d", n)
	}
	for _, r := range v {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || strings.ContainsRune("-._~", r)) {
			return fmt.Errorf("a code_verifier holds only A-Z a-z 0-9 - . _ ~ (RFC 7636 §4.1), this one has %q", r)
		}
	}
	return nil
}

// CheckRedirectURI accepts what RFC 8252 and Scalekit accept: an http
// URI on a loopback IP literal or localhost (any port, §7.3), or any
// https URI. Anything else could hand the code to someone else.
func CheckRedirectURI(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("redirect URI %q is not an absolute URL", raw)
	}
	if u.Fragment != "" {
		return fmt.Errorf("redirect URI %q has a fragment, which RFC 6749 §3.1.2 forbids", raw)
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return nil
	case "http":
		if model.IsLoopback(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("redirect URI %q is plain http off loopback: the code would cross the network in clear; use https, or http://127.0.0.1:PORT for a native app (RFC 8252 §7.3)", raw)
	}
	return fmt.Errorf("redirect URI %q is neither loopback http nor https (RFC 8252 §7.3, §8.4)", raw)
}

// AuthRequest is the authorization request (RFC 6749 §4.1.1, OIDC Core
// §3.1.2.1) before it is sent to the browser.
type AuthRequest struct {
	Endpoint    string // {env}/oauth/authorize
	ClientID    string
	RedirectURI string
	Scope       string
	State       string
	Nonce       string
	PKCE        PKCE
	Route       string // organization_id, connection_id, domain, login_hint or ""
	RouteValue  string
	Prompt      string
}

// URLParam is one parameter of the authorization URL with what it is
// for and where it comes from.
type URLParam struct {
	Name    string `json:"name"`
	Value   string `json:"value"`
	Explain string `json:"explain"`
	RFC     string `json:"rfc"`
}

// Params lists the parameters in the order the SDKs send them.
func (a AuthRequest) Params() []URLParam {
	ps := []URLParam{
		{"response_type", "code", "ask for an authorization code, to be exchanged at the token endpoint", "RFC 6749 §4.1.1"},
		{"client_id", a.ClientID, "which application is asking", "RFC 6749 §4.1.1"},
		{"redirect_uri", a.RedirectURI, "where the browser brings the code back; must match at the token endpoint, character for character", "RFC 6749 §3.1.2, RFC 8252 §7.3"},
		{"scope", a.Scope, "openid asks for an ID token; profile and email for the user's name and address", "OIDC Core §3.1.2.1"},
		{"state", a.State, "an unguessable value the callback must bring back unchanged: a callback without it is forged (CSRF)", "RFC 6749 §10.12"},
		{"nonce", a.Nonce, "bound into the ID token: an ID token with another nonce was replayed", "OIDC Core §3.1.2.1"},
		{"code_challenge", a.PKCE.Challenge, "SHA-256 of the secret verifier: only who holds the verifier can redeem the code", "RFC 7636 §4.2"},
		{"code_challenge_method", a.PKCE.Method, "S256; plain would put the verifier itself in the browser's history", "RFC 7636 §4.3"},
	}
	switch a.Route {
	case "":
	case "domain":
		// The SDKs send both names for the same hint.
		ps = append(ps,
			URLParam{"domain_hint", a.RouteValue, "the organization whose verified domain this is", "Scalekit"},
			URLParam{"domain", a.RouteValue, "the same hint under the name older SDKs use", "Scalekit"})
	default:
		why := map[string]string{
			"organization_id": "send the user to this organization's SSO connection",
			"connection_id":   "send the user to this SSO connection directly",
			"login_hint":      "the user's email: Scalekit routes by its domain and pre-fills the identity provider's login",
		}[a.Route]
		rfc := "Scalekit"
		if a.Route == "login_hint" {
			rfc = "OIDC Core §3.1.2.1"
		}
		ps = append(ps, URLParam{a.Route, a.RouteValue, why, rfc})
	}
	if a.Prompt != "" {
		ps = append(ps, URLParam{"prompt", a.Prompt, "login forces a new sign-in even with a session", "OIDC Core §3.1.2.1"})
	}
	return ps
}

// URL is the authorization URL, parameters in Params' order.
func (a AuthRequest) URL() string {
	var q []string
	for _, p := range a.Params() {
		q = append(q, url.QueryEscape(p.Name)+"="+url.QueryEscape(p.Value))
	}
	sep := "?"
	if strings.Contains(a.Endpoint, "?") {
		sep = "&"
	}
	return a.Endpoint + sep + strings.Join(q, "&")
}

// Callback is what came back to the redirect URI (RFC 6749 §4.1.2).
type Callback struct {
	Code             string `json:"-"` // secret until redeemed
	State            string `json:"state"`
	Error            string `json:"error,omitempty"`
	ErrorDescription string `json:"error_description,omitempty"`
	ErrorURI         string `json:"error_uri,omitempty"`
	Issuer           string `json:"iss,omitempty"` // RFC 9207, when the server sends it
	Query            string `json:"-"`             // the raw query, code inside: secret
}

// ParseCallback reads the callback's query.
func ParseCallback(q url.Values) Callback {
	return Callback{Code: q.Get("code"), State: q.Get("state"), Error: q.Get("error"),
		ErrorDescription: q.Get("error_description"), ErrorURI: q.Get("error_uri"), Issuer: q.Get("iss"),
		Query: q.Encode()}
}

// CallbackError is a callback the flow cannot go on from.
type CallbackError struct {
	Kind        string // "error" (the server said no), "state" (missing or not ours), "code" (no code)
	Code        string // the error parameter, for Kind "error"
	Description string
	Meaning     string
	Fix         string
}

func (e *CallbackError) Error() string {
	switch e.Kind {
	case "error":
		msg := "the authorization server answered error=" + e.Code
		if e.Description != "" {
			msg += " (" + e.Description + ")"
		}
		return msg
	case "state":
		return e.Description
	}
	return "the callback carried no code"
}

// Check is the client's side of RFC 6749 §4.1.2 and §10.12: state first
// (a callback with another state is not an answer to this request, even
// if it says error), then the error, then the code.
func (c Callback) Check(wantState string) error {
	switch {
	case c.State == "":
		return &CallbackError{Kind: "state", Description: "the callback came back without state",
			Meaning: "The authorization server must return the state it was sent (RFC 6749 §4.1.2); without it the callback cannot be told from a forged one (CSRF, §10.12).",
			Fix:     "Start the sign-in again from authscope; if it keeps happening, a proxy or the app's routing drops the query string."}
	case c.State != wantState:
		return &CallbackError{Kind: "state", Description: "the callback's state is not the one this sign-in sent",
			Meaning: "A callback whose state does not match was started elsewhere: another tab, an old sign-in, or a forged request (CSRF, RFC 6749 §10.12). Its code must not be redeemed.",
			Fix:     "Start a new sign-in and complete it in the same browser tab; never reuse an authorization URL."}
	case c.Error != "":
		ex := callbackErrors[c.Error]
		if ex.meaning == "" {
			ex = callbackError{"An error code RFC 6749 §4.1.2.1 does not name: read error_description.", "Fix what error_description says, then sign in again."}
		}
		return &CallbackError{Kind: "error", Code: c.Error, Description: c.ErrorDescription, Meaning: ex.meaning, Fix: ex.fix}
	case c.Code == "":
		return &CallbackError{Kind: "code", Meaning: "The callback has neither code nor error (RFC 6749 §4.1.2).",
			Fix: "Check the redirect goes to this listener unchanged; start the sign-in again."}
	}
	return nil
}

type callbackError struct{ meaning, fix string }

// callbackErrors are RFC 6749 §4.1.2.1's codes as a client reads them.
var callbackErrors = map[string]callbackError{
	"access_denied": {"The user, or the identity provider for them, refused the sign-in (RFC 6749 §4.1.2.1).",
		"Sign in again and accept; if the identity provider refuses the user, assign them to the application there, or check the organization's connection is enabled."},
	"invalid_request": {"The authorization request is malformed: a parameter is missing, repeated or invalid (RFC 6749 §4.1.2.1).",
		"Check response_type=code, the scope, and code_challenge with code_challenge_method=S256 (plain is refused)."},
	"unauthorized_client": {"This client may not use the authorization code grant.",
		"Enable SSO for the application in the dashboard, or use the environment's own client id."},
	"unsupported_response_type": {"The server does not issue codes for this response_type.",
		"Send response_type=code."},
	"invalid_scope": {"A requested scope is unknown or not allowed.",
		"Ask for openid profile email, the SDKs' default."},
	"server_error":            {"The authorization server failed.", "Try again; quote the request id to support if it persists."},
	"temporarily_unavailable": {"The authorization server is overloaded or in maintenance.", "Try again after a pause."},
	"login_required":          {"prompt=none was sent and the user has no session.", "Sign in without prompt=none."},
	"interaction_required":    {"The identity provider needs the user to interact.", "Sign in without prompt=none."},
}

// CodeRequest is the code exchange (RFC 6749 §4.1.3, RFC 7636 §4.5): the
// code, the same redirect URI, the client and the verifier. Code,
// verifier and secret are marked secret.
func CodeRequest(tokenURL, clientID, secret, code, redirectURI, verifier string, auth ClientAuth) model.HTTPRequest {
	body := model.Concat(model.Plain("grant_type=authorization_code&code="), model.SecretText(url.QueryEscape(code)),
		model.Plain("&redirect_uri="+url.QueryEscape(redirectURI)))
	if verifier != "" {
		body = model.Concat(body, model.Plain("&code_verifier="), model.SecretText(url.QueryEscape(verifier)))
	}
	return grantRequest(tokenURL, clientID, secret, body, auth)
}

// RefreshRequest is RFC 6749 §6: a new access token for a refresh token.
func RefreshRequest(tokenURL, clientID, secret, refreshToken string, auth ClientAuth) model.HTTPRequest {
	body := model.Concat(model.Plain("grant_type=refresh_token&refresh_token="), model.SecretText(url.QueryEscape(refreshToken)))
	return grantRequest(tokenURL, clientID, secret, body, auth)
}

func grantRequest(tokenURL, clientID, secret string, body model.Text, auth ClientAuth) model.HTTPRequest {
	req := model.HTTPRequest{Method: http.MethodPost, URL: tokenURL}
	req = req.WithHeader("Content-Type", model.Plain("application/x-www-form-urlencoded"))
	req = req.WithHeader("Accept", model.Plain("application/json"))
	id, sec := strings.TrimSpace(clientID), strings.TrimSpace(secret)
	if auth == ClientSecretBasic {
		encoded := base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id) + ":" + url.QueryEscape(sec)))
		req = req.WithHeader("Authorization", model.Concat(model.Plain("Basic "), model.SecretText(encoded)))
		req.Body = body
		return req
	}
	req.Body = model.Concat(body, model.Plain("&client_id="+url.QueryEscape(id)+"&client_secret="), model.SecretText(url.QueryEscape(sec)))
	return req
}

// LogoutURL is OIDC RP-initiated logout: the ID token as a hint, where to
// come back to, and a state.
func LogoutURL(endpoint, idToken, postLogoutRedirect, state string) model.Text {
	out := model.Plain(endpoint + "?id_token_hint=")
	out = model.Concat(out, model.SecretText(url.QueryEscape(idToken)))
	if postLogoutRedirect != "" {
		out = model.Concat(out, model.Plain("&post_logout_redirect_uri="+url.QueryEscape(postLogoutRedirect)))
	}
	if state != "" {
		out = model.Concat(out, model.Plain("&state="+url.QueryEscape(state)))
	}
	return out
}

// ErrPlainPKCE is why authscope never sends code_challenge_method=plain.
var ErrPlainPKCE = errors.New("code_challenge_method=plain puts the verifier itself in the authorization URL, where the browser's history, proxies and logs see it; S256 sends only its hash (RFC 7636 §4.2, §7.2)")

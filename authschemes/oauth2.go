package authschemes

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/authscope/authscope/model"
)

// ClientAuth is how an OAuth2 client proves itself at the token endpoint.
type ClientAuth string

const (
	// ClientSecretPost sends client_id and client_secret in the form body,
	// as Scalekit's SDKs do.
	ClientSecretPost ClientAuth = "post"
	// ClientSecretBasic sends them as HTTP Basic, which RFC 6749 §2.3.1
	// requires every server to accept.
	ClientSecretBasic ClientAuth = "basic"
)

// ParseClientAuth reads "post" or "basic" (also the RFC names
// client_secret_post and client_secret_basic).
func ParseClientAuth(s string) (ClientAuth, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "post", "client_secret_post":
		return ClientSecretPost, nil
	case "basic", "client_secret_basic":
		return ClientSecretBasic, nil
	}
	return "", fmt.Errorf("unknown client authentication %q: use post (client_secret_post) or basic (client_secret_basic)", s)
}

// TokenRequest describes the client-credentials token request (RFC 6749
// §4.4.2) as data. No scope is sent: the providers' SDKs send none.
// ExchangeSteps explains it once the exchange has run.
func TokenRequest(p model.Provider, baseURL string, creds Credentials, auth ClientAuth) (model.HTTPRequest, error) {
	id := strings.TrimSpace(creds["client_id"])
	secret := strings.TrimSpace(creds["client_secret"])
	for _, f := range p.Fields {
		if strings.TrimSpace(creds[f.ID]) == "" {
			return model.HTTPRequest{}, fmt.Errorf("no %s: pass --%s or set %s", f.Label, f.Flag, f.EnvVar)
		}
	}
	if p.TokenPath == "" {
		return model.HTTPRequest{}, fmt.Errorf("%s has no token endpoint", p.Name)
	}
	req := model.HTTPRequest{Method: http.MethodPost, URL: strings.TrimRight(baseURL, "/") + p.TokenPath}
	req = req.WithHeader("Content-Type", model.Plain("application/x-www-form-urlencoded"))
	req = req.WithHeader("Accept", model.Plain("application/json"))

	const grant = "grant_type=client_credentials"
	switch auth {
	case ClientSecretPost, "":
		req.Body = model.Concat(
			model.Plain(grant+"&client_id="+url.QueryEscape(id)+"&client_secret="),
			model.SecretText(url.QueryEscape(secret)))
	case ClientSecretBasic:
		// RFC 6749 §2.3.1: each part is form-encoded before Basic encoding.
		encoded := base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id) + ":" + url.QueryEscape(secret)))
		req = req.WithHeader("Authorization", model.Concat(model.Plain("Basic "), model.SecretText(encoded)))
		req.Body = model.Plain(grant)
	default:
		return model.HTTPRequest{}, fmt.Errorf("unknown client authentication %q", auth)
	}
	return req, nil
}

// Token is a successful token response (RFC 6749 §5.1).
type Token struct {
	AccessToken string                     `json:"-"` // secret: never marshalled by accident
	TokenType   string                     `json:"token_type"`
	ExpiresIn   int64                      `json:"expires_in"`
	Scope       string                     `json:"scope,omitempty"`
	Extra       map[string]json.RawMessage `json:"extra,omitempty"` // fields RFC 6749 does not name, kept as sent
	ReceivedAt  time.Time                  `json:"received_at"`
}

// ExpiresAt is when the token stops working by expires_in, counted from
// when the response arrived; zero when the server gave no lifetime.
func (t Token) ExpiresAt() time.Time {
	if t.ExpiresIn <= 0 {
		return time.Time{}
	}
	return t.ReceivedAt.Add(time.Duration(t.ExpiresIn) * time.Second)
}

// TokenError is an RFC 6749 §5.2 error response.
type TokenError struct {
	Status      int    `json:"status"`
	Code        string `json:"error"`
	Description string `json:"error_description,omitempty"`
	URI         string `json:"error_uri,omitempty"`
}

func (e *TokenError) Error() string {
	msg := fmt.Sprintf("token endpoint answered %d %s", e.Status, e.Code)
	if e.Description != "" {
		msg += ": " + e.Description
	}
	return msg
}

// ParseTokenResponse reads a token endpoint's answer: a token on 2xx, an
// RFC 6749 §5.2 error on 4xx/5xx, and an error when the body is neither
// (an HTML page, an empty body, JSON without access_token).
func ParseTokenResponse(status int, header http.Header, body []byte, receivedAt time.Time) (*Token, *TokenError, error) {
	fields, err := jsonObject(body)
	if err != nil {
		return nil, nil, fmt.Errorf("the token endpoint answered %d with %s, not a JSON object", status, describeBody(header, body))
	}
	if status < 200 || status >= 300 {
		if _, ok := fields["error"]; !ok {
			return nil, nil, fmt.Errorf("the token endpoint answered %d with JSON that is not an RFC 6749 error (no \"error\" field)", status)
		}
		te := &TokenError{Status: status}
		te.Code = stringField(fields, "error")
		te.Description = stringField(fields, "error_description")
		te.URI = stringField(fields, "error_uri")
		return nil, te, nil
	}

	tok := &Token{ReceivedAt: receivedAt, Extra: map[string]json.RawMessage{}}
	tok.AccessToken = stringField(fields, "access_token")
	if tok.AccessToken == "" {
		return nil, nil, fmt.Errorf("the token endpoint answered %d without an access_token", status)
	}
	tok.TokenType = stringField(fields, "token_type")
	tok.Scope = stringField(fields, "scope")
	if raw, ok := fields["expires_in"]; ok {
		n, err := lifetime(raw)
		if err != nil {
			return nil, nil, fmt.Errorf("the token's expires_in is %w", err)
		}
		tok.ExpiresIn = n
	}
	for k, v := range fields {
		switch k {
		case "access_token", "token_type", "scope", "expires_in":
		default:
			tok.Extra[k] = v
		}
	}
	return tok, nil, nil
}

// jsonObject decodes a JSON object into raw fields, refusing trailing data.
func jsonObject(body []byte) (map[string]json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	var fields map[string]json.RawMessage
	if err := dec.Decode(&fields); err != nil {
		return nil, err
	}
	if fields == nil {
		return nil, errors.New("null")
	}
	if dec.More() {
		return nil, errors.New("trailing data")
	}
	return fields, nil
}

func stringField(fields map[string]json.RawMessage, name string) string {
	var s string
	if json.Unmarshal(fields[name], &s) == nil {
		return s
	}
	return ""
}

// lifetime reads expires_in as seconds: a JSON number, or a numeric string
// as some servers send it.
func lifetime(raw json.RawMessage) (int64, error) {
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return 0, errors.New("not a number")
		}
		n = json.Number(s)
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil || f < 0 || f > 1e12 {
		return 0, fmt.Errorf("%q, not a number of seconds", string(n))
	}
	return int64(f), nil
}

// describeBody names a body that is not JSON, for one-line errors.
func describeBody(header http.Header, body []byte) string {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return "an empty body"
	}
	media, _, _ := mime.ParseMediaType(header.Get("Content-Type"))
	if media == "text/html" || bytes.HasPrefix(bytes.ToLower(trimmed), []byte("<!doctype html")) || bytes.HasPrefix(bytes.ToLower(trimmed), []byte("<html")) {
		return "an HTML page (a proxy, a login page or the wrong URL?)"
	}
	if media != "" {
		return fmt.Sprintf("a %s body of %d bytes", media, len(body))
	}
	return fmt.Sprintf("%d bytes", len(body))
}

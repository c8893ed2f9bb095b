package authschemes

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// Claim is one JWT header parameter or claim, in the token's order, with
// what it means. Value is the JSON value as text (strings unquoted); it is
// untrusted, so renderers sanitize it.
type Claim struct {
	Name    string     `json:"name"`
	Value   string     `json:"value"`
	Meaning string     `json:"meaning,omitempty"`
	Time    *time.Time `json:"time,omitempty"` // iat, nbf, exp and auth_time as times
}

// JWT is a decoded (not verified) JSON Web Token.
type JWT struct {
	Raw       string     `json:"-"` // the token itself: a secret
	Header    []Claim    `json:"header"`
	Claims    []Claim    `json:"claims"`
	IssuedAt  *time.Time `json:"iat,omitempty"`
	NotBefore *time.Time `json:"nbf,omitempty"`
	ExpiresAt *time.Time `json:"exp,omitempty"`
	KeyID     string     `json:"kid,omitempty"`
	Alg       string     `json:"alg"`
}

// Claim returns the claim with the given name.
func (j *JWT) Claim(name string) (Claim, bool) {
	for _, c := range j.Claims {
		if c.Name == name {
			return c, true
		}
	}
	return Claim{}, false
}

// maxJWT bounds what DecodeJWT reads; real access tokens are a few KB.
const maxJWT = 64 << 10

// DecodeJWT decodes a signed JWT (JWS compact form) without verifying it:
// header and claims in order, with iat/nbf/exp as times. It refuses
// anything that is not three base64url parts of JSON objects, and any
// token with alg "none", which no server may accept (RFC 8725 §3.1).
func DecodeJWT(raw string) (*JWT, error) {
	raw = strings.TrimSpace(raw)
	if len(raw) > maxJWT {
		return nil, fmt.Errorf("%d bytes is too long for a JWT", len(raw))
	}
	parts := strings.Split(raw, ".")
	switch {
	case len(parts) == 5:
		return nil, errors.New("five parts: an encrypted JWT (JWE), whose claims only the recipient can read")
	case len(parts) != 3:
		return nil, fmt.Errorf("a JWT has three dot-separated parts, this has %d", len(parts))
	}
	header, err := decodePart("header", parts[0])
	if err != nil {
		return nil, err
	}
	claims, err := decodePart("payload", parts[1])
	if err != nil {
		return nil, err
	}
	if parts[2] == "" {
		return nil, errors.New("the signature part is empty: an unsigned token")
	}
	if _, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[2], "=")); err != nil {
		return nil, errors.New("the signature is not base64url")
	}

	j := &JWT{Raw: raw}
	for _, kv := range header {
		c := Claim{Name: kv.name, Value: kv.text(), Meaning: headerMeanings[kv.name]}
		j.Header = append(j.Header, c)
		switch kv.name {
		case "alg":
			j.Alg = c.Value
		case "kid":
			j.KeyID = c.Value
		}
	}
	if j.Alg == "" {
		return nil, errors.New("the header has no \"alg\"")
	}
	if strings.EqualFold(j.Alg, "none") {
		return nil, errors.New("alg \"none\": an unsigned token that no server may accept (RFC 8725 §3.1)")
	}
	for _, kv := range claims {
		c := Claim{Name: kv.name, Value: kv.text(), Meaning: claimMeanings[kv.name]}
		if timeClaims[kv.name] {
			t, err := numericDate(kv.value)
			if err != nil {
				return nil, fmt.Errorf("claim %q is %v", kv.name, err)
			}
			c.Time = &t
			switch kv.name {
			case "iat":
				j.IssuedAt = &t
			case "nbf":
				j.NotBefore = &t
			case "exp":
				j.ExpiresAt = &t
			}
		}
		j.Claims = append(j.Claims, c)
	}
	return j, nil
}

var timeClaims = map[string]bool{"iat": true, "nbf": true, "exp": true, "auth_time": true}

// numericDate reads RFC 7519's NumericDate: seconds since the epoch.
func numericDate(raw json.RawMessage) (time.Time, error) {
	var f float64
	if err := json.Unmarshal(raw, &f); err != nil {
		return time.Time{}, errors.New("not a NumericDate (seconds since 1970)")
	}
	if math.IsNaN(f) || f < 0 || f > 253402300799 { // year 9999
		return time.Time{}, errors.New("a NumericDate out of range")
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC(), nil
}

type member struct {
	name  string
	value json.RawMessage
}

// text is the value as people read it: strings unquoted, the rest compact JSON.
func (m member) text() string {
	var s string
	if json.Unmarshal(m.value, &s) == nil {
		return s
	}
	var buf bytes.Buffer
	if json.Compact(&buf, m.value) == nil {
		return buf.String()
	}
	return string(m.value)
}

// decodePart base64url-decodes one JWT part and reads it as a JSON object,
// keeping member order (a map would shuffle the claims on every run).
func decodePart(name, part string) ([]member, error) {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(part, "="))
	if err != nil {
		return nil, fmt.Errorf("the %s is not base64url", name)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, fmt.Errorf("the %s is not a JSON object", name)
	}
	var out []member
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("the %s is not valid JSON", name)
		}
		key, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("the %s is not valid JSON", name)
		}
		if seen[key] {
			return nil, fmt.Errorf("the %s repeats %q, which RFC 7519 §4 says to reject", name, key)
		}
		seen[key] = true
		out = append(out, member{name: key, value: v})
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('}') {
		return nil, fmt.Errorf("the %s is not valid JSON", name)
	}
	if _, err := dec.Token(); err == nil {
		return nil, fmt.Errorf("the %s has data after its JSON object", name)
	}
	return out, nil
}

var headerMeanings = map[string]string{
	"alg": "signature algorithm (RS256: RSA with SHA-256)",
	"kid": "which key in the issuer's JWKS signed the token",
	"typ": "media type of the token",
	"cty": "content type of the payload",
}

var claimMeanings = map[string]string{
	"iss":       "issuer: who minted the token (for Scalekit, your environment URL)",
	"sub":       "subject: who the token is about (for client credentials, the client)",
	"aud":       "audience: which APIs should accept it",
	"exp":       "expires at: rejected from this moment on",
	"nbf":       "not before: rejected until this moment",
	"iat":       "issued at",
	"jti":       "token id, unique per token",
	"client_id": "the OAuth2 client the token was issued to",
	"scope":     "permissions granted",
	"scopes":    "permissions granted",
	"oid":       "the organization the client belongs to",
	"azp":       "authorized party: the client that asked for the token",
	"sid":       "session id",
	"auth_time": "when the user authenticated",
}

package decode

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/authscope/authscope/model"
)

// CredentialKind is the shape of a pasted credential (J8): what a
// customer puts into a ticket when it is not a response or a command.
type CredentialKind string

const (
	CredJWT           CredentialKind = "jwt"                  // a bare JWT (access or ID token)
	CredAuthorization CredentialKind = "authorization-header" // "Authorization: Bearer …" / "Basic …"
	CredBearer        CredentialKind = "bearer"               // "Bearer …" without the header name
	CredBasic         CredentialKind = "basic"                // "Basic …" without the header name
	CredAPIKey        CredentialKind = "api-key"              // a bare key with a provider's prefix
	CredClientPair    CredentialKind = "client-credentials"   // a client id and its secret
	CredTokenResponse CredentialKind = "token-response"       // {"access_token": …}
	CredJWKS          CredentialKind = "jwks"                 // {"keys": […]}
	CredDiscovery     CredentialKind = "openid-discovery"     // .well-known/openid-configuration
)

// Label is the kind in a few words, for the report's first line.
func (k CredentialKind) Label() string {
	switch k {
	case CredJWT:
		return "a JWT"
	case CredAuthorization:
		return "an Authorization header line"
	case CredBearer:
		return "a Bearer credential"
	case CredBasic:
		return "an HTTP Basic credential"
	case CredAPIKey:
		return "an API key"
	case CredClientPair:
		return "a client id and secret"
	case CredTokenResponse:
		return "a token endpoint response"
	case CredJWKS:
		return "a JSON Web Key Set (JWKS)"
	case CredDiscovery:
		return "an OpenID discovery document"
	}
	return string(k)
}

// Credential is a paste read as a credential. Value, Secret and the JSON
// hold secrets: renderers mask them.
type Credential struct {
	Kind CredentialKind
	Why  string // the evidence for Kind, in words (no secret)
	// Scheme is "Bearer" or "Basic" for a header line or a bare value, as
	// written (its case kept, so a checker can say "bearer" is lower case);
	// SchemeWords counts the scheme words in a row ("Bearer Bearer x" is 2).
	Scheme      string
	SchemeWords int
	HeaderName  string // "Authorization" as written, for a header line
	Value       string // the token, key or Basic base64 after the scheme
	Provider    string // the provider whose key prefix Value has, if any
	ClientID    string
	Secret      string // a client secret
	JSON        []byte // a token response, JWKS or discovery document
	LineEnds    string // how the paste's lines ended when not LF ("CR CR …")
}

// maxCredentialJSON bounds the JSON read as a JWKS or discovery document;
// a JWKS of 10,000 RSA keys is about 4 MB.
const maxCredentialJSON = 8 << 20

var (
	jwtShape    = model.LazyRegexp(`^eyJ[^.\s]*\.[^.\s]*\.[^.\s]*$`)
	jweShape    = model.LazyRegexp(`^eyJ[^.\s]*\.[^.\s]*\.[^.\s]*\.[^.\s]*\.[^.\s]*$`)
	headerLine  = model.LazyRegexp(`(?i)^(proxy-authorization|authorization)\s*:\s*(.*)$`)
	schemeWord  = model.LazyRegexp(`(?i)^(bearer|basic)(?:\s+|$)`)
	challengeKV = model.LazyRegexp(`(?i)\b(realm|error|scope|error_description|charset)\s*=`)
	pairLine    = model.LazyRegexp(`(?i)^(?:export\s+)?["']?([a-z_]*client[_-]?(?:id|secret))["']?\s*[:=]\s*(.*)$`)
)

// RecogniseCredential reads input as one credential, if it is one: a
// JWT, an Authorization line or its value, a bare key with a known
// prefix, a client id and secret, a token response, a JWKS or an OpenID
// discovery document. Everything else (error bodies, responses, curl,
// HAR) is left to the decoder and the doctor: ok is false. Every line
// ending a terminal pastes (LF, CRLF, CR, CR CR) reads the same.
func RecogniseCredential(input []byte) (Credential, bool) {
	head := input
	if len(head) > maxCredentialJSON {
		return Credential{}, false
	}
	b := bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	b, ends := NormalizeLineEnds(b)
	text := strings.TrimSpace(string(b))
	if text == "" {
		return Credential{}, false
	}
	c, ok := recognise(text)
	if ok && ends != "" && strings.Contains(text, "\n") {
		c.LineEnds = ends
	}
	return c, ok
}

func recognise(text string) (Credential, bool) {
	if text[0] == '{' {
		return recogniseJSON(text)
	}
	lines := nonBlankLines(text, 4)
	if len(lines) == 2 {
		if c, ok := recognisePair(lines); ok {
			return c, true
		}
	}
	if len(lines) != 1 {
		return Credential{}, false
	}
	line := lines[0]
	if m := headerLine().FindStringSubmatch(line); m != nil {
		c, ok := recogniseValue(strings.TrimSpace(m[2]), true)
		if !ok {
			c = Credential{Value: strings.TrimSpace(m[2])}
		}
		c.Kind, c.HeaderName = CredAuthorization, m[1]
		c.Why = "it starts with the header name " + m[1] + ":"
		if c.Scheme != "" {
			c.Why += " and the scheme " + c.Scheme
		}
		return c, true
	}
	return recogniseValue(line, false)
}

// recogniseValue reads an Authorization value, or a bare token or key.
func recogniseValue(v string, inHeader bool) (Credential, bool) {
	var c Credential
	rest := v
	for {
		m := schemeWord().FindStringSubmatch(rest)
		if m == nil {
			break
		}
		if c.Scheme == "" {
			c.Scheme = m[1]
		}
		c.SchemeWords++
		rest = strings.TrimSpace(rest[len(m[0]):])
	}
	c.Value = rest
	if c.Scheme != "" {
		if challengeKV().MatchString(rest) {
			return Credential{}, false // a WWW-Authenticate challenge: the decoder reads it
		}
		if strings.EqualFold(c.Scheme, "basic") {
			c.Kind, c.Why = CredBasic, "it starts with the scheme word "+c.Scheme
		} else {
			c.Kind, c.Why = CredBearer, "it starts with the scheme word "+c.Scheme
		}
		c.Provider = keyProvider(rest)
		return c, true
	}
	if inHeader {
		c.Provider = keyProvider(rest)
		return c, true
	}
	switch {
	case jwtShape().MatchString(rest):
		c.Kind, c.Why = CredJWT, "three dot-separated base64url parts, the header starting eyJ"
	case jweShape().MatchString(rest):
		c.Kind, c.Why = CredJWT, "five dot-separated parts starting eyJ: an encrypted JWT (JWE)"
	case strings.ContainsAny(rest, " \t"):
		return Credential{}, false
	default:
		p := keyProvider(rest)
		if p == "" || looksLikeWord(rest) {
			return Credential{}, false
		}
		c.Kind, c.Provider = CredAPIKey, p
		c.Why = "one word with the key prefix " + keyPrefix(rest) + " (" + providerName(p) + ")"
	}
	return c, true
}

// recognisePair reads two lines as a client id and a secret: either
// named (client_id=…, SCALEKIT_CLIENT_SECRET=…, "client_secret": …) or
// an skc_ id on the first line and one word on the second.
func recognisePair(lines []string) (Credential, bool) {
	c := Credential{Kind: CredClientPair}
	named := 0
	for _, l := range lines {
		m := pairLine().FindStringSubmatch(l)
		if m == nil {
			continue
		}
		v := strings.Trim(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(m[2]), ",")), `"'`)
		if strings.HasSuffix(strings.ToLower(m[1]), "secret") {
			c.Secret = v
		} else {
			c.ClientID = v
		}
		named++
	}
	if named == 2 && c.ClientID != "" && c.Secret != "" {
		c.Why = "two lines naming a client id and a client secret"
		c.Provider = keyProvider(c.ClientID)
		return c, true
	}
	a, b := strings.TrimSpace(lines[0]), strings.TrimSpace(lines[1])
	if strings.HasPrefix(a, "skc_") && !strings.ContainsAny(a+b, " \t:=") {
		return Credential{Kind: CredClientPair, ClientID: a, Secret: b, Provider: "scalekit",
			Why: "a Scalekit client id (skc_) on the first line and one word on the second"}, true
	}
	return Credential{}, false
}

func recogniseJSON(text string) (Credential, bool) {
	var top map[string]json.RawMessage
	if json.Unmarshal([]byte(text), &top) != nil {
		return Credential{}, false
	}
	c := Credential{JSON: []byte(text)}
	has := func(k string) bool { _, ok := top[k]; return ok }
	switch {
	case has("keys") && bytes.HasPrefix(bytes.TrimSpace(top["keys"]), []byte("[")):
		c.Kind, c.Why = CredJWKS, `a JSON object with a "keys" array`
	case has("issuer") && (has("jwks_uri") || has("token_endpoint") || has("authorization_endpoint")):
		c.Kind, c.Why = CredDiscovery, `a JSON object with "issuer" and the endpoints (jwks_uri, token_endpoint…)`
	case has("access_token") || has("id_token") && has("token_type"):
		c.Kind, c.Why = CredTokenResponse, `a JSON object with "access_token"`
		if !has("access_token") {
			c.Why = `a JSON object with "id_token" and "token_type"`
		}
	case has("client_id") && has("client_secret") && !has("error"):
		c.Kind, c.Why = CredClientPair, `a JSON object with "client_id" and "client_secret"`
		_ = json.Unmarshal(top["client_id"], &c.ClientID)
		_ = json.Unmarshal(top["client_secret"], &c.Secret)
		c.Provider = keyProvider(c.ClientID)
		c.JSON = nil
	default:
		return Credential{}, false
	}
	return c, true
}

// looksLikeWord: a plain-text body such as "test_mode_disabled" starts
// like a Scale key but is a word: live_/test_ keys are one run of letters
// and digits (32 hex, or the docs' live_ScaleRocks).
func looksLikeWord(v string) bool {
	for _, pre := range []string{"live_", "test_"} {
		if body, ok := strings.CutPrefix(v, pre); ok {
			return len(body) < 8 || strings.Contains(body, "_")
		}
	}
	return false
}

func nonBlankLines(text string, most int) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.TrimSpace(l) == "" {
			continue
		}
		out = append(out, strings.TrimSpace(l))
		if len(out) > most {
			break
		}
	}
	return out
}

// keyProvider names the provider whose credential prefix v has: the
// model's key formats (scl_live_, live_/test_, skc_).
func keyProvider(v string) string {
	for _, p := range model.Providers {
		for _, f := range p.Fields {
			for _, pre := range f.Format.Prefixes {
				if strings.HasPrefix(v, pre) && len(v) > len(pre) {
					return p.ID
				}
			}
		}
	}
	return ""
}

func keyPrefix(v string) string {
	for _, p := range model.Providers {
		for _, f := range p.Fields {
			for _, pre := range f.Format.Prefixes {
				if strings.HasPrefix(v, pre) {
					return pre
				}
			}
		}
	}
	return ""
}

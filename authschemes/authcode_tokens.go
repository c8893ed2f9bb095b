package authschemes

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/authscope/authscope/model"
)

// IDCheck is one check of an ID token or a user's access token: what
// was compared and whether it held.
type IDCheck struct {
	Name string `json:"name"` // "nonce", "aud", "iss", "exp", "iat", "signature"
	OK   bool   `json:"ok"`
	Got  string `json:"got,omitempty"`
	Want string `json:"want,omitempty"`
	Why  string `json:"why"`
}

// Expect is what a token of this sign-in must say.
type Expect struct {
	Issuer   string // the environment URL
	ClientID string // the aud
	Nonce    string // "" for access tokens: they carry none
	// AccessToken and Code are what the ID token's at_hash and c_hash
	// must be the hash of, when it carries them (OIDC Core §3.1.3.8,
	// §3.3.2.11): an ID token pasted beside another sign-in's access
	// token, or a code swapped in transit, fails here. "" skips a check.
	AccessToken, Code string
}

// clockSkew is how far iat may lie in the future before it is wrong:
// the usual minute of leeway between two machines' clocks.
const clockSkew = time.Minute

// CheckClaims runs OIDC Core §3.1.3.7's checks a client makes on an ID
// token (and the same on a user's access token, without the nonce):
// iss, aud, azp, nonce and the times. The signature is VerifyJWKS's.
func CheckClaims(j *JWT, want Expect, now time.Time, idToken bool) []IDCheck {
	var out []IDCheck
	get := func(name string) (string, bool) {
		c, ok := j.Claim(name)
		return c.Value, ok
	}
	iss, _ := get("iss")
	out = append(out, IDCheck{Name: "iss", OK: strings.TrimRight(iss, "/") == strings.TrimRight(want.Issuer, "/"), Got: iss, Want: want.Issuer,
		Why: "the environment that minted it; a token from development checked against production fails here"})
	audRaw, hasAud := get("aud")
	auds := Audience(audRaw)
	audOK := hasAud && slices.Contains(auds, want.ClientID)
	out = append(out, IDCheck{Name: "aud", OK: audOK, Got: audRaw, Want: want.ClientID,
		Why: "the token is for this client id; a token minted for another app must not log anyone in here"})
	if azp, ok := get("azp"); ok || len(auds) > 1 {
		out = append(out, IDCheck{Name: "azp", OK: azp == want.ClientID, Got: azp, Want: want.ClientID,
			Why: "with several audiences, the authorized party must be this client (OIDC Core §3.1.3.7)"})
	}
	if idToken {
		nonce, _ := get("nonce")
		out = append(out, IDCheck{Name: "nonce", OK: nonce != "" && nonce == want.Nonce, Got: nonce, Want: want.Nonce,
			Why: "the nonce this sign-in sent: another value means a replayed ID token"})
	}
	out = append(out, hashChecks(j, want)...) // a refreshed ID token's at_hash too
	if j.ExpiresAt == nil {
		out = append(out, IDCheck{Name: "exp", Why: "an ID token must say when it expires"})
	} else {
		out = append(out, IDCheck{Name: "exp", OK: now.Before(*j.ExpiresAt), Got: j.ExpiresAt.UTC().Format(time.RFC3339), Want: "after " + now.UTC().Format(time.RFC3339),
			Why: "rejected from this moment on"})
	}
	if j.IssuedAt != nil {
		out = append(out, IDCheck{Name: "iat", OK: !j.IssuedAt.After(now.Add(clockSkew)), Got: j.IssuedAt.UTC().Format(time.RFC3339), Want: "not after " + now.Add(clockSkew).UTC().Format(time.RFC3339),
			Why: "issued in the future means one of the two clocks is wrong"})
	}
	if j.NotBefore != nil {
		out = append(out, IDCheck{Name: "nbf", OK: !j.NotBefore.After(now.Add(clockSkew)), Got: j.NotBefore.UTC().Format(time.RFC3339),
			Why: "not valid before this moment"})
	}
	return out
}

// hashChecks are at_hash against the access token and c_hash against
// the code, for those the ID token carries.
func hashChecks(j *JWT, want Expect) []IDCheck {
	var out []IDCheck
	for _, h := range []struct{ claim, of, what string }{
		{"at_hash", want.AccessToken, "the access token that came with it"},
		{"c_hash", want.Code, "the code this sign-in redeemed"},
	} {
		got, ok := j.Claim(h.claim)
		if !ok || h.of == "" {
			continue
		}
		wantHash, known := TokenHash(j.Alg, h.of)
		if !known {
			out = append(out, IDCheck{Name: h.claim, OK: true, Got: got.Value, Want: "(not checked)",
				Why: "no hash is defined for alg " + j.Alg + ", so " + h.claim + " cannot be checked"})
			continue
		}
		out = append(out, IDCheck{Name: h.claim, OK: got.Value == wantHash, Got: got.Value, Want: wantHash,
			Why: "the left half of the hash of " + h.what + ": another value means the two were not issued together"})
	}
	return out
}

// TokenHash is at_hash / c_hash for a value (OIDC Core §3.1.3.6): the
// left half of its hash with the hash function of the ID token's alg,
// base64url without padding. known is false for an alg with no hash
// (none, or one OIDC does not name).
func TokenHash(alg, value string) (hash string, known bool) {
	var sum []byte
	switch {
	case strings.HasSuffix(alg, "256"):
		s := sha256.Sum256([]byte(value))
		sum = s[:]
	case strings.HasSuffix(alg, "384"):
		s := sha512.Sum384([]byte(value))
		sum = s[:]
	case strings.HasSuffix(alg, "512"), alg == "EdDSA":
		s := sha512.Sum512([]byte(value))
		sum = s[:]
	default:
		return "", false
	}
	return base64.RawURLEncoding.EncodeToString(sum[:len(sum)/2]), true
}

// audience reads aud as a string or a JSON array of strings.
// Audience reads an aud claim's raw JSON value: a string or an array of
// strings (RFC 7519 §4.1.3), as the list of audiences it names.
func Audience(raw string) []string {
	var list []string
	if strings.HasPrefix(raw, "[") && json.Unmarshal([]byte(raw), &list) == nil {
		return list
	}
	if raw == "" {
		return nil
	}
	return []string{raw}
}

// ChecksOK reports whether every check held.
func ChecksOK(cs []IDCheck) bool {
	for _, c := range cs {
		if !c.OK {
			return false
		}
	}
	return len(cs) > 0
}

// TokenSet is a successful code exchange or refresh: the access token
// and the two tokens a client credentials exchange has not.
type TokenSet struct {
	*Token
	IDToken      string // secret
	RefreshToken string // secret
}

// ReadTokenSet picks id_token and refresh_token out of a token's extra
// fields.
func ReadTokenSet(t *Token) TokenSet {
	ts := TokenSet{Token: t}
	if t == nil {
		return ts
	}
	var s string
	if json.Unmarshal(t.Extra["id_token"], &s) == nil {
		ts.IDToken = s
	}
	s = ""
	if json.Unmarshal(t.Extra["refresh_token"], &s) == nil {
		ts.RefreshToken = s
	}
	return ts
}

// Secrets are the tokens, to mask wherever they appear.
func (ts TokenSet) Secrets() []string {
	var out []string
	if ts.Token != nil && ts.AccessToken != "" {
		out = append(out, ts.AccessToken)
	}
	for _, s := range []string{ts.IDToken, ts.RefreshToken} {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// CodeExchange is one authorization-code or refresh round trip, with
// the checks run on what came back.
type CodeExchange struct {
	Grant       string // "authorization_code" or "refresh_token"
	Request     model.HTTPRequest
	RawResponse string
	Status      int
	Tokens      TokenSet
	TokenError  *TokenError

	ID           *JWT
	IDChecks     []IDCheck
	IDSignature  *Verification
	Access       *JWT
	AccessChecks []IDCheck
	AccessSig    *Verification
}

// Secrets lists every secret the exchange holds: what was sent and what
// came back.
func (x CodeExchange) Secrets() []string {
	return append(x.Request.Secrets(), x.Tokens.Secrets()...)
}

// CodeExchangeSteps explains the exchange: the request as sent, the raw
// response, the tokens, and each token's header, claims and checks.
func CodeExchangeSteps(x CodeExchange) []model.Step {
	title, why := "Code exchange", "The code, the same redirect_uri and the PKCE verifier go to the token endpoint with the client's credentials (RFC 6749 §4.1.3, RFC 7636 §4.5). The server hashes the verifier and compares it with the challenge it saw in the authorization URL."
	if x.Grant == "refresh_token" {
		title, why = "Refresh request", "The refresh token buys a new access token without the user (RFC 6749 §6); Scalekit rotates it, so the old one is now spent."
	}
	steps := []model.Step{{Title: title, Output: x.Request.Raw(), Explain: why}}
	secrets := x.Tokens.Secrets()
	steps = append(steps, model.Step{Title: "Token response", Output: markSecrets(model.Sanitize(x.RawResponse), secrets...),
		Explain: responseWhy(Exchange{Status: x.Status, Token: x.Tokens.Token, TokenError: x.TokenError})})
	if te := x.TokenError; te != nil {
		steps = append(steps, model.Step{Title: "Token error", Output: model.Plain(model.Sanitize(tokenErrorText(te))),
			Explain: GrantErrorMeaning(x.Grant, te)})
		return steps
	}
	if x.Tokens.Token == nil {
		return steps
	}
	steps = append(steps, model.Step{Title: "Tokens", Output: tokenSetText(x.Tokens),
		Explain: "access_token calls APIs as the user; id_token says who signed in (OpenID Connect); refresh_token gets new tokens later. All three are secrets."})
	if x.ID != nil {
		steps = append(steps,
			model.Step{Title: "ID token header", Output: model.Plain(claimLines(x.ID.Header)),
				Explain: "Which key signed the ID token (kid) and how (alg)."},
			model.Step{Title: "ID token claims", Output: model.Plain(claimLines(withUserMeanings(x.ID.Claims))),
				Explain: "Who signed in: the claims the SDKs map into their user object."},
			model.Step{Title: "ID token checks", Output: model.Plain(model.Sanitize(checkLines(x.IDChecks, x.IDSignature))),
				Explain: "What a client must check before trusting an ID token (OIDC Core §3.1.3.7): signature, issuer, audience, nonce, times."})
	} else if x.Tokens.IDToken == "" && x.Grant == "authorization_code" {
		steps = append(steps, model.Step{Title: "ID token", Output: model.Plain("none in the response"),
			Explain: "Without scope openid the server sends no ID token; the flow then knows nothing of the user."})
	}
	if x.Access != nil {
		steps = append(steps,
			model.Step{Title: "Access token claims", Output: model.Plain(claimLines(withAccessMeanings(x.Access.Claims))),
				Explain: "A user's access token carries aud (the client id), which validateAccessToken checks."},
			model.Step{Title: "Access token checks", Output: model.Plain(model.Sanitize(checkLines(x.AccessChecks, x.AccessSig))),
				Explain: "The same checks an API makes: signature against the JWKS, issuer, audience, expiry."})
	}
	return steps
}

// withAccessMeanings explains a user's access token: its subject is the
// user, not a client.
func withAccessMeanings(cs []Claim) []Claim {
	out := make([]Claim, len(cs))
	for i, c := range cs {
		switch c.Name {
		case "sub":
			c.Meaning = "the user the token acts for (usr_…)"
		case "aud":
			c.Meaning = "the client id: APIs and validateAccessToken check it"
		case "oid":
			c.Meaning = "the user's organization"
		}
		out[i] = c
	}
	return out
}

func withUserMeanings(cs []Claim) []Claim {
	out := make([]Claim, len(cs))
	for i, c := range cs {
		if m, ok := userClaimMeanings[c.Name]; ok {
			c.Meaning = m
		}
		out[i] = c
	}
	return out
}

var userClaimMeanings = map[string]string{
	"sub":                "the user's id at Scalekit (usr_…), stable across sign-ins",
	"aud":                "the client id this ID token is for",
	"nonce":              "echo of the nonce in the authorization URL",
	"email":              "the user's email, from the identity provider",
	"email_verified":     "whether the identity provider vouches for the email",
	"name":               "full name",
	"given_name":         "first name",
	"family_name":        "last name",
	"preferred_username": "the name the user goes by",
	"picture":            "profile picture URL",
	"locale":             "the user's language",
	"identities":         "the SSO connections the user came through (connection_id, organization_id, connection_type, provider_name, social)",
	"sid":                "the session id, for logout",
	"amr":                "how the user authenticated: at Scalekit, the SSO connection's id",
	"azp":                "the client the token was issued to (authorized party)",
	"at_hash":            "left half of the hash (the alg's: SHA-256 for RS256) of the access token issued with it, base64url (checked below)",
	"c_hash":             "left half of the hash (the alg's: SHA-256 for RS256) of the code redeemed for it, base64url (checked below)",
	"oid":                "the user's organization",
}

func checkLines(cs []IDCheck, sig *Verification) string {
	var b strings.Builder
	if sig != nil {
		mark := "✓"
		if !sig.Valid {
			mark = "✗"
		}
		b.WriteString(mark + " signature: " + verificationText(*sig) + "\n")
	}
	for _, c := range cs {
		mark := "✓"
		if !c.OK {
			mark = "✗"
		}
		line := mark + " " + c.Name + ": " + c.Got
		if !c.OK && c.Want != "" {
			line += " (want " + c.Want + ")"
		}
		b.WriteString(line + " — " + c.Why + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

func tokenSetText(ts TokenSet) model.Text {
	t := ts.Token
	out := model.Concat(model.Plain("access_token: "), model.SecretText(t.AccessToken))
	if ts.IDToken != "" {
		out = model.Concat(out, model.Plain("\nid_token: "), model.SecretText(ts.IDToken))
	}
	if ts.RefreshToken != "" {
		out = model.Concat(out, model.Plain("\nrefresh_token: "), model.SecretText(ts.RefreshToken))
	}
	lines := []string{"token_type: " + t.TokenType}
	if exp := t.ExpiresAt(); !exp.IsZero() {
		lines = append(lines, fmt.Sprintf("expires_in: %d s (at %s)", t.ExpiresIn, exp.UTC().Format(time.RFC3339)))
	}
	if t.Scope != "" {
		lines = append(lines, "scope: "+t.Scope)
	}
	var names []string
	for k := range t.Extra {
		if k != "id_token" && k != "refresh_token" {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	for _, k := range names {
		lines = append(lines, k+": "+string(t.Extra[k]))
	}
	return model.Concat(out, model.Plain("\n"+model.Sanitize(strings.Join(lines, "\n"))))
}

// GrantErrorMeaning is the token endpoint's refusal of a code or a
// refresh token, read with its error_description: which binding failed
// and what to do.
func GrantErrorMeaning(grant string, te *TokenError) string {
	meaning, fix := GrantErrorFix(grant, te.Code, te.Description)
	return meaning + " " + fix
}

// GrantErrorFix names what failed and the fix for an authorization-code
// or refresh refusal. Scalekit's descriptions say which binding failed;
// the words are matched loosely so another server's are read too.
func GrantErrorFix(grant, code, description string) (meaning, fix string) {
	d := strings.ToLower(description)
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(d, w) {
				return true
			}
		}
		return false
	}
	switch {
	case code == "invalid_grant" && grant == "refresh_token" && has("used", "replay", "rotat"):
		return "The refresh token was already used: refresh tokens rotate, each works once, and a replay ends the session (RFC 6749 §6, §10.4).",
			"Keep the refresh_token from the latest response and use that one; sign in again now, the session is revoked."
	case code == "invalid_grant" && grant == "refresh_token":
		return "The refresh token is no longer valid: unknown, expired, issued to another client, or its session ended (logout, revocation).",
			"Sign in again for a new refresh token."
	case code == "invalid_grant" && has("redirect") && has("match", "differ"):
		return "The redirect_uri sent with the code is not the one the authorization URL carried (RFC 6749 §4.1.3 compares them character for character).",
			"Send exactly the authorization URL's redirect_uri: same scheme, host, port, path and trailing slash."
	case code == "invalid_grant" && has("verifier", "pkce", "challenge") && has("match", "missing", "differ", "invalid", "must"):
		return "The code_verifier does not hash to the code_challenge of the authorization URL, or is missing (RFC 7636 §4.6).",
			"Send the verifier generated with this sign-in's challenge, kept from before the redirect; a new verifier per sign-in, never reused."
	case code == "invalid_grant" && has("used", "replay", "already", "redeemed"):
		return "The code was already redeemed: a code works once (RFC 6749 §4.1.2), and a second use may revoke the tokens of the first.",
			"Redeem each code once; a retry or a double callback (a browser prefetch, two tabs) must start a new sign-in."
	case code == "invalid_grant" && has("expire"):
		return "The code expired before it was redeemed: codes live seconds to minutes (RFC 6749 §4.1.2).",
			"Exchange the code as soon as the callback arrives; sign in again."
	case code == "invalid_grant" && has("client"):
		return "The code was issued to another client.", "Redeem it with the client id the authorization URL carried."
	case code == "invalid_grant":
		return "The code is invalid, expired, already used, or bound to another redirect URI, client or verifier (RFC 6749 §5.2).",
			"Start a new sign-in; check the redirect_uri and verifier sent with the code are this sign-in's."
	case code == "invalid_request" && has("verifier", "pkce", "challenge"):
		return "A PKCE parameter is missing or malformed (RFC 7636 §4.4.1).",
			"Send code_verifier with the code (43–128 of A-Z a-z 0-9 - . _ ~) and code_challenge_method=S256 in the authorization URL."
	case code == "invalid_client":
		return "The client id or secret was not accepted.",
			"Copy the client id and secret again for this environment; try the other client authentication (post/basic)."
	case code == "unsupported_grant_type":
		return "The server does not accept grant_type=" + grant + ".", "Enable SSO for this client, or check the token endpoint is the environment's."
	case code == "unauthorized_client":
		return "This client may not use grant_type=" + grant + ".", "Enable the grant for the client in the dashboard."
	}
	return tokenErrorMeaning(code), ""
}

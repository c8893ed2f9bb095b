package doctor

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/authscope/authscope/authschemes"
	"github.com/authscope/authscope/model"
)

// nestedJWT finds a JWT inside a claim's value.
var nestedJWT = model.LazyRegexp(`eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*`)

// maxJWTHeader bounds the header part decoded before DecodeJWT.
const maxJWTHeader = 8 << 10

// rawHeader decodes a JWT's header part alone: alg none, crit and jku
// are findings, and DecodeJWT refuses some of them.
func rawHeader(raw string) (map[string]json.RawMessage, error) {
	part, _, _ := strings.Cut(raw, ".")
	if len(part) > maxJWTHeader {
		return nil, fmt.Errorf("the header part is %d bytes: too long to be a JWT header", len(part))
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(part, "="))
	if err != nil {
		return nil, errors.New("the header is not base64url")
	}
	var h map[string]json.RawMessage
	if err := json.Unmarshal(b, &h); err != nil {
		return nil, errors.New("the header is not a JSON object")
	}
	return h, nil
}

func headerString(h map[string]json.RawMessage, k string) string {
	var v string
	_ = json.Unmarshal(h[k], &v)
	return v
}

// jwt X-rays one token: its parts, its times against now or --at, the
// provider and environment from iss, aud against the client id, ID token
// or access token, alg, kid and the signature against the issuer's keys.
// where is "" for a bare token, "bearer" in an Authorization value,
// "access_token" or "id_token" in a token response.
func (s *credentialState) jwt(raw, where string) {
	raw = strings.TrimSpace(raw)
	s.secret(raw)
	name := "The token"
	if where == "access_token" || where == "id_token" {
		name = "The " + where
	}
	ev := func(more string) string { return name[4:] + " " + s.mask(raw) + more }
	if strings.Count(raw, ".") == 4 {
		s.add(Finding{Check: "jwt-encrypted", Severity: SevInfo, weight: wContext,
			Title:    name + " is an encrypted JWT (JWE): only its recipient can read the claims",
			Evidence: ev(" (five parts)"),
			Fix:      "Decrypt it with the recipient's key; Scalekit access tokens are signed (three parts), not encrypted."})
		return
	}
	h, herr := rawHeader(raw)
	if herr != nil {
		s.add(Finding{Check: "jwt-unreadable", Severity: SevError, weight: wShape,
			Title:    name + " looks like a JWT but cannot be read: " + herr.Error(),
			Evidence: ev(""),
			Fix:      "Copy the whole token again: a JWT is three base64url parts joined by dots."})
		return
	}
	alg := headerString(h, "alg")
	decodeRaw := raw
	if strings.EqualFold(alg, "none") {
		s.add(Finding{Check: "jwt-alg-none", Severity: SevError, weight: wSyntax,
			Title:    name + ` has alg "none": it is unsigned, anyone can write one, and no server may accept it`,
			Evidence: `header alg "` + model.Sanitize(alg) + `"` + sigNote(raw),
			Fix:      "Treat it as forged: get a token from the issuer's token endpoint (RS256), and make sure your verifier refuses alg none (RFC 8725 §3.1)."})
		// Read the claims anyway, with a stand-in header.
		if _, rest, ok := strings.Cut(raw, "."); ok {
			payload, _, _ := strings.Cut(rest, ".")
			decodeRaw = base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"RS256"}`)) + "." + payload + ".AA"
		}
	}
	if crit, ok := h["crit"]; ok {
		s.add(Finding{Check: "jwt-crit", Severity: SevWarning, weight: wShape,
			Title:    name + " has a crit header: verifiers that do not know every extension it lists must reject it",
			Evidence: "crit " + model.Sanitize(oneLine(string(crit), 80)),
			Fix:      "Issuers such as Scalekit set no crit: check where this token came from."})
	}
	for _, k := range []string{"jku", "x5u", "jwk", "x5c"} {
		if v, ok := h[k]; ok {
			s.add(Finding{Check: "jwt-header-key", Severity: SevWarning, weight: wShape,
				Title:    name + " names its own key (" + k + "): a verifier that trusts it accepts a forged token",
				Evidence: k + " " + model.Sanitize(oneLine(strings.Trim(string(v), `"`), 100)) + " (never fetched)",
				Fix:      "Verify against the issuer's JWKS (its jwks_uri), never a key or URL the token carries."})
		}
	}
	j, err := authschemes.DecodeJWT(decodeRaw)
	if err != nil {
		s.add(Finding{Check: "jwt-unreadable", Severity: SevError, weight: wShape,
			Title:    name + " looks like a JWT but cannot be read: " + model.Sanitize(err.Error()),
			Evidence: ev(""),
			Fix:      "Copy the whole token again: a JWT is three base64url parts joined by dots."})
		return
	}
	parts := &JWTParts{Signature: "not verified"}
	for _, c := range j.Header {
		if strings.EqualFold(alg, "none") {
			break
		}
		parts.Header = append(parts.Header, s.cleanClaim(c, name))
	}
	if strings.EqualFold(alg, "none") {
		for k, v := range h {
			parts.Header = append(parts.Header, authschemes.Claim{Name: model.Sanitize(k), Value: model.Sanitize(oneLine(strings.Trim(string(v), `"`), 120))})
		}
	}
	for _, c := range j.Claims {
		parts.Claims = append(parts.Claims, s.cleanClaim(c, name))
	}
	parts.Use = tokenUse(j)
	if where == "id_token" {
		s.rep.Credential.IDToken = parts
	} else if s.rep.Credential.JWT == nil {
		s.rep.Credential.JWT = parts
	}
	switch {
	case where == "bearer" && parts.Use == "ID token":
		s.add(Finding{Check: "jwt-id-as-access", Severity: SevError, weight: wShape,
			Title:    "An ID token sent as a Bearer access token: APIs reject it",
			Evidence: "claims " + useEvidence(j),
			Fix:      "An ID token tells your app who signed in; call the API with the access_token from the same response."})
	case where == "id_token" && parts.Use == "access token":
		s.add(Finding{Check: "jwt-access-as-id", Severity: SevError, weight: wShape,
			Title:    "The id_token holds an access token: it does not say who signed in",
			Evidence: "claims " + useEvidence(j),
			Fix:      "Read the user from the id_token (nonce, aud = your client id); send the access_token to APIs."})
	}
	if where != "id_token" || !s.place.Known {
		if iss, ok := j.Claim("iss"); ok {
			s.placeFromIssuer(iss.Value)
			if !s.place.Known && (strings.HasPrefix(j.KeyID, "snk_") || claimHasPrefix(j, "client_id", "skc_")) {
				if p, err := model.Lookup("scalekit"); err == nil {
					s.setPlace(p, "custom", "detected from the kid/client_id (snk_, skc_) with iss "+model.Sanitize(oneLine(iss.Value, 80))+" on a custom domain")
				}
			}
		} else {
			s.add(Finding{Check: "jwt-no-iss", Severity: SevWarning, weight: wShape,
				Title: name + " has no iss: nothing says who issued it", Evidence: "claims: " + claimNames(j),
				Fix: "Verifiers check iss against the issuer they trust: get a token from the issuer's token endpoint."})
		}
	}
	s.jwtTimes(j, name)
	s.jwtAudience(j, name, where)
	s.jwtAlg(j, name)
	s.jwtSignature(raw, j, name, parts)
}

// span is a duration as people say it: 45s, 12m, 3h05m, 2d4h.
func span(d time.Duration) string {
	switch {
	case d < time.Minute:
		return d.Round(time.Second).String()
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Round(time.Minute)/time.Minute))
	case d < 48*time.Hour:
		m := int(d.Round(time.Minute) / time.Minute)
		return fmt.Sprintf("%dh%02dm", m/60, m%60)
	}
	h := int(d.Round(time.Hour) / time.Hour)
	return fmt.Sprintf("%dd%dh", h/24, h%24)
}

// cleanClaim makes a claim safe to show: sanitized, a nested JWT masked.
func (s *credentialState) cleanClaim(c authschemes.Claim, name string) authschemes.Claim {
	v := c.Value
	if m := nestedJWT().FindAllString(v, 4); len(m) > 0 {
		for _, t := range m {
			s.secret(t)
			v = strings.ReplaceAll(v, t, s.mask(t))
		}
		s.add(Finding{Check: "jwt-nested", Severity: SevWarning, weight: wShape,
			Title:    name + " carries another JWT in its claim " + model.Sanitize(c.Name) + " (not read, masked)",
			Evidence: "claim " + model.Sanitize(c.Name) + " holds " + fmt.Sprint(len(m)) + " token(s)",
			Fix:      "A token inside a token leaks it to every API that sees the outer one: ask the issuer why."})
	}
	c.Name = model.Sanitize(c.Name)
	c.Value = model.Sanitize(oneLine(v, 200))
	return c
}

func sigNote(raw string) string {
	if strings.HasSuffix(raw, ".") {
		return ", empty signature"
	}
	return ""
}

func claimHasPrefix(j *authschemes.JWT, name, prefix string) bool {
	c, ok := j.Claim(name)
	return ok && strings.HasPrefix(c.Value, prefix)
}

func claimNames(j *authschemes.JWT) string {
	var n []string
	for _, c := range j.Claims {
		n = append(n, c.Name)
	}
	return model.Sanitize(oneLine(strings.Join(n, ", "), 120))
}

// tokenUse tells an ID token (nonce, at_hash, a user's profile) from an
// access token (client_id, scope).
func tokenUse(j *authschemes.JWT) string {
	has := func(n string) bool { _, ok := j.Claim(n); return ok }
	for _, c := range j.Header {
		if c.Name == "typ" && strings.EqualFold(c.Value, "at+jwt") {
			return "access token"
		}
	}
	switch {
	case has("nonce") || has("at_hash") || has("c_hash"):
		return "ID token"
	case has("client_id") || has("scope") || has("scopes"):
		return "access token"
	case has("email") || has("name") || has("preferred_username") || has("given_name"):
		return "ID token"
	}
	return "unknown"
}

func useEvidence(j *authschemes.JWT) string {
	var n []string
	for _, c := range j.Claims {
		switch c.Name {
		case "nonce", "at_hash", "c_hash", "email", "name", "client_id", "scope", "scopes", "aud":
			n = append(n, c.Name)
		}
	}
	return strings.Join(n, ", ")
}

// jwtTimes: iat, nbf and exp against now or --at, clock skew named.
func (s *credentialState) jwtTimes(j *authschemes.JWT, name string) {
	at, atName := s.at, s.atName
	if j.ExpiresAt == nil {
		s.add(Finding{Check: "jwt-no-exp", Severity: SevWarning, weight: wTime,
			Title: name + " has no exp: it never expires", Evidence: "claims: " + claimNames(j),
			Fix: "Issuers set exp (Scalekit: iat + 86400); a token without one is not from them, or cannot be revoked by time."})
	}
	switch {
	case j.ExpiresAt != nil && !at.Before(*j.ExpiresAt) && at.Sub(*j.ExpiresAt) <= clockLeeway:
		s.add(Finding{Check: "jwt-expired", Severity: SevWarning, weight: wTime,
			Title:    name + " expired " + span(at.Sub(*j.ExpiresAt)) + " before " + atName + ": within the clock skew most servers allow (60s), but only just",
			Evidence: "exp " + stamp(*j.ExpiresAt) + ", " + atName + " " + stamp(at),
			Fix:      "Fetch a new token before exp (cache it for expires_in less a minute), and refresh on 401."})
	case j.ExpiresAt != nil && !at.Before(*j.ExpiresAt):
		s.add(Finding{Check: "jwt-expired", Severity: SevError, weight: wTime + 5,
			Title:    name + " has expired: exp is " + span(at.Sub(*j.ExpiresAt)) + " before " + atName,
			Evidence: "exp " + stamp(*j.ExpiresAt) + ", " + atName + " " + stamp(at),
			Fix:      "Fetch a new token (authscope token, or the SDK's client credentials call) and refresh on 401; if the API's clock says otherwise, give --at the response's Date."})
	case j.ExpiresAt != nil:
		s.add(Finding{Check: "jwt-valid-for", Severity: SevInfo, weight: wContext,
			Title:    name + " is valid for " + span(j.ExpiresAt.Sub(at)) + " more, by " + atName,
			Evidence: "exp " + stamp(*j.ExpiresAt),
			Fix:      "Refresh before exp, less a minute for clock skew."})
	}
	if j.NotBefore != nil && at.Before(*j.NotBefore) {
		skew := j.NotBefore.Sub(at)
		sev, w := SevError, wTime+4
		if skew <= clockLeeway {
			sev, w = SevWarning, wTime
		}
		s.add(Finding{Check: "jwt-not-yet-valid", Severity: sev, weight: w,
			Title:    "Clock skew: " + name[4:] + " is not valid yet — nbf is " + skew.Round(time.Second).String() + " after " + atName,
			Evidence: "nbf " + stamp(*j.NotBefore) + ", " + atName + " " + stamp(at),
			Fix:      "The issuer's clock is ahead of this one (or the API's): sync clocks with NTP, or wait " + skew.Round(time.Second).String() + "."})
	} else if j.IssuedAt != nil && j.IssuedAt.Sub(at) > clockLeeway {
		s.add(Finding{Check: "clock-skew", Severity: SevWarning, weight: wTime,
			Title:    "Clock skew: " + name[4:] + " was issued " + j.IssuedAt.Sub(at).Round(time.Second).String() + " after " + atName,
			Evidence: "iat " + stamp(*j.IssuedAt) + ", " + atName + " " + stamp(at),
			Fix:      "The issuer's clock and this one disagree: sync clocks with NTP."})
	}
}

// jwtAudience: aud against the client id given with --client-id.
func (s *credentialState) jwtAudience(j *authschemes.JWT, name, where string) {
	want := s.opts.Credential.ClientID
	aud, ok := j.Claim("aud")
	switch {
	case want == "":
	case !ok && (where == "id_token" || tokenUse(j) == "ID token"):
		s.add(Finding{Check: "jwt-aud", Severity: SevError, weight: wEnv,
			Title: "The ID token has no aud: it must name your client id", Evidence: "claims: " + claimNames(j),
			Fix: "Reject it: an ID token without aud was not issued to your app."})
	case ok && !slices.Contains(authschemes.Audience(aud.Value), want):
		s.add(Finding{Check: "jwt-aud", Severity: SevError, weight: wEnv,
			Title:    name + "'s audience is not your client id: it was issued to another client or API",
			Evidence: "aud " + model.Sanitize(oneLine(aud.Value, 120)) + ", --client-id " + model.Sanitize(want),
			Fix:      "Get the token with the client it is meant for, or configure the audience your API expects."})
	case ok:
		s.add(Finding{Check: "jwt-aud-ok", Severity: SevInfo, weight: wContext,
			Title: "aud names the client id " + model.Sanitize(want), Evidence: "aud " + model.Sanitize(oneLine(aud.Value, 120)),
			Fix: "Nothing to fix."})
	}
}

// audHas: aud is a string or an array of strings.
// jwtAlg: HS* where RS256 is expected, kid absent.
func (s *credentialState) jwtAlg(j *authschemes.JWT, name string) {
	alg := strings.ToUpper(j.Alg)
	if strings.HasPrefix(alg, "HS") {
		who := "The issuer publishes public keys (a JWKS), so its tokens are RS256"
		if s.place.Known && s.place.Provider.ID == "scalekit" {
			who = "Scalekit signs with RS256"
		}
		s.add(Finding{Check: "jwt-alg-hs", Severity: SevError, weight: wSyntax,
			Title:    name + " is " + model.Sanitize(j.Alg) + " (a shared secret) where RS256 is expected: forged, or the alg-confusion attack",
			Evidence: "header alg " + model.Sanitize(j.Alg) + "; " + who,
			Fix:      "Refuse HS* from an RS256 issuer (pin the algorithm in the verifier); get a real token from the token endpoint."})
	}
	if j.KeyID == "" && !strings.EqualFold(j.Alg, "none") {
		s.add(Finding{Check: "jwt-no-kid", Severity: SevWarning, weight: wShape,
			Title:    name + " has no kid: a verifier cannot pick the key from the issuer's JWKS",
			Evidence: "header: " + headerNames(j),
			Fix:      "Scalekit tokens carry kid snk_…: a token without one was minted elsewhere."})
	}
}

func headerNames(j *authschemes.JWT) string {
	var n []string
	for _, c := range j.Header {
		n = append(n, c.Name)
	}
	return model.Sanitize(strings.Join(n, ", "))
}

// jwtSignature verifies the signature against --jwks, or the issuer's keys
// when the front end may fetch them (the sandbox on loopback always).
func (s *credentialState) jwtSignature(raw string, j *authschemes.JWT, name string, parts *JWTParts) {
	if strings.EqualFold(j.Alg, "none") {
		parts.Signature = "none"
		return
	}
	keys, from := s.opts.Credential.JWKS, s.opts.Credential.JWKSFrom
	iss, _ := j.Claim("iss")
	if len(keys) == 0 && s.opts.Credential.Keys != nil && iss.Value != "" {
		var err error
		keys, from, err = s.opts.Credential.Keys(iss.Value)
		var nf *ErrNotFetched
		switch {
		case errors.As(err, &nf):
			s.add(Finding{Check: "jwt-unverified", Severity: SevInfo, weight: wContext,
				Title:    "The signature was not verified: " + model.Sanitize(nf.Why),
				Evidence: "iss " + model.Sanitize(oneLine(iss.Value, 100)),
				Fix:      "--fetch-jwks allows one unauthenticated GET of the issuer's published keys; --jwks FILE|URL gives them."})
			return
		case err != nil:
			s.add(Finding{Check: "jwt-keys-unavailable", Severity: SevWarning, weight: wContext,
				Title:    "The issuer's keys could not be read, so the signature was not verified",
				Evidence: model.Sanitize(oneLine(err.Error(), 160)),
				Fix:      "Give the keys with --jwks FILE|URL."})
			return
		}
	}
	if len(keys) == 0 {
		s.add(Finding{Check: "jwt-unverified", Severity: SevInfo, weight: wContext,
			Title:    "The signature was not verified (decoded only)",
			Evidence: "no JWKS given and the issuer is not the sandbox",
			Fix:      "--jwks FILE|URL verifies it; --fetch-jwks fetches a known provider environment's published keys."})
		return
	}
	v := authschemes.VerifySignature(raw, keys)
	from = model.Sanitize(from)
	switch {
	case v.Valid:
		parts.Signature = "verified"
		s.add(Finding{Check: "jwt-signature-ok", Severity: SevInfo, weight: wContext + 5,
			Title:    "The signature is valid: key " + model.Sanitize(v.KeyID) + " of " + from + " signed it",
			Evidence: "alg " + model.Sanitize(v.Alg) + ", kid " + model.Sanitize(orDash(v.KeyID)),
			Fix:      "Nothing to fix in the signature."})
	case strings.HasPrefix(strings.ToUpper(v.Alg), "HS"):
		parts.Signature = "refused"
	case errors.As(v.Err, new(*authschemes.UnreadableJWKSError)):
		parts.Signature = "not verified"
		s.add(Finding{Check: "jwks-unreadable", Severity: SevWarning, weight: wContext,
			Title:    "The signature was not verified: " + from + " cannot be read",
			Evidence: model.Sanitize(oneLine(errText(v.Err), 160)),
			Fix:      "Give the issuer's JWKS ({env}/keys): a JSON object with a \"keys\" array of public keys."})
	case authschemes.IsUnknownKid(v):
		parts.Signature = "unknown key"
		s.add(Finding{Check: "jwt-unknown-kid", Severity: SevError, weight: wSyntax - 5,
			Title:    "kid " + model.Sanitize(orDash(v.KeyID)) + " is not in " + from + ": rotated keys, another environment, or a forged token",
			Evidence: "kid " + model.Sanitize(orDash(v.KeyID)) + "; the JWKS has " + kidList(keys),
			Fix:      "Fetch a new token from this environment; if the kid is new, refresh the cached JWKS."})
	default:
		parts.Signature = "invalid"
		s.add(Finding{Check: "jwt-bad-signature", Severity: SevError, weight: wSyntax,
			Title:    "The signature does not match " + from + ": the token was altered or forged",
			Evidence: "alg " + model.Sanitize(v.Alg) + ", kid " + model.Sanitize(orDash(v.KeyID)) + ": " + model.Sanitize(oneLine(errText(v.Err), 120)),
			Fix:      "Do not trust its claims: get a token from the issuer's token endpoint."})
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// kidList names the kids of a JWKS, a few of them.
func kidList(jwks []byte) string {
	var set struct {
		Keys []struct {
			Kid string `json:"kid"`
		} `json:"keys"`
	}
	if json.NewDecoder(bytes.NewReader(jwks)).Decode(&set) != nil {
		return "no readable keys"
	}
	var k []string
	for _, x := range firstN(set.Keys, 5) {
		k = append(k, model.Sanitize(orDash(x.Kid)))
	}
	if len(k) == 0 {
		return "no keys"
	}
	more := ""
	if len(set.Keys) > 5 {
		more = fmt.Sprintf(" and %d more", len(set.Keys)-5)
	}
	return strings.Join(k, ", ") + more
}

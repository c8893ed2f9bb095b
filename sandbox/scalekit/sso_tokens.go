package scalekit

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/authscope/authscope/sandbox/wire"
)

// identity is one entry of the ID token's identities claim, as the SDKs
// map it into their user objects.
type ssoIdentity struct {
	ConnectionID   string `json:"connection_id"`
	OrganizationID string `json:"organization_id"`
	ConnectionType string `json:"connection_type"`
	ProviderName   string `json:"provider_name"`
	Social         bool   `json:"social"`
}

// idClaims are an ID token's claims, in the order the SDKs' fixtures and
// OIDC Core §2 list them.
type idClaims struct {
	Issuer    string           `json:"iss"`
	Subject   string           `json:"sub"`
	Audience  []string         `json:"aud"`
	ExpiresAt *jwt.NumericDate `json:"exp"`
	IssuedAt  *jwt.NumericDate `json:"iat"`
	Nonce     string           `json:"nonce,omitempty"`
	// amr holds the connection signed in through, azp the client: the
	// Python SDK reads the connection id from amr[0].
	AuthMethods     []string      `json:"amr"`
	AuthorizedParty string        `json:"azp"`
	AccessTokenHash string        `json:"at_hash"`
	CodeHash        string        `json:"c_hash,omitempty"` // with a code exchange only
	SessionID       string        `json:"sid"`
	OrgID           string        `json:"oid,omitempty"`
	Email           string        `json:"email"`
	EmailVerified   bool          `json:"email_verified"`
	Name            string        `json:"name,omitempty"`
	GivenName       string        `json:"given_name,omitempty"`
	FamilyName      string        `json:"family_name,omitempty"`
	Identities      []ssoIdentity `json:"identities"`
}

func (c *idClaims) GetExpirationTime() (*jwt.NumericDate, error) { return c.ExpiresAt, nil }
func (c *idClaims) GetIssuedAt() (*jwt.NumericDate, error)       { return c.IssuedAt, nil }
func (c *idClaims) GetNotBefore() (*jwt.NumericDate, error)      { return nil, nil }
func (c *idClaims) GetIssuer() (string, error)                   { return c.Issuer, nil }
func (c *idClaims) GetSubject() (string, error)                  { return c.Subject, nil }
func (c *idClaims) GetAudience() (jwt.ClaimStrings, error)       { return c.Audience, nil }

// userAccessClaims are a signed-in user's access token claims: those of
// a client-credentials token plus aud (the client id), the session, the
// organization, and the user's roles and permissions.
type userAccessClaims struct {
	Issuer      string           `json:"iss"`
	Subject     string           `json:"sub"`
	Audience    []string         `json:"aud"`
	ClientID    string           `json:"client_id"`
	IssuedAt    *jwt.NumericDate `json:"iat"`
	NotBefore   *jwt.NumericDate `json:"nbf"`
	ExpiresAt   *jwt.NumericDate `json:"exp"`
	ID          string           `json:"jti"`
	SessionID   string           `json:"sid"`
	OrgID       string           `json:"oid,omitempty"`
	Roles       []string         `json:"roles,omitempty"`
	Permissions []string         `json:"permissions,omitempty"`
	Scopes      []string         `json:"scopes"`
}

func (c *userAccessClaims) GetExpirationTime() (*jwt.NumericDate, error) { return c.ExpiresAt, nil }
func (c *userAccessClaims) GetIssuedAt() (*jwt.NumericDate, error)       { return c.IssuedAt, nil }
func (c *userAccessClaims) GetNotBefore() (*jwt.NumericDate, error)      { return c.NotBefore, nil }
func (c *userAccessClaims) GetIssuer() (string, error)                   { return c.Issuer, nil }
func (c *userAccessClaims) GetSubject() (string, error)                  { return c.Subject, nil }
func (c *userAccessClaims) GetAudience() (jwt.ClaimStrings, error)       { return c.Audience, nil }

// sign signs any claims with the environment's key, RS256 and its kid.
func (k *signingKeys) sign(claims jwt.Claims) (string, error) {
	if _, err := k.load(); err != nil {
		return "", err
	}
	token := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	token.Header["kid"] = k.kid
	return token.SignedString(k.key)
}

// ssoGrant is what the token endpoint signs for a signed-in user.
type ssoGrant struct {
	issuer, clientID string
	u                user
	conn             connection
	social           bool
	sid, nonce       string
	code             string // the authorization code redeemed; "" for a refresh
	scopes           []string
	orgID            string // the organization signed in to
	roles            []string
	permissions      []string
	now              time.Time
	ttl              time.Duration
}

// issueUser signs the access token and ID token of a sign-in.
func (k *signingKeys) issueUser(g ssoGrant) (access, id string, err error) {
	iat := g.now.Truncate(time.Second)
	access, err = k.sign(&userAccessClaims{
		Issuer: g.issuer, Subject: g.u.ID, Audience: []string{g.clientID}, ClientID: g.clientID,
		IssuedAt: jwt.NewNumericDate(iat), NotBefore: jwt.NewNumericDate(iat), ExpiresAt: jwt.NewNumericDate(iat.Add(g.ttl)),
		ID: "tkn_" + wire.RandomDigits(17), SessionID: g.sid, OrgID: g.orgID, Roles: g.roles, Permissions: g.permissions,
		Scopes: g.scopes,
	})
	if err != nil {
		return "", "", err
	}
	claims := &idClaims{
		Issuer: g.issuer, Subject: g.u.ID, Audience: []string{g.clientID},
		ExpiresAt: jwt.NewNumericDate(iat.Add(g.ttl)), IssuedAt: jwt.NewNumericDate(iat), Nonce: g.nonce, SessionID: g.sid,
		AuthMethods: []string{g.conn.ID}, AuthorizedParty: g.clientID, AccessTokenHash: halfHash(access),
		OrgID: g.orgID, Identities: []ssoIdentity{{ConnectionID: g.conn.ID, OrganizationID: g.conn.OrgID,
			ConnectionType: g.conn.Type, ProviderName: g.conn.Provider, Social: g.social}},
	}
	if g.code != "" {
		claims.CodeHash = halfHash(g.code)
	}
	if hasScope(g.scopes, "email") {
		claims.Email, claims.EmailVerified = g.u.Email, g.u.EmailVerified
	}
	if hasScope(g.scopes, "profile") {
		claims.Name, claims.GivenName, claims.FamilyName = g.u.name(), g.u.GivenName, g.u.FamilyName
	}
	id, err = k.sign(claims)
	return access, id, err
}

// halfHash is at_hash and c_hash for RS256 (OIDC Core §3.1.3.6): the
// left half of the SHA-256 of the value, base64url without padding.
func halfHash(v string) string {
	sum := sha256.Sum256([]byte(v))
	return base64.RawURLEncoding.EncodeToString(sum[:len(sum)/2])
}

func hasScope(scopes []string, s string) bool {
	for _, x := range scopes {
		if x == s {
			return true
		}
	}
	return false
}

// verifyIDTokenHint checks that an id_token_hint is an ID token this
// environment signed; an expired one is still a good hint (OIDC
// RP-Initiated Logout §2), so the times are not checked.
func (k *signingKeys) verifyIDTokenHint(raw, issuer string) (*idClaims, error) {
	if _, err := k.load(); err != nil {
		return nil, err
	}
	claims := &idClaims{}
	parser := jwt.NewParser(jwt.WithValidMethods([]string{jwt.SigningMethodRS256.Alg()}), jwt.WithoutClaimsValidation())
	_, err := parser.ParseWithClaims(raw, claims, func(t *jwt.Token) (any, error) {
		if kid, _ := t.Header["kid"].(string); kid != k.kid {
			return nil, errUnknownKey
		}
		return &k.key.PublicKey, nil
	})
	if err == nil && claims.Issuer != issuer {
		err = errors.New("issued by another environment")
	}
	return claims, err
}

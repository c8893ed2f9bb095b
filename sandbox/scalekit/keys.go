package scalekit

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/golang-jwt/jwt/v5"

	"github.com/authscope/authscope/sandbox/wire"
)

// signingKeys is the Scalekit environment's RSA key, made on first use:
// generating RSA-2048 takes tens of milliseconds, which commands that never
// ask for a token should not pay.
type signingKeys struct {
	once sync.Once
	key  *rsa.PrivateKey
	kid  string
	jwks []byte
	err  error

	verifiedMu sync.Mutex
	verified   map[verifiedKey]accessClaims // tokens whose signature checked out, for the gRPC face's per-call checks
}

// verifiedKey is a token as verified against one issuer.
type verifiedKey struct{ token, issuer string }

// maxVerified bounds the cache of verified tokens; when full it starts over.
const maxVerified = 1024

func (k *signingKeys) load() (*signingKeys, error) {
	k.once.Do(func() {
		k.key, k.err = rsa.GenerateKey(rand.Reader, 2048)
		if k.err != nil {
			return
		}
		// Scalekit key ids are snk_ and digits; derive them from the key so
		// the id names this key and no other.
		sum := sha256.Sum256(k.key.N.Bytes())
		k.kid = "snk_" + strconv.FormatUint(binary.BigEndian.Uint64(sum[:8])%9e16+1e16, 10)
		set := jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{
			Key: &k.key.PublicKey, KeyID: k.kid, Algorithm: string(jose.RS256), Use: "sig",
		}}}
		k.jwks = wire.Encode(set)
	})
	return k, k.err
}

// accessClaims are the claims of a Scalekit access token, in the order
// DESIGN.md lists them. oid (organisation clients) and aud (a configured
// audience) are left out: the demo client is an environment client.
type accessClaims struct {
	Issuer    string           `json:"iss"`
	Subject   string           `json:"sub"`
	ClientID  string           `json:"client_id"`
	IssuedAt  *jwt.NumericDate `json:"iat"`
	NotBefore *jwt.NumericDate `json:"nbf"`
	ExpiresAt *jwt.NumericDate `json:"exp"`
	ID        string           `json:"jti"`
	Scopes    []string         `json:"scopes"`
}

func (c *accessClaims) GetExpirationTime() (*jwt.NumericDate, error) { return c.ExpiresAt, nil }
func (c *accessClaims) GetIssuedAt() (*jwt.NumericDate, error)       { return c.IssuedAt, nil }
func (c *accessClaims) GetNotBefore() (*jwt.NumericDate, error)      { return c.NotBefore, nil }
func (c *accessClaims) GetIssuer() (string, error)                   { return c.Issuer, nil }
func (c *accessClaims) GetSubject() (string, error)                  { return c.Subject, nil }
func (c *accessClaims) GetAudience() (jwt.ClaimStrings, error)       { return nil, nil }

// issue signs an access token for clientID, valid for ttl from now.
func (k *signingKeys) issue(issuer, clientID string, now time.Time, ttl time.Duration) (string, error) {
	if _, err := k.load(); err != nil {
		return "", err
	}
	iat := now.Truncate(time.Second)
	claims := &accessClaims{
		Issuer: issuer, Subject: clientID, ClientID: clientID,
		IssuedAt: jwt.NewNumericDate(iat), NotBefore: jwt.NewNumericDate(iat), ExpiresAt: jwt.NewNumericDate(iat.Add(ttl)),
		ID: "tkn_" + wire.RandomDigits(17), Scopes: []string{"openid"},
	}
	token := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	token.Header["kid"] = k.kid
	return token.SignedString(k.key)
}

var errUnknownKey = errors.New("token signed by a key this environment does not have")

// verify checks a presented token with this environment's public key:
// RS256 only, our kid, our issuer, and the time claims at now.
func (k *signingKeys) verify(raw, issuer string, now time.Time) (*accessClaims, error) {
	if _, err := k.load(); err != nil {
		return nil, err
	}
	// An SDK sends the same token on every call: an RSA verification each
	// time was half the cost of a gRPC call. Times are checked again on
	// every hit; anything not plainly valid gets the full check below.
	key := verifiedKey{raw, issuer}
	k.verifiedMu.Lock()
	cached, hit := k.verified[key]
	k.verifiedMu.Unlock()
	if hit && now.Before(cached.ExpiresAt.Time) && !now.Before(cached.NotBefore.Time) && !now.Before(cached.IssuedAt.Time) {
		return &cached, nil
	}
	claims, err := k.verifyFully(raw, issuer, now)
	if err == nil && claims.ExpiresAt != nil && claims.NotBefore != nil && claims.IssuedAt != nil {
		k.verifiedMu.Lock()
		if k.verified == nil || len(k.verified) >= maxVerified {
			k.verified = make(map[verifiedKey]accessClaims)
		}
		k.verified[key] = *claims
		k.verifiedMu.Unlock()
	}
	return claims, err
}

func (k *signingKeys) verifyFully(raw, issuer string, now time.Time) (*accessClaims, error) {
	claims := &accessClaims{}
	parser := jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodRS256.Alg()}),
		jwt.WithIssuer(issuer),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(func() time.Time { return now }),
	)
	_, err := parser.ParseWithClaims(raw, claims, func(t *jwt.Token) (any, error) {
		if kid, _ := t.Header["kid"].(string); kid != k.kid {
			return nil, errUnknownKey
		}
		return &k.key.PublicKey, nil
	})
	return claims, err
}

// managementToken is what is wrong with token as a credential for the
// management API (REST and gRPC alike), or "". Only the environment's
// client calls it: a user's access token from a sign-in, or an
// organization M2M client's token (meant for the customer's own APIs),
// is signed by the same key but refused, so a sandbox run cannot pass
// with a token production would turn away.
func (s *Service) managementToken(token, issuer string) string {
	claims, err := s.keys.verify(token, issuer, s.now())
	envClientID, _ := scalekitClient()
	switch {
	case err != nil:
		return tokenProblem(err)
	case claims.Subject != claims.ClientID:
		return "Token invalid: a user's access token cannot call the management API; use a token from the environment's client credentials"
	case claims.ClientID != envClientID:
		return "Token invalid: an organization M2M client's token is for your own APIs; the management API takes the environment client's"
	}
	return ""
}

// tokenProblem is the grpc-gateway message for a token that failed
// verify, one per kind of failure so a client can tell them apart.
func tokenProblem(err error) string {
	switch {
	case errors.Is(err, jwt.ErrTokenMalformed):
		return "Token invalid: malformed"
	case errors.Is(err, jwt.ErrTokenSignatureInvalid), errors.Is(err, jwt.ErrTokenUnverifiable):
		return "Token invalid: signature"
	case errors.Is(err, jwt.ErrTokenExpired):
		return "Token expired"
	case errors.Is(err, jwt.ErrTokenNotValidYet), errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		return "Token invalid: not yet valid"
	case errors.Is(err, jwt.ErrTokenInvalidIssuer):
		return "Token invalid: issuer"
	}
	return "Token invalid"
}

package authschemes

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/golang-jwt/jwt/v5"
)

// Verification is the result of checking a JWT against a JWKS.
type Verification struct {
	Valid bool
	KeyID string
	Alg   string
	Err   error // why it is not valid, in words a person can act on
}

// signingAlgs are the asymmetric algorithms a JWKS can verify; HMAC and
// "none" are refused so a forged token cannot pick its own check.
var signingAlgs = []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}

// VerifyJWKS checks raw's signature with the matching key of a JSON Web Key
// Set, its expiry and not-before at now, and (when expectIssuer is not
// empty) its iss. Parsing and signature checks are golang-jwt's; the key
// set is go-jose's.
func VerifyJWKS(raw string, jwks []byte, expectIssuer string, now time.Time) Verification {
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(jwks, &set); err != nil {
		return Verification{Err: fmt.Errorf("the JWKS is not a JSON Web Key Set: %v", err)}
	}
	var v Verification
	token, err := jwt.Parse(strings.TrimSpace(raw), keyFrom(set, &v),
		jwt.WithValidMethods(signingAlgs),
		jwt.WithTimeFunc(func() time.Time { return now }),
		jwt.WithExpirationRequired())
	if err != nil {
		if v.Alg == "" { // refused before the key lookup: say what it claimed
			if t, _, perr := jwt.NewParser().ParseUnverified(strings.TrimSpace(raw), jwt.MapClaims{}); perr == nil {
				v.Alg, _ = t.Header["alg"].(string)
				v.KeyID, _ = t.Header["kid"].(string)
			}
		}
		v.Err = explainJWTError(err, v.Alg)
		return v
	}
	if expectIssuer != "" {
		iss, _ := token.Claims.GetIssuer()
		if strings.TrimRight(iss, "/") != strings.TrimRight(expectIssuer, "/") {
			v.Err = fmt.Errorf("issuer %q is not the environment %q: the token was minted elsewhere", iss, expectIssuer)
			return v
		}
	}
	v.Valid = true
	return v
}

// keyFrom is the key lookup both verifiers give golang-jwt: it notes the
// token's alg and kid in v, then picks the set's key for that kid, which
// must be for that algorithm when the key says.
func keyFrom(set jose.JSONWebKeySet, v *Verification) jwt.Keyfunc {
	return func(t *jwt.Token) (any, error) {
		v.Alg, _ = t.Header["alg"].(string)
		v.KeyID, _ = t.Header["kid"].(string)
		key, err := pickKey(set, v.KeyID)
		if err != nil {
			return nil, err
		}
		if key.Algorithm != "" && key.Algorithm != v.Alg {
			return nil, fmt.Errorf("key %s is for %s, the token says %s", v.KeyID, key.Algorithm, v.Alg)
		}
		return key.Key, nil
	}
}

// pickKey finds the public key for kid; a set with one key serves a token
// without kid.
func pickKey(set jose.JSONWebKeySet, kid string) (jose.JSONWebKey, error) {
	if kid == "" {
		if len(set.Keys) == 1 {
			return set.Keys[0].Public(), nil
		}
		return jose.JSONWebKey{}, errors.New("the token has no kid and the JWKS holds more than one key")
	}
	keys := set.Key(kid)
	if len(keys) == 0 {
		return jose.JSONWebKey{}, fmt.Errorf("no key %q in the JWKS: the keys were rotated, or the token is from another environment", kid)
	}
	return keys[0].Public(), nil
}

func explainJWTError(err error, alg string) error {
	switch {
	case alg != "" && !slices.Contains(signingAlgs, alg):
		return fmt.Errorf("the token is signed with %s, not a public-key signing method a JWKS can check: refused", alg)
	case errors.Is(err, jwt.ErrTokenExpired):
		return errors.New("the token has expired: fetch a new one")
	case errors.Is(err, jwt.ErrTokenNotValidYet):
		return errors.New("the token is not valid yet (nbf in the future): check the clocks")
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return errors.New("the signature does not match the key: the token was altered or signed by someone else")
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return errors.New("the token has no exp claim")
	case errors.Is(err, jwt.ErrTokenMalformed):
		return errors.New("the token is not a well-formed JWT")
	}
	return err
}

// VerifySignature checks only raw's signature against a JWKS, whatever
// its times say: an expired token is still told apart from a forged one.
// The algorithm must be a public-key one (HS256 "signed" with a public
// key, the classic confusion, is refused), and kid picks the key.
func VerifySignature(raw string, jwks []byte) Verification {
	set, err := lenientKeySet(jwks)
	if err != nil {
		return Verification{Err: &UnreadableJWKSError{err}}
	}
	var v Verification
	raw = strings.TrimSpace(raw)
	if t, _, err := jwt.NewParser().ParseUnverified(raw, jwt.MapClaims{}); err == nil {
		v.Alg, _ = t.Header["alg"].(string)
		v.KeyID, _ = t.Header["kid"].(string)
	}
	_, err = jwt.Parse(raw, keyFrom(set, &v), jwt.WithValidMethods(signingAlgs), jwt.WithoutClaimsValidation())
	if err != nil {
		v.Err = explainJWTError(err, v.Alg)
		return v
	}
	v.Valid = true
	return v
}

// UnreadableJWKSError: the key set itself could not be read, which says
// nothing about the token.
type UnreadableJWKSError struct{ Err error }

func (e *UnreadableJWKSError) Error() string {
	return "the JWKS is not a JSON Web Key Set: " + e.Err.Error()
}

// lenientKeySet reads a JWKS key by key, skipping the keys go-jose cannot
// read (an unknown kty): one odd key must not hide the others.
func lenientKeySet(jwks []byte) (jose.JSONWebKeySet, error) {
	var raw struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(jwks, &raw); err != nil {
		return jose.JSONWebKeySet{}, err
	}
	var set jose.JSONWebKeySet
	for _, k := range raw.Keys {
		var jk jose.JSONWebKey
		if jk.UnmarshalJSON(k) == nil {
			set.Keys = append(set.Keys, jk)
		}
	}
	if len(set.Keys) == 0 {
		return set, errors.New("no key in it can be read")
	}
	return set, nil
}

// IsUnknownKid reports a verification that failed because the JWKS holds
// no key with the token's kid.
func IsUnknownKid(v Verification) bool {
	return v.Err != nil && strings.Contains(v.Err.Error(), "no key ")
}

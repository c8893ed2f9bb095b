package scalekit

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/sandbox/wire"
)

// ssoTokenResponse is the token endpoint's answer to a code exchange or a
// refresh: what the SDKs' authenticateWithCode and refreshAccessToken read.
type ssoTokenResponse struct {
	AccessToken  string `json:"access_token"`
	IDToken      string `json:"id_token"`
	RefreshToken string `json:"refresh_token"`
	ExpiresIn    int64  `json:"expires_in"`
	TokenType    string `json:"token_type"`
}

// codeVerifier is RFC 7636 §4.1: 43 to 128 unreserved characters.
var codeVerifier = model.LazyRegexp(`^[A-Za-z0-9._~-]{43,128}$`)

func s256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// exchangeCode is grant_type=authorization_code (RFC 6749 §4.1.3, RFC
// 7636 §4.6): the code is single-use, lives codeTTL, and is bound to the
// client, the redirect URI and the PKCE challenge; invalid_grant says
// which binding failed.
func (s *Service) exchangeCode(w http.ResponseWriter, r *http.Request, form url.Values, clientID string, ttl time.Duration) {
	code, redirectURI, verifier := form.Get("code"), form.Get("redirect_uri"), form.Get("code_verifier")
	switch {
	case code == "":
		tokenFail(w, http.StatusBadRequest, "invalid_request", "missing code")
		return
	case redirectURI == "":
		tokenFail(w, http.StatusBadRequest, "invalid_request", "missing redirect_uri: send the one the authorization request had (RFC 6749 §4.1.3)")
		return
	}
	now := s.now()
	c, found, replay := s.dir.takeCode(code)
	switch {
	case !found:
		tokenFail(w, http.StatusBadRequest, "invalid_grant", "code is not valid: it was never issued, or it expired and is gone")
		return
	case replay:
		tokenFail(w, http.StatusBadRequest, "invalid_grant", "code was already used: a code is good for one exchange; the session it started is now revoked (RFC 6749 §4.1.2)")
		return
	case !now.Before(c.expires):
		tokenFail(w, http.StatusBadRequest, "invalid_grant", "code expired: codes are good for 5 minutes; sign in again")
		return
	case c.clientID != clientID:
		tokenFail(w, http.StatusBadRequest, "invalid_grant", "code was issued to another client")
		return
	case c.redirectURI != redirectURI:
		tokenFail(w, http.StatusBadRequest, "invalid_grant", "redirect_uri "+model.Sanitize(truncate(redirectURI, 200))+
			" differs from the authorization request's "+model.Sanitize(c.redirectURI)+": they must match exactly (RFC 6749 §4.1.3)")
		return
	case c.challenge == "" && verifier != "":
		tokenFail(w, http.StatusBadRequest, "invalid_grant", "code_verifier sent, but the authorization request had no code_challenge")
		return
	case c.challenge != "" && verifier == "":
		tokenFail(w, http.StatusBadRequest, "invalid_grant", "code_verifier is missing: the authorization request had a code_challenge (RFC 7636 §4.5)")
		return
	case c.challenge != "" && !codeVerifier().MatchString(verifier):
		tokenFail(w, http.StatusBadRequest, "invalid_grant", "code_verifier must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636 §4.1)")
		return
	case c.challenge != "" && !wire.SecretEqual(s256(verifier), c.challenge):
		tokenFail(w, http.StatusBadRequest, "invalid_grant", "code_verifier does not match the code_challenge: BASE64URL(SHA256(code_verifier)) must equal it (RFC 7636 §4.6)")
		return
	}
	s.issueSSO(w, r, c.sid, c.clientID, c.nonce, c.scopes, c.connID, c.social, code, ttl, now)
}

// exchangeRefresh is grant_type=refresh_token (RFC 6749 §6): the token is
// rotated on use, and a used one presented again revokes the session.
func (s *Service) exchangeRefresh(w http.ResponseWriter, r *http.Request, form url.Values, clientID string, ttl time.Duration) {
	token := form.Get("refresh_token")
	if token == "" {
		tokenFail(w, http.StatusBadRequest, "invalid_request", "missing refresh_token")
		return
	}
	now := s.now()
	var code, problem string
	var scopes []string
	g, found, replay := s.dir.takeRefresh(token, now, func(g refreshGrant) bool {
		code, problem, scopes = checkRefresh(g, clientID, form.Get("scope"), now)
		return code == ""
	})
	switch {
	case !found:
		tokenFail(w, http.StatusBadRequest, "invalid_grant", "refresh token is not valid: never issued, or its session ended (logout, revocation)")
		return
	case replay:
		tokenFail(w, http.StatusBadRequest, "invalid_grant", "refresh token was already used: each refresh returns a new one to use next time (rotation); the session is now revoked")
		return
	case code != "":
		tokenFail(w, http.StatusBadRequest, code, problem)
		return
	}
	sess, ok := s.dir.sessionOf(g.sid, now)
	if !ok {
		tokenFail(w, http.StatusBadRequest, "invalid_grant", "the session ended (logout or revocation); sign in again")
		return
	}
	s.issueSSO(w, r, g.sid, g.clientID, g.nonce, scopes, sess.ConnID, sess.social, "", ttl, now)
}

// checkRefresh checks a refresh request against its grant before the
// token is spent: the client, the expiry and the scopes asked (raw, a
// subset of those granted). code is the OAuth error, "" when accepted.
func checkRefresh(g refreshGrant, clientID, raw string, now time.Time) (code, problem string, scopes []string) {
	switch {
	case g.clientID != clientID:
		return "invalid_grant", "refresh token was issued to another client", nil
	case !now.Before(g.expires):
		return "invalid_grant", "refresh token expired; sign in again", nil
	}
	if raw == "" {
		return "", "", g.scopes
	}
	asked := strings.Fields(raw)
	for _, sc := range asked {
		if !slices.Contains(g.scopes, sc) {
			return "invalid_scope", "scope " + model.Sanitize(truncate(sc, 80)) + " was not granted at sign-in (RFC 6749 §6)", nil
		}
	}
	return "", "", asked
}

// issueSSO signs the user's tokens for a live session and answers; code
// is the authorization code redeemed ("" for a refresh), for c_hash.
func (s *Service) issueSSO(w http.ResponseWriter, r *http.Request, sid, clientID, nonce string, scopes []string, connID string, social bool, code string, ttl time.Duration, now time.Time) {
	sess, ok := s.dir.sessionOf(sid, now)
	if !ok {
		tokenFail(w, http.StatusBadRequest, "invalid_grant", "the session ended (logout or revocation); sign in again")
		return
	}
	u, ok := s.dir.user(sess.UserID)
	if !ok {
		tokenFail(w, http.StatusBadRequest, "invalid_grant", "the user was deleted")
		return
	}
	conn, ok := s.dir.connection(connID)
	if social {
		for _, c := range socialProviders {
			if c.ID == connID {
				conn, ok = c, true
			}
		}
	}
	if !ok {
		conn = connection{ID: connID, OrgID: u.OrgID}
	}
	orgID := conn.OrgID
	if orgID == "" { // social sign-in: the user's own organization
		orgID = u.OrgID
	}
	m, _ := u.membershipIn(orgID)
	access, id, err := s.keys.issueUser(ssoGrant{issuer: wire.BaseURL(r, s.base), clientID: clientID, u: u, conn: conn, social: social,
		sid: sid, nonce: nonce, code: code, scopes: scopes, orgID: orgID, roles: m.Roles, permissions: s.dir.permissionsOfRolesIn(orgID, m.Roles), now: now, ttl: ttl})
	if err != nil {
		tokenFail(w, http.StatusInternalServerError, "server_error", "could not sign the token")
		return
	}
	refresh := s.dir.addRefresh(refreshGrant{clientID: clientID, sid: sid, scopes: scopes, nonce: nonce, expires: now.Add(refreshTokenTTL)})
	tokenHeaders(w)
	wire.Write(w, http.StatusOK, wire.JSONBare, wire.Encode(ssoTokenResponse{
		AccessToken: access, IDToken: id, RefreshToken: refresh, ExpiresIn: int64(ttl/time.Second) - 1, TokenType: "Bearer",
	}))
}

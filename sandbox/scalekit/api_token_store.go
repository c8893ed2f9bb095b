package scalekit

import (
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/authscope/authscope/sandbox/wire"
)

// API tokens (scalekit.v1.tokens.ApiTokenService): opaque, long-lived
// tokens an organization (and optionally one of its members) holds. The
// store keeps each token's SHA-256, never the token: the value is shown
// once, by CreateToken.
const (
	maxTokensPerOrg = 50
	maxTokens       = 1000
	// apiTokenPrefix starts every token value. Scalekit documents no
	// format for the opaque value, only for the id (apit_…), so this is
	// the sandbox's own, chosen never to look like an id.
	apiTokenPrefix = "sandbox_apitoken_"
)

type apiToken struct {
	ID, OrgID, UserID, Description string
	CustomClaims                   map[string]string // replaced, never changed in place
	Expiry                         time.Time         // zero: never expires
	Created                        time.Time
	Suffix                         string // the value's last 4 characters
	hash                           [32]byte
}

// apiTokenState is the part of dirStore this file manages.
type apiTokenState struct {
	apiTokens   map[string]*apiToken // by id
	tokenByHash map[[32]byte]string  // SHA-256 of the value → id
	tokensOf    map[string][]string  // organization id → token ids, creation order
}

func (st *dirStore) initAPITokens() {
	st.apiTokens, st.tokenByHash, st.tokensOf = map[string]*apiToken{}, map[[32]byte]string{}, map[string][]string{}
}

// addAPIToken stores t with a fresh id and value, returning both; problem
// says why not (one line). A user-bound token needs the user to be a
// member of the organization.
func (st *dirStore) addAPIToken(t apiToken, now time.Time) (apiToken, string, string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if len(st.tokensOf[t.OrgID]) >= maxTokensPerOrg || len(st.apiTokens) >= maxTokens {
		return apiToken{}, "", "the sandbox keeps at most 50 API tokens per organization and 1000 in all: invalidate one first"
	}
	if t.UserID != "" {
		if u, ok := st.users[t.UserID]; !ok || !slices.ContainsFunc(u.Memberships, func(m membership) bool { return m.OrgID == t.OrgID }) {
			return apiToken{}, "", "user " + t.UserID + " is not a member of the organization"
		}
	}
	value := apiTokenPrefix + newSecret()
	t.ID, t.Created, t.Suffix, t.hash = "apit_"+wire.RandomDigits(17), now.UTC(), value[len(value)-4:], secretHash(value)
	t.CustomClaims = maps.Clone(t.CustomClaims)
	st.apiTokens[t.ID] = &t
	st.tokenByHash[t.hash] = t.ID
	st.tokensOf[t.OrgID] = append(st.tokensOf[t.OrgID], t.ID)
	return t, value, ""
}

// apiTokenIDLocked is the id of the token given by value or by id.
func (st *dirStore) apiTokenIDLocked(tokenOrID string) (string, bool) {
	if strings.HasPrefix(tokenOrID, "apit_") {
		_, ok := st.apiTokens[tokenOrID]
		return tokenOrID, ok
	}
	id, ok := st.tokenByHash[secretHash(tokenOrID)]
	return id, ok
}

// validAPIToken is the token given by value or id while it is valid: not
// invalidated, not expired, and its user (if any) still a member.
func (st *dirStore) validAPIToken(tokenOrID string, now time.Time) (apiToken, bool) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	id, ok := st.apiTokenIDLocked(tokenOrID)
	if !ok {
		return apiToken{}, false
	}
	t := st.apiTokens[id]
	if !t.Expiry.IsZero() && !now.Before(t.Expiry) {
		return apiToken{}, false
	}
	if t.UserID != "" {
		if u, ok := st.users[t.UserID]; !ok || !slices.ContainsFunc(u.Memberships, func(m membership) bool { return m.OrgID == t.OrgID }) {
			return apiToken{}, false
		}
	}
	return *t, true
}

// removeAPIToken forgets the token given by value or id; an unknown one
// is already gone, which Scalekit's SDK tests treat as success.
func (st *dirStore) removeAPIToken(tokenOrID string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	id, ok := st.apiTokenIDLocked(tokenOrID)
	if !ok {
		return
	}
	t := st.apiTokens[id]
	delete(st.apiTokens, id)
	delete(st.tokenByHash, t.hash)
	st.tokensOf[t.OrgID] = slices.DeleteFunc(slices.Clone(st.tokensOf[t.OrgID]), func(x string) bool { return x == id })
}

// dropOrgAPITokensLocked forgets an organization's tokens with it.
func (st *dirStore) dropOrgAPITokensLocked(orgID string) {
	for _, id := range st.tokensOf[orgID] {
		delete(st.tokenByHash, st.apiTokens[id].hash)
		delete(st.apiTokens, id)
	}
	delete(st.tokensOf, orgID)
}

// dropMemberAPITokensLocked forgets the tokens bound to userID in orgID,
// with the membership that gave them: adding it again must not revive
// them, nor may they count toward the caps.
func (st *dirStore) dropMemberAPITokensLocked(orgID, userID string) {
	st.tokensOf[orgID] = slices.DeleteFunc(slices.Clone(st.tokensOf[orgID]), func(id string) bool {
		t := st.apiTokens[id]
		if t.UserID != userID {
			return false
		}
		delete(st.tokenByHash, t.hash)
		delete(st.apiTokens, id)
		return true
	})
}

// apiTokensOf is the organization's tokens (only userID's when set), in
// creation order (at most maxTokensPerOrg).
func (st *dirStore) apiTokensOf(orgID, userID string) []apiToken {
	st.mu.RLock()
	defer st.mu.RUnlock()
	var out []apiToken
	for _, id := range st.tokensOf[orgID] {
		if t := st.apiTokens[id]; userID == "" || t.UserID == userID {
			out = append(out, *t)
		}
	}
	return out
}

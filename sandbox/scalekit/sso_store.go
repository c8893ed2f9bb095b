package scalekit

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/authscope/authscope/sandbox/wire"
)

// Caps on what clients and sign-ins can add; past a cap the request is
// refused with a one-line error (users, connections, domains) or the
// oldest entry goes (codes, refresh tokens, sessions, which expire anyway).
const (
	maxConnsPerOrg       = 10
	maxDomainsPerOrg     = 20
	maxUsersPerOrg       = 500
	maxCreatedUsers      = 2000
	maxPendingCodes      = 1000
	maxRefreshTokens     = 5000
	maxSessions          = 2000
	codeTTL              = 5 * time.Minute
	refreshTokenTTL      = 30 * 24 * time.Hour
	maxRefreshPerSession = 16
	maxEmailLen          = 254
	maxNameLen           = 200
	maxRedirectURILen    = 2000
	maxAuthorizeValLen   = 2000
)

// authCode is what an authorization code stands for until it is used.
type authCode struct {
	code          string // compared in constant time after the hash lookup
	clientID      string
	redirectURI   string
	challenge     string // S256 code_challenge, "" without PKCE
	nonce         string
	scopes        []string
	userID, sid   string
	connID, orgID string
	social        bool
	expires       time.Time
	used          bool // kept until expiry to say "already used" and revoke what it gave
}

// refreshGrant is what a refresh token stands for; used ones stay (as
// tombstones) so that a replay is told apart from an unknown token.
type refreshGrant struct {
	token    string
	clientID string
	sid      string
	scopes   []string
	nonce    string
	used     bool
	expires  time.Time
}

// session is one sign-in of a user at an application.
type session struct {
	ID         string
	UserID     string
	OrgID      string
	ConnID     string
	ClientID   string
	CreateTime time.Time
	LastActive time.Time
	ExpireTime time.Time
	Revoked    bool
	social     bool
}

// dirStore holds connections, domains, users, sessions and the SSO grants.
// Lookups are by map; lists copy one organization's entries (capped).
type dirStore struct {
	mu         sync.RWMutex
	conns      map[string]*connection
	connsOf    map[string][]string // organization id → connection ids, creation order
	domains    map[string]*domain
	domainByNm map[string]string   // lower-case domain → domain id
	domainsOf  map[string][]string // organization id → domain ids
	users      map[string]*user
	userByMail map[string]string   // lower-case email → user id
	usersOf    map[string][]string // organization id → user ids
	created    int                 // users added by clients and sign-ins

	codes       map[[32]byte]*authCode
	codeOrder   [][32]byte // FIFO for the cap
	refresh     map[[32]byte]*refreshGrant
	refOrder    [][32]byte
	sessions    map[string]*session
	sessOrder   []string
	sessionsOf  map[string][]string // user id → session ids
	issuedBySid map[string][][32]byte

	peopleState
}

func newDirStore() *dirStore {
	st := &dirStore{
		conns: map[string]*connection{}, connsOf: map[string][]string{},
		domains: map[string]*domain{}, domainByNm: map[string]string{}, domainsOf: map[string][]string{},
		users: map[string]*user{}, userByMail: map[string]string{}, usersOf: map[string][]string{},
		codes: map[[32]byte]*authCode{}, refresh: map[[32]byte]*refreshGrant{},
		sessions: map[string]*session{}, sessionsOf: map[string][]string{}, issuedBySid: map[string][][32]byte{},
	}
	conns, doms, users := buildDirectory()
	for i := range conns {
		c := conns[i]
		st.conns[c.ID] = &c
		st.connsOf[c.OrgID] = append(st.connsOf[c.OrgID], c.ID)
	}
	for i := range doms {
		d := doms[i]
		st.domains[d.ID] = &d
		st.domainByNm[d.Domain] = d.ID
		st.domainsOf[d.OrgID] = append(st.domainsOf[d.OrgID], d.ID)
	}
	for i := range users {
		u := users[i]
		st.users[u.ID] = &u
		st.userByMail[u.Email] = u.ID
		st.usersOf[u.OrgID] = append(st.usersOf[u.OrgID], u.ID)
	}
	at, _ := time.Parse(time.RFC3339, orgRows[0].created)
	st.initPeople(users, at)
	return st
}

func secretHash(s string) [32]byte { return sha256.Sum256([]byte(s)) }

// newSecret is 32 random bytes, base64url.
func newSecret() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// ---- connections

func (st *dirStore) connection(id string) (connection, bool) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	if c, ok := st.conns[id]; ok {
		return *c, true
	}
	return connection{}, false
}

// connectionsOf lists an organization's connections ("" for all of them
// is not offered: the SDKs always name an organization or a domain).
func (st *dirStore) connectionsOf(orgID string) []connection {
	st.mu.RLock()
	defer st.mu.RUnlock()
	out := make([]connection, 0, len(st.connsOf[orgID]))
	for _, id := range st.connsOf[orgID] {
		out = append(out, *st.conns[id])
	}
	return out
}

// enabledConnection is the organization's first enabled connection.
func (st *dirStore) enabledConnection(orgID string) (c connection, any bool) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	for _, id := range st.connsOf[orgID] {
		any = true
		if st.conns[id].Enabled {
			return *st.conns[id], true
		}
	}
	return connection{}, any
}

func (st *dirStore) addConnection(c connection, now time.Time) (connection, string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if len(st.connsOf[c.OrgID]) >= maxConnsPerOrg {
		return connection{}, "the sandbox keeps at most 10 connections per organization"
	}
	c.ID = "conn_" + wire.RandomDigits(17)
	c.CreateTime, c.UpdateTime = now.UTC(), now.UTC()
	c.Status = "DRAFT"
	st.conns[c.ID] = &c
	st.connsOf[c.OrgID] = append(st.connsOf[c.OrgID], c.ID)
	return c, ""
}

// setEnabled enables or disables a connection of orgID.
func (st *dirStore) setEnabled(orgID, id string, on bool, now time.Time) (connection, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	c, ok := st.conns[id]
	if !ok || c.OrgID != orgID {
		return connection{}, false
	}
	c.Enabled = on
	c.UpdateTime = now.UTC()
	return *c, true
}

func (st *dirStore) removeConnection(orgID, id string) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	c, ok := st.conns[id]
	if !ok || c.OrgID != orgID {
		return false
	}
	delete(st.conns, id)
	st.connsOf[orgID] = slices.DeleteFunc(slices.Clone(st.connsOf[orgID]), func(x string) bool { return x == id })
	return true
}

// ---- domains

func (st *dirStore) domainsOfOrg(orgID string) []domain {
	st.mu.RLock()
	defer st.mu.RUnlock()
	out := make([]domain, 0, len(st.domainsOf[orgID]))
	for _, id := range st.domainsOf[orgID] {
		out = append(out, *st.domains[id])
	}
	return out
}

func (st *dirStore) domain(orgID, id string) (domain, bool) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	d, ok := st.domains[id]
	if !ok || d.OrgID != orgID {
		return domain{}, false
	}
	return *d, true
}

// domainNamed finds the domain an address or a domain hint names.
func (st *dirStore) domainNamed(name string) (domain, bool) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	if id, ok := st.domainByNm[strings.ToLower(name)]; ok {
		return *st.domains[id], true
	}
	return domain{}, false
}

// addDomain adds a domain; problem names the clash or the cap.
func (st *dirStore) addDomain(d domain, now time.Time) (domain, string, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	d.Domain = strings.ToLower(d.Domain)
	if _, taken := st.domainByNm[d.Domain]; taken {
		return domain{}, "domain " + d.Domain + " already belongs to an organization", true
	}
	if len(st.domainsOf[d.OrgID]) >= maxDomainsPerOrg {
		return domain{}, "the sandbox keeps at most 20 domains per organization", false
	}
	d.ID = "dom_" + wire.RandomDigits(17)
	d.CreateTime, d.UpdateTime = now.UTC(), now.UTC()
	d.Status = "PENDING"
	st.domains[d.ID] = &d
	st.domainByNm[d.Domain] = d.ID
	st.domainsOf[d.OrgID] = append(st.domainsOf[d.OrgID], d.ID)
	return d, "", false
}

func (st *dirStore) removeDomain(orgID, id string) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	d, ok := st.domains[id]
	if !ok || d.OrgID != orgID {
		return false
	}
	delete(st.domains, id)
	delete(st.domainByNm, d.Domain)
	st.domainsOf[orgID] = slices.DeleteFunc(slices.Clone(st.domainsOf[orgID]), func(x string) bool { return x == id })
	return true
}

// ---- users

func (st *dirStore) userByEmail(email string) (user, bool) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	if id, ok := st.userByMail[strings.ToLower(email)]; ok {
		return *st.users[id], true
	}
	return user{}, false
}

func (st *dirStore) user(id string) (user, bool) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	if u, ok := st.users[id]; ok {
		return *u, true
	}
	return user{}, false
}

func (st *dirStore) usersOfOrg(orgID string) []user {
	st.mu.RLock()
	defer st.mu.RUnlock()
	out := make([]user, 0, len(st.usersOf[orgID]))
	for _, id := range st.usersOf[orgID] {
		out = append(out, *st.users[id])
	}
	return out
}

// userProblem is why a user could not be added.
type userProblem int

const (
	userOK userProblem = iota
	userExists
	userOrgFull
	userStoreFull
)

// addUser adds u with its first membership (u.Memberships[0], or a
// member of u.OrgID); exactly one of concurrent adds of the same email
// or external id wins.
func (st *dirStore) addUser(u user, now time.Time) (user, userProblem) {
	st.mu.Lock()
	defer st.mu.Unlock()
	u.Email = strings.ToLower(u.Email)
	if _, taken := st.userByMail[u.Email]; taken {
		return user{}, userExists
	}
	if _, taken := st.userByExt[u.ExternalID]; taken && u.ExternalID != "" {
		return user{}, userExists
	}
	if len(u.Memberships) == 0 {
		// A user made on first sign-in gets the organization's default
		// member role, as one added over the API does.
		u.Memberships = []membership{{OrgID: u.OrgID, Roles: []string{st.newMemberRoleLocked(u.OrgID)}, Status: "ACTIVE", Metadata: map[string]string{}}}
	}
	u.OrgID = u.Memberships[0].OrgID
	if len(st.usersOf[u.OrgID]) >= maxUsersPerOrg {
		return user{}, userOrgFull
	}
	if st.created >= maxCreatedUsers {
		return user{}, userStoreFull
	}
	u.ID = "usr_" + wire.RandomDigits(17)
	u.CreateTime, u.UpdateTime = now.UTC(), now.UTC()
	u.Memberships = slices.Clone(u.Memberships)
	u.Memberships[0].JoinTime = now.UTC()
	u.created = true
	if u.Metadata == nil {
		u.Metadata = map[string]string{}
	}
	st.created++
	st.users[u.ID] = &u
	st.userByMail[u.Email] = u.ID
	if u.ExternalID != "" {
		st.userByExt[u.ExternalID] = u.ID
	}
	st.usersOf[u.OrgID] = append(st.usersOf[u.OrgID], u.ID)
	st.userOrder = append(st.userOrder, u.ID)
	return u, userOK
}

// ---- sessions, codes and refresh tokens

// startSession records a sign-in; the oldest session goes past the cap.
func (st *dirStore) startSession(u user, connID, clientID string, social bool, now time.Time) session {
	st.mu.Lock()
	defer st.mu.Unlock()
	s := &session{ID: "ses_" + wire.RandomDigits(17), UserID: u.ID, OrgID: u.OrgID, ConnID: connID, ClientID: clientID,
		CreateTime: now.UTC(), LastActive: now.UTC(), ExpireTime: now.UTC().Add(refreshTokenTTL), social: social}
	st.sessions[s.ID] = s
	st.sessOrder = append(st.sessOrder, s.ID)
	st.sessionsOf[u.ID] = append(st.sessionsOf[u.ID], s.ID)
	for len(st.sessOrder) > maxSessions {
		oldest := st.sessOrder[0]
		st.sessOrder = st.sessOrder[1:] // O(1), as codeOrder and refOrder
		st.dropSessionLocked(oldest)
	}
	return *s
}

// dropSessionLocked forgets a session its caller has taken out of
// sessOrder.
func (st *dirStore) dropSessionLocked(sid string) {
	s, ok := st.sessions[sid]
	if !ok {
		return
	}
	delete(st.sessions, sid)
	if rest := slices.DeleteFunc(slices.Clone(st.sessionsOf[s.UserID]), func(x string) bool { return x == sid }); len(rest) > 0 {
		st.sessionsOf[s.UserID] = rest
	} else {
		delete(st.sessionsOf, s.UserID)
	}
	for _, h := range st.issuedBySid[sid] {
		delete(st.refresh, h)
	}
	delete(st.issuedBySid, sid)
}

// endSession revokes a session and every refresh token it holds.
func (st *dirStore) endSession(sid string) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	s, ok := st.sessions[sid]
	if !ok || s.Revoked {
		return false
	}
	s.Revoked = true
	for _, h := range st.issuedBySid[sid] {
		delete(st.refresh, h)
	}
	delete(st.issuedBySid, sid)
	return true
}

// sessionOf is the session when it is still live.
func (st *dirStore) sessionOf(sid string, now time.Time) (session, bool) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	s, ok := st.sessions[sid]
	if !ok || s.Revoked || !now.Before(s.ExpireTime) {
		return session{}, false
	}
	return *s, true
}

// addCode stores a new code; the oldest pending code goes past the cap.
func (st *dirStore) addCode(c authCode) string {
	c.code = newSecret()
	h := secretHash(c.code)
	st.mu.Lock()
	defer st.mu.Unlock()
	st.codes[h] = &c
	st.codeOrder = append(st.codeOrder, h)
	for len(st.codeOrder) > maxPendingCodes {
		delete(st.codes, st.codeOrder[0])
		st.codeOrder = st.codeOrder[1:]
	}
	return c.code
}

// takeCode marks the code used and returns what it stood for; replay is
// true when it had been used already (its session is then ended, RFC 6749
// §4.1.2: tokens issued from a replayed code should be revoked).
func (st *dirStore) takeCode(code string) (c authCode, found, replay bool) {
	h := secretHash(code)
	st.mu.Lock()
	defer st.mu.Unlock()
	got, ok := st.codes[h]
	if !ok || !wire.SecretEqual(code, got.code) {
		return authCode{}, false, false
	}
	if got.used {
		if s, ok := st.sessions[got.sid]; ok {
			s.Revoked = true
			for _, rh := range st.issuedBySid[got.sid] {
				delete(st.refresh, rh)
			}
			delete(st.issuedBySid, got.sid)
		}
		return *got, true, true
	}
	got.used = true
	return *got, true, false
}

// addRefresh issues a refresh token for a session.
func (st *dirStore) addRefresh(g refreshGrant) string {
	g.token = newSecret()
	h := secretHash(g.token)
	st.mu.Lock()
	defer st.mu.Unlock()
	st.refresh[h] = &g
	st.refOrder = append(st.refOrder, h)
	st.issuedBySid[g.sid] = append(st.issuedBySid[g.sid], h)
	// A session keeps its last refresh tokens only: the older ones were
	// rotated away, and a long session must not grow without bound.
	if held := st.issuedBySid[g.sid]; len(held) > maxRefreshPerSession {
		delete(st.refresh, held[0])
		st.issuedBySid[g.sid] = held[1:]
	}
	for len(st.refOrder) > maxRefreshTokens {
		delete(st.refresh, st.refOrder[0])
		st.refOrder = st.refOrder[1:]
	}
	return g.token
}

// takeRefresh marks a refresh token used (rotation); a replayed one ends
// its session, as a stolen token's family must be revoked. accept checks
// the request (client, expiry, scopes) under the lock before the token is
// marked used: a refused request leaves it usable.
func (st *dirStore) takeRefresh(token string, now time.Time, accept func(refreshGrant) bool) (g refreshGrant, found, replay bool) {
	h := secretHash(token)
	st.mu.Lock()
	defer st.mu.Unlock()
	got, ok := st.refresh[h]
	if !ok || !wire.SecretEqual(token, got.token) {
		return refreshGrant{}, false, false
	}
	if got.used {
		if s, ok := st.sessions[got.sid]; ok {
			s.Revoked = true
		}
		return *got, true, true
	}
	if !accept(*got) {
		return *got, true, false
	}
	got.used = true
	if s, ok := st.sessions[got.sid]; ok {
		s.LastActive = now.UTC()
	}
	return *got, true, false
}

func (st *dirStore) sessionByID(sid string) (session, bool) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	if s, ok := st.sessions[sid]; ok {
		return *s, true
	}
	return session{}, false
}

// sessionsOfUser is the user's sessions, newest first. The id list is
// taken under the lock in O(1) (it is replaced, never changed in place);
// each session is then read under the lock on its own.
func (st *dirStore) sessionsOfUser(userID string) []session {
	st.mu.RLock()
	ids := st.sessionsOf[userID]
	st.mu.RUnlock()
	out := make([]session, 0, len(ids))
	for i := len(ids) - 1; i >= 0; i-- {
		if s, ok := st.sessionByID(ids[i]); ok {
			out = append(out, s)
		}
	}
	return out
}

package scalekit

import (
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/authscope/authscope/sandbox/wire"
)

// Users and memberships, roles and permissions, M2M clients of
// organizations and directories: the rest of the directory store. Every
// collection is capped; past a cap the request is refused with a
// one-line error.
const (
	maxRoles             = 50
	maxOrgRolesPerOrg    = 20
	maxOrgRoles          = 200
	maxPermissions       = 200
	maxPermissionsOfRole = 50
	maxRolesOfMember     = 10
	maxClientsPerOrg     = 20
	maxClients           = 500
	maxSecretsPerClient  = 5
	maxMetadataKeys      = 20
	maxScopes            = 20
	maxCustomClaims      = 20
	maxDirsPerOrg        = 5
)

type role struct {
	ID, Name, DisplayName, Description string
	OrgID                              string   // "" for an environment role
	Extends                            string   // the base role's name, "" for none
	Permissions                        []string // replaced, never changed in place
	DefaultMember, DefaultCreator      bool
	CreateTime, UpdateTime             time.Time
}

type permission struct {
	ID, Name, Description  string
	CreateTime, UpdateTime time.Time
}

// m2mClient is an organization's machine-to-machine client.
type m2mClient struct {
	ID, OrgID, Name, Description string
	Scopes, Audience             []string
	CustomClaims                 [][2]string
	Expiry                       int64 // token lifetime, seconds
	Secrets                      []m2mSecret
	CreateTime, UpdateTime       time.Time
}

// m2mSecret keeps the hash of a secret, never the secret.
type m2mSecret struct {
	ID      string
	hash    [32]byte
	Suffix  string
	Created time.Time
}

// directory is an organization's SCIM directory with its users and groups.
type directory struct {
	ID, OrgID, Name, Provider string
	Type                      string // a DirectoryType name: SCIM, LDAP, POLL
	Enabled                   bool
	LastSynced                time.Time
	Users                     []dirUser
	Groups                    []dirGroup
}

type dirUser struct {
	ID, Email, GivenName, FamilyName string
	Groups                           []string // group ids
}

type dirGroup struct{ ID, Name string }

// peopleState is the part of dirStore this file manages.
type peopleState struct {
	userOrder []string // user ids in creation order, for ListUsers
	userByExt map[string]string
	roles     map[string]*role // environment roles by name, organization roles by "org_…/name"
	roleOrder []string
	orgRoles  map[string][]string // organization id → its own role names
	// orgDefault is an organization's default member role, where
	// UpdateDefaultOrganizationRoles set one (at most one per organization).
	orgDefault map[string]string
	apiTokenState
	nOrgRoles int
	perms     map[string]*permission
	permOrder []string
	clients   map[string]*m2mClient
	clientsOf map[string][]string
	dirs      map[string]*directory
	dirsOf    map[string][]string
}

func (st *dirStore) initPeople(users []user, at time.Time) {
	st.userByExt = map[string]string{}
	for _, u := range users {
		st.userOrder = append(st.userOrder, u.ID)
	}
	st.roles, st.perms, st.orgRoles, st.orgDefault = map[string]*role{}, map[string]*permission{}, map[string][]string{}, map[string]string{}
	for i, p := range fixturePermissions {
		p.ID, p.CreateTime, p.UpdateTime = "perm_"+itoa17(int64(i)+1), at, at
		st.perms[p.Name] = &p
		st.permOrder = append(st.permOrder, p.Name)
	}
	for i, r := range fixtureRoles {
		r.ID, r.CreateTime, r.UpdateTime = "role_"+itoa17(int64(i)+1), at, at
		st.roles[r.Name] = &r
		st.roleOrder = append(st.roleOrder, r.Name)
	}
	st.clients, st.clientsOf = map[string]*m2mClient{}, map[string][]string{}
	st.initAPITokens()
	st.dirs, st.dirsOf = map[string]*directory{}, map[string][]string{}
	for _, row := range orgRows {
		if !row.dirSync {
			continue
		}
		d := &directory{ID: idPlus("dir_", row.id, 3), OrgID: row.id, Name: "SCIM directory", Type: "SCIM", Provider: "OKTA", Enabled: true, LastSynced: at}
		engineering, everyone := dirGroup{ID: idPlus("dirgroup_", row.id, 4), Name: "Engineering"}, dirGroup{ID: idPlus("dirgroup_", row.id, 5), Name: "Everyone"}
		d.Groups = []dirGroup{engineering, everyone}
		for i, id := range st.usersOf[row.id] {
			u := st.users[id]
			groups := []string{everyone.ID}
			if i == 0 {
				groups = append(groups, engineering.ID)
			}
			d.Users = append(d.Users, dirUser{ID: idPlus("diruser_", row.id, int64(20+i)), Email: u.Email, GivenName: u.GivenName, FamilyName: u.FamilyName, Groups: groups})
		}
		st.dirs[d.ID] = d
		st.dirsOf[row.id] = append(st.dirsOf[row.id], d.ID)
	}
}

// itoa17 is n as a 17-digit id tail.
func itoa17(n int64) string {
	s := "10000000000000000"
	d := []byte(s)
	for i := len(d) - 1; n > 0 && i > 0; i-- {
		d[i] = byte('0' + n%10)
		n /= 10
	}
	return string(d)
}

// ---- users

// userRef names a user by id or external id.
type userRef struct{ id, externalID string }

func (st *dirStore) lookupLocked(ref userRef) (*user, bool) {
	id := ref.id
	if id == "" && ref.externalID != "" {
		id = st.userByExt[ref.externalID]
	}
	u, ok := st.users[id]
	return u, ok
}

func (st *dirStore) userBy(ref userRef) (user, bool) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	if u, ok := st.lookupLocked(ref); ok {
		return *u, true
	}
	return user{}, false
}

// pageOf is one page of ids out of a list the caller passes by accessor,
// cut under the read lock: only the page is copied.
func (st *dirStore) pageOf(list func() []string, start, end int) ([]user, int) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	ids := list()
	end = min(end, len(ids))
	out := make([]user, 0, max(end-start, 0))
	for _, id := range ids[min(start, end):end] {
		out = append(out, *st.users[id])
	}
	return out, len(ids)
}

func (st *dirStore) countUsers() int {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return len(st.userOrder)
}

func (st *dirStore) countMembers(orgID string) int {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return len(st.usersOf[orgID])
}

// userChange is what UpdateUser may set; nil stays.
type userChange struct {
	externalID, givenName, familyName, locale *string
	metadata                                  map[string]string
}

func (st *dirStore) updateUser(ref userRef, c userChange, now time.Time) (user, userProblem, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	u, ok := st.lookupLocked(ref)
	if !ok {
		return user{}, userOK, false
	}
	if c.externalID != nil && *c.externalID != u.ExternalID {
		if other, taken := st.userByExt[*c.externalID]; taken && other != u.ID {
			return user{}, userExists, true
		}
		delete(st.userByExt, u.ExternalID)
		if *c.externalID != "" {
			st.userByExt[*c.externalID] = u.ID
		}
		u.ExternalID = *c.externalID
	}
	if c.givenName != nil {
		u.GivenName = *c.givenName
	}
	if c.familyName != nil {
		u.FamilyName = *c.familyName
	}
	if c.locale != nil {
		u.Locale = *c.locale
	}
	if c.metadata != nil {
		u.Metadata = maps.Clone(c.metadata)
	}
	u.UpdateTime = now.UTC()
	return *u, userOK, true
}

func (st *dirStore) deleteUser(ref userRef) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	u, ok := st.lookupLocked(ref)
	if !ok {
		return false
	}
	st.dropUserLocked(u)
	return true
}

// dropUserLocked removes a user everywhere; the lists it touches are
// bounded by the caps (members per organization, users in the store).
func (st *dirStore) dropUserLocked(u *user) {
	delete(st.users, u.ID)
	delete(st.userByMail, u.Email)
	if u.ExternalID != "" {
		delete(st.userByExt, u.ExternalID)
	}
	for _, m := range u.Memberships {
		st.usersOf[m.OrgID] = slices.DeleteFunc(slices.Clone(st.usersOf[m.OrgID]), func(x string) bool { return x == u.ID })
		st.dropMemberAPITokensLocked(m.OrgID, u.ID)
	}
	st.userOrder = slices.DeleteFunc(slices.Clone(st.userOrder), func(x string) bool { return x == u.ID })
	for _, sid := range st.sessionsOf[u.ID] {
		if s, ok := st.sessions[sid]; ok {
			s.Revoked = true
		}
		for _, h := range st.issuedBySid[sid] {
			delete(st.refresh, h)
		}
		delete(st.issuedBySid, sid)
	}
	delete(st.sessionsOf, u.ID)
	if u.created {
		st.created--
	}
}

// dropOrg removes everything the directory keeps of a deleted
// organization: its connections, domains (freeing their names), M2M
// clients, roles and directories, and its users' memberships; a user left
// in no organization is dropped. Each list is bounded by a per-organization
// cap.
func (st *dirStore) dropOrg(orgID string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	for _, id := range st.connsOf[orgID] {
		delete(st.conns, id)
	}
	delete(st.connsOf, orgID)
	for _, id := range st.domainsOf[orgID] {
		if d, ok := st.domains[id]; ok {
			delete(st.domainByNm, d.Domain)
			delete(st.domains, id)
		}
	}
	delete(st.domainsOf, orgID)
	for _, id := range st.clientsOf[orgID] {
		delete(st.clients, id)
	}
	delete(st.clientsOf, orgID)
	for _, name := range st.orgRoles[orgID] {
		delete(st.roles, orgRoleKey(orgID, name))
		st.nOrgRoles--
	}
	delete(st.orgRoles, orgID)
	delete(st.orgDefault, orgID)
	st.dropOrgAPITokensLocked(orgID)
	for _, id := range st.dirsOf[orgID] {
		delete(st.dirs, id)
	}
	delete(st.dirsOf, orgID)
	for _, uid := range st.usersOf[orgID] {
		u, ok := st.users[uid]
		if !ok {
			continue
		}
		u.Memberships = slices.DeleteFunc(slices.Clone(u.Memberships), func(m membership) bool { return m.OrgID == orgID })
		if len(u.Memberships) == 0 {
			st.dropUserLocked(u)
		} else if u.OrgID == orgID {
			u.OrgID = u.Memberships[0].OrgID
		}
	}
	delete(st.usersOf, orgID)
}

// memberProblem is why a membership change was refused.
type memberProblem int

const (
	memberOK memberProblem = iota
	memberNoUser
	memberExists
	memberMissing
	memberOrgFull
	memberNotInvited
)

func (st *dirStore) addMembership(orgID string, ref userRef, m membership, now time.Time) (user, memberProblem) {
	st.mu.Lock()
	defer st.mu.Unlock()
	u, ok := st.lookupLocked(ref)
	switch {
	case !ok:
		return user{}, memberNoUser
	case slices.ContainsFunc(u.Memberships, func(x membership) bool { return x.OrgID == orgID }):
		return user{}, memberExists
	case len(st.usersOf[orgID]) >= maxUsersPerOrg:
		return user{}, memberOrgFull
	}
	m.OrgID, m.JoinTime = orgID, now.UTC()
	u.Memberships = append(slices.Clone(u.Memberships), m)
	if u.OrgID == "" {
		u.OrgID = orgID
	}
	u.UpdateTime = now.UTC()
	st.usersOf[orgID] = append(st.usersOf[orgID], u.ID)
	return *u, memberOK
}

// changeMembership applies change to the user's membership of orgID.
func (st *dirStore) changeMembership(orgID string, ref userRef, now time.Time, change func(*membership) memberProblem) (user, memberProblem) {
	st.mu.Lock()
	defer st.mu.Unlock()
	u, ok := st.lookupLocked(ref)
	if !ok {
		return user{}, memberNoUser
	}
	i := slices.IndexFunc(u.Memberships, func(x membership) bool { return x.OrgID == orgID })
	if i < 0 {
		return user{}, memberMissing
	}
	ms := slices.Clone(u.Memberships)
	if p := change(&ms[i]); p != memberOK {
		return user{}, p
	}
	u.Memberships = ms
	u.UpdateTime = now.UTC()
	return *u, memberOK
}

// removeMembership takes the user out of orgID; with cascade, a user left
// in no organization is deleted.
func (st *dirStore) removeMembership(orgID string, ref userRef, cascade bool) memberProblem {
	st.mu.Lock()
	defer st.mu.Unlock()
	u, ok := st.lookupLocked(ref)
	if !ok {
		return memberNoUser
	}
	i := slices.IndexFunc(u.Memberships, func(x membership) bool { return x.OrgID == orgID })
	if i < 0 {
		return memberMissing
	}
	u.Memberships = slices.Delete(slices.Clone(u.Memberships), i, i+1)
	st.usersOf[orgID] = slices.DeleteFunc(slices.Clone(st.usersOf[orgID]), func(x string) bool { return x == u.ID })
	st.dropMemberAPITokensLocked(orgID, u.ID)
	if len(u.Memberships) == 0 && cascade {
		st.dropUserLocked(u)
	} else if u.OrgID == orgID && len(u.Memberships) > 0 {
		u.OrgID = u.Memberships[0].OrgID
	}
	return memberOK
}

// ---- roles and permissions

func (st *dirStore) roleNamed(name string) (role, bool) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	if r, ok := st.roles[name]; ok {
		return *r, true
	}
	return role{}, false
}

func (st *dirStore) listRoles() []role {
	st.mu.RLock()
	defer st.mu.RUnlock()
	out := make([]role, 0, len(st.roleOrder)) // at most maxRoles
	for _, n := range st.roleOrder {
		out = append(out, *st.roles[n])
	}
	return out
}

// missingLocked is the first name not in have, "" when all are.
func missingPermLocked(have map[string]*permission, names []string) string {
	for _, n := range names {
		if _, ok := have[n]; !ok {
			return n
		}
	}
	return ""
}

// addRole stores a new role; problem says why not (one line).
// newRoleLocked checks what an environment and an organization role
// both need (its permissions and its base exist) and gives it its id,
// times and sorted permissions; the problem is "" when it may be stored.
func (st *dirStore) newRoleLocked(r *role, now time.Time) string {
	if n := missingPermLocked(st.perms, r.Permissions); n != "" {
		return "permission " + n + " does not exist: create it first"
	}
	if _, ok := st.roleInLocked(r.OrgID, r.Extends); r.Extends != "" && !ok {
		return "role " + r.Extends + " to extend does not exist"
	}
	r.ID, r.CreateTime, r.UpdateTime = "role_"+wire.RandomDigits(17), now.UTC(), now.UTC()
	r.Permissions = slices.Compact(slices.Sorted(slices.Values(r.Permissions)))
	return ""
}

func (st *dirStore) addRole(r role, now time.Time) (role, string, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if _, taken := st.roles[r.Name]; taken {
		return role{}, "role " + r.Name + " already exists", true
	}
	// An organization's own role of that name would shadow it there, and
	// deleting it would then rewrite those members' roles.
	if org := st.orgWithRoleLocked(r.Name); org != "" {
		return role{}, "role " + r.Name + " already exists in organization " + org, true
	}
	if len(st.roles) >= maxRoles {
		return role{}, "the sandbox keeps at most 50 roles", false
	}
	if problem := st.newRoleLocked(&r, now); problem != "" {
		return role{}, problem, false
	}
	st.roles[r.Name] = &r
	st.roleOrder = append(st.roleOrder, r.Name)
	return r, "", false
}

// changeRole applies change to a role; found false for an unknown role.
func (st *dirStore) changeRole(name string, now time.Time, change func(*role) string) (role, string, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	r, ok := st.roles[name]
	if !ok {
		return role{}, "", false
	}
	c := *r
	if problem := change(&c); problem != "" {
		return role{}, problem, true
	}
	if n := missingPermLocked(st.perms, c.Permissions); n != "" {
		return role{}, "permission " + n + " does not exist: create it first", true
	}
	if len(c.Permissions) > maxPermissionsOfRole {
		return role{}, "a role has at most 50 permissions", true
	}
	c.UpdateTime = now.UTC()
	*r = c
	return c, "", true
}

// orgWithRoleLocked is the first organization (by id) with its own role
// name, "" when none has.
func (st *dirStore) orgWithRoleLocked(name string) string {
	for _, org := range slices.Sorted(maps.Keys(st.orgRoles)) {
		if slices.Contains(st.orgRoles[org], name) { // at most maxOrgRolesPerOrg
			return org
		}
	}
	return ""
}

// roleDeletion is why an environment role could not be deleted.
type roleDeletion int

const (
	roleDeleted roleDeletion = iota
	roleUnknown
	roleDefault         // the default member role
	roleHeld            // members hold it and no reassignment role was named
	roleReassignUnknown // the reassignment role is not an environment role
	roleExtended        // another role extends it
	roleOrgDefault      // an organization's default member role
)

// dependentsLocked is the roles extending the one stored under key: those
// whose base, looked up from the role's own organization, is it. The
// environment's come first in creation order, then organizations' by id
// and creation order (at most maxRoles + maxOrgRoles).
func (st *dirStore) dependentsLocked(key string) []role {
	extends := func(r *role) bool {
		base, ok := st.roleInLocked(r.OrgID, r.Extends)
		return r.Extends != "" && ok && base == st.roles[key]
	}
	var out []role
	for _, n := range st.roleOrder {
		if extends(st.roles[n]) {
			out = append(out, *st.roles[n])
		}
	}
	for _, org := range slices.Sorted(maps.Keys(st.orgRoles)) {
		for _, n := range st.orgRoles[org] {
			if r := st.roles[orgRoleKey(org, n)]; extends(r) {
				out = append(out, st.asSeenInLocked(org, *r))
			}
		}
	}
	return out
}

// holdsLocked reports whether membership m holds the role stored under
// key: it names it and the name, in m's organization, is that role (an
// organization's own role shadows the environment's of the same name).
func (st *dirStore) holdsLocked(m membership, key string) bool {
	r := st.roles[key]
	in, ok := st.roleInLocked(m.OrgID, r.Name)
	return ok && in == r && slices.Contains(m.Roles, r.Name)
}

// moveHoldersLocked gives the memberships holding the role stored under
// key the role reassign instead; with reassign "" it changes nothing and
// reports false when some membership holds it.
func (st *dirStore) moveHoldersLocked(key, reassign string) bool {
	name := st.roles[key].Name
	var holders []*user
	for _, u := range st.users { // at most maxUsers
		if slices.ContainsFunc(u.Memberships, func(m membership) bool { return st.holdsLocked(m, key) }) {
			holders = append(holders, u)
		}
	}
	if len(holders) > 0 && reassign == "" {
		return false
	}
	for _, u := range holders {
		ms := slices.Clone(u.Memberships) // replaced, never changed in place
		for i, m := range ms {
			if st.holdsLocked(m, key) {
				roles := slices.DeleteFunc(slices.Clone(m.Roles), func(x string) bool { return x == name })
				if !slices.Contains(roles, reassign) {
					roles = append(roles, reassign)
				}
				m.Roles = roles
			}
			ms[i] = m
		}
		u.Memberships = ms
	}
	return true
}

// removeRole deletes an environment role. Scalekit refuses while members
// hold it unless a reassignment role is named; then they get that one.
// orgs names the organizations whose default member role it is, which
// refuse it as the environment's default does (roleOrgDefault).
func (st *dirStore) removeRole(name, reassign string) (d roleDeletion, orgs []string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if _, ok := st.roles[name]; !ok {
		return roleUnknown, nil
	}
	if st.roles[name].DefaultMember {
		return roleDefault, nil
	}
	for org, def := range st.orgDefault { // at most one per organization
		if r, _ := st.roleInLocked(org, def); r == st.roles[name] {
			orgs = append(orgs, org)
		}
	}
	if len(orgs) > 0 {
		slices.Sort(orgs)
		return roleOrgDefault, orgs
	}
	if len(st.dependentsLocked(name)) > 0 {
		return roleExtended, nil
	}
	if to, ok := st.roles[reassign]; reassign != "" && (!ok || to.OrgID != "" || reassign == name) {
		return roleReassignUnknown, nil
	}
	if !st.moveHoldersLocked(name, reassign) {
		return roleHeld, nil
	}
	delete(st.roles, name)
	st.roleOrder = slices.DeleteFunc(slices.Clone(st.roleOrder), func(x string) bool { return x == name })
	return roleDeleted, nil
}

func (st *dirStore) permissionNamed(name string) (permission, bool) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	if p, ok := st.perms[name]; ok {
		return *p, true
	}
	return permission{}, false
}

func (st *dirStore) listPermissions(start, end int) ([]permission, int) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	end = min(end, len(st.permOrder))
	out := make([]permission, 0, max(end-start, 0))
	for _, n := range st.permOrder[min(start, end):end] {
		out = append(out, *st.perms[n])
	}
	return out, len(st.permOrder)
}

func (st *dirStore) addPermission(p permission, now time.Time) (permission, string, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if _, taken := st.perms[p.Name]; taken {
		return permission{}, "permission " + p.Name + " already exists", true
	}
	if len(st.perms) >= maxPermissions {
		return permission{}, "the sandbox keeps at most 200 permissions", false
	}
	p.ID, p.CreateTime, p.UpdateTime = "perm_"+wire.RandomDigits(17), now.UTC(), now.UTC()
	st.perms[p.Name] = &p
	st.permOrder = append(st.permOrder, p.Name)
	return p, "", false
}

// removePermission deletes a permission and takes it out of every role
// (at most maxRoles).
func (st *dirStore) removePermission(name string) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	if _, ok := st.perms[name]; !ok {
		return false
	}
	delete(st.perms, name)
	st.permOrder = slices.DeleteFunc(slices.Clone(st.permOrder), func(x string) bool { return x == name })
	for _, r := range st.roles {
		if slices.Contains(r.Permissions, name) {
			r.Permissions = slices.DeleteFunc(slices.Clone(r.Permissions), func(x string) bool { return x == name })
		}
	}
	return true
}

// permissionsOfRoles is the union of the roles' permissions, sorted.
func (st *dirStore) permissionsOfRoles(names []string) []string {
	st.mu.RLock()
	defer st.mu.RUnlock()
	var out []string
	for _, n := range names {
		if r, ok := st.roles[n]; ok {
			out = append(out, r.Permissions...)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// ---- M2M clients

func (st *dirStore) clientOf(orgID, id string) (m2mClient, bool) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	c, ok := st.clients[id]
	if !ok || c.OrgID != orgID {
		return m2mClient{}, false
	}
	return *c, true
}

func (st *dirStore) clientsPage(orgID string, start, end int) ([]m2mClient, int) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	ids := st.clientsOf[orgID]
	end = min(end, len(ids))
	out := make([]m2mClient, 0, max(end-start, 0))
	for _, id := range ids[min(start, end):end] {
		out = append(out, *st.clients[id])
	}
	return out, len(ids)
}

// addClient stores a new client with one secret; it returns the secret
// in clear this once.
func (st *dirStore) addClient(c m2mClient, now time.Time) (m2mClient, string, string) {
	plain := "test_" + newSecret()
	st.mu.Lock()
	defer st.mu.Unlock()
	switch {
	case len(st.clientsOf[c.OrgID]) >= maxClientsPerOrg:
		return m2mClient{}, "", "the sandbox keeps at most 20 M2M clients per organization"
	case len(st.clients) >= maxClients:
		return m2mClient{}, "", "the sandbox keeps at most 500 M2M clients"
	}
	c.ID = "m2morg_" + wire.RandomDigits(17)
	c.CreateTime, c.UpdateTime = now.UTC(), now.UTC()
	c.Secrets = []m2mSecret{{ID: "sks_" + wire.RandomDigits(17), hash: secretHash(plain), Suffix: plain[len(plain)-4:], Created: now.UTC()}}
	st.clients[c.ID] = &c
	st.clientsOf[c.OrgID] = append(st.clientsOf[c.OrgID], c.ID)
	return c, plain, ""
}

func (st *dirStore) changeClient(orgID, id string, now time.Time, change func(*m2mClient) string) (m2mClient, string, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	c, ok := st.clients[id]
	if !ok || c.OrgID != orgID {
		return m2mClient{}, "", false
	}
	next := *c
	if problem := change(&next); problem != "" {
		return m2mClient{}, problem, true
	}
	next.UpdateTime = now.UTC()
	*c = next
	return next, "", true
}

func (st *dirStore) removeClient(orgID, id string) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	c, ok := st.clients[id]
	if !ok || c.OrgID != orgID {
		return false
	}
	delete(st.clients, id)
	st.clientsOf[orgID] = slices.DeleteFunc(slices.Clone(st.clientsOf[orgID]), func(x string) bool { return x == id })
	return true
}

// addSecret adds a secret to a client (at most maxSecretsPerClient).
func (st *dirStore) addSecret(orgID, id string, now time.Time) (m2mSecret, string, string, bool) {
	plain := "test_" + newSecret()
	var made m2mSecret
	_, problem, found := st.changeClient(orgID, id, now, func(c *m2mClient) string {
		if len(c.Secrets) >= maxSecretsPerClient {
			return "a client has at most 5 secrets: delete one first"
		}
		made = m2mSecret{ID: "sks_" + wire.RandomDigits(17), hash: secretHash(plain), Suffix: plain[len(plain)-4:], Created: now.UTC()}
		c.Secrets = append(slices.Clone(c.Secrets), made)
		return ""
	})
	return made, plain, problem, found
}

// authenticateClient checks an M2M client's id and secret: the secret's
// hash against each of the client's (at most 5), in constant time.
func (st *dirStore) authenticateClient(id, secret string) (m2mClient, bool) {
	h := secretHash(secret)
	st.mu.RLock()
	c, ok := st.clients[id]
	var found m2mClient
	match := -1
	if ok {
		found = *c
		for i, s := range c.Secrets {
			if wire.SecretEqual(string(h[:]), string(s.hash[:])) {
				match = i
			}
		}
	}
	st.mu.RUnlock()
	return found, ok && match >= 0
}

// ---- directories

func (st *dirStore) directoriesOf(orgID string) []directory {
	st.mu.RLock()
	defer st.mu.RUnlock()
	out := make([]directory, 0, len(st.dirsOf[orgID]))
	for _, id := range st.dirsOf[orgID] {
		out = append(out, *st.dirs[id])
	}
	return out
}

func (st *dirStore) directoryOf(orgID, id string) (directory, bool) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	d, ok := st.dirs[id]
	if !ok || d.OrgID != orgID {
		return directory{}, false
	}
	return *d, true
}

// badText reports text no field should hold: control characters and the
// bidi controls that make a name display as something else.
func badText(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool {
		return r < 0x20 || r == 0x7f || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x200e || r == 0x200f
	})
}

// userIDs is the environment's user ids (orgID "") or an organization's:
// the slice itself, taken under the lock in O(1). Those slices are
// replaced, never changed in place, so the caller may walk it unlocked.
func (st *dirStore) userIDs(orgID string) []string {
	st.mu.RLock()
	defer st.mu.RUnlock()
	if orgID == "" {
		return st.userOrder
	}
	return st.usersOf[orgID]
}

// usersMatching copies, one at a time, the users of ids that keep
// accepts: the lock is held for one user at a time, never for the list.
func (st *dirStore) usersMatching(ids []string, keep func(user) bool) []user {
	var out []user
	for _, id := range ids {
		if u, ok := st.user(id); ok && keep(u) {
			out = append(out, u)
		}
	}
	return out
}

func (st *dirStore) changePermission(name, description string, now time.Time) (permission, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	p, ok := st.perms[name]
	if !ok {
		return permission{}, false
	}
	p.Description, p.UpdateTime = description, now.UTC()
	return *p, true
}

// addDirectory stores a new directory of d.OrgID, enabled and with no
// users or groups yet; problem says why not (one line).
func (st *dirStore) addDirectory(d directory, now time.Time) (directory, string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if len(st.dirsOf[d.OrgID]) >= maxDirsPerOrg {
		return directory{}, "the sandbox keeps at most 5 directories per organization"
	}
	d.ID, d.Enabled, d.LastSynced = "dir_"+wire.RandomDigits(17), true, now.UTC()
	st.dirs[d.ID] = &d
	st.dirsOf[d.OrgID] = append(st.dirsOf[d.OrgID], d.ID)
	return d, ""
}

// dirDeletion is what removeDirectory did.
type dirDeletion int

const (
	dirDeleted dirDeletion = iota
	dirUnknown
	dirEnabled // Scalekit deletes a disabled directory only
)

func (st *dirStore) removeDirectory(orgID, id string) dirDeletion {
	st.mu.Lock()
	defer st.mu.Unlock()
	switch d, ok := st.dirs[id]; {
	case !ok || d.OrgID != orgID:
		return dirUnknown
	case d.Enabled:
		return dirEnabled
	}
	delete(st.dirs, id)
	st.dirsOf[orgID] = slices.DeleteFunc(slices.Clone(st.dirsOf[orgID]), func(x string) bool { return x == id })
	return dirDeleted
}

func (st *dirStore) setDirectoryEnabled(orgID, id string, on bool) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	d, ok := st.dirs[id]
	if !ok || d.OrgID != orgID {
		return false
	}
	d.Enabled = on
	return true
}

// setDefaultRoles marks the default creator and member roles ("" leaves
// one as it is); missing names a role that does not exist.
func (st *dirStore) setDefaultRoles(creator, member string, now time.Time) (c, m role, missing string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	for _, n := range []string{creator, member} {
		if _, ok := st.roles[n]; n != "" && !ok {
			return role{}, role{}, n
		}
	}
	for _, r := range st.roles { // at most maxRoles
		if creator != "" {
			r.DefaultCreator = r.Name == creator
		}
		if member != "" {
			r.DefaultMember = r.Name == member
		}
	}
	if creator != "" {
		st.roles[creator].UpdateTime = now.UTC()
		c = *st.roles[creator]
	}
	if member != "" {
		st.roles[member].UpdateTime = now.UTC()
		m = *st.roles[member]
	}
	return c, m, ""
}

// ---- organization roles

func orgRoleKey(orgID, name string) string { return orgID + "/" + name }

// roleKey is where r is stored: under its name for the environment's.
func roleKey(r role) string {
	if r.OrgID == "" {
		return r.Name
	}
	return orgRoleKey(r.OrgID, r.Name)
}

// roleIn is the role a member of orgID holds under name: the
// organization's own role, else the environment's.
func (st *dirStore) roleIn(orgID, name string) (role, bool) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	r, ok := st.roleInLocked(orgID, name)
	if !ok {
		return role{}, false
	}
	return st.asSeenInLocked(orgID, *r), true
}

func (st *dirStore) roleInLocked(orgID, name string) (*role, bool) {
	if r, ok := st.roles[orgRoleKey(orgID, name)]; ok && orgID != "" {
		return r, true
	}
	r, ok := st.roles[name]
	return r, ok
}

// asSeenInLocked is r as the organization sees it: its own default member
// role, once it set one, replaces the environment's.
func (st *dirStore) asSeenInLocked(orgID string, r role) role {
	if def, ok := st.orgDefault[orgID]; ok {
		r.DefaultMember = r.Name == def
	}
	return r
}

// newMemberRole is the role a new member of orgID gets when none is sent:
// the organization's default member role, else the environment's, else
// member.
func (st *dirStore) newMemberRole(orgID string) string {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return st.newMemberRoleLocked(orgID)
}

func (st *dirStore) newMemberRoleLocked(orgID string) string {
	if def, ok := st.orgDefault[orgID]; ok {
		return def
	}
	for _, n := range st.roleOrder { // at most maxRoles
		if st.roles[n].DefaultMember {
			return n
		}
	}
	return "member"
}

// setOrgDefaultMember makes name, a role the organization's members may
// hold, its default member role; false when there is no such role.
func (st *dirStore) setOrgDefaultMember(orgID, name string, now time.Time) (role, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	r, ok := st.roleInLocked(orgID, name)
	if !ok {
		return role{}, false
	}
	st.orgDefault[orgID] = name
	if r.OrgID != "" { // an environment role is shared: its own time stays
		r.UpdateTime = now.UTC()
	}
	return st.asSeenInLocked(orgID, *r), true
}

// dropBase ends the role stored under key extending another; false for
// an unknown role.
func (st *dirStore) dropBase(key string, now time.Time) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	r, ok := st.roles[key]
	if !ok {
		return false
	}
	if r.Extends != "" {
		r.Extends, r.UpdateTime = "", now.UTC()
	}
	return true
}

// dependentRoles is the roles, the environment's and organizations',
// extending the one stored under key: those that block its deletion.
func (st *dirStore) dependentRoles(key string) []role {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return st.dependentsLocked(key)
}

// permissionsWithBasesLocked is r's permissions and those of the roles it
// extends, base after base. A base exists when a role names it and
// cannot be deleted while extended, so the chain has no cycle; the walk
// is bounded anyway by the number of roles.
func (st *dirStore) permissionsWithBasesLocked(r *role) []string {
	out := slices.Clone(r.Permissions)
	for range len(st.roles) {
		if r.Extends == "" {
			break
		}
		base, ok := st.roleInLocked(r.OrgID, r.Extends)
		if !ok {
			break
		}
		out, r = append(out, base.Permissions...), base
	}
	return out
}

// effectivePermissions is the environment role's permissions with its
// bases', sorted; false for an unknown role.
func (st *dirStore) effectivePermissions(name string) ([]string, bool) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	r, ok := st.roles[name]
	if !ok {
		return nil, false
	}
	out := st.permissionsWithBasesLocked(r)
	slices.Sort(out)
	return slices.Compact(out), true
}

// orgRolesOf is the environment's roles then the organization's own
// (at most maxRoles + maxOrgRolesPerOrg).
func (st *dirStore) orgRolesOf(orgID string) []role {
	st.mu.RLock()
	defer st.mu.RUnlock()
	out := make([]role, 0, len(st.roleOrder)+len(st.orgRoles[orgID]))
	for _, n := range st.roleOrder {
		out = append(out, st.asSeenInLocked(orgID, *st.roles[n]))
	}
	for _, n := range st.orgRoles[orgID] {
		out = append(out, st.asSeenInLocked(orgID, *st.roles[orgRoleKey(orgID, n)]))
	}
	return out
}

func (st *dirStore) addOrgRole(r role, now time.Time) (role, string, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if _, taken := st.roles[r.Name]; taken {
		return role{}, "role " + r.Name + " already exists in the environment", true
	}
	if _, taken := st.roles[orgRoleKey(r.OrgID, r.Name)]; taken {
		return role{}, "role " + r.Name + " already exists in the organization", true
	}
	if len(st.orgRoles[r.OrgID]) >= maxOrgRolesPerOrg || st.nOrgRoles >= maxOrgRoles {
		return role{}, "the sandbox keeps at most 20 roles per organization and 200 in all", false
	}
	if problem := st.newRoleLocked(&r, now); problem != "" {
		return role{}, problem, false
	}
	st.roles[orgRoleKey(r.OrgID, r.Name)] = &r
	st.orgRoles[r.OrgID] = append(st.orgRoles[r.OrgID], r.Name)
	st.nOrgRoles++
	return r, "", false
}

// removeOrgRole deletes an organization's own role; like removeRole it
// refuses while members hold it unless reassign names another role valid
// in the organization (its own or the environment's), which they then get.
func (st *dirStore) removeOrgRole(orgID, name, reassign string) roleDeletion {
	st.mu.Lock()
	defer st.mu.Unlock()
	key := orgRoleKey(orgID, name)
	switch _, ok := st.roles[key]; {
	case !ok:
		return roleUnknown
	case len(st.dependentsLocked(key)) > 0:
		return roleExtended
	}
	if _, ok := st.roleInLocked(orgID, reassign); reassign != "" && (!ok || reassign == name) {
		return roleReassignUnknown
	}
	if !st.moveHoldersLocked(key, reassign) {
		return roleHeld
	}
	// Unlike the environment's, an organization's default member role may
	// be deleted (Scalekit's Python SDK tests delete one in their
	// clean-up); the organization falls back to the environment's.
	if st.orgDefault[orgID] == name {
		delete(st.orgDefault, orgID)
	}
	delete(st.roles, orgRoleKey(orgID, name))
	st.orgRoles[orgID] = slices.DeleteFunc(slices.Clone(st.orgRoles[orgID]), func(x string) bool { return x == name })
	st.nOrgRoles--
	return roleDeleted
}

// permissionsOfRolesIn is the union of the permissions of a member of
// orgID holding the named roles, sorted.
func (st *dirStore) permissionsOfRolesIn(orgID string, names []string) []string {
	st.mu.RLock()
	defer st.mu.RUnlock()
	var out []string
	for _, n := range names {
		if r, ok := st.roleInLocked(orgID, n); ok {
			out = append(out, st.permissionsWithBasesLocked(r)...)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

package scalekit

import (
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/authscope/authscope/sandbox/wire"
)

// maxCreatedOrgs bounds the organizations a client can add to one Server
// (REST or gRPC); past it the oldest added one goes, as Scale projects do.
const maxCreatedOrgs = 200

// orgTime is how Scalekit writes timestamps in JSON: RFC 3339 in UTC with
// milliseconds.
const orgTime = "2006-01-02T15:04:05.000Z"

// portalLink is one admin-portal link made by GeneratePortalLink.
type portalLink struct {
	id, location string
	expires      time.Time
}

// orgStore is the one set of Scalekit organizations both faces read and
// write: an organization created over gRPC is listed by the REST face and
// the other way round.
type orgStore struct {
	mu       sync.RWMutex
	list     []organization // creation order, the order lists page through
	created  []string       // ids added by clients, oldest first
	links    map[string][]portalLink
	maxUsers map[string]int32 // user management settings, by organization id
	policies map[string]sessionPolicy
	// dropped, when set, removes what other stores keep of a removed
	// organization. It runs under mu: the lock order is orgStore, then
	// dirStore, never the other way round.
	dropped func(orgID string)
}

// sessionPolicy is an organization's own session policy (CUSTOM); an
// organization without one follows the application's.
type sessionPolicy struct {
	absolute, idle         int32
	absoluteUnit, idleUnit int32 // commons.TimeUnit values
	idleEnabled            bool
}

func newOrgStore() *orgStore {
	return &orgStore{list: buildOrganizations(), links: map[string][]portalLink{}, maxUsers: map[string]int32{}, policies: map[string]sessionPolicy{}}
}

// cloneOrg copies the map and slice of an organization coming in, so its
// caller cannot change the store afterwards. Going out no copy is needed:
// the store never changes a map or slice in place, it replaces them.
func cloneOrg(o organization) organization {
	o.Metadata = maps.Clone(o.Metadata)
	o.Settings.Features = slices.Clone(o.Settings.Features)
	return o
}

// matching returns the organizations for which keep is true (all when keep
// is nil), in creation order.
func (st *orgStore) matching(keep func(organization) bool) []organization {
	st.mu.RLock()
	defer st.mu.RUnlock()
	out := make([]organization, 0, len(st.list))
	for _, o := range st.list {
		if keep == nil || keep(o) {
			out = append(out, o)
		}
	}
	return out
}

// orgRef names an organization by Scalekit id or by external id.
type orgRef struct{ id, externalID string }

func (ref orgRef) matches(o organization) bool {
	if ref.id != "" {
		return o.ID == ref.id
	}
	return ref.externalID != "" && o.ExternalID == ref.externalID
}

func (st *orgStore) indexLocked(ref orgRef) int {
	return slices.IndexFunc(st.list, ref.matches)
}

func (st *orgStore) get(ref orgRef) (organization, bool) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	if i := st.indexLocked(ref); i >= 0 {
		return st.list[i], true
	}
	return organization{}, false
}

// externalTaken reports whether another organization (not exceptID) uses
// the external id: Scalekit keeps them unique.
func (st *orgStore) externalTakenLocked(externalID, exceptID string) bool {
	return externalID != "" && slices.ContainsFunc(st.list, func(o organization) bool {
		return o.ExternalID == externalID && o.ID != exceptID
	})
}

// add stores a new organization, giving it an id and times; false when its
// external id is taken.
func (st *orgStore) add(o organization, now time.Time) (organization, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.externalTakenLocked(o.ExternalID, "") {
		return organization{}, false
	}
	o.ID = "org_" + wire.RandomDigits(17)
	o.CreateTime = now.UTC().Format(orgTime)
	o.UpdateTime = o.CreateTime
	if o.Metadata == nil {
		o.Metadata = map[string]string{}
	}
	if o.Settings.Features == nil {
		o.Settings.Features = []orgFeature{{Name: "sso", Enabled: false}, {Name: "dir_sync", Enabled: false}}
	}
	st.list = append(st.list, cloneOrg(o))
	st.created = append(st.created, o.ID)
	if len(st.created) > maxCreatedOrgs {
		oldest := st.created[0]
		st.created = st.created[1:]
		st.removeLocked(orgRef{id: oldest})
	}
	return st.list[len(st.list)-1], true
}

// orgChange is what an update may set; nil fields stay as they are.
type orgChange struct {
	displayName, externalID *string
	slug, logoURL           *string // "" clears
	metadata                map[string]string
	features                []orgFeature
}

// update applies change; found is false for an unknown organization,
// clash true when the new external id belongs to another one.
func (st *orgStore) update(ref orgRef, change orgChange, now time.Time) (o organization, found, clash bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	i := st.indexLocked(ref)
	if i < 0 {
		return organization{}, false, false
	}
	cur := &st.list[i]
	if change.externalID != nil && st.externalTakenLocked(*change.externalID, cur.ID) {
		return organization{}, true, true
	}
	if change.displayName != nil {
		cur.DisplayName = *change.displayName
	}
	if change.externalID != nil {
		cur.ExternalID = *change.externalID
	}
	if change.slug != nil {
		cur.Slug = *change.slug
	}
	if change.logoURL != nil {
		cur.LogoURL = *change.logoURL
	}
	if change.metadata != nil {
		cur.Metadata = maps.Clone(change.metadata)
	}
	if len(change.features) > 0 {
		features := slices.Clone(cur.Settings.Features) // replaced, never changed in place
		for _, f := range change.features {
			if j := slices.IndexFunc(features, func(g orgFeature) bool { return g.Name == f.Name }); j >= 0 {
				features[j].Enabled = f.Enabled
			} else {
				features = append(features, f)
			}
		}
		cur.Settings.Features = features
	}
	cur.UpdateTime = now.UTC().Format(orgTime)
	return *cur, true, false
}

func (st *orgStore) remove(ref orgRef) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.removeLocked(ref)
}

func (st *orgStore) removeLocked(ref orgRef) bool {
	i := st.indexLocked(ref)
	if i < 0 {
		return false
	}
	id := st.list[i].ID
	st.list = slices.Delete(st.list, i, i+1)
	st.created = slices.DeleteFunc(st.created, func(c string) bool { return c == id })
	delete(st.links, id)
	delete(st.maxUsers, id)
	delete(st.policies, id)
	if st.dropped != nil {
		st.dropped(id)
	}
	return true
}

// addLink makes a portal link for an existing organization; a new one
// replaces the old, as Scalekit keeps one live link per organization.
func (st *orgStore) addLink(orgID, base string, now time.Time) (portalLink, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.indexLocked(orgRef{id: orgID}) < 0 {
		return portalLink{}, false
	}
	id := wire.RandomDigits(18)
	link := portalLink{id: id, location: base + "/magicLink/" + id, expires: now.Add(7 * 24 * time.Hour)}
	st.links[orgID] = []portalLink{link}
	return link, true
}

func (st *orgStore) linksOf(orgID string) ([]portalLink, bool) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	if st.indexLocked(orgRef{id: orgID}) < 0 {
		return nil, false
	}
	return slices.Clone(st.links[orgID]), true
}

// dropLinks deletes the organization's links (linkID "" for all); false
// when the organization or the link is unknown.
func (st *orgStore) dropLinks(orgID, linkID string) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.indexLocked(orgRef{id: orgID}) < 0 {
		return false
	}
	if linkID == "" {
		delete(st.links, orgID)
		return true
	}
	before := len(st.links[orgID])
	st.links[orgID] = slices.DeleteFunc(st.links[orgID], func(l portalLink) bool { return l.id == linkID })
	return len(st.links[orgID]) < before
}

func (st *orgStore) setMaxUsers(orgID string, n int32) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.indexLocked(orgRef{id: orgID}) < 0 {
		return false
	}
	st.maxUsers[orgID] = n
	return true
}

func (st *orgStore) maxUsersOf(orgID string) (n int32, set, found bool) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	if st.indexLocked(orgRef{id: orgID}) < 0 {
		return 0, false, false
	}
	n, set = st.maxUsers[orgID]
	return n, set, true
}

// search matches the query against name, id and external id, ignoring
// case, as Scalekit's search does.
func searchMatch(query string) func(organization) bool {
	q := strings.ToLower(query)
	return func(o organization) bool {
		return strings.Contains(strings.ToLower(o.DisplayName), q) || strings.Contains(strings.ToLower(o.ID), q) ||
			strings.Contains(strings.ToLower(o.ExternalID), q)
	}
}

// setPolicy stores (custom) or clears (nil) an organization's session
// policy; false for an unknown organization.
func (st *orgStore) setPolicy(orgID string, p *sessionPolicy) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.indexLocked(orgRef{id: orgID}) < 0 {
		return false
	}
	if p == nil {
		delete(st.policies, orgID)
	} else {
		st.policies[orgID] = *p
	}
	return true
}

func (st *orgStore) policyOf(orgID string) (p sessionPolicy, custom, found bool) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	if st.indexLocked(orgRef{id: orgID}) < 0 {
		return sessionPolicy{}, false, false
	}
	p, custom = st.policies[orgID]
	return p, custom, true
}

package scalekit

import (
	"strconv"
	"strings"
	"time"

	"github.com/authscope/authscope/model"
)

// The single sign-on side of the sandbox's organizations: each fixture
// organization has one SSO connection (OIDC or SAML, enabled), one
// verified domain and three users. Ids are derived from the
// organization's digits so that they are the same on every start.

// connection is one SSO connection of an organization.
type connection struct {
	ID         string    `json:"id"`
	Provider   string    `json:"provider"` // OKTA, MICROSOFT_AD, …
	Type       string    `json:"type"`     // OIDC or SAML
	Status     string    `json:"status"`   // COMPLETED for the fixtures
	Enabled    bool      `json:"enabled"`
	OrgID      string    `json:"organization_id"`
	KeyID      string    `json:"key_id,omitempty"`
	CreateTime time.Time `json:"create_time"`
	UpdateTime time.Time `json:"update_time"`
}

// domain is one domain of an organization; an address at it routes the
// user to the organization's connection.
type domain struct {
	ID         string    `json:"id"`
	Domain     string    `json:"domain"`
	OrgID      string    `json:"organization_id"`
	Type       string    `json:"domain_type"`         // ORGANIZATION_DOMAIN or ALLOWED_EMAIL_DOMAIN
	Status     string    `json:"verification_status"` // VERIFIED for the fixtures
	CreateTime time.Time `json:"create_time"`
	UpdateTime time.Time `json:"update_time"`
}

// user is one person who can sign in, a member of one organization.
type user struct {
	ID            string
	Email         string
	GivenName     string
	FamilyName    string
	Locale        string // user_profile.locale, as given
	EmailVerified bool
	OrgID         string       // the organization it was created in (first membership)
	Memberships   []membership // replaced, never changed in place
	ExternalID    string
	Metadata      map[string]string
	Roles         []string
	CreateTime    time.Time
	UpdateTime    time.Time
	created       bool // added by a client or by a first sign-in, not a fixture
}

// membership is a user's place in one organization.
type membership struct {
	OrgID       string
	Roles       []string // role names
	Status      string   // ACTIVE or PENDING_INVITE
	Metadata    map[string]string
	Inviter     string
	JoinTime    time.Time
	ResentCount int32
	ResentAt    time.Time
}

// membershipIn is the user's membership of orgID.
func (u user) membershipIn(orgID string) (membership, bool) {
	for _, m := range u.Memberships {
		if m.OrgID == orgID {
			return m, true
		}
	}
	return membership{}, false
}

func (u user) name() string { return strings.TrimSpace(u.GivenName + " " + u.FamilyName) }

var ssoPeople = [][2]string{
	{"Ada", "Lovelace"}, {"Grace", "Hopper"}, {"Alan", "Turing"}, {"Katherine", "Johnson"},
	{"Edsger", "Dijkstra"}, {"Barbara", "Liskov"}, {"Donald", "Knuth"}, {"Margaret", "Hamilton"},
	{"Dennis", "Ritchie"}, {"Frances", "Allen"}, {"Ken", "Thompson"}, {"Radia", "Perlman"},
}

var ssoProviders = []string{"OKTA", "MICROSOFT_AD", "GOOGLE", "ONELOGIN", "JUMPCLOUD", "PING_IDENTITY"}

// usersPerFixtureOrg is how many people each fixture organization has.
const usersPerFixtureOrg = 3

// idPlus is the id with prefix whose digits are the organization's plus n.
func idPlus(prefix, orgID string, n int64) string {
	digits, _ := strconv.ParseInt(strings.TrimPrefix(orgID, "org_"), 10, 64)
	return prefix + strconv.FormatInt(digits+n, 10)
}

// fixtureDomain is an organization's domain: the first word of its
// external id under .example (acme-corp → acme.example).
func fixtureDomain(external string) string {
	first, _, _ := strings.Cut(external, "-")
	return first + ".example"
}

// buildDirectory is the SSO fixture for every fixture organization.
func buildDirectory() ([]connection, []domain, []user) {
	var conns []connection
	var doms []domain
	var users []user
	for i, row := range orgRows {
		created, _ := time.Parse(time.RFC3339Nano, row.created)
		typ := "OIDC"
		if i%2 == 1 {
			typ = "SAML"
		}
		conns = append(conns, connection{ID: idPlus("conn_", row.id, 1), Provider: ssoProviders[i%len(ssoProviders)], Type: typ,
			Status: "COMPLETED", Enabled: true, OrgID: row.id, CreateTime: created, UpdateTime: created})
		dom := fixtureDomain(row.external)
		doms = append(doms, domain{ID: idPlus("dom_", row.id, 2), Domain: dom, OrgID: row.id, Type: "ORGANIZATION_DOMAIN",
			Status: "VERIFIED", CreateTime: created, UpdateTime: created})
		for k := range usersPerFixtureOrg {
			p := ssoPeople[(i*usersPerFixtureOrg+k)%len(ssoPeople)]
			users = append(users, user{ID: idPlus("usr_", row.id, int64(10+k)), Email: strings.ToLower(p[0]) + "@" + dom,
				GivenName: p[0], FamilyName: p[1], EmailVerified: true, OrgID: row.id, Metadata: map[string]string{},
				Memberships: []membership{{OrgID: row.id, Roles: []string{fixtureRole(k)}, Status: "ACTIVE", Metadata: map[string]string{}, JoinTime: created}},
				CreateTime:  created, UpdateTime: created})
		}
	}
	return conns, doms, users
}

// fixtureRole is the first user's admin, the others member.
func fixtureRole(k int) string {
	if k == 0 {
		return "admin"
	}
	return "member"
}

// fixtureRoles and fixturePermissions are the environment's roles and
// permissions at start.
var fixturePermissions = []permission{
	{Name: "organization:read", Description: "Read the organization's settings"},
	{Name: "organization:manage", Description: "Change the organization's settings"},
	{Name: "users:read", Description: "List the organization's users"},
	{Name: "users:invite", Description: "Invite users to the organization"},
}

var fixtureRoles = []role{
	{Name: "admin", DisplayName: "Admin", Description: "Manages the organization", Permissions: []string{"organization:read", "organization:manage", "users:read", "users:invite"}, DefaultCreator: true},
	{Name: "member", DisplayName: "Member", Description: "A member of the organization", Permissions: []string{"organization:read", "users:read"}, DefaultMember: true},
}

// The demo user model names must be the first user of the first fixture
// organization; sso_test checks it.
var _ = model.SandboxSSOUser

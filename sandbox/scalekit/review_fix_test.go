package scalekit

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/sandbox/internal/sbtest"
	"github.com/authscope/authscope/sandbox/wire"
)

func newReviewService() *Service {
	return New(wire.Env{Mux: http.NewServeMux(), Now: time.Now}, wire.BasePath("scalekit"))
}

// fillOrg gives orgID a connection, a domain, an M2M client, a role and a
// user of its own.
func fillOrg(t *testing.T, s *Service, orgID, domainName string) {
	t.Helper()
	now := time.Now()
	if _, problem := s.dir.addConnection(connection{OrgID: orgID, Provider: "OKTA", Type: "OIDC"}, now); problem != "" {
		t.Fatal(problem)
	}
	if _, problem, _ := s.dir.addDomain(domain{OrgID: orgID, Domain: domainName}, now); problem != "" {
		t.Fatal(problem)
	}
	if _, _, problem := s.dir.addClient(m2mClient{OrgID: orgID, Name: "c"}, now); problem != "" {
		t.Fatal(problem)
	}
	if _, problem, _ := s.dir.addOrgRole(role{OrgID: orgID, Name: "auditor"}, now); problem != "" {
		t.Fatal(problem)
	}
	if _, p := s.dir.addUser(user{OrgID: orgID, Email: "x@" + domainName}, now); p != userOK {
		t.Fatal(p)
	}
}

type dirCounts struct{ conns, domains, clients, orgRoles, users int }

func countsOf(s *Service) dirCounts {
	s.dir.mu.RLock()
	defer s.dir.mu.RUnlock()
	return dirCounts{len(s.dir.conns), len(s.dir.domains), len(s.dir.clients), s.dir.nOrgRoles, len(s.dir.users)}
}

// TestDeleteOrganizationDropsItsData: a deleted organization leaves
// nothing in the directory; its domain name is free again and the global
// caps count it no more.
func TestDeleteOrganizationDropsItsData(t *testing.T) {
	s := newReviewService()
	before := countsOf(s)
	o, ok := s.orgs.add(organization{DisplayName: "Gone"}, time.Now())
	if !ok {
		t.Fatal("add")
	}
	fillOrg(t, s, o.ID, "gone.example")
	if !s.orgs.remove(orgRef{id: o.ID}) {
		t.Fatal("remove")
	}
	if got := countsOf(s); got != before {
		t.Fatalf("after delete %+v, want %+v", got, before)
	}
	other, _ := s.orgs.add(organization{DisplayName: "Other"}, time.Now())
	if _, problem, _ := s.dir.addDomain(domain{OrgID: other.ID, Domain: "gone.example"}, time.Now()); problem != "" {
		t.Fatalf("the deleted organization's domain is still taken: %s", problem)
	}
	if _, ok := s.dir.userByEmail("x@gone.example"); ok {
		t.Fatal("the deleted organization's only member is still there")
	}
}

// TestEvictedOrganizationDropsItsData: the oldest added organization,
// evicted past maxCreatedOrgs, leaves nothing either.
func TestEvictedOrganizationDropsItsData(t *testing.T) {
	s := newReviewService()
	before := countsOf(s)
	first, _ := s.orgs.add(organization{DisplayName: "First"}, time.Now())
	fillOrg(t, s, first.ID, "first.example")
	for range maxCreatedOrgs {
		if _, ok := s.orgs.add(organization{DisplayName: "Filler"}, time.Now()); !ok {
			t.Fatal("add")
		}
	}
	if _, ok := s.orgs.get(orgRef{id: first.ID}); ok {
		t.Fatal("the oldest organization was not evicted")
	}
	if got := countsOf(s); got != before {
		t.Fatalf("after eviction %+v, want %+v", got, before)
	}
}

// A refresh refused for its scope does not spend the token: the client's
// corrected retry with it succeeds instead of being taken for a replay.
func TestSSORefreshRefusedKeepsToken(t *testing.T) {
	sb := newSandbox(t)
	tok := decodeTokens(t, sb.exchange(codeForm(sb.signIn("code_challenge", "", "code_challenge_method", ""), "")))
	refresh := "grant_type=refresh_token&client_id=" + sbtest.ClientID + "&client_secret=" + sbtest.ClientSecret + "&refresh_token=" + url.QueryEscape(tok.RefreshToken)
	if a := sb.exchange(refresh + "&scope=admin"); a.Status != 400 || !strings.Contains(a.Body, "invalid_scope") {
		t.Fatalf("refresh with a scope not granted: %d %s", a.Status, a.Body)
	}
	if a := sb.exchange(refresh); a.Status != 200 {
		t.Fatalf("retry with the same refresh token: %d %s", a.Status, a.Body)
	}
}

// Past the session cap the oldest session goes in O(1): the order list is
// resliced, not shifted (its first live entry moves one slot on in the
// same array whenever append did not have to grow it).
func TestSessionCapReslices(t *testing.T) {
	s := newReviewService()
	u, ok := s.dir.user("usr_59615193906282645")
	if !ok {
		t.Fatal("fixture user")
	}
	now := time.Now()
	for range maxSessions {
		s.dir.startSession(u, model.SandboxSSOConnectionID, sbtest.ClientID, false, now)
	}
	checked := 0
	for range 50 {
		before := s.dir.sessOrder
		s.dir.startSession(u, model.SandboxSSOConnectionID, sbtest.ClientID, false, now)
		after := s.dir.sessOrder
		if len(after) != maxSessions {
			t.Fatalf("%d sessions kept, cap %d", len(after), maxSessions)
		}
		if cap(before) > len(before) {
			checked++
			if &after[0] != &before[1] {
				t.Fatal("the session order list was shifted, not resliced")
			}
		}
	}
	if checked == 0 {
		t.Fatal("no sign-in without growth to check")
	}
}

// sessionsOf keeps no entry for a user without sessions: neither once the
// user's last session is evicted nor once the user is deleted.
func TestSessionsOfForgetsUsers(t *testing.T) {
	s := newReviewService()
	now := time.Now()
	gone, p := s.dir.addUser(user{OrgID: model.SandboxOrgID, Email: "gone@acme.example"}, now)
	if p != userOK {
		t.Fatal(p)
	}
	evicted, p := s.dir.addUser(user{OrgID: model.SandboxOrgID, Email: "evicted@acme.example"}, now)
	if p != userOK {
		t.Fatal(p)
	}
	s.dir.startSession(gone, model.SandboxSSOConnectionID, sbtest.ClientID, false, now)
	s.dir.startSession(evicted, model.SandboxSSOConnectionID, sbtest.ClientID, false, now)
	if !s.dir.deleteUser(userRef{id: gone.ID}) {
		t.Fatal("delete")
	}
	s.dir.mu.RLock()
	ids, kept := s.dir.sessionsOf[gone.ID]
	s.dir.mu.RUnlock()
	if kept {
		t.Errorf("sessionsOf keeps the deleted user: %v", ids)
	}
	other, _ := s.dir.user("usr_59615193906282645")
	for range maxSessions {
		s.dir.startSession(other, model.SandboxSSOConnectionID, sbtest.ClientID, false, now)
	}
	s.dir.mu.RLock()
	defer s.dir.mu.RUnlock()
	if ids, ok := s.dir.sessionsOf[evicted.ID]; ok {
		t.Errorf("sessionsOf keeps a user whose last session was evicted: %v", ids)
	}
}

// truncate cuts at a character boundary, never inside a UTF-8 sequence.
func TestTruncateKeepsUTF8(t *testing.T) {
	for n := range 8 {
		if got := truncate("aéé€x", n); !utf8.ValidString(got) {
			t.Errorf("truncate(%q, %d) = %q, not UTF-8", "aéé€x", n, got)
		}
	}
	if got := truncate("aé", 2); got != "a…" {
		t.Errorf("truncate = %q, want a…", got)
	}
}

// Without an id_token_hint, /oidc/logout does not follow
// post_logout_redirect_uri (an open redirect): it shows the signed-out
// page. With a valid hint it redirects.
func TestLogoutRedirectNeedsHint(t *testing.T) {
	sb := newSandbox(t)
	q := url.Values{"post_logout_redirect_uri": {"https://evil.example/phish"}, "state": {"s"}}
	a := sb.getNoFollow("/scalekit/oidc/logout?" + q.Encode())
	if a.Status != http.StatusOK || strings.Contains(a.Body, "evil.example") {
		t.Fatalf("logout without id_token_hint: %d %s", a.Status, a.Body)
	}
	tok := decodeTokens(t, sb.exchange(codeForm(sb.signIn("code_challenge", "", "code_challenge_method", ""), "")))
	q.Set("id_token_hint", tok.IDToken)
	if a := sb.getNoFollow("/scalekit/oidc/logout?" + q.Encode()); a.Status != http.StatusFound {
		t.Fatalf("logout with id_token_hint: %d %s", a.Status, a.Body)
	}
}

// The store's side of the same: a refresh refused for the client or the
// expiry leaves the token unspent; the right request then takes it.
func TestTakeRefreshRefusedLeavesTokenUnspent(t *testing.T) {
	s := newReviewService()
	now := time.Now()
	u, _ := s.dir.user("usr_59615193906282645")
	sess := s.dir.startSession(u, model.SandboxSSOConnectionID, "skc_a", false, now)
	token := s.dir.addRefresh(refreshGrant{clientID: "skc_a", sid: sess.ID, scopes: []string{"openid"}, expires: now.Add(time.Hour)})
	take := func(clientID string, at time.Time) (code string, found, replay bool) {
		_, found, replay = s.dir.takeRefresh(token, at, func(g refreshGrant) bool {
			code, _, _ = checkRefresh(g, clientID, "", at)
			return code == ""
		})
		return code, found, replay
	}
	if code, found, replay := take("skc_b", now); code != "invalid_grant" || !found || replay {
		t.Fatalf("another client: %q %v %v", code, found, replay)
	}
	if code, found, replay := take("skc_a", now.Add(2*time.Hour)); code != "invalid_grant" || !found || replay {
		t.Fatalf("expired: %q %v %v", code, found, replay)
	}
	if code, found, replay := take("skc_a", now); code != "" || !found || replay {
		t.Fatalf("the right client: %q %v %v", code, found, replay)
	}
	if _, _, replay := take("skc_a", now); !replay {
		t.Fatal("a second use is not a replay")
	}
}

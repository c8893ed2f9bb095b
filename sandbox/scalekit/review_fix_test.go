package scalekit

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

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

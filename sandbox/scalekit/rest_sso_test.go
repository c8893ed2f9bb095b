package scalekit

import (
	"regexp"
	"testing"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/sandbox/internal/sbtest"
)

// The Connections and Domains REST routes, byte for byte.
func TestRESTConnectionsAndDomainsGoldens(t *testing.T) {
	sb := newSandbox(t)
	bearer := []string{"Authorization", "Bearer " + sb.Token("")}
	json := append([]string{"Content-Type", "application/json"}, bearer...)
	org := "/scalekit/api/v1/organizations/" + model.SandboxOrgID
	created := regexp.MustCompile(`"(dom|conn)_[0-9]{17}"`)
	stamp := regexp.MustCompile(`"20[0-9-]{8}T[0-9:.]+Z"`)
	for _, c := range []struct {
		name, method, path, body string
		headers                  []string
	}{
		{"rest_connections_of_org", "GET", "/scalekit/api/v1/connections?organization_id=" + model.SandboxOrgID, "", bearer},
		{"rest_connections_by_domain", "GET", "/scalekit/api/v1/connections?domain=" + model.SandboxSSODomain, "", bearer},
		{"rest_connections_no_filter", "GET", "/scalekit/api/v1/connections", "", bearer},
		{"rest_connections_no_token", "GET", "/scalekit/api/v1/connections", "", nil},
		{"rest_connection", "GET", org + "/connections/" + model.SandboxSSOConnectionID, "", bearer},
		{"rest_connection_not_found", "GET", org + "/connections/conn_1", "", bearer},
		{"rest_connection_disable", "PATCH", org + "/connections/" + model.SandboxSSOConnectionID + ":disable", "", bearer},
		{"rest_connection_enable", "PATCH", org + "/connections/" + model.SandboxSSOConnectionID + ":enable", "", bearer},
		{"rest_connection_create", "POST", org + "/connections", `{"type":"SAML","provider":"OKTA"}`, json},
		{"rest_connection_create_bad_type", "POST", org + "/connections", `{"type":"PASSWORD"}`, json},
		{"rest_domains", "GET", org + "/domains", "", bearer},
		{"rest_domains_page_size_0", "GET", org + "/domains?page_size=0", "", bearer},
		{"rest_domain_create", "POST", org + "/domains", `{"domain":"acme-eu.example"}`, json},
		{"rest_domain_create_taken", "POST", org + "/domains", `{"domain":"globex.example"}`, json},
		{"rest_domain_create_public", "POST", org + "/domains", `{"domain":"gmail.com"}`, json},
		{"rest_domain_create_bad", "POST", org + "/domains", `{"domain":"not a domain"}`, json},
		{"rest_domain", "GET", org + "/domains/dom_59615193906282637", "", bearer},
		{"rest_domain_other_org", "GET", "/scalekit/api/v1/organizations/org_59615204871953291/domains/dom_59615193906282637", "", bearer},
		{"rest_domain_bad_org_id", "GET", "/scalekit/api/v1/organizations/org_%E2%80%AE1/domains", "", bearer},
	} {
		t.Run(c.name, func(t *testing.T) {
			sb := sb.with(t)
			got := sb.Render(sb.Do(c.method, c.path, c.body, c.headers...))
			got = created.ReplaceAllString(got, `"${1}_<id>"`)
			sbtest.Golden(t, c.name, stamp.ReplaceAllString(got, `"<now>"`))
		})
	}
}

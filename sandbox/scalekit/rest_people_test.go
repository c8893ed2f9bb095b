package scalekit

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/sandbox/internal/sbtest"
)

// Users, memberships, roles, M2M clients, sessions and directories over
// the REST face, byte for byte; what one route creates, the next reads.
func TestRESTPeopleGoldens(t *testing.T) {
	sb := newSandbox(t)
	bearer := []string{"Authorization", "Bearer " + sb.Token("")}
	js := append([]string{"Content-Type", "application/json"}, bearer...)
	org := "/scalekit/api/v1/organizations/" + model.SandboxOrgID
	created := regexp.MustCompile(`"(usr|m2morg|sks|role|perm)_[0-9]{17}"`)
	stamp := regexp.MustCompile(`"20[0-9-]{8}T[0-9:.]+Z"`)
	secret := regexp.MustCompile(`"test_[A-Za-z0-9_-]{43}"`)
	suffix := regexp.MustCompile(`"secret_suffix":"[A-Za-z0-9_-]{4}"`)
	var lastUser string
	for _, c := range []struct {
		name, method, path, body string
		headers                  []string
	}{
		{"rest_users_page_1", "GET", "/scalekit/api/v1/users?page_size=1", "", bearer},
		{"rest_user", "GET", "/scalekit/api/v1/users/usr_59615193906282645", "", bearer},
		{"rest_user_bad_id", "GET", "/scalekit/api/v1/users/usr_1%2F..%2Fx", "", bearer},
		{"rest_org_users", "GET", org + "/users?page_size=2", "", bearer},
		{"rest_user_create", "POST", org + "/users", `{"email":"rest@acme.example","external_id":"rest-1","user_profile":{"given_name":"Rest","family_name":"User"},"membership":{"roles":[{"name":"admin"}]}}`, js},
		{"rest_user_create_again", "POST", org + "/users", `{"email":"rest@acme.example"}`, js},
		{"rest_user_create_long_name", "POST", org + "/users", `{"email":"long@acme.example","user_profile":{"given_name":"` + strings.Repeat("n", 5000) + `"}}`, js},
		{"rest_user_update", "PATCH", "/scalekit/api/v1/users/{last}", `{"user_profile":{"given_name":"Renamed"},"metadata":{"team":"blue"}}`, js},
		{"rest_membership_create", "POST", "/scalekit/api/v1/memberships/organizations/org_59615204871953291/users/{last}", `{"roles":[{"name":"member"}]}`, js},
		{"rest_user_roles", "GET", org + "/users/usr_59615193906282645/roles", "", bearer},
		{"rest_user_permissions", "GET", org + "/users/usr_59615193906282645/permissions", "", bearer},
		{"rest_user_delete", "DELETE", "/scalekit/api/v1/users/{last}", "", bearer},
		{"rest_roles", "GET", "/scalekit/api/v1/roles", "", bearer},
		{"rest_role_create_unknown_permission", "POST", "/scalekit/api/v1/roles", `{"name":"viewer","permissions":["nothing:here"]}`, js},
		{"rest_permission_create", "POST", "/scalekit/api/v1/permissions", `{"name":"reports:export","description":"Export reports"}`, js},
		{"rest_org_role_create", "POST", org + "/roles", `{"name":"billing-admin","display_name":"Billing admin","permissions":["users:read"]}`, js},
		{"rest_org_roles", "GET", org + "/roles", "", bearer},
		{"rest_client_create", "POST", org + "/clients", `{"name":"billing worker","scopes":["invoices:read"],"audience":["https://api.acme.example"],"expiry":"3600"}`, js},
		{"rest_client_create_no_name", "POST", org + "/clients", `{"scopes":["x"]}`, js},
		{"rest_sessions_unknown_user", "GET", "/scalekit/api/v1/users/usr_1/sessions", "", bearer},
		{"rest_directories", "GET", org + "/directories", "", bearer},
		{"rest_directory_groups", "GET", org + "/directories/dir_59615193906282638/groups", "", bearer},
		{"rest_users_no_token", "GET", "/scalekit/api/v1/users", "", nil},
		{"rest_users_search", "GET", "/scalekit/api/v1/users:search?query=grace@acme", "", bearer},
		{"rest_org_users_search_short", "GET", org + "/users:search?query=ab", "", bearer},
		{"rest_session_policy", "GET", org + "/session-policy", "", bearer},
		{"rest_session_policy_custom", "PATCH", org + "/session-policy", `{"policy_source":"CUSTOM","absolute_session_timeout":12,"absolute_session_timeout_unit":"HOURS"}`, js},
		{"rest_directory_disable", "PATCH", org + "/directories/dir_59615193906282638:disable", "", bearer},
	} {
		t.Run(c.name, func(t *testing.T) {
			sb := sb.with(t)
			a := sb.Do(c.method, strings.ReplaceAll(c.path, "{last}", lastUser), c.body, c.headers...)
			if c.name == "rest_user_create" {
				var body struct {
					User struct {
						ID string `json:"id"`
					} `json:"user"`
				}
				json.Unmarshal([]byte(a.Body), &body)
				lastUser = body.User.ID
			}
			got := sb.Render(a)
			got = suffix.ReplaceAllString(secret.ReplaceAllString(created.ReplaceAllString(got, `"${1}_<id>"`), `"test_<secret>"`), `"secret_suffix":"<4>"`)
			sbtest.Golden(t, c.name, stamp.ReplaceAllString(got, `"<now>"`))
		})
	}
}

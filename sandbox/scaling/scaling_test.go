package scaling

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/sandbox/internal/sbtest"
	"github.com/authscope/authscope/sandbox/wire"
)

// The two 401 bodies the Scaling docs print, byte for byte, with the
// request id the header carries.
func TestScalingAuthErrorsAreTheDocumentedBytes(t *testing.T) {
	sb := newSandbox(t)
	cases := []struct {
		name, auth, code string
	}{
		{"no header", "", "missing_authorization_header"},
		{"Basic scheme", "Basic " + sbtest.DemoScalingKey, "missing_authorization_header"},
		{"lower-case bearer", "bearer " + sbtest.DemoScalingKey, "missing_authorization_header"},
		{"key alone", sbtest.DemoScalingKey, "missing_authorization_header"},
		{"docs placeholder key", "Bearer scl_live_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "invalid_api_key"},
		{"key with an extra character", "Bearer " + sbtest.DemoScalingKey + "x", "invalid_api_key"},
		{"scheme without a token (the value is trimmed to \"Bearer\")", "Bearer ", "missing_authorization_header"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var a sbtest.Answer
			if c.auth == "" {
				a = sb.Get("/scaling/v1/incidents")
			} else {
				a = sb.Get("/scaling/v1/incidents", "Authorization", c.auth)
			}
			id := a.RequestID(t)
			want := `{"statusCode":401,"type":"not_authorized_error","code":"` + c.code + `","requestId":"` + id + `"}`
			if a.Status != 401 || a.Body != want {
				t.Errorf("got %d %s\nwant 401 %s", a.Status, a.Body, want)
			}
			if ct := a.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
		})
	}
}

func TestScalingGoldens(t *testing.T) {
	sb := newSandbox(t)
	auth := []string{"Authorization", sbtest.ScalingBearer}
	cases := []struct {
		name, method, path string
		headers            []string
	}{
		{"scaling_incidents_default", "GET", "/scaling/v1/incidents", auth},
		{"scaling_incidents_limit_2", "GET", "/scaling/v1/incidents?limit=2", auth},
		{"scaling_incidents_filtered", "GET", "/scaling/v1/incidents?status=resolved&severity=critical&from=2025-06-07T00:00:00Z&to=2025-06-13T00:00:00Z", auth},
		{"scaling_incident", "GET", "/scaling/v1/incidents/" + model.SandboxIncidentID, auth},
		{"scaling_incident_not_found", "GET", "/scaling/v1/incidents/inc_doesnotexist", auth},
		{"scaling_schedules", "GET", "/scaling/v1/oncall/schedules", auth},
		{"scaling_policies", "GET", "/scaling/v1/escalation/policies", auth},
		{"scaling_limit_500", "GET", "/scaling/v1/incidents?limit=500", auth},
		{"scaling_limit_0", "GET", "/scaling/v1/incidents?limit=0", auth},
		{"scaling_limit_text", "GET", "/scaling/v1/incidents?limit=ten", auth},
		{"scaling_bad_status", "GET", "/scaling/v1/incidents?status=open", auth},
		{"scaling_bad_from", "GET", "/scaling/v1/incidents?from=yesterday", auth},
		{"scaling_bad_cursor", "GET", "/scaling/v1/incidents?cursor=not-a-cursor", auth},
		{"scaling_rate_limited", "GET", "/scaling/v1/incidents", append([]string{wire.WhatIfHeader, "rate-limit"}, auth...)},
		{"scaling_post_incidents", "POST", "/scaling/v1/incidents", auth},
		{"scaling_unknown_path", "GET", "/scaling/v2/things", auth},
		{"scaling_unknown_path_no_auth", "GET", "/scaling/v2/things", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sb := sb.with(t)
			sb.ExpectGolden(c.name, sb.Do(c.method, c.path, "", c.headers...))
		})
	}
}

// The error bodies that carry a request id carry the header's.
func TestScalingRequestIDInBodyEqualsHeader(t *testing.T) {
	sb := newSandbox(t)
	for _, path := range []string{"/scaling/v1/incidents?limit=0", "/scaling/v1/incidents/nope"} {
		a := sb.Get(path, "Authorization", sbtest.ScalingBearer)
		var body struct{ RequestID string }
		if err := json.Unmarshal([]byte(a.Body), &body); err != nil {
			t.Fatal(err)
		}
		if id := a.RequestID(t); body.RequestID != id {
			t.Errorf("%s: body requestId %q, header %q", path, body.RequestID, id)
		}
	}
}

type incidentPage struct {
	Data struct {
		Incidents []struct {
			ID        string `json:"id"`
			Status    string `json:"status"`
			Severity  string `json:"severity"`
			CreatedAt string `json:"createdAt"`
		} `json:"incidents"`
		NextCursor *string `json:"nextCursor"`
	} `json:"data"`
}

// Following nextCursor visits every incident once, newest first, and the
// last page says there is no more.
func TestScalingCursorWalksAllIncidentsNewestFirst(t *testing.T) {
	sb := newSandbox(t)
	for _, query := range []string{"limit=7", "limit=7&status=resolved", "limit=3&severity=high"} {
		seen := map[string]bool{}
		last := "9999"
		path := "/scaling/v1/incidents?" + query
		pages := 0
		for {
			a := sb.Get(path, "Authorization", sbtest.ScalingBearer)
			if a.Status != 200 {
				t.Fatalf("%s: %d %s", path, a.Status, a.Body)
			}
			var page incidentPage
			if err := json.Unmarshal([]byte(a.Body), &page); err != nil {
				t.Fatal(err)
			}
			for _, in := range page.Data.Incidents {
				if seen[in.ID] {
					t.Errorf("%s: %s twice", query, in.ID)
				}
				if in.CreatedAt > last {
					t.Errorf("%s: %s is newer than the one before it", query, in.ID)
				}
				if strings.Contains(query, "status=") && in.Status != "resolved" || strings.Contains(query, "severity=") && in.Severity != "high" {
					t.Errorf("%s: %s does not match the filter", query, in.ID)
				}
				seen[in.ID], last = true, in.CreatedAt
			}
			pages++
			if page.Data.NextCursor == nil {
				break
			}
			path = "/scaling/v1/incidents?" + query + "&cursor=" + *page.Data.NextCursor
		}
		want := 0
		for _, in := range incidents {
			if (!strings.Contains(query, "status=") || in.Status == "resolved") && (!strings.Contains(query, "severity=") || in.Severity == "high") {
				want++
			}
		}
		if len(seen) != want || pages < 2 {
			t.Errorf("%s: saw %d incidents in %d pages, want %d in several", query, len(seen), pages, want)
		}
	}
}

func TestScalingFixturesAreWellFormed(t *testing.T) {
	ids := map[string]bool{}
	for _, in := range incidents {
		if len(in.ID) != len(model.SandboxIncidentID) || !strings.HasPrefix(in.ID, "inc_") || ids[in.ID] {
			t.Errorf("incident id %q: wrong shape or repeated", in.ID)
		}
		ids[in.ID] = true
	}
	if !ids[model.SandboxIncidentID] {
		t.Errorf("model.SandboxIncidentID %s is not a fixture", model.SandboxIncidentID)
	}
	if len(incidents) <= 20 {
		t.Errorf("%d incidents: the default page (20) must have a next page", len(incidents))
	}
}

func TestScalingHEADIsGET(t *testing.T) {
	sb := newSandbox(t)
	a := sb.Do(http.MethodHead, "/scaling/v1/incidents", "", "Authorization", sbtest.ScalingBearer)
	if a.Status != 200 || a.Body != "" {
		t.Errorf("HEAD: %d %q", a.Status, a.Body)
	}
	a.RequestID(t)
}

package scalekit

import "github.com/authscope/authscope/model"

// Scalekit's fixed organizations. Field order is the proto's field-number
// order (scalekit.v1.organizations.Organization), which is the order the
// REST gateway writes them in; names are the proto names DESIGN.md uses.

type orgFeature struct {
	Name    string `json:"name"`
	Enabled bool   `json:"enabled"`
}

type orgSettings struct {
	Features []orgFeature `json:"features"`
}

type organization struct {
	ID          string            `json:"id"`
	CreateTime  string            `json:"create_time"`
	UpdateTime  string            `json:"update_time"`
	DisplayName string            `json:"display_name"`
	RegionCode  string            `json:"region_code"`
	ExternalID  string            `json:"external_id"`
	Metadata    map[string]string `json:"metadata"`
	Settings    orgSettings       `json:"settings"`
	// Slug and LogoURL are optional in Scalekit's schema: absent until set.
	Slug    string `json:"slug,omitempty"`
	LogoURL string `json:"logo_url,omitempty"`
}

// orgRow is one fixture line; sso and dirSync are the two features
// Scalekit's admin portal toggles.
type orgRow struct {
	id, name, external, region, plan, created, updated string
	sso, dirSync                                       bool
}

var orgRows = []orgRow{
	{model.SandboxOrgID, "Acme Corporation", "acme-corp", "US", "enterprise", "2024-09-02T14:21:08.412Z", "2025-05-30T08:02:51.077Z", true, true},
	{"org_59615204871953291", "Globex Industries", "globex", "US", "enterprise", "2024-09-05T10:03:44.120Z", "2025-04-11T16:45:02.301Z", true, false},
	{"org_59615218824126537", "Initech", "initech", "US", "business", "2024-09-12T09:30:00.000Z", "2025-02-20T12:12:12.512Z", true, false},
	{"org_59615233401772106", "Umbrella Health GmbH", "umbrella-health", "EU", "enterprise", "2024-09-18T07:45:19.904Z", "2025-06-01T09:00:37.640Z", true, true},
	{"org_59615247719038022", "Stark Logistics", "stark-logistics", "US", "business", "2024-10-01T13:14:15.161Z", "2025-03-03T03:03:03.303Z", false, false},
	{"org_59615261952847313", "Wayne Analytics", "wayne-analytics", "US", "enterprise", "2024-10-08T18:22:47.733Z", "2025-05-14T21:40:09.118Z", true, true},
	{"org_59615276338690149", "Tyrell Biotech", "tyrell-bio", "US", "business", "2024-10-15T11:11:11.111Z", "2025-01-27T15:33:48.265Z", true, false},
	{"org_59615290117254818", "Nordwind Energie AG", "nordwind", "EU", "enterprise", "2024-10-22T06:58:02.548Z", "2025-05-02T10:27:55.812Z", true, true},
	{"org_59615304602145977", "Cyberdyne Robotics", "cyberdyne", "US", "startup", "2024-11-04T16:40:33.019Z", "2025-02-09T08:15:26.480Z", false, false},
	{"org_59615318940017530", "Soylent Foods", "soylent", "US", "startup", "2024-11-12T12:00:00.000Z", "2024-12-24T18:30:00.000Z", true, false},
	{"org_59615333287401664", "Massive Dynamic", "massive-dynamic", "US", "enterprise", "2024-11-20T09:09:09.909Z", "2025-06-10T11:47:22.356Z", true, true},
	{"org_59615347658820305", "Lumière Studios SARL", "lumiere", "EU", "business", "2024-12-03T14:35:50.287Z", "2025-03-18T07:22:41.993Z", true, false},
	{"org_59615361904736742", "Hooli", "hooli", "US", "enterprise", "2024-12-10T20:20:20.202Z", "2025-05-25T13:05:17.624Z", true, true},
	{"org_59615376213558189", "Pied Piper", "pied-piper", "US", "startup", "2025-01-07T08:08:08.808Z", "2025-04-30T19:58:36.171Z", false, false},
	{"org_59615390541307856", "Vandelay Import Export", "vandelay", "US", "business", "2025-01-15T15:15:15.515Z", "2025-02-28T10:10:10.110Z", true, false},
	{"org_59615404882918417", "Oceanic Airlines", "oceanic", "US", "enterprise", "2025-01-29T04:08:15.162Z", "2025-06-05T23:42:16.815Z", true, true},
	{"org_59615419213350768", "Bluth Company", "bluth", "US", "startup", "2025-02-11T17:30:45.450Z", "2025-03-01T09:14:27.736Z", false, false},
	{"org_59615433550912239", "Helvetia Bank SA", "helvetia-bank", "EU", "enterprise", "2025-02-24T10:45:00.000Z", "2025-06-12T14:20:05.909Z", true, true},
	{"org_59615447879361500", "Dunder Mifflin Paper", "dunder-mifflin", "US", "business", "2025-03-10T13:00:00.000Z", "2025-05-19T16:16:16.616Z", true, false},
	{"org_59615462208144371", "Aperture Labs", "aperture", "US", "enterprise", "2025-03-24T11:22:33.445Z", "2025-06-08T05:55:55.555Z", true, true},
	{"org_59615476536020642", "Krusty Krab Holdings", "krusty-krab", "US", "startup", "2025-04-07T09:30:30.303Z", "2025-04-07T09:30:30.303Z", false, false},
	{"org_59615490864993933", "Norrsken Mobility AB", "norrsken", "EU", "business", "2025-04-21T08:48:12.731Z", "2025-05-28T12:03:59.402Z", true, false},
	{"org_59615505193772814", "Gringotts Ledger", "gringotts", "EU", "enterprise", "2025-05-05T15:27:06.094Z", "2025-06-13T10:01:44.287Z", true, true},
}

// buildOrganizations is the fixture in creation order, the order the
// list endpoint pages through; each Server starts its store from it.
func buildOrganizations() []organization {
	out := make([]organization, len(orgRows))
	for i, row := range orgRows {
		out[i] = organization{
			ID: row.id, CreateTime: row.created, UpdateTime: row.updated, DisplayName: row.name,
			RegionCode: row.region, ExternalID: row.external, Metadata: map[string]string{"plan": row.plan},
			Settings: orgSettings{Features: []orgFeature{{Name: "sso", Enabled: row.sso}, {Name: "dir_sync", Enabled: row.dirSync}}},
		}
	}
	return out
}

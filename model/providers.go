package model

// Names the sample catalogue and the sandbox share, so a sample always
// finds its resource in the sandbox.
const (
	SandboxIncidentID  = "inc_2kX9vQ7mTa"        // a Scaling incident
	SandboxOrgID       = "org_59615193906282635" // a Scalekit organization
	SandboxLiveProject = "street-signs-live"     // a Scale project that exists in live mode only

	// Scalekit single sign-on on the sandbox: the demo user the explorer
	// and `authscope login` sign in as with one key (sent as login_hint,
	// it signs in at once, no login page), its organization's domain and
	// SSO connection.
	SandboxSSOUser         = "ada@acme.example"
	SandboxSSODomain       = "acme.example"
	SandboxSSOConnectionID = "conn_59615193906282636"
)

// Providers is the table. Order is the picker's order.
var Providers = []Provider{
	{
		ID:          "scaling",
		Name:        "Scaling",
		Scheme:      SchemeBearer,
		Docs:        "https://docs.scaling.cloud",
		SandboxPath: "/scaling",
		ErrorShape:  "scaling",
		Fields: []Field{{
			ID: "key", Label: "API key", EnvVar: "SCALING_API_KEY", Flag: "key", Secret: true,
			Hint:   "scl_live_ + 32 letters or digits",
			Format: KeyFormat{Prefixes: []string{"scl_live_"}, BodyLen: 32, Charset: CharsetAlnum},
		}},
		Environments: []Environment{
			{ID: "sandbox", Label: "Sandbox", Sandbox: true, Note: "offline, built in"},
			{ID: "production", Label: "Production", BaseURL: "https://api.scaling.cloud"},
		},
		Demos: []Demo{{Label: "demo key", Values: map[string]string{"key": "scl_live_0123456789abcdef0123456789abcdef"}}},
		Samples: []Sample{
			{Name: "incidents", Title: "List incidents", Method: "GET", Path: "/v1/incidents?limit=10", Expect: 200,
				Explain: "Newest incidents first, wrapped in {\"data\":{\"incidents\":[…],\"nextCursor\":…}}."},
			{Name: "incident", Title: "One incident", Method: "GET", Path: "/v1/incidents/" + SandboxIncidentID, Expect: 200,
				Explain: "A single incident by id, wrapped in {\"data\":…}."},
			{Name: "schedules", Title: "On-call schedules", Method: "GET", Path: "/v1/oncall/schedules", Expect: 200,
				Explain: "Other lists come back as {\"data\":[…]}."},
			{Name: "no-header", Title: "What if: no Authorization header", Method: "GET", Path: "/v1/incidents?limit=10",
				WhatIf: WhatIfNoHeader, Expect: 401, Explain: "Scaling answers 401 missing_authorization_header."},
			{Name: "wrong-scheme", Title: "What if: the key without \"Bearer \"", Method: "GET", Path: "/v1/incidents?limit=10",
				WhatIf: WhatIfWrongScheme, Expect: 401, Explain: "A header that does not start with \"Bearer \" counts as missing."},
			{Name: "wrong-key", Title: "What if: a wrong key", Method: "GET", Path: "/v1/incidents?limit=10",
				WhatIf: WhatIfWrongKey, Expect: 401, Explain: "A well-formed key Scaling does not know: 401 invalid_api_key."},
			{Name: "not-found", Title: "What if: an unknown incident", Method: "GET", Path: "/v1/incidents/inc_doesnotexist",
				WhatIf: WhatIfNotFound, Expect: 404, Explain: "404 invalid_request_error / not_found."},
			{Name: "bad-limit", Title: "What if: limit=500", Method: "GET", Path: "/v1/incidents?limit=500",
				WhatIf: WhatIfInvalidParam, Expect: 422, Explain: "limit must be 1–100: 422 validation_error."},
			{Name: "rate-limit", Title: "What if: rate limited", Method: "GET", Path: "/v1/incidents?limit=10",
				WhatIf: WhatIfRateLimit, Expect: 429, SandboxOnly: true, Explain: "429 with Retry-After; clients wait that long and retry."},
		},
	},
	{
		ID:            "scalekit",
		Name:          "Scalekit",
		Scheme:        SchemeOAuth2,
		Docs:          "https://docs.scalekit.com/apis",
		SandboxPath:   "/scalekit",
		ErrorShape:    "grpc-gateway",
		EnvURLVar:     "SCALEKIT_ENVIRONMENT_URL",
		TokenPath:     "/oauth/token",
		JWKSPath:      "/keys",
		DiscoveryPath: "/.well-known/openid-configuration",
		Fields: []Field{
			{ID: "client_id", Label: "Client ID", EnvVar: "SCALEKIT_CLIENT_ID", Flag: "client-id",
				Hint: "skc_… from API Config", Format: KeyFormat{Prefixes: []string{"skc_"}}},
			{ID: "client_secret", Label: "Client secret", EnvVar: "SCALEKIT_CLIENT_SECRET", Flag: "client-secret", Secret: true,
				Hint: "shown once in API Config"},
		},
		Environments: []Environment{
			{ID: "sandbox", Label: "Sandbox", Sandbox: true, Note: "offline, built in"},
			{ID: "development", Label: "Development", BaseURL: "https://{subdomain}.scalekit.dev", Param: ParamSubdomain},
			{ID: "production", Label: "Production", BaseURL: "https://{subdomain}.scalekit.com", Param: ParamSubdomain},
			{ID: "custom", Label: "Custom domain", Param: ParamURL, Note: "any https URL, e.g. https://auth.yourapp.com"},
		},
		Demos: []Demo{{Label: "demo client", Values: map[string]string{"client_id": "skc_sandbox_client", "client_secret": "sandbox_client_secret"}}},
		Samples: []Sample{
			{Name: "organizations", Title: "List organizations", Method: "GET", Path: "/api/v1/organizations?page_size=10", Expect: 200,
				Explain: "organizations, next_page_token, prev_page_token, total_size."},
			{Name: "organization", Title: "One organization", Method: "GET", Path: "/api/v1/organizations/" + SandboxOrgID, Expect: 200,
				Explain: "An organization by id (org_…)."},
			{Name: "no-header", Title: "What if: no Authorization header", Method: "GET", Path: "/api/v1/organizations?page_size=10",
				WhatIf: WhatIfNoHeader, Expect: 401, Explain: "grpc-gateway status code 16 UNAUTHENTICATED, \"Token empty\"."},
			{Name: "wrong-scheme", Title: "What if: the token without \"Bearer \"", Method: "GET", Path: "/api/v1/organizations?page_size=10",
				WhatIf: WhatIfWrongScheme, Expect: 401, Explain: "Without the Bearer scheme the gateway finds no token."},
			{Name: "wrong-key", Title: "What if: a wrong client secret", Method: "GET", Path: "/api/v1/organizations?page_size=10",
				WhatIf: WhatIfWrongKey, Expect: 401, Explain: "The token request fails: RFC 6749 invalid_client."},
			{Name: "bad-signature", Title: "What if: a tampered token", Method: "GET", Path: "/api/v1/organizations?page_size=10",
				WhatIf: WhatIfBadSignature, Expect: 401, Explain: "A token whose signature does not verify: code 16."},
			{Name: "expired-token", Title: "What if: an expired token", Method: "GET", Path: "/api/v1/organizations?page_size=10",
				WhatIf: WhatIfExpiredToken, Expect: 401, SandboxOnly: true, Explain: "A token past its exp: code 16; fetch a new one."},
			{Name: "not-found", Title: "What if: an unknown organization", Method: "GET", Path: "/api/v1/organizations/org_doesnotexist",
				WhatIf: WhatIfNotFound, Expect: 404, Explain: "code 5 NOT_FOUND, HTTP 404."},
			{Name: "bad-page-token", Title: "What if: an invalid page token", Method: "GET", Path: "/api/v1/organizations?page_size=10&page_token=not-a-token",
				WhatIf: WhatIfInvalidParam, Expect: 400, Explain: "code 3 INVALID_ARGUMENT, HTTP 400."},
		},
	},
	{
		ID:          "scale",
		Name:        "Scale AI",
		Scheme:      SchemeBasic,
		Docs:        "https://docs.scale.com/reference/authentication",
		SandboxPath: "/scale",
		ErrorShape:  "scale",
		Fields: []Field{{
			ID: "key", Label: "API key", EnvVar: "SCALE_API_KEY", Flag: "key", Secret: true,
			Hint: "live_ or test_ + 32 lowercase hex",
			Format: KeyFormat{Prefixes: []string{"live_", "test_"}, BodyLen: 32, Charset: CharsetHexLower,
				Exceptions: []string{"live_ScaleRocks"}},
		}},
		Environments: []Environment{
			{ID: "sandbox", Label: "Sandbox", Sandbox: true, Note: "offline, built in; live and test data kept apart"},
			{ID: "live", Label: "Live", BaseURL: "https://api.scale.com", KeyMode: "live", Costly: true,
				Note: "done by people, charged"},
			{ID: "test", Label: "Test", BaseURL: "https://api.scale.com", KeyMode: "test", Note: "not done by people, not charged"},
		},
		Demos: []Demo{
			{Label: "docs' key", Values: map[string]string{"key": "live_ScaleRocks"}},
			{Label: "live key", Values: map[string]string{"key": "live_0123456789abcdef0123456789abcdef"}},
			{Label: "test key", Values: map[string]string{"key": "test_0123456789abcdef0123456789abcdef"}},
		},
		Samples: []Sample{
			{Name: "projects", Title: "List projects", Method: "GET", Path: "/v1/projects", Expect: 200,
				Explain: "A bare JSON array of projects in this key's mode."},
			{Name: "tasks", Title: "List tasks", Method: "GET", Path: "/v1/tasks?limit=10", Expect: 200,
				Explain: "{\"docs\":[…],\"total\",\"limit\",\"offset\",\"has_more\",\"next_token\"}."},
			{Name: "create-project", Title: "Create a project", Method: "POST", Path: "/v1/projects", Expect: 200,
				Body:    `{"type":"imageannotation","name":"authscope-demo","params":{"instruction":"Draw a box around each car."}}`,
				Explain: "Creates answer 200, not 201. In live mode this is work people do, and it is charged."},
			{Name: "no-header", Title: "What if: no Authorization header", Method: "GET", Path: "/v1/projects",
				WhatIf: WhatIfNoHeader, Expect: 401, Explain: "Scale answers 401 {\"status_code\":401,\"error\":…}."},
			{Name: "wrong-scheme", Title: "What if: Bearer instead of Basic", Method: "GET", Path: "/v1/projects",
				WhatIf: WhatIfWrongScheme, Expect: 401, Explain: "Scale expects HTTP Basic with the key as user name."},
			{Name: "wrong-key", Title: "What if: a wrong key", Method: "GET", Path: "/v1/projects",
				WhatIf: WhatIfWrongKey, Expect: 401, Explain: "A well-formed key Scale does not know."},
			{Name: "not-found", Title: "What if: an unknown project", Method: "GET", Path: "/v1/projects/no-such-project",
				WhatIf: WhatIfNotFound, Expect: 404, Explain: "404 in Scale's error shape."},
			{Name: "test-key-live", Title: "What if: a test key asks for a live project", Method: "GET", Path: "/v1/projects/" + SandboxLiveProject,
				WhatIf: WhatIfTestKeyOnLive, Expect: 404, Explain: "Live and test are separate: a test key never sees live projects."},
		},
	},
}

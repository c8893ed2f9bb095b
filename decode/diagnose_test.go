package decode

import (
	"strconv"
	"strings"
	"testing"

	"github.com/authscope/authscope/model"
)

func TestDiagnose(t *testing.T) {
	const (
		missingHeader = `{"statusCode":401,"type":"not_authorized_error","code":"missing_authorization_header","requestId":"r"}`
		invalidKey    = `{"statusCode":401,"type":"not_authorized_error","code":"invalid_api_key","requestId":"r"}`
		invalidClient = `{"error":"invalid_client","error_description":"bad"}`
		scale401      = `{"status_code":401,"error":"Invalid API key."}`
		scale404      = `{"status_code":404,"error":"Project not found"}`
	)
	grpc := func(code int, msg string) string {
		return `{"code":` + strconv.Itoa(code) + `,"message":"` + msg + `","details":[]}`
	}
	cases := []struct {
		name  string
		input string
		sent  Sent
		want  string // substring of LikelyCause
		not   string // must not appear
	}{
		{"invalid_client after client_secret_post", invalidClient, Sent{ClientAuth: "post"},
			"the client secret is wrong, or the server wants HTTP Basic client auth: check the secret or try --client-auth basic", ""},
		{"invalid_client, client auth unknown", invalidClient, Sent{}, "try --client-auth basic", ""},
		{"invalid_client after HTTP Basic", invalidClient, Sent{ClientAuth: "basic"}, "try --client-auth post", ""},
		{"unsupported_grant_type", `{"error":"unsupported_grant_type"}`, Sent{ClientAuth: "post"}, "form-encoded", ""},

		{"missing header while a Basic header was sent", missingHeader, Sent{Provider: "scaling", AuthScheme: "Basic"},
			`the Authorization header does not start with "Bearer " — the scheme word is missing or wrong`, ""},
		{"missing header, lower-case bearer", missingHeader, Sent{AuthScheme: "bearer"}, `starts with "bearer"`, ""},
		{"missing header, key pasted without a scheme", missingHeader, Sent{AuthScheme: "scl_live_0123456789abcdef0123456789abcdef"},
			"not a scheme word", "scl_live_0123"},
		{"missing header, Bearer was sent", missingHeader, Sent{AuthScheme: "Bearer"}, "proxy or a redirect dropped it", ""},
		{"missing header, none sent (what-if)", missingHeader, Sent{WhatIf: model.WhatIfNoHeader}, "no Authorization header was sent", ""},
		{"missing header, request unknown", missingHeader, Sent{}, `no Authorization header was sent, or it did not start with "Bearer "`, ""},
		{"invalid key", invalidKey, Sent{AuthScheme: "Bearer"}, "key is wrong", ""},

		{"grpc 16 Token empty", grpc(16, "Token empty"), Sent{}, `Scalekit found no token: none was sent, or not as "Bearer <token>"`, ""},
		{"grpc 16 Token empty after Basic", grpc(16, "Token empty"), Sent{AuthScheme: "Basic"}, `not a Bearer token (it starts with "Basic")`, ""},
		{"grpc 16 expired", grpc(16, "Token expired"), Sent{}, "expired", ""},
		{"grpc 16 expired what-if", grpc(16, "Token invalid"), Sent{WhatIf: model.WhatIfExpiredToken}, "expired", ""},
		{"grpc 16 bad signature", grpc(16, "Token invalid: signature"), Sent{}, "not signed by this environment", ""},
		{"grpc 16 issuer", grpc(16, "Token invalid: issuer"), Sent{}, "another environment", ""},

		{"Scale 401 while Bearer was sent", scale401, Sent{AuthScheme: "Bearer"}, "Scale expects HTTP Basic", ""},
		{"Scale 401 with Basic", scale401, Sent{AuthScheme: "Basic"}, "trailing colon", ""},
		{"Scale 401 unknown request, invalid key", scale401, Sent{}, "Scale does not know the key", ""},
		{"Scale 401 unknown request, no credentials", `{"status_code":401,"error":"Please provide your API key"}`, Sent{}, "HTTP Basic", ""},
		{"Scale test key against live project", scale404, Sent{WhatIf: model.WhatIfTestKeyOnLive}, "test key cannot see live projects", ""},
		{"Scale test key mode", scale404, Sent{KeyMode: "test"}, "test key cannot see live projects", ""},

		{"Bearer challenge without error", "HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer realm=\"x\"\n\n", Sent{}, "no credentials", ""},
		{"Bearer challenge expired", "HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer error=\"invalid_token\", error_description=\"token expired\"\n\n", Sent{}, "expired", ""},
		{"Bearer challenge scope", "HTTP/1.1 403 Forbidden\nWWW-Authenticate: Bearer error=\"insufficient_scope\"\n\n", Sent{}, "lacks the scope", ""},

		{"429 with Retry-After", "HTTP/1.1 429 Too Many Requests\nRetry-After: 30\n\n{\"statusCode\":429,\"type\":\"rate_limit_error\",\"code\":\"rate_limited\",\"requestId\":\"r\"}",
			Sent{}, "wait 30s (Retry-After)", ""},
		{"grpc RESOURCE_EXHAUSTED", grpc(8, "Too many requests"), Sent{}, "rate limited", ""},
		{"HTML 401 page", "HTTP/1.1 401 Unauthorized\nContent-Type: text/html\n\n<html><title>401</title></html>", Sent{}, "HTML page answered", ""},
		{"500", "HTTP/1.1 500 Internal Server Error\n\noops", Sent{}, "server's side", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := Bytes([]byte(c.input), c.sent.Provider)
			Diagnose(&d, c.sent)
			if !strings.Contains(d.LikelyCause, c.want) {
				t.Fatalf("likely cause %q, want it to contain %q (shape %s, code %s)", d.LikelyCause, c.want, d.Shape, d.Code)
			}
			if c.not != "" && strings.Contains(d.LikelyCause, c.not) {
				t.Fatalf("likely cause %q repeats %q", d.LikelyCause, c.not)
			}
			if strings.Contains(d.LikelyCause, "\n") {
				t.Fatal("likely cause spans lines")
			}
		})
	}
}

func TestDiagnoseNilAndSuccess(t *testing.T) {
	Diagnose(nil, Sent{}) // must not panic
	d := Decode(Input{Status: 200, Body: []byte(`{"data":[]}`)})
	Diagnose(&d, Sent{})
	if d.LikelyCause != "" {
		t.Fatalf("a success got a cause: %q", d.LikelyCause)
	}
}

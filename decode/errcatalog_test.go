package decode

import (
	"fmt"
	"strings"
	"testing"
)

// grpc-gateway's runtime.HTTPStatusFromCode, written out here on its own
// so that a typo in the catalogue cannot agree with itself.
var grpcGatewayMapping = []struct {
	code int
	name string
	http int
}{
	{0, "OK", 200}, {1, "CANCELLED", 499}, {2, "UNKNOWN", 500}, {3, "INVALID_ARGUMENT", 400},
	{4, "DEADLINE_EXCEEDED", 504}, {5, "NOT_FOUND", 404}, {6, "ALREADY_EXISTS", 409},
	{7, "PERMISSION_DENIED", 403}, {8, "RESOURCE_EXHAUSTED", 429}, {9, "FAILED_PRECONDITION", 400},
	{10, "ABORTED", 409}, {11, "OUT_OF_RANGE", 400}, {12, "UNIMPLEMENTED", 501}, {13, "INTERNAL", 500},
	{14, "UNAVAILABLE", 503}, {15, "DATA_LOSS", 500}, {16, "UNAUTHENTICATED", 401},
}

func TestGRPCCodesMapLikeGRPCGateway(t *testing.T) {
	if len(grpcCodes) != len(grpcGatewayMapping) {
		t.Fatalf("%d codes in the catalogue, want %d", len(grpcCodes), len(grpcGatewayMapping))
	}
	for _, want := range grpcGatewayMapping {
		t.Run(want.name, func(t *testing.T) {
			// Through the decoder, as a body with no status line: the
			// status must come from the mapping.
			body := fmt.Sprintf(`{"code":%d,"message":"m","details":[]}`, want.code)
			d := Bytes([]byte(body), "")
			if d.Shape != "grpc-gateway" || d.CodeName != want.name || d.Status != want.http {
				t.Fatalf("code %d: shape %q name %q status %d; want %q %d", want.code, d.Shape, d.CodeName, d.Status, want.name, want.http)
			}
			if d.StatusText == "" || d.Meaning == "" || d.Advice == "" {
				t.Errorf("code %d: status text %q, meaning %q, advice %q", want.code, d.StatusText, d.Meaning, d.Advice)
			}
			if n, ok := grpcByName(want.name); !ok || n != want.code {
				t.Errorf("grpcByName(%s) = %d, %v", want.name, n, ok)
			}
			// A response status that disagrees with the mapping is noted.
			other := 418
			d = Decode(Input{Status: other, Body: []byte(body)})
			if d.Status != other || !containsNote(d, fmt.Sprintf("HTTP %d", want.http)) {
				t.Errorf("mismatch not noted: %d %q", d.Status, d.Notes)
			}
		})
	}
	if d := Bytes([]byte(`{"code":17,"message":"m"}`), ""); d.Shape == "grpc-gateway" {
		t.Error("code 17 is not a gRPC code")
	}
}

// Every Scaling type and code DESIGN.md names decodes with its own
// meaning and advice.
func TestScalingCatalogueComplete(t *testing.T) {
	types := []string{"not_authorized_error", "invalid_request_error", "validation_error", "internal_error", "not_authorized", "server_error"}
	codes := []string{"missing_authorization_header", "invalid_api_key", "not_found", "name_conflict"}
	for _, typ := range types {
		d := Bytes([]byte(`{"statusCode":400,"type":"`+typ+`","requestId":"r"}`), "")
		if d.Shape != "scaling" || d.Meaning != scalingTypes[typ].Meaning || d.Advice == "" || len(d.Notes) != 0 {
			t.Errorf("type %s: %+v", typ, d)
		}
	}
	for _, code := range codes {
		d := Bytes([]byte(`{"statusCode":401,"type":"not_authorized_error","code":"`+code+`","requestId":"r"}`), "")
		want := scalingCodes[code]
		if d.Shape != "scaling" || d.Code != code || d.Meaning != want.Meaning || d.Advice != want.Advice || want.Advice == "" {
			t.Errorf("code %s: %+v", code, d)
		}
	}
	d := Bytes([]byte(`{"statusCode":401,"type":"not_authorized_error","code":"made_up","requestId":"r"}`), "")
	if !containsNote(d, `"made_up" is not one Scaling documents`) {
		t.Errorf("unknown code not noted: %q", d.Notes)
	}
}

// Every RFC 6749 §5.2 code decodes as a token error with its meaning.
func TestOAuth2CatalogueComplete(t *testing.T) {
	for _, code := range []string{"invalid_request", "invalid_client", "invalid_grant", "unauthorized_client", "unsupported_grant_type", "invalid_scope"} {
		d := Bytes([]byte(`{"error":"`+code+`"}`), "")
		if d.Shape != "oauth2" || d.Code != code || d.Meaning != oauthErrors[code].Meaning || d.Advice == "" {
			t.Errorf("%s: %+v", code, d)
		}
	}
	// An unknown code still reads as a token error when it has a description.
	d := Bytes([]byte(`{"error":"slow_down","error_description":"wait"}`), "")
	if d.Shape != "oauth2" || !containsNote(d, "not one of RFC 6749") {
		t.Errorf("%+v", d)
	}
}

// Every status Scale's clients map has its meaning.
func TestScaleCatalogueComplete(t *testing.T) {
	for _, status := range []int{400, 401, 402, 404, 409, 429, 500, 503, 504} {
		d := Bytes([]byte(fmt.Sprintf(`{"status_code":%d,"error":"e"}`, status)), "")
		if d.Shape != "scale" || d.Status != status || d.Meaning != scaleStatuses[status].Meaning || d.Advice == "" {
			t.Errorf("%d: %+v", status, d)
		}
	}
}

// The tables hold no empty entries.
func TestCatalogueEntriesFilled(t *testing.T) {
	tables := map[string]map[string]explanation{"scalingTypes": scalingTypes, "scalingCodes": scalingCodes, "oauthErrors": oauthErrors, "bearerErrors": bearerErrors}
	for name, table := range tables {
		for k, e := range table {
			if strings.TrimSpace(e.Meaning) == "" || strings.TrimSpace(e.Advice) == "" {
				t.Errorf("%s[%s] is incomplete", name, k)
			}
		}
	}
	for i, c := range grpcCodes {
		if c.Name == "" || c.HTTP == 0 || c.Meaning == "" || c.Advice == "" {
			t.Errorf("grpcCodes[%d] is incomplete", i)
		}
	}
	for shape := range fieldMeanings {
		if shapeTitles[shape] == "" {
			t.Errorf("shape %s has no title", shape)
		}
	}
}

func TestMeaningOfFoldsNames(t *testing.T) {
	cases := map[string]string{
		"details[0].error_code": "Scalekit's error code",
		"details[2].errorCode":  "Scalekit's error code",
		"details[0].validationErrorInfo.fieldViolations[3].field": "the invalid field",
		"details[0].debug_info.stack_entries[1]":                  "where in the server",
	}
	for path, want := range cases {
		if got := meaningOf("grpc-gateway", path); !strings.Contains(got, want) {
			t.Errorf("%s: %q", path, got)
		}
	}
	if got := meaningOf("problem+json", "balance"); got != problemExtension {
		t.Errorf("extension: %q", got)
	}
	if got := meaningOf("generic-json", "error.request_id"); !strings.Contains(got, "quote it") {
		t.Errorf("generic: %q", got)
	}
}

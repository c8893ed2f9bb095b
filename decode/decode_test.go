package decode

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authscope/authscope/model"
)

// decodeCase is what one error body from the seeds, DESIGN.md or the
// sandbox must decode to. Substring fields check the words that carry the
// meaning, so rewording a sentence does not break the test but losing the
// knowledge does.
type decodeCase struct {
	file       string
	hint       string
	shape      string
	provider   string
	status     int
	code       string
	codeName   string
	message    string // substring of Message
	meaning    string // substring of Meaning
	advice     string // substring of Advice
	requestID  string
	idSource   string
	fieldCount int // at least this many fields, each with a meaning when meaningful is set
	meaningful bool
}

var decodeCases = []decodeCase{
	{file: "scaling_missing_header.json", shape: model.ShapeScaling, provider: "scaling", status: 401,
		code: "missing_authorization_header", meaning: "did not start with \"Bearer \"", advice: "Authorization: Bearer scl_live_",
		requestID: "550e8400-e29b-41d4-a716-446655440000", idSource: "body field requestId", fieldCount: 4, meaningful: true},
	{file: "scaling_invalid_api_key.json", shape: model.ShapeScaling, provider: "scaling", status: 401,
		code: "invalid_api_key", meaning: "does not accept the key", advice: "Settings → API Access",
		requestID: "550e8400-e29b-41d4-a716-446655440000", idSource: "body field requestId", fieldCount: 4, meaningful: true},
	{file: "scaling_not_found.json", shape: model.ShapeScaling, provider: "scaling", status: 404,
		code: "not_found", message: "inc_missing", meaning: "does not exist", advice: "id",
		requestID: "7d1f0c2e-2b8a-4d55-9d0e-5c3f6a1b2c3d", idSource: "body field requestId", fieldCount: 5, meaningful: true},
	{file: "scaling_name_conflict.json", shape: model.ShapeScaling, provider: "scaling", status: 409,
		code: "name_conflict", message: "already exists", meaning: "already exists", advice: "another name",
		requestID: "0b9f3a52-1c44-4e8e-9a71-2f6d5e4c3b2a", idSource: "body field requestId", fieldCount: 5, meaningful: true},
	{file: "scaling_validation.json", shape: model.ShapeScaling, provider: "scaling", status: 422,
		code: "validation_error", message: "limit must be", meaning: "failed validation", advice: "Fix the value",
		requestID: "c0ffee00-0000-4000-8000-000000000422", idSource: "body field requestId", fieldCount: 4, meaningful: true},
	{file: "scaling_internal.json", shape: model.ShapeScaling, provider: "scaling", status: 500,
		code: "internal_error", meaning: "on its side", advice: "Retry",
		requestID: "c0ffee00-0000-4000-8000-000000000500", idSource: "body field requestId", fieldCount: 3, meaningful: true},
	{file: "scaling_alt_not_authorized.json", shape: model.ShapeScaling, provider: "scaling", status: 401,
		code: "not_authorized", meaning: "another name", advice: "Bearer scl_live_",
		requestID: "c0ffee00-0000-4000-8000-000000000401", idSource: "body field requestId"},
	{file: "scaling_alt_server_error.json", shape: model.ShapeScaling, provider: "scaling", status: 500,
		code: "server_error", meaning: "internal_error", advice: "Retry",
		requestID: "c0ffee00-0000-4000-8000-000000000501", idSource: "body field requestId"},
	{file: "scaling_raw.http", shape: model.ShapeScaling, provider: "scaling", status: 401,
		code: "missing_authorization_header", meaning: "Bearer", advice: "Bearer",
		requestID: "550e8400-e29b-41d4-a716-446655440000", idSource: "body field requestId"},
	{file: "scaling_429.http", shape: model.ShapeScaling, provider: "scaling", status: 429,
		code: "rate_limited", meaning: "Too many requests", advice: "Retry-After",
		requestID: "11111111-2222-4333-8444-555555555555", idSource: "body field requestId"},

	{file: "scalekit_token_empty.json", shape: model.ShapeGRPCGateway, provider: "scalekit", status: 401,
		code: "16", codeName: "UNAUTHENTICATED", message: "Token empty", meaning: "did not accept the access token", advice: "Bearer <access_token>",
		fieldCount: 4, meaningful: true},
	{file: "scalekit_error_info_full.json", shape: model.ShapeGRPCGateway, provider: "scalekit", status: 400,
		code: "3", codeName: "INVALID_ARGUMENT", message: "invalid page_size", meaning: "invalid", advice: "page_size (must be between 10 and 100)",
		requestID: "req_8f14e45fceea167a5a36dedd4bea2543", idSource: "body field details[0].request_info.request_id",
		fieldCount: 18, meaningful: true},
	{file: "scalekit_camelcase.json", shape: model.ShapeGRPCGateway, provider: "scalekit", status: 404,
		code: "5", codeName: "NOT_FOUND", message: "organization not found", meaning: "Scalekit environment", advice: "org_",
		requestID: "req_camel_1", idSource: "body field details[0].requestInfo.requestId", fieldCount: 5, meaningful: true},

	{file: "oauth_invalid_client.json", hint: "scalekit", shape: model.ShapeOAuth2, provider: "scalekit",
		code: "invalid_client", message: "client authentication failed", meaning: "client id and secret", advice: "--client-auth basic",
		fieldCount: 2, meaningful: true},
	{file: "oauth_invalid_client.json", shape: model.ShapeOAuth2,
		code: "invalid_client", message: "client authentication failed", meaning: "Client authentication failed", advice: "HTTP Basic client auth"},
	{file: "oauth_invalid_client_basic.http", shape: model.ShapeOAuth2, status: 401,
		code: "invalid_client", meaning: "Client authentication failed", advice: "https://docs.scalekit.com/errors/invalid_client",
		requestID: "3f0c8a9e-token-401", idSource: "header X-Request-Id", fieldCount: 3, meaningful: true},

	{file: "scale_401.json", shape: model.ShapeScale, provider: "scale", status: 401,
		message: "valid API key", meaning: "HTTP Basic", advice: "trailing colon", fieldCount: 2, meaningful: true},
	{file: "scale_404_test_key.json", hint: "scale", shape: model.ShapeScale, provider: "scale", status: 404,
		message: "kitten_labeling", meaning: "Live and test data are separate", advice: "same mode"},

	{file: "problem.json", shape: model.ShapeProblem, status: 403,
		code: "https://example.com/probs/out-of-credit", message: "balance is 30", meaning: "Forbidden", advice: "https://example.com/probs/out-of-credit",
		requestID: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", idSource: "body field traceId", fieldCount: 9, meaningful: true},
	{file: "generic_nested.json", shape: model.ShapeGenericJSON,
		code: "rate_limited", message: "Too many requests",
		requestID: "req-generic-42", idSource: "body field meta.request_id", fieldCount: 3},

	{file: "bearer_no_credentials.http", shape: model.ShapeBearerChallenge, status: 401,
		meaning: "carried none", advice: "Authorization: Bearer"},
	{file: "bearer_invalid_token.http", shape: model.ShapeBearerChallenge, status: 401,
		code: "invalid_token", message: "The access token expired", meaning: "expired", advice: "fresh access token",
		requestID: "9b2c3d4e-amzn", idSource: "header X-Amzn-Requestid", fieldCount: 3, meaningful: true},
	{file: "html_401.http", shape: model.ShapeHTML, status: 401,
		message: "401 Authorization Required", meaning: "HTML page", advice: "base URL"},
	{file: "text_401.txt", shape: model.ShapeText,
		message: "Unauthorized: missing or bad credentials"},
}

func TestDecodeKnownBodies(t *testing.T) {
	for _, c := range decodeCases {
		t.Run(c.file+"/"+c.hint, func(t *testing.T) {
			input, err := os.ReadFile(filepath.Join("testdata", "decode", c.file))
			if err != nil {
				t.Fatal(err)
			}
			d := Bytes(input, c.hint)
			checkDecoded(t, d, c)
		})
	}
}

func checkDecoded(t *testing.T, d model.DecodedError, c decodeCase) {
	t.Helper()
	if d.Shape != c.shape || !d.Recognised {
		t.Fatalf("shape = %q (recognised %v), want %q; notes %q", d.Shape, d.Recognised, c.shape, d.Notes)
	}
	if d.ShapeTitle == "" {
		t.Error("no shape title")
	}
	if d.Provider != c.provider {
		t.Errorf("provider = %q, want %q", d.Provider, c.provider)
	}
	if d.Status != c.status {
		t.Errorf("status = %d, want %d", d.Status, c.status)
	}
	if d.Code != c.code || d.CodeName != c.codeName {
		t.Errorf("code = %q %q, want %q %q", d.Code, d.CodeName, c.code, c.codeName)
	}
	for _, s := range []struct{ name, got, want string }{
		{"message", d.Message, c.message}, {"meaning", d.Meaning, c.meaning}, {"advice", d.Advice, c.advice},
	} {
		if !strings.Contains(s.got, s.want) {
			t.Errorf("%s = %q, want it to contain %q", s.name, s.got, s.want)
		}
	}
	if d.Meaning == "" || (d.Advice == "" && c.shape != model.ShapeText) {
		t.Errorf("meaning %q / advice %q: both must be filled", d.Meaning, d.Advice)
	}
	if d.RequestID != c.requestID || d.RequestIDSource != c.idSource {
		t.Errorf("request id = %q from %q, want %q from %q", d.RequestID, d.RequestIDSource, c.requestID, c.idSource)
	}
	if len(d.Fields) < c.fieldCount {
		t.Errorf("%d fields, want at least %d: %+v", len(d.Fields), c.fieldCount, d.Fields)
	}
	if c.meaningful {
		for _, f := range d.Fields {
			if f.Meaning == "" {
				t.Errorf("field %s has no meaning", f.Path)
			}
		}
	}
}

// The same raw response must decode the same with CRLF and LF line ends.
func TestDecodeRawResponseLineEnds(t *testing.T) {
	lf, err := os.ReadFile(filepath.Join("testdata", "decode", "scaling_raw.http"))
	if err != nil {
		t.Fatal(err)
	}
	lf = []byte(strings.ReplaceAll(string(lf), "\r\n", "\n"))
	crlf := []byte(strings.ReplaceAll(string(lf), "\n", "\r\n"))
	for name, input := range map[string][]byte{"LF": lf, "CRLF": crlf} {
		t.Run(name, func(t *testing.T) {
			d := Bytes(input, "")
			checkDecoded(t, d, decodeCase{shape: model.ShapeScaling, provider: "scaling", status: 401,
				code: "missing_authorization_header", requestID: "550e8400-e29b-41d4-a716-446655440000", idSource: "body field requestId"})
			if !hasHeaderRow(d, "Content-Type") || !hasHeaderRow(d, "X-Request-Id") {
				t.Errorf("headers not read: %+v", d.Headers)
			}
		})
	}
}

func hasHeaderRow(d model.DecodedError, name string) bool {
	for _, h := range d.Headers {
		if h.Path == name {
			return true
		}
	}
	return false
}

// A status passed in wins; a body that disagrees is noted, not trusted.
func TestDecodeStatusFromResponseWins(t *testing.T) {
	d := Decode(Input{Status: 403, Body: []byte(`{"statusCode":401,"type":"not_authorized_error","code":"invalid_api_key","requestId":"r"}`)})
	if d.Status != 403 || !containsNote(d, "says 401") {
		t.Fatalf("status %d, notes %q", d.Status, d.Notes)
	}
}

// The request id comes from the body first; a different header id is
// mentioned so support can search for both.
func TestDecodeRequestIDBodyBeforeHeader(t *testing.T) {
	h := map[string][]string{"X-Request-Id": {"from-header"}}
	d := Decode(Input{Status: 401, Header: h, Body: []byte(`{"statusCode":401,"type":"not_authorized_error","code":"invalid_api_key","requestId":"from-body"}`)})
	if d.RequestID != "from-body" || d.RequestIDSource != "body field requestId" || !containsNote(d, "from-header") {
		t.Fatalf("got %q from %q, notes %q", d.RequestID, d.RequestIDSource, d.Notes)
	}
	for _, name := range []string{"Request-Id", "X-Amzn-Requestid", "X-Trace-Id"} {
		d := Decode(Input{Status: 500, Header: map[string][]string{name: {"id-" + name}}, Body: []byte("oops")})
		if d.RequestID != "id-"+name || d.RequestIDSource != "header "+name {
			t.Errorf("%s: got %q from %q", name, d.RequestID, d.RequestIDSource)
		}
	}
	d = Decode(Input{Status: 500, Header: map[string][]string{"Traceparent": {"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}}})
	if d.RequestID != "4bf92f3577b34da6a3ce929d0e0e4736" {
		t.Errorf("traceparent: got %q from %q", d.RequestID, d.RequestIDSource)
	}
}

func containsNote(d model.DecodedError, s string) bool {
	for _, n := range d.Notes {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}

// The generic fallback finds message, code and request id under the
// usual names.
func TestDecodeGenericNames(t *testing.T) {
	cases := []struct{ body, message, code, id string }{
		{`{"message":"Unauthorized","code":"AUTH_FAILED","request_id":"a1"}`, "Unauthorized", "AUTH_FAILED", "a1"},
		{`{"msg":"quota exceeded","error_code":42,"requestId":"a2"}`, "quota exceeded", "42", "a2"},
		{`{"error":"Something went wrong badly","traceId":"a3"}`, "Something went wrong badly", "", "a3"},
		{`{"error":"forbidden","detail":"no access to org","correlation_id":"a4"}`, "no access to org", "forbidden", "a4"},
		{`{"errors":[{"message":"field x is required","code":"required"}]}`, "field x is required", "required", ""},
		{`[{"message":"first error","code":"E1"}]`, "first error", "E1", ""},
		{`{"error":{"message":"nested","type":"auth_error","request_id":"a5"}}`, "nested", "auth_error", "a5"},
	}
	for _, c := range cases {
		d := Bytes([]byte(c.body), "")
		if d.Shape != model.ShapeGenericJSON || d.Message != c.message || d.Code != c.code || d.RequestID != c.id {
			t.Errorf("%s: shape %q message %q code %q id %q", c.body, d.Shape, d.Message, d.Code, d.RequestID)
		}
	}
}

// JSON with nothing error-like is reported as unknown, its fields still
// listed.
func TestDecodeJSONWithoutErrorFields(t *testing.T) {
	d := Bytes([]byte(`{"data":{"incidents":[]}}`), "scaling")
	if d.Shape != model.ShapeUnknown || d.Recognised || len(d.Fields) != 1 || d.Meaning == "" {
		t.Fatalf("%+v", d)
	}
}

func TestDecodeEmptyAndBlank(t *testing.T) {
	for _, body := range []string{"", "  \r\n\t "} {
		d := Decode(Input{Status: 401, Body: []byte(body)})
		if d.Shape != model.ShapeEmpty || !d.Recognised || d.Meaning == "" || d.Advice == "" {
			t.Errorf("%q: %+v", body, d)
		}
	}
	d := Bytes(nil, "")
	if d.Shape != model.ShapeEmpty || d.Status != 0 {
		t.Errorf("nil input: %+v", d)
	}
}

// With a provider hint, a bare 401 speaks for that provider.
func TestDecodeProviderHintSharpensStatusAdvice(t *testing.T) {
	d := Decode(Input{Provider: "scale", Status: 401})
	if d.Provider != "scale" || !strings.Contains(d.Meaning, "HTTP Basic") {
		t.Fatalf("%+v", d)
	}
	d = Decode(Input{Provider: "scale", Status: 401, Body: []byte(`{"statusCode":401,"type":"not_authorized_error","code":"invalid_api_key","requestId":"x"}`)})
	if d.Provider != "scaling" || !containsNote(d, "Scaling error, but the provider given was Scale AI") {
		t.Fatalf("mismatch not noted: %+v", d)
	}
	d = Decode(Input{Provider: "nope", Status: 401})
	if !containsNote(d, "not one authscope knows") {
		t.Fatalf("unknown hint not noted: %q", d.Notes)
	}
}

func TestDecodeProblemByContentType(t *testing.T) {
	h := map[string][]string{"Content-Type": {"application/problem+json; charset=utf-8"}}
	d := Decode(Input{Status: 429, Header: h, Body: []byte(`{"title":"Slow down"}`)})
	if d.Shape != model.ShapeProblem || d.Message != "Slow down" || !strings.Contains(d.Meaning, "rate limit") {
		t.Fatalf("%+v", d)
	}
}

// A server's escape sequences stay in the decoded text (the renderer
// sanitises), but nothing in the decoder trips over them.
func TestDecodeKeepsHostileTextIntact(t *testing.T) {
	d := Bytes([]byte(`{"message":"\u001b]52;c;aGk=\u0007boom","code":"x"}`), "")
	if d.Shape != model.ShapeGenericJSON || !strings.Contains(d.Message, "boom") {
		t.Fatalf("%+v", d)
	}
	if strings.Contains(model.Sanitize(d.Message), "\x1b") {
		t.Fatal("Sanitize left the escape in")
	}
}

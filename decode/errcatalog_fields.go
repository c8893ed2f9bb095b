package decode

import (
	"strings"
	"sync"
)

// fieldMeanings say what each field of a known shape holds. Paths use []
// for any array index; names match whether the server spells them in
// snake_case (grpc-gateway with proto names) or camelCase (protojson's
// default), because both are normalised by normPath before lookup.
var fieldMeanings = map[string]map[string]string{
	"scaling": {
		"statusCode": "the HTTP status, repeated in the body",
		"type":       "the error family (not_authorized_error, invalid_request_error, validation_error, internal_error)",
		"code":       "the precise error code within the family",
		"requestId":  "Scaling's id for this request: quote it when contacting support",
		"message":    "optional human-readable detail",
	},
	"grpc-gateway": {
		"code":    "the gRPC status code (0–16); grpc-gateway picks the HTTP status from it",
		"message": "the server's message for this error",
		"error":   "the message again (older grpc-gateway versions)",
		"details": "typed error details (google.protobuf.Any), each with an @type",

		"details[].@type":      "which detail message this is (its protobuf type URL)",
		"details[].error_code": "Scalekit's error code, usually the gRPC code name",

		"details[].debug_info":               "debugging information from the server",
		"details[].debug_info.detail":        "extra debugging detail from the server",
		"details[].debug_info.stack_entries": "where in the server the error arose",

		"details[].help_info":                     "links to documentation about this error",
		"details[].help_info.links":               "documentation links",
		"details[].help_info.links[].description": "what the link explains",
		"details[].help_info.links[].url":         "a page that explains this error",

		"details[].localized_message_info":         "the message in the user's language",
		"details[].localized_message_info.locale":  "the language of the localized message (BCP 47)",
		"details[].localized_message_info.message": "a message safe to show to end users",

		"details[].resource_info":                      "the resource the error concerns",
		"details[].resource_info.resource_type":        "the kind of resource (organization, connection, …)",
		"details[].resource_info.resource_name":        "the resource's name or id",
		"details[].resource_info.owner":                "who owns the resource",
		"details[].resource_info.description":          "what went wrong accessing the resource",
		"details[].resource_info.required_permissions": "permissions needed to access the resource",
		"details[].resource_info.user":                 "the user the access was checked for",

		"details[].request_info":              "metadata about this request for support",
		"details[].request_info.request_id":   "the server's id for this request: quote it to support",
		"details[].request_info.serving_data": "opaque data for the provider's support team",

		"details[].validation_error_info":                                "which request fields were invalid",
		"details[].validation_error_info.field_violations":               "one entry per invalid field",
		"details[].validation_error_info.field_violations[].field":       "the invalid field",
		"details[].validation_error_info.field_violations[].description": "why the field is invalid",
		"details[].validation_error_info.field_violations[].constraint":  "the rule the field broke",

		"details[].tool_error_info":                    "an error from a connected tool",
		"details[].tool_error_info.execution_id":       "the tool execution's id",
		"details[].tool_error_info.tool_error_message": "the tool's error message",
		"details[].tool_error_info.tool_error_code":    "the tool's error code",

		// google.rpc standard details, which other grpc-gateway APIs send.
		"details[].reason":                         "a short, constant reason for the error (google.rpc.ErrorInfo)",
		"details[].domain":                         "the service that produced the error",
		"details[].metadata":                       "extra key–value context about the error",
		"details[].request_id":                     "the server's id for this request: quote it to support",
		"details[].serving_data":                   "opaque data for the provider's support team",
		"details[].retry_delay":                    "how long to wait before retrying",
		"details[].field_violations":               "one entry per invalid field",
		"details[].field_violations[].field":       "the invalid field",
		"details[].field_violations[].description": "why the field is invalid",
		"details[].links":                          "documentation links",
		"details[].links[].url":                    "a page that explains this error",
		"details[].links[].description":            "what the link explains",
		"details[].locale":                         "the language of the localized message",
		"details[].message":                        "a localized message safe to show to end users",
		"details[].stack_entries":                  "where in the server the error arose",
		"details[].detail":                         "extra debugging detail from the server",
	},
	"oauth2": {
		"error":             "the RFC 6749 §5.2 error code",
		"error_description": "human-readable detail from the authorization server",
		"error_uri":         "a page that explains the error",
	},
	"problem+json": {
		"type":     "a URI naming the problem type (about:blank: nothing beyond the HTTP status)",
		"title":    "a short summary of the problem type",
		"status":   "the HTTP status, repeated in the body",
		"detail":   "an explanation specific to this occurrence",
		"instance": "a URI identifying this occurrence",
	},
	"scale": {
		"status_code": "the HTTP status, repeated in the body",
		"error":       "Scale's message for this error",
	},
}

// genericFieldMeanings cover the usual names any JSON error uses, by the
// field's own (normalised) name.
var genericFieldMeanings = map[string]string{
	"message":           "the human-readable message",
	"msg":               "the human-readable message",
	"error":             "the error (a code or a message)",
	"errors":            "a list of errors",
	"error_message":     "the human-readable message",
	"error_description": "human-readable detail",
	"detail":            "an explanation of this error",
	"details":           "more detail about the error",
	"description":       "a description of the error",
	"title":             "a short summary",
	"reason":            "why the request failed",
	"code":              "a machine-readable error code",
	"error_code":        "a machine-readable error code",
	"type":              "the error type",
	"status":            "the HTTP status (or a status word)",
	"status_code":       "the HTTP status, repeated in the body",
	"http_status":       "the HTTP status, repeated in the body",
	"request_id":        "the server's id for this request: quote it to support",
	"x_request_id":      "the server's id for this request: quote it to support",
	"trace_id":          "a trace id: quote it to support",
	"correlation_id":    "a correlation id: quote it to support",
	"timestamp":         "when the error happened",
	"path":              "the path that was requested",
	"documentation_url": "a page that explains this error",
	"help":              "help about this error",
}

// problemExtension is the meaning of a problem+json member RFC 9457 does
// not define.
const problemExtension = "an extension member defined by this problem type"

// normKey folds a JSON member name so that error_code, errorCode and
// ErrorCode compare equal.
func normKey(k string) string {
	k = strings.ToLower(k)
	if strings.ContainsAny(k, "_-") {
		k = strings.NewReplacer("_", "", "-", "").Replace(k)
	}
	return k
}

// normPath folds every member name of a display path and turns array
// indices into [].
func normPath(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); {
		switch {
		case p[i] == '[':
			j := strings.IndexByte(p[i:], ']')
			if j < 0 {
				b.WriteString(p[i:])
				return b.String()
			}
			b.WriteString("[]")
			i += j + 1
		case p[i] == '.':
			b.WriteByte('.')
			i++
		default:
			j := i
			for j < len(p) && p[j] != '.' && p[j] != '[' {
				j++
			}
			b.WriteString(normKey(p[i:j]))
			i = j
		}
	}
	return b.String()
}

// normalisedMeanings are fieldMeanings and genericFieldMeanings with their
// keys folded, once, on the first decode: not at start-up, where every
// millisecond delays the explorer's first frame.
var normalisedMeanings = sync.OnceValues(func() (map[string]map[string]string, map[string]string) {
	shapes := make(map[string]map[string]string, len(fieldMeanings))
	for shape, m := range fieldMeanings {
		n := make(map[string]string, len(m))
		for k, v := range m {
			n[normPath(k)] = v
		}
		shapes[shape] = n
	}
	generic := make(map[string]string, len(genericFieldMeanings))
	for k, v := range genericFieldMeanings {
		generic[normKey(k)] = v
	}
	return shapes, generic
})

// meaningOf finds what a field means in a shape: the shape's own table
// first, then the usual names by the field's last segment.
func meaningOf(shape, path string) string {
	np := strings.TrimSuffix(normPath(path), "[]") // an item means what its list means
	for strings.HasSuffix(np, "[]") {
		np = strings.TrimSuffix(np, "[]")
	}
	fields, generic := normalisedMeanings()
	if m, ok := fields[shape][np]; ok {
		return m
	}
	last := np
	if i := strings.LastIndexAny(last, ".]"); i >= 0 {
		last = last[i+1:]
	}
	if m, ok := generic[last]; ok {
		return m
	}
	if shape == "problem+json" && !strings.ContainsAny(np, ".[") {
		return problemExtension
	}
	return ""
}

// headerMeanings explain the response headers worth a line, in the order
// they are listed.
var headerMeanings = []struct{ Name, Meaning string }{
	{"WWW-Authenticate", "the authentication scheme the server wants, and why it refused (RFC 9110 §11.6.1)"},
	{"Retry-After", "how long to wait before retrying (seconds, or a date)"},
	{"X-RateLimit-Limit", "requests allowed per window"},
	{"X-RateLimit-Remaining", "requests left in the current window"},
	{"X-RateLimit-Reset", "when the window resets (seconds or a Unix time)"},
	{"RateLimit-Limit", "requests allowed per window"},
	{"RateLimit-Remaining", "requests left in the current window"},
	{"RateLimit-Reset", "seconds until the window resets"},
	{"RateLimit", "the rate-limit state (IETF draft syntax)"},
	{"RateLimit-Policy", "the rate-limit policy (IETF draft syntax)"},
	{"X-Request-Id", "the server's id for this request: quote it to support"},
	{"Request-Id", "the server's id for this request: quote it to support"},
	{"X-Amzn-Requestid", "AWS API Gateway's id for this request"},
	{"X-Amz-Request-Id", "AWS's id for this request"},
	{"X-Trace-Id", "a trace id: quote it to support"},
	{"X-Correlation-Id", "a correlation id: quote it to support"},
	{"Traceparent", "W3C trace context: version-traceid-parentid-flags"},
	{"Content-Type", "the format of the body"},
	{"Content-Encoding", "how the body is compressed"},
	{"Cache-Control", "caching rules (token responses must be no-store)"},
	{"Location", "where the resource is, or where to go instead"},
	{"Grpc-Status", "the gRPC status code, as a header"},
	{"Grpc-Message", "the gRPC status message, as a header"},
}

// requestIDHeaders are checked in order when the body names no request id.
var requestIDHeaders = []string{
	"X-Request-Id", "Request-Id", "X-Amzn-Requestid", "X-Amz-Request-Id",
	"X-Trace-Id", "X-Correlation-Id", "X-Cloud-Trace-Context", "Traceparent", "Cf-Ray",
}

// requestIDKeys are body member names (normalised) that hold a request id,
// best first.
var requestIDKeys = []string{"requestid", "xrequestid", "traceid", "correlationid"}

// Usual names, best first, the generic fallback searches (paths, folded
// by normPath before comparing).
var (
	messagePaths = []string{"message", "msg", "error.message", "error_description", "detail", "error_message",
		"errors[0].message", "errors[0].detail", "error.msg", "description", "title", "reason"}
	codePaths = []string{"code", "error_code", "error.code", "error.type", "errors[0].code", "type"}
)

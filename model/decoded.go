package model

// DecodedError is what the decoder makes of an error response: which
// shape it recognised, every field with its meaning, what the error means
// for this provider, what to do, and the request id to quote to support.
type DecodedError struct {
	Shape      string // see the Shape… constants
	ShapeTitle string // "Scaling error", "grpc-gateway status", …
	Provider   string // provider id the shape belongs to, when known
	Recognised bool   // false: reported as unknown input, never a crash

	Status     int    // HTTP status, when known (raw response or a status field)
	StatusText string // "Unauthorized"
	Code       string // the main machine-readable code (invalid_api_key, 16, invalid_client)
	CodeName   string // a name for a numeric code (UNAUTHENTICATED)
	Message    string // the human message, when the body has one

	Fields []FieldMeaning // every field of the body, in order, with its meaning

	Meaning string // what the error means, for this provider
	Advice  string // what to do about it

	RequestID       string
	RequestIDSource string // "body field requestId", "header X-Request-Id"

	Headers     []FieldMeaning // response headers worth explaining (WWW-Authenticate, Retry-After, …)
	LikelyCause string         // one line, filled by Diagnose when the request is known
	Notes       []string       // anything else worth saying (truncated input, invalid UTF-8, …)
}

// FieldMeaning is one field of an error body.
type FieldMeaning struct {
	Path    string // JSON path, e.g. details[0].error_code
	Value   string // as text, sanitised by the renderer
	Meaning string
}

// Shapes the decoder recognises.
const (
	ShapeScaling         = "scaling"          // {"statusCode","type","code","requestId"}
	ShapeGRPCGateway     = "grpc-gateway"     // {"code":16,"message","details":[…]}
	ShapeOAuth2          = "oauth2"           // RFC 6749 §5.2 {"error","error_description"}
	ShapeBearerChallenge = "bearer-challenge" // RFC 6750 WWW-Authenticate
	ShapeProblem         = "problem+json"     // RFC 9457
	ShapeScale           = "scale"            // {"status_code","error"}
	ShapeGenericJSON     = "generic-json"     // any JSON with a message, code or request id
	ShapeHTML            = "html"             // an HTML error page
	ShapeText            = "text"             // plain text
	ShapeEmpty           = "empty"            // no body
	ShapeUnknown         = "unknown"          // nothing recognisable
)

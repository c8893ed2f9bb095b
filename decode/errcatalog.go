package decode

// The decoder's knowledge lives here as data: what each documented error
// code means and what to do about it. Adding a code is adding a row; the
// decoding logic never switches on code names.

// explanation is what one code or status means, and the fix.
type explanation struct {
	Meaning string
	Advice  string
}

// shapeTitles name each shape the way a person would.
var shapeTitles = map[string]string{
	"scaling":          "Scaling API error",
	"grpc-gateway":     "Scalekit API error (grpc-gateway status)",
	"oauth2":           "OAuth 2.0 token error (RFC 6749 §5.2)",
	"bearer-challenge": "Bearer challenge (RFC 6750 WWW-Authenticate)",
	"problem+json":     "Problem details (RFC 9457)",
	"scale":            "Scale AI API error",
	"generic-json":     "JSON error (no known provider shape)",
	"html":             "HTML page",
	"text":             "Plain text",
	"empty":            "Empty body",
	"unknown":          "Unknown input",
}

const scalingKeyAdvice = "Copy the key again from the Scaling dashboard, Settings → API Access (the full value is shown only once), or generate a new one there; check it has no stray spaces and was not cut short. Rotate it at once if it may have leaked."

// scalingTypes are Scaling's error types, with the alternate names one of
// its pages uses (not_authorized, server_error).
var scalingTypes = map[string]explanation{
	"not_authorized_error": {
		Meaning: "Scaling did not authenticate the request: the API key is missing, not sent as Bearer, or not accepted.",
		Advice:  "Send Authorization: Bearer scl_live_… with a key from Settings → API Access.",
	},
	"not_authorized": {
		Meaning: "Scaling did not authenticate the request (not_authorized is another name Scaling's pages use for not_authorized_error).",
		Advice:  "Send Authorization: Bearer scl_live_… with a key from Settings → API Access.",
	},
	"invalid_request_error": {
		Meaning: "The request itself is wrong: a bad parameter (400), an unknown resource (404) or a name already taken (409).",
		Advice:  "Check the path, the ids and the parameters against the API reference; the code field says which case it is.",
	},
	"validation_error": {
		Meaning: "A parameter or body field failed validation (422), e.g. limit outside 1–100 or a malformed date.",
		Advice:  "Fix the value the message names and send again; retrying unchanged will fail the same way.",
	},
	"internal_error": {
		Meaning: "Scaling failed on its side (500); your credentials and request may be fine.",
		Advice:  "Retry after a short wait (with backoff); if it persists, contact Scaling support with the requestId.",
	},
	"server_error": {
		Meaning: "Scaling failed on its side (server_error is another name Scaling's pages use for internal_error).",
		Advice:  "Retry after a short wait (with backoff); if it persists, contact Scaling support with the requestId.",
	},
	"rate_limit_error": {
		Meaning: "Too many requests in a short time (429).",
		Advice:  "Wait the number of seconds in Retry-After, then retry; Scaling's clients do exactly this.",
	},
}

// scalingCodes are Scaling's error codes.
var scalingCodes = map[string]explanation{
	"missing_authorization_header": {
		Meaning: "No usable Authorization header reached Scaling: it was absent, or it did not start with \"Bearer \" (Scaling treats both the same).",
		Advice:  "Send Authorization: Bearer scl_live_… — the word Bearer, one space, then the key. If you did, check that no proxy or redirect strips the header.",
	},
	"invalid_api_key": {
		Meaning: "A Bearer header arrived, but Scaling does not accept the key: it is wrong, revoked, expired, truncated or from another organisation.",
		Advice:  scalingKeyAdvice,
	},
	"not_found": {
		Meaning: "The resource does not exist, or your organisation cannot see it (404).",
		Advice:  "Check the id and the path; list the collection (e.g. GET /v1/incidents) to find the right id.",
	},
	"name_conflict": {
		Meaning: "A resource with that name already exists (409).",
		Advice:  "Choose another name, or update the existing resource instead of creating a new one.",
	},
	// Not in Scaling's published list, but what 422, 405 and 429 answers
	// carry (authscope's sandbox answers with them too).
	"invalid_parameter": {
		Meaning: "A query parameter or body field has a value Scaling refuses (e.g. limit outside 1–100, an unknown status or severity).",
		Advice:  "Fix the parameter the message names and send again.",
	},
	"method_not_allowed": {
		Meaning: "This path does not accept that HTTP method (405).",
		Advice:  "Use the method the API reference gives for the path (the Allow header lists them).",
	},
	"rate_limited": {
		Meaning: "Too many requests in a short time (429).",
		Advice:  "Wait the number of seconds in Retry-After, then retry.",
	},
}

// grpcCode is one gRPC status code with the HTTP status grpc-gateway
// answers with (runtime.HTTPStatusFromCode).
type grpcCode struct {
	Name string
	HTTP int
	explanation
}

// grpcCodes is indexed by the numeric code, 0–16.
var grpcCodes = [...]grpcCode{
	0:  {"OK", 200, explanation{"Not an error: the call succeeded.", "Nothing to fix."}},
	1:  {"CANCELLED", 499, explanation{"The call was cancelled, usually by the caller (client closed the request).", "Check client-side timeouts and cancellation; retry if the cancel was not intended."}},
	2:  {"UNKNOWN", 500, explanation{"An error the server could not classify.", "Retry once; if it persists, report it with the request id."}},
	3:  {"INVALID_ARGUMENT", 400, explanation{"A parameter is invalid regardless of server state (a malformed id, a page_size out of range).", "Fix the parameter the message names; the field violations list each one."}},
	4:  {"DEADLINE_EXCEEDED", 504, explanation{"The server did not finish before the deadline.", "Retry with backoff; a longer --timeout helps only if the server is slow, not stuck."}},
	5:  {"NOT_FOUND", 404, explanation{"The resource does not exist in this environment.", "Check the id and that you are calling the environment (development or production) it lives in."}},
	6:  {"ALREADY_EXISTS", 409, explanation{"The resource you tried to create already exists.", "Fetch or update the existing resource instead of creating it again."}},
	7:  {"PERMISSION_DENIED", 403, explanation{"The caller is authenticated but not allowed to do this.", "Use credentials with the needed permission, or ask an admin to grant it."}},
	8:  {"RESOURCE_EXHAUSTED", 429, explanation{"A quota or rate limit was hit.", "Slow down and retry after a pause (honour Retry-After when present)."}},
	9:  {"FAILED_PRECONDITION", 400, explanation{"The system is not in a state that allows this call (e.g. a resource must be enabled first).", "Fix the state the message names, then retry; retrying unchanged will fail again."}},
	10: {"ABORTED", 409, explanation{"The call was aborted, typically by a concurrency conflict.", "Retry the whole read-modify-write sequence."}},
	11: {"OUT_OF_RANGE", 400, explanation{"A value is past the valid range (e.g. a page past the end).", "Stay within the range the message gives."}},
	12: {"UNIMPLEMENTED", 501, explanation{"The method is not implemented or not enabled on this server.", "Check the path and the HTTP method; the endpoint may not exist in this API version."}},
	13: {"INTERNAL", 500, explanation{"An internal error on the server.", "Retry with backoff; if it persists, report it with the request id."}},
	14: {"UNAVAILABLE", 503, explanation{"The service is temporarily unavailable.", "Retry with backoff."}},
	15: {"DATA_LOSS", 500, explanation{"Unrecoverable data loss or corruption on the server.", "Report it to the provider with the request id."}},
	16: {"UNAUTHENTICATED", 401, explanation{"The request has no valid credentials: no access token, not sent as Bearer, expired, or not issued by this environment.", "Fetch an access token (POST {env}/oauth/token) and send Authorization: Bearer <access_token>."}},
}

// grpcByName finds a code from its name (ErrorInfo.error_code carries one).
func grpcByName(name string) (int, bool) {
	for i, c := range grpcCodes {
		if c.Name == name {
			return i, true
		}
	}
	return 0, false
}

// grpcOverlay adds what Scalekit-specific knowledge says about a code.
var grpcOverlay = map[string]map[int]explanation{
	"scalekit": {
		16: {
			Meaning: "Scalekit did not accept the access token: none was sent, it was not sent as Bearer, it expired (tokens last 24 hours), or another environment issued it.",
			Advice:  "Get a token from POST {env}/oauth/token with your client id and secret (dashboard → API Config) and send Authorization: Bearer <access_token> to the same environment.",
		},
		5: {
			Meaning: "The resource does not exist in this Scalekit environment (development and production are separate; resources cannot move between them).",
			Advice:  "Check the id (org_…, conn_…) and that the environment URL is the one the resource was created in.",
		},
	},
}

// oauthErrors are RFC 6749 §5.2 token error codes, plus the few other
// codes token endpoints are seen to use.
var oauthErrors = map[string]explanation{
	"invalid_request": {
		Meaning: "The token request is malformed: a required parameter is missing, repeated or unsupported.",
		Advice:  "Send a form-encoded body (Content-Type: application/x-www-form-urlencoded) with grant_type=client_credentials, client_id and client_secret, each once.",
	},
	"invalid_client": {
		Meaning: "Client authentication failed: unknown client, wrong secret, or a client-authentication method the server does not accept.",
		Advice:  "Copy the client id and secret again for this environment; if they are right, switch between client_secret_post and HTTP Basic client auth (--client-auth basic).",
	},
	"invalid_grant": {
		Meaning: "The grant is invalid, expired or revoked, or was issued to another client.",
		Advice:  "For client credentials, check the client is enabled and belongs to this environment; otherwise restart the flow to get a fresh grant.",
	},
	"unauthorized_client": {
		Meaning: "This client is not allowed to use this grant type.",
		Advice:  "Enable the client_credentials grant for the client, or use a client (API credentials) that has it.",
	},
	"unsupported_grant_type": {
		Meaning: "The server does not support the grant_type that was sent.",
		Advice:  "Send grant_type=client_credentials in a form-encoded body (a JSON body hides it from many servers).",
	},
	"invalid_scope": {
		Meaning: "The requested scope is invalid, unknown, malformed, or wider than the client may have.",
		Advice:  "Drop the scope parameter (Scalekit's SDKs send none) or ask only for scopes granted to the client.",
	},
	"access_denied": {
		Meaning: "The resource owner or the server denied the request (RFC 6749 §4.1.2.1).",
		Advice:  "Check the client's permissions on the provider's dashboard.",
	},
	"server_error": {
		Meaning: "The authorization server failed on its side.",
		Advice:  "Retry after a short wait; report it with the request id if it persists.",
	},
	"temporarily_unavailable": {
		Meaning: "The authorization server is overloaded or down for maintenance.",
		Advice:  "Retry after a pause.",
	},
}

// oauthOverlay holds provider-specific advice for token errors.
var oauthOverlay = map[string]map[string]explanation{
	"scalekit": {
		"invalid_client": {
			Meaning: "Scalekit did not accept the client id and secret for this environment.",
			Advice:  "Copy the client id (skc_…) and secret again from the Scalekit dashboard, API Config, for this environment (development and production have different credentials); if they are right, try HTTP Basic client auth (--client-auth basic).",
		},
	},
}

// bearerErrors are the RFC 6750 §3.1 error codes of a Bearer challenge.
var bearerErrors = map[string]explanation{
	"invalid_request": {
		Meaning: "The request is malformed: a missing or repeated parameter, or the token sent in more than one way (400).",
		Advice:  "Send the token once, in the Authorization header only: Authorization: Bearer <token>.",
	},
	"invalid_token": {
		Meaning: "The access token is expired, revoked, malformed or invalid for other reasons (401).",
		Advice:  "Get a fresh access token and send it again; the error_description usually says which case it is.",
	},
	"insufficient_scope": {
		Meaning: "The token is valid but does not carry the scope this request needs (403).",
		Advice:  "Get a token with the scope named in the challenge's scope parameter.",
	},
}

// noCredentialsChallenge explains a Bearer challenge with no error code:
// RFC 6750 §3.1 says a server should not give one when the request had no
// credentials at all.
var noCredentialsChallenge = explanation{
	Meaning: "The server wants a Bearer token and the request carried none (RFC 6750: no error code is given when no credentials were sent).",
	Advice:  "Send Authorization: Bearer <token>.",
}

// basicChallenge explains a Basic challenge.
var basicChallenge = explanation{
	Meaning: "The server wants HTTP Basic credentials (RFC 7617) and did not get acceptable ones.",
	Advice:  "Send Authorization: Basic base64(user-id:password); for Scale AI the user-id is the API key and the password is empty.",
}

// scaleStatuses are what Scale AI's clients make of each status.
var scaleStatuses = map[int]explanation{
	400: {"Invalid request: a parameter is missing or wrong.", "Fix the parameter the error message names."},
	401: {"Unauthorized: Scale did not accept the credentials. Scale uses HTTP Basic with the API key as the user name and an empty password.", "Send Authorization: Basic base64(\"<key>:\") — note the trailing colon — with a key from the Scale dashboard (API Key in the profile menu)."},
	402: {"Not enabled: the account is not enabled for this feature or has no payment method.", "Ask your Scale account team to enable it, or add billing in the dashboard."},
	404: {"Not found: the resource does not exist in this mode. Live and test data are separate: a test_ key never sees live projects and tasks.", "Check the id, and use a key of the same mode (live_ or test_) the resource was created with."},
	409: {"Duplicate: a resource with this unique id or name already exists.", "Use another unique_id or name, or fetch the existing resource."},
	429: {"Too many requests: you hit Scale's rate limit.", "Wait and retry with backoff."},
	500: {"Internal error on Scale's side.", "Retry later; contact Scale support if it persists."},
	503: {"Scale is temporarily unavailable.", "Retry with backoff."},
	504: {"Scale timed out answering.", "Retry; for large requests, page through results with a smaller limit."},
}

// httpStatuses are what a status means when no shape says more.
var httpStatuses = map[int]explanation{
	400: {"Bad request: the server could not accept the request as sent.", "Check the parameters and the body against the API reference."},
	401: {"Unauthorized: the request carried no credentials, or the server did not accept them.", "Check the Authorization header: the scheme (Basic or Bearer) and the credential."},
	402: {"Payment required: the account or feature needs billing.", "Check the account's plan and billing."},
	403: {"Forbidden: the credentials were recognised but may not do this.", "Use credentials with the needed permission."},
	404: {"Not found: the path or the resource does not exist.", "Check the base URL, the path and the id."},
	405: {"Method not allowed on this path.", "Check the HTTP method (GET, POST, …) for this endpoint."},
	406: {"Not acceptable: the server cannot answer in the format asked for.", "Send Accept: application/json."},
	408: {"The server timed out waiting for the request.", "Retry."},
	409: {"Conflict: the resource already exists or changed meanwhile.", "Fetch the current state and retry."},
	410: {"Gone: the resource or endpoint was removed.", "Use the replacement the provider documents."},
	413: {"The request body is too large.", "Send less data per request."},
	415: {"Unsupported media type: the body's Content-Type is not accepted.", "Send the Content-Type the endpoint expects (JSON or form-encoded)."},
	422: {"Unprocessable: the request parsed but a value failed validation.", "Fix the value the message names."},
	429: {"Too many requests: a rate limit was hit.", "Wait (honour Retry-After when present) and retry with backoff."},
	500: {"Internal server error: the server failed, not necessarily your request.", "Retry later; report it with the request id if it persists."},
	501: {"Not implemented: the server does not support this.", "Check the path and method."},
	502: {"Bad gateway: a proxy in front of the API got no valid answer.", "Retry later; check the base URL is the API, not a proxy."},
	503: {"Service unavailable.", "Retry with backoff."},
	504: {"Gateway timeout: a proxy gave up waiting for the API.", "Retry later."},
}

// statusOverlay is provider-specific knowledge about a bare status.
var statusOverlay = map[string]map[int]explanation{
	"scaling": {
		429: {"Scaling's rate limit was hit.", "Wait the number of seconds in Retry-After, then retry (Scaling's clients do exactly this)."},
		401: {"Scaling did not authenticate the request.", "Send Authorization: Bearer scl_live_… with a key from Settings → API Access."},
	},
	"scalekit": {
		401: {"Scalekit did not accept the access token, or none was sent.", "Fetch a token from POST {env}/oauth/token and send it as Authorization: Bearer <access_token>."},
		429: {"Scalekit's rate limit was hit: too many requests too quickly.", "Retry after a cool-off period."},
	},
}

// shapeFallbacks explain a shape when neither a code nor the status says
// more (a pasted body with no status line).
var shapeFallbacks = map[string]explanation{
	"generic-json": {
		Meaning: "The server's own error format, not one authscope knows: the message and code above are all it says.",
		Advice:  "Look the code up in the provider's documentation, and quote the request id (if any) to support.",
	},
	"text": {
		Meaning: "A plain-text answer: often a proxy, a load balancer or a framework's default error page rather than the API itself.",
		Advice:  "Check the base URL and path; the first line above is the server's whole message.",
	},
	"html": {
		Meaning: "An HTML page answered, not the API's JSON error.",
		Advice:  "Check the base URL is the API itself, not a website, a login page or a proxy in front of it.",
	},
	"empty": {
		Meaning: "No body: the status line and headers are all there is.",
		Advice:  "Decode the whole response (curl -si) so that the status and headers can be read.",
	},
	"problem+json": {
		Meaning: "A problem details object: the title and detail above say what went wrong.",
		Advice:  "The type URI names the problem; its documentation (if it is a URL) explains the fix.",
	},
}

package decode

import (
	"fmt"
	"strings"

	"github.com/authscope/authscope/model"
)

// Sent is what is known about the request that got the error. The zero
// value means "nothing is known" (a pasted body): causes are then phrased
// so that they hold either way, and claim nothing about a request that
// was not seen. SentOf fills it for a run authscope sent.
type Sent struct {
	Seen          bool         // authscope sent the request (false: only the answer is known, e.g. pasted)
	Front         Front        // where the advice is read: flags (CLI) or keys (explorer)
	PastedScheme  string       // the credential began with a scheme word ("Bearer"): it went out as part of the key
	OtherProvider string       // the credential fits another provider's format: that provider's name
	OddCharacter  string       // an invisible or non-ASCII character in the credential as sent: "U+200B at position 26"
	EnvMode       string       // Scale: the environment's mode ("live", "test"); "" otherwise
	Provider      string       // provider id
	AuthScheme    string       // first word of the Authorization header sent: "Bearer", "Basic", "" for none, or whatever word was there
	ClientAuth    string       // token requests: "post" (client_secret_post) or "basic"
	WhatIf        model.WhatIf // the deliberate mistake the sample made, if any
	KeyMode       string       // Scale: "live" or "test", from the key's prefix; "" unknown
}

// Diagnose fills d.LikelyCause with one line naming the most likely cause
// of the error, given what was sent. The first rule that has something to
// say wins; rules are ordered from the most specific to the most general.
func Diagnose(d *model.DecodedError, sent Sent) {
	if d == nil {
		return
	}
	if sent.Provider == "" {
		sent.Provider = d.Provider
	}
	for _, rule := range diagnosisRules {
		if cause := rule(d, sent); cause != "" {
			d.LikelyCause = cause
			return
		}
	}
}

// seen reports whether the request is known: SentOf says so, and a
// scheme word, a what-if or a client authentication can only come from a
// request that was seen.
func (s Sent) seen() bool {
	return s.Seen || s.AuthScheme != "" || s.WhatIf != "" || s.ClientAuth != ""
}

// diagnosisRules are tried in order.
var diagnosisRules = []func(d *model.DecodedError, s Sent) string{
	diagnoseTokenError,
	diagnoseFindings,
	diagnoseScaling,
	diagnoseScalekitToken,
	diagnoseScale,
	diagnoseBearerChallenge,
	diagnoseExpired,
	diagnoseRateLimit,
	diagnoseHTMLPage,
	diagnoseByStatus,
}

// tokenErrorCauses: the likely cause of each RFC 6749 error, by the client
// authentication that was used ("" when unknown reads as the default,
// client_secret_post).
// Advice that names a flag or key is written with %[1]s for the action.
var tokenErrorCauses = map[string]map[string]string{
	"invalid_client": {
		"post":  "the client secret is wrong, or the server wants HTTP Basic client auth: check the secret or %[1]s",
		"basic": "the client id or secret is wrong (sent with HTTP Basic client auth): check both, or %[1]s",
	},
	"invalid_request": {
		"post": "a token parameter is missing or repeated: the body must be form-encoded with grant_type, client_id and client_secret, each once",
	},
	"unsupported_grant_type": {
		"post": "the server did not see grant_type=client_credentials: send it form-encoded (a JSON body hides it)",
	},
	"unauthorized_client": {
		"post": "this client may not use the client_credentials grant: use the environment's API client (dashboard → API Config)",
	},
	"invalid_grant": {
		"post": "the grant was refused: the client may be disabled or belong to another environment",
	},
	"invalid_scope": {
		"post": "a scope was asked for that the client does not have: drop the scope parameter",
	},
}

func diagnoseTokenError(d *model.DecodedError, s Sent) string {
	if d.Shape != model.ShapeOAuth2 {
		return ""
	}
	causes := tokenErrorCauses[d.Code]
	cause, ok := causes[s.ClientAuth]
	if !ok {
		cause = causes["post"]
	}
	if !strings.Contains(cause, "%[1]s") {
		return cause
	}
	act := actClientAuthBasic
	if s.ClientAuth == "basic" {
		act = actClientAuthPost
	}
	return fmt.Sprintf(cause, s.say(act))
}

// diagnoseFindings puts first what the pre-send checks found in a
// credential that was refused: they were warned about before sending,
// and they explain the refusal better than anything the server says.
func diagnoseFindings(d *model.DecodedError, s Sent) string {
	if !s.seen() || d.Shape == model.ShapeOAuth2 || (d.Status != 401 && d.Status != 403 && d.Status != 404 && d.CodeName != "UNAUTHENTICATED") {
		return ""
	}
	p, err := model.Lookup(s.Provider)
	if err != nil {
		return ""
	}
	switch {
	case s.PastedScheme != "" && d.Status == 401:
		if strings.EqualFold(s.PastedScheme, s.AuthScheme) {
			return fmt.Sprintf("the key was pasted with its %q prefix, so the header went out as \"%s %s …\": paste only the key (authscope adds the scheme)",
				s.PastedScheme+" ", s.AuthScheme, s.PastedScheme)
		}
		return fmt.Sprintf("the key was pasted with a %q prefix, which went out as part of the key: paste only the key (%s uses %s)",
			s.PastedScheme+" ", p.Name, p.Scheme.Label())
	case s.OtherProvider != "" && d.Status == 401:
		f := p.SecretField()
		return fmt.Sprintf("the key is a %s key, not a %s one: use a %s %s (%s)", s.OtherProvider, p.Name, p.Name, f.Label, f.Hint)
	case s.OddCharacter != "" && d.Status == 401:
		return fmt.Sprintf("the key holds %s, which went out as part of it: copy the key again, or type it, without that character", s.OddCharacter)
	case s.KeyMode == "test" && s.EnvMode == "live":
		return "a test key against live: test keys see only test data, so live projects are not found; use a live_ key, or choose the test environment"
	}
	return ""
}

func diagnoseScaling(d *model.DecodedError, s Sent) string {
	if d.Shape != model.ShapeScaling {
		return ""
	}
	switch d.Code {
	case "missing_authorization_header":
		switch {
		case s.AuthScheme == "Bearer":
			return "a \"Bearer \" header was sent yet Scaling saw none: a proxy or a redirect dropped it (curl drops Authorization when a redirect changes host)"
		case strings.EqualFold(s.AuthScheme, "Bearer"):
			return fmt.Sprintf("the Authorization header starts with %q, not \"Bearer \": write the scheme word exactly", s.AuthScheme)
		case s.AuthScheme != "":
			return fmt.Sprintf("the Authorization header does not start with \"Bearer \" — the scheme word is missing or wrong (%s)", describeScheme(s.AuthScheme))
		case s.WhatIf == model.WhatIfNoHeader:
			return "no Authorization header was sent (the what-if leaves it out on purpose)"
		}
		return "no Authorization header was sent, or it did not start with \"Bearer \""
	case "invalid_api_key":
		if s.seen() && s.AuthScheme == "Bearer" {
			return "the header was well formed but the key is wrong, revoked, expired or cut short: copy it again from Settings → API Access"
		}
		return "Scaling did not accept the key: it is wrong, revoked, expired or cut short; copy it again from Settings → API Access"
	}
	return ""
}

// diagnoseScalekitToken reads a grpc-gateway UNAUTHENTICATED by its
// message, the only place the reason shows.
func diagnoseScalekitToken(d *model.DecodedError, s Sent) string {
	if d.Shape != model.ShapeGRPCGateway || d.CodeName != "UNAUTHENTICATED" {
		return ""
	}
	msg := strings.ToLower(d.Message)
	switch {
	case s.WhatIf == model.WhatIfExpiredToken || strings.Contains(msg, "expired"):
		return "the access token has expired: " + s.say(actNewToken) + "; Scalekit tokens last 24 hours"
	case strings.Contains(msg, "token empty") || strings.Contains(msg, "no token") || strings.Contains(msg, "missing"):
		if s.AuthScheme != "" && !strings.EqualFold(s.AuthScheme, "Bearer") {
			return fmt.Sprintf("no token was found: the Authorization header is not a Bearer token (%s)", describeScheme(s.AuthScheme))
		}
		if !s.seen() {
			return "Scalekit found no token: none was sent, or not as \"Bearer <token>\""
		}
		return "no token was sent (or not as Bearer)"
	case s.WhatIf == model.WhatIfBadSignature || strings.Contains(msg, "signature") || strings.Contains(msg, "verif"):
		return "the token was not signed by this environment: fetch a fresh one from the same environment URL you call"
	case strings.Contains(msg, "issuer"):
		return "another environment issued the token: fetch one from the environment URL you call"
	case strings.Contains(msg, "malformed"):
		return "the token is malformed: send the whole access_token, unchanged, after \"Bearer \""
	case strings.Contains(msg, "not yet valid"):
		return "the token is not valid yet (its nbf is in the future): check this machine's clock"
	}
	return "the access token was not accepted: fetch a fresh one from this environment and send it as Bearer"
}

func diagnoseScale(d *model.DecodedError, s Sent) string {
	if d.Shape != model.ShapeScale && !(s.Provider == "scale" && d.Shape != model.ShapeOAuth2) {
		return ""
	}
	switch d.Status {
	case 401:
		switch {
		case strings.EqualFold(s.AuthScheme, "Bearer"):
			return "Scale expects HTTP Basic (the key as user name, empty password), not Bearer"
		case strings.EqualFold(s.AuthScheme, "Basic"):
			return "the key is wrong or revoked, or the encoded value is not \"key:\" (the trailing colon is part of it)"
		case s.AuthScheme != "":
			return fmt.Sprintf("Scale expects HTTP Basic, and the header is not Basic (%s)", describeScheme(s.AuthScheme))
		}
		if strings.Contains(strings.ToLower(d.Message), "invalid") {
			return "Scale does not know the key: it is wrong, revoked, or of the other mode (live_ vs test_)"
		}
		return "no HTTP Basic credentials reached Scale, or they were not accepted: send Authorization: Basic base64(key + \":\")"
	case 404:
		switch {
		case s.WhatIf == model.WhatIfTestKeyOnLive || s.KeyMode == "test":
			return "a test key cannot see live projects (live and test data are separate): use a live key, or create the project in test mode"
		case s.KeyMode == "live":
			return "a live key cannot see test projects: check the id belongs to live mode"
		}
	}
	return ""
}

func diagnoseBearerChallenge(d *model.DecodedError, s Sent) string {
	if d.Shape != model.ShapeBearerChallenge {
		return ""
	}
	switch d.Code {
	case "":
		return "no credentials reached the server (the challenge names no error, as RFC 6750 asks when none were sent)"
	case "invalid_token":
		if strings.Contains(strings.ToLower(d.Message), "expired") {
			return "the access token has expired: fetch a new one"
		}
		return "the token is malformed, revoked or not for this server: fetch a fresh one"
	case "insufficient_scope":
		return "the token is valid but lacks the scope this call needs"
	}
	return ""
}

func diagnoseExpired(d *model.DecodedError, s Sent) string {
	if (d.Status == 401 || d.Status == 0) && (s.WhatIf == model.WhatIfExpiredToken || strings.Contains(strings.ToLower(d.Message), "expired")) {
		return "the credential has expired: get a fresh token or key"
	}
	return ""
}

func diagnoseRateLimit(d *model.DecodedError, s Sent) string {
	if d.Status != 429 && d.CodeName != "RESOURCE_EXHAUSTED" {
		return ""
	}
	if wait, ok := RetryAfter(d); ok {
		return fmt.Sprintf("rate limited: wait %s (Retry-After) and retry", wait)
	}
	return "rate limited: back off and retry"
}

func diagnoseHTMLPage(d *model.DecodedError, s Sent) string {
	if d.Shape != model.ShapeHTML || d.Status < 400 {
		return ""
	}
	return "an HTML page answered, not the API: the base URL may point at a website, a login page or a proxy"
}

// statusCauses are the last resort: what a status alone suggests.
var statusCauses = map[int]string{
	401: "the credentials were missing or not accepted",
	403: "the credentials were accepted but may not do this",
	404: "the path or the id is wrong, or the resource is in another environment",
	500: "a failure on the server's side, not your credentials: retry later and quote the request id",
	502: "a proxy in front of the API got no answer: retry later",
	503: "the service is unavailable for now: retry later",
	504: "the API timed out: retry later",
}

func diagnoseByStatus(d *model.DecodedError, s Sent) string {
	return statusCauses[d.Status]
}

// knownSchemes are scheme words safe to repeat back; anything else in
// first position might be the credential itself, pasted without a scheme.
var knownSchemes = []string{"Bearer", "Basic", "Token", "Digest", "ApiKey", "Api-Key", "Key", "JWT", "OAuth", "Negotiate", "NTLM", "HOBA", "Mutual", "AWS4-HMAC-SHA256"}

// describeScheme names the scheme word that was sent without ever
// echoing a secret.
func describeScheme(word string) string {
	for _, k := range knownSchemes {
		if strings.EqualFold(word, k) {
			return fmt.Sprintf("it starts with %q", word)
		}
	}
	return "it starts with something that is not a scheme word, maybe the key itself"
}

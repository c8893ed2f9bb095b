package authschemes

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/authscope/authscope/model"
)

// Exchange is one client-credentials round trip as the sender saw it.
type Exchange struct {
	Request      model.HTTPRequest
	RawResponse  string // status line, headers and body as received (untrusted)
	Status       int
	Token        *Token
	TokenError   *TokenError
	JWT          *JWT
	Verification *Verification
}

// ExchangeSteps explains an exchange in order: form body → raw request →
// raw response → parsed token (or the §5.2 error) → JWT header and claims →
// JWKS check → header. The access token is marked secret wherever it
// appears, including inside the raw response.
func ExchangeSteps(x Exchange) []model.Step {
	var steps []model.Step
	bodyWhy := "client_secret_post: the client id and secret travel form-encoded in the body, as Scalekit's SDKs send them (RFC 6749 §2.3.1)."
	if _, basic := x.Request.Header("Authorization"); basic {
		bodyWhy = "client_secret_basic: the body carries only the grant type; id and secret went as HTTP Basic (RFC 6749 §2.3.1)."
	}
	steps = append(steps,
		model.Step{Title: "Form body", Output: x.Request.Body, Explain: bodyWhy},
		model.Step{Title: "Token request", Input: x.Request.Body, Output: x.Request.Raw(),
			Explain: "A form-encoded POST to " + x.Request.URL + "."})

	var secrets []string
	if x.Token != nil {
		secrets = append(secrets, x.Token.AccessToken)
	}
	steps = append(steps, model.Step{Title: "Raw response", Output: markSecrets(model.Sanitize(x.RawResponse), secrets...),
		Explain: responseWhy(x)})

	if te := x.TokenError; te != nil {
		steps = append(steps, model.Step{Title: "Token error", Output: model.Plain(model.Sanitize(tokenErrorText(te))),
			Explain: tokenErrorMeaning(te.Code)})
		return steps
	}
	tok := x.Token
	if tok == nil {
		return steps
	}
	steps = append(steps, model.Step{Title: "Parsed token", Output: tokenText(tok),
		Explain: "RFC 6749 §5.1: the access token, its type and lifetime; the expiry counts from when the response arrived."})
	if j := x.JWT; j != nil {
		steps = append(steps,
			model.Step{Title: "JWT header", Output: model.Plain(claimLines(j.Header)),
				Explain: "The access token is a JWT: its header and claims are base64url JSON that anyone can read; only the signature makes them trustworthy."},
			model.Step{Title: "JWT claims", Output: model.Plain(claimLines(j.Claims)),
				Explain: "What the token asserts: who issued it, for whom, and until when."})
	}
	if v := x.Verification; v != nil {
		steps = append(steps, model.Step{Title: "JWKS check", Output: model.Plain(model.Sanitize(verificationText(*v))),
			Explain: "The signature is checked with the issuer's published key (its JWKS), as the API will check it."})
	}
	header := BearerHeader(tok.AccessToken)
	steps = append(steps, model.Step{Title: "Authorization header", Input: model.SecretText(tok.AccessToken), Output: authorization(header),
		Explain: "The access token goes out as a Bearer token until it expires; then the exchange runs again."})
	return steps
}

func responseWhy(x Exchange) string {
	switch {
	case x.Token != nil:
		return fmt.Sprintf("HTTP %d with a JSON token; Cache-Control: no-store because the body holds a credential.", x.Status)
	case x.TokenError != nil:
		return fmt.Sprintf("HTTP %d with an RFC 6749 §5.2 error object.", x.Status)
	}
	return fmt.Sprintf("HTTP %d, which is neither a token nor an RFC 6749 error.", x.Status)
}

func tokenText(t *Token) model.Text {
	lines := []string{"token_type: " + t.TokenType}
	if exp := t.ExpiresAt(); !exp.IsZero() {
		lines = append(lines, fmt.Sprintf("expires_in: %d s (at %s)", t.ExpiresIn, exp.UTC().Format(time.RFC3339)))
	}
	if t.Scope != "" {
		lines = append(lines, "scope: "+t.Scope)
	}
	names := make([]string, 0, len(t.Extra))
	for k := range t.Extra {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		lines = append(lines, k+": "+string(t.Extra[k]))
	}
	return model.Concat(model.Plain("access_token: "), model.SecretText(t.AccessToken),
		model.Plain("\n"+model.Sanitize(strings.Join(lines, "\n"))))
}

func claimLines(claims []Claim) string {
	var b strings.Builder
	for i, c := range claims {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(c.Name + ": " + c.Value)
		if c.Time != nil {
			b.WriteString(" (" + c.Time.UTC().Format(time.RFC3339) + ")")
		}
		if c.Meaning != "" {
			b.WriteString(" — " + c.Meaning)
		}
	}
	return model.Sanitize(b.String())
}

func verificationText(v Verification) string {
	key := ""
	if v.KeyID != "" {
		key = " with key " + v.KeyID
	}
	if v.Valid {
		return fmt.Sprintf("signature valid (%s%s), not expired, issuer matches", v.Alg, key)
	}
	if v.Err != nil {
		return "not verified" + key + ": " + v.Err.Error()
	}
	return "not verified" + key
}

func tokenErrorText(te *TokenError) string {
	s := fmt.Sprintf("HTTP %d error=%s", te.Status, te.Code)
	if te.Description != "" {
		s += "\nerror_description=" + te.Description
	}
	if te.URI != "" {
		s += "\nerror_uri=" + te.URI
	}
	return s
}

// tokenErrorMeaning is RFC 6749 §5.2 in one sentence per code.
func tokenErrorMeaning(code string) string {
	switch code {
	case "invalid_client":
		return "The client id or secret was not accepted: check the secret (it is shown once in API Config), or try HTTP Basic client authentication."
	case "invalid_request":
		return "A required form field is missing or repeated: the body needs grant_type, client_id and client_secret."
	case "invalid_grant":
		return "The grant is invalid or expired."
	case "unauthorized_client":
		return "This client may not use the client-credentials grant."
	case "unsupported_grant_type":
		return "The server does not support this grant_type; it must be client_credentials."
	case "invalid_scope":
		return "The requested scope is unknown or not allowed; the SDKs send no scope."
	}
	return "An error code RFC 6749 §5.2 does not name; read error_description."
}

// markSecrets splits s around each secret so renderers can mask them.
func markSecrets(s string, secrets ...string) model.Text {
	out := model.Plain(s)
	for _, secret := range secrets {
		if secret == "" {
			continue
		}
		var next model.Text
		for _, seg := range out {
			if seg.Secret || !strings.Contains(seg.Text, secret) {
				next = append(next, seg)
				continue
			}
			parts := strings.Split(seg.Text, secret)
			for i, p := range parts {
				if i > 0 {
					next = append(next, model.Segment{Text: secret, Secret: true})
				}
				if p != "" {
					next = append(next, model.Segment{Text: p})
				}
			}
		}
		out = next
	}
	return out
}

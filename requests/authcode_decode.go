package requests

import (
	"errors"
	"html"
	"strings"

	"github.com/authscope/authscope/authschemes"
	"github.com/authscope/authscope/decode"
	"github.com/authscope/authscope/model"
)

// The SSO flow's failures, decoded for the inspector and the command
// line like any other error: meaning, fix, request id.

// DecodeGrant decodes a refused code exchange or refresh and puts the
// binding that failed (redirect URI, verifier, a spent code or refresh
// token) in its meaning, fix and likely cause.
func DecodeGrant(res *Result, providerID, grant string, auth authschemes.ClientAuth, front decode.Front) model.DecodedError {
	d := decode.Decode(decode.Input{Provider: providerID, Status: res.Status, Header: res.Header, Body: res.Body})
	decode.Diagnose(&d, decode.Sent{Seen: true, Front: front, Provider: providerID, ClientAuth: string(auth)})
	if d.Shape == model.ShapeOAuth2 && d.Code != "" {
		meaning, fix := authschemes.GrantErrorFix(grant, d.Code, d.Message)
		if fix != "" {
			d.Meaning, d.Advice, d.LikelyCause = meaning, fix, fix
			if d.Message != "" {
				d.LikelyCause = "the server says: " + d.Message
			}
		}
	}
	return d
}

// DecodeCallback turns a refused callback (error=access_denied, a
// state that is not ours, no code) into a decoded error. The request id
// is the authorization response's when authscope made that request
// itself (the sandbox's no-browser sign-in).
func DecodeCallback(err error, cb authschemes.Callback, authorize *Result) (model.DecodedError, bool) {
	var ce *authschemes.CallbackError
	if !errors.As(err, &ce) {
		return model.DecodedError{}, false
	}
	d := model.DecodedError{Shape: model.ShapeOAuth2, ShapeTitle: "OAuth2 authorization error (RFC 6749 §4.1.2.1), on the callback", Recognised: true,
		Meaning: ce.Meaning, Advice: ce.Fix, LikelyCause: ce.Fix}
	if cb.ErrorDescription != "" && ce.Kind == "error" {
		d.LikelyCause = "the server says: " + cb.ErrorDescription
	}
	switch ce.Kind {
	case "error":
		d.Code, d.Message = ce.Code, ce.Description
	case "state":
		d.Code, d.Message = "state_mismatch", ce.Description
		d.ShapeTitle = "callback refused by authscope (state check, RFC 6749 §10.12)"
	default:
		d.Code, d.Message = "no_code", ce.Error()
	}
	add := func(path, value, meaning string) {
		if value != "" {
			d.Fields = append(d.Fields, model.FieldMeaning{Path: path, Value: value, Meaning: meaning})
		}
	}
	add("error", cb.Error, "the RFC 6749 §4.1.2.1 error code")
	add("error_description", cb.ErrorDescription, "the server's words")
	add("error_uri", cb.ErrorURI, "a page about the error")
	add("state", cb.State, "must equal the state this sign-in sent")
	add("iss", cb.Issuer, "who answered (RFC 9207)")
	if authorize != nil {
		if id := authorize.RequestID(); id != "" {
			d.RequestID, d.RequestIDSource = id, "header X-Request-Id of the authorization response"
		}
	}
	return d, true
}

// DecodeAuthorize decodes an authorization endpoint's error page (a bad
// redirect_uri or client_id: a page, never a redirect).
func DecodeAuthorize(err error, providerID string) (model.DecodedError, bool) {
	var ae *AuthorizeError
	if !errors.As(err, &ae) || ae.Result == nil || ae.Result.Status < 400 {
		return model.DecodedError{}, false
	}
	res := ae.Result
	d := decode.Decode(decode.Input{Provider: providerID, Status: res.Status, Header: res.Header, Body: res.Body})
	if d.Meaning == "" || d.Shape == model.ShapeHTML || d.Shape == model.ShapeText {
		d.Meaning = "The authorization endpoint refused the request with an error page; RFC 6749 §4.1.2.1 has it never redirect when the redirect_uri or client_id is bad, so the code cannot go astray."
	}
	if d.Advice == "" || d.Shape == model.ShapeHTML || d.Shape == model.ShapeText {
		d.Advice = "Check the client id is this environment's and the redirect_uri is registered: http://127.0.0.1 on any port (RFC 8252 §7.3) or an https URL."
	}
	d.LikelyCause = ae.Reason
	if text := pageText(res.Body); text != "" {
		d.LikelyCause = "the page says: " + text
		d.Fields = append(d.Fields, model.FieldMeaning{Path: "(page text)", Value: text, Meaning: "what the error page says"})
	}
	return d, true
}

var paragraph = model.LazyRegexp(`(?is)<p[^>]*>(.*?)</p>`)
var tag = model.LazyRegexp(`(?s)<[^>]*>`)

// pageText is the text of an error page's paragraphs, one line, short.
func pageText(body []byte) string {
	if len(body) > 64<<10 {
		body = body[:64<<10]
	}
	var parts []string
	for _, m := range paragraph().FindAllSubmatch(body, 4) {
		t := strings.Join(strings.Fields(html.UnescapeString(tag().ReplaceAllString(string(m[1]), " "))), " ")
		if t != "" {
			parts = append(parts, t)
		}
	}
	out := model.Sanitize(strings.Join(parts, " "))
	if r := []rune(out); len(r) > 300 {
		out = string(r[:299]) + "…"
	}
	return out
}

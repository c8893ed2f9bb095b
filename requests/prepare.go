package requests

import (
	"errors"
	"fmt"

	"github.com/authscope/authscope/authschemes"
	"github.com/authscope/authscope/model"
)

// ErrNoToken is Prepare for an OAuth2 provider without a token.
var ErrNoToken = errors.New("no access token yet: run the token exchange first")

// Prepare builds the request for a catalogue sample with its what-if
// applied. token is the access token for an OAuth2 provider (ignored
// otherwise); the header is built by authschemes, so what is shown is what
// is sent. The result carries secrets marked, never in clear text.
func Prepare(t model.Target, s model.Sample, token string) (model.HTTPRequest, error) {
	if err := CheckSample(t, s); err != nil {
		return model.HTTPRequest{}, err
	}
	staged, err := Staged(t, s)
	if err != nil {
		return model.HTTPRequest{}, err
	}
	req := model.HTTPRequest{Method: s.Method, URL: staged.BaseURL + s.Path}
	if req.Method == "" {
		req.Method = "GET"
	}
	if s.Body != "" {
		req.Body = model.Plain(s.Body)
	}
	auth, err := authorization(staged, s, token)
	if err != nil {
		return model.HTTPRequest{}, err
	}
	if auth != nil {
		req = req.WithHeader("Authorization", auth)
	}
	for _, h := range SampleHeaders(s) {
		req = req.WithHeader(h.Name, h.Value)
	}
	return req, nil
}

// Staged is the target with the credentials the sample sends: the
// outgoing (trimmed) credential, with the secret altered for wrong-key and
// a test key for test-key-live. Run the authschemes steps (or the
// exchange) on it to show how its header is made.
func Staged(t model.Target, s model.Sample) (model.Target, error) {
	out := NewOutgoing(t, "").Target
	creds, err := StagedCreds(out, s)
	if err != nil {
		return t, err
	}
	out.Creds = creds
	return out, nil
}

// authorization is the Authorization value for the sample, nil for none.
func authorization(t model.Target, s model.Sample, token string) (model.Text, error) {
	p := t.Provider
	mode := ModeFor(p, s)
	if mode == AuthNone {
		return nil, nil
	}
	credential := t.Creds[p.SecretField().ID]
	if p.Scheme == model.SchemeOAuth2 {
		if token == "" {
			return nil, ErrNoToken
		}
		if s.WhatIf == model.WhatIfBadSignature {
			tampered, err := TamperSignature(token)
			if err != nil {
				return nil, err
			}
			token = tampered
		}
		credential = token
	}
	switch {
	case mode == AuthBare:
		return model.SecretText(credential), nil
	case mode == AuthBearer && p.Scheme != model.SchemeBearer:
		// A token, or a Basic provider's key sent as a Bearer token.
		return authschemes.BearerHeader(credential).Value, nil
	}
	res, err := authschemes.Build(p, t.Env, authschemes.Credentials(t.Creds))
	if err != nil {
		return nil, fmt.Errorf("building the header: %w", err)
	}
	return res.Header.Value, nil
}

// SampleHeaders are the headers a sample sends besides Authorization.
func SampleHeaders(s model.Sample) []model.Header {
	var hs []model.Header
	if s.Body != "" {
		hs = append(hs, model.Header{Name: "Content-Type", Value: model.Plain("application/json")})
	}
	if s.WhatIf == model.WhatIfRateLimit {
		hs = append(hs, model.Header{Name: WhatIfHeader, Value: model.Plain(string(model.WhatIfRateLimit))})
	}
	return hs
}

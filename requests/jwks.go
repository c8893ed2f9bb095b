package requests

import (
	"context"
	"errors"
	"fmt"

	"github.com/authscope/authscope/model"
)

// MaxJWKSBody bounds a key set fetched over the network: a real one is a
// few KB.
const MaxJWKSBody = 4 << 20

// FetchJWKS is one unauthenticated GET of a key set through Send, with
// the options' deadline and redirect policy (NoRedirect: a fetch that
// must stay where it was aimed) and the key-set body bound. The token
// exchange, the SSO code exchange and the doctor all fetch through it. A
// *NoAnswerError comes back as it is, for the exit code.
func FetchJWKS(ctx context.Context, u string, opts Options) ([]byte, error) {
	opts.step, opts.MaxBody = StepJWKS, MaxJWKSBody
	req := model.HTTPRequest{Method: "GET", URL: u, Headers: []model.Header{{Name: "Accept", Value: model.Plain("application/json")}}}
	res, err := Send(ctx, req, opts)
	var redirect *RedirectError
	if errors.As(err, &redirect) && redirect.Reason == "token" { // NoRedirect's refusal
		return nil, fmt.Errorf("answered %d, a redirect to %s: not followed (keys are fetched where the issuer is)", redirect.Status, model.Sanitize(redirect.To))
	}
	if err != nil {
		return nil, err
	}
	switch {
	case res.Status >= 300 && res.Status < 400:
		return nil, fmt.Errorf("answered %d, a redirect to %s: not followed (keys are fetched where the issuer is)", res.Status, model.Sanitize(res.Header.Get("Location")))
	case res.Status != 200:
		return nil, fmt.Errorf("answered %s", model.Sanitize(res.StatusText))
	case res.Truncated:
		return nil, fmt.Errorf("answered more than %d MiB: not a JWKS", MaxJWKSBody>>20)
	}
	return res.Body, nil
}

// targetJWKS fetches the target's key set ({base}{JWKSPath}), saying
// which URL failed.
func targetJWKS(ctx context.Context, t model.Target, opts Options) ([]byte, error) {
	u := t.BaseURL + t.Provider.JWKSPath
	body, err := FetchJWKS(ctx, u, opts)
	if err != nil {
		return nil, fmt.Errorf("fetching the JWKS from %s: %w", u, err)
	}
	return body, nil
}

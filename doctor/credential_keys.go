package doctor

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
)

// MaxJWKSBody bounds a JWKS fetched over the network: a real one is a few KB.
const MaxJWKSBody = 4 << 20

// FetchJWKS is one unauthenticated GET of a key set through the sender,
// with its deadline, body bound and redirect policy; stay refuses to
// follow a redirect (a fetch that must stay where it was aimed). A
// *requests.NoAnswerError comes back as is, for the exit code.
func FetchJWKS(ctx context.Context, u string, timeout time.Duration, stay bool) ([]byte, error) {
	res, err := requests.Send(ctx, model.HTTPRequest{Method: "GET", URL: u, Headers: []model.Header{{Name: "Accept", Value: model.Plain("application/json")}}},
		requests.Options{Timeout: timeout, MaxBody: MaxJWKSBody, NoRedirect: stay})
	var redirect *requests.RedirectError
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

// IssuerKeys fetches {iss}/keys for a token's signature: on loopback (the
// sandbox) always, without following a redirect; a known provider
// environment's published keys only when published is true (one
// unauthenticated GET the user allowed); anything else never. It is
// what CredentialOptions.Keys calls in the command line and the explorer.
func IssuerKeys(ctx context.Context, iss string, published bool, timeout time.Duration) ([]byte, string, error) {
	u, err := url.Parse(iss)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, "", &ErrNotFetched{Why: "iss is not an http(s) URL, so there is no issuer to ask for keys"}
	}
	keysURL := strings.TrimRight(iss, "/") + "/keys"
	host := strings.ToLower(u.Hostname())
	switch {
	case model.IsLoopback(host):
		loopback := 5 * time.Second // the sandbox answers at once or not at all
		if timeout > 0 && timeout < loopback {
			loopback = timeout
		}
		body, err := FetchJWKS(ctx, keysURL, loopback, true)
		if err != nil {
			var na *requests.NoAnswerError
			if asNoAnswer(err, &na) {
				return nil, "", fmt.Errorf("the sandbox that issued it is not answering at %s (a sandbox's keys live only as long as it runs)", u.Host)
			}
			return nil, "", fmt.Errorf("%s: %w", keysURL, err)
		}
		return body, "the sandbox's keys (" + keysURL + ")", nil
	case strings.HasSuffix(host, ".scalekit.dev") || strings.HasSuffix(host, ".scalekit.com"):
		if !published {
			return nil, "", &ErrNotFetched{Why: "fetching " + keysURL + " is one unauthenticated GET to " + host + ", not done by default"}
		}
		if u.Scheme != "https" {
			return nil, "", fmt.Errorf("iss %s is not https: not fetched", iss)
		}
		body, err := FetchJWKS(ctx, keysURL, timeout, false)
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", keysURL, err)
		}
		return body, "the published keys of " + host, nil
	}
	return nil, "", &ErrNotFetched{Why: "the issuer " + host + " is not a known provider environment"}
}

func asNoAnswer(err error, na **requests.NoAnswerError) bool { return errors.As(err, na) }

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
		body, err := requests.FetchJWKS(ctx, keysURL, requests.Options{Timeout: loopback, NoRedirect: true})
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
		body, err := requests.FetchJWKS(ctx, keysURL, requests.Options{Timeout: timeout})
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", keysURL, err)
		}
		return body, "the published keys of " + host, nil
	}
	return nil, "", &ErrNotFetched{Why: "the issuer " + host + " is not a known provider environment"}
}

func asNoAnswer(err error, na **requests.NoAnswerError) bool { return errors.As(err, na) }

package requests

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/authscope/authscope/model"
)

// RedirectError is a redirect authscope would not follow: a loop (more
// than maxRedirects hops), a hop from https down to plain http on a host
// that is not loopback, or any redirect of the token request, which
// carries the client secret (RFC 6749 §3.2 has no redirects; following
// a 307/308 would re-send the form to wherever it points).
type RedirectError struct {
	Status   int
	From, To string
	Reason   string     // "loop", "downgrade", "token"
	Hops     []Redirect // the hops followed before it
	Step     string
}

func (e *RedirectError) Error() string {
	switch e.Reason {
	case "loop":
		return fmt.Sprintf("stopped after %d redirects: a redirect loop? (last hop %d %s → %s)", len(e.Hops)+1, e.Status, e.From, e.To)
	case "downgrade":
		return fmt.Sprintf("not following %d %s → %s: it goes from https to plain http on a host that is not loopback, where the request would cross the network in clear", e.Status, e.From, e.To)
	}
	return fmt.Sprintf("the token endpoint answered %d, a redirect to %s; authscope did not follow it: that would re-send the client secret to an address you did not name (use that URL as the environment if you trust it)", e.Status, e.To)
}

// carried is what of the first request must not leave its origin: the
// names of its headers that hold a credential (model.IsSecretHeader, or
// a value marked secret) and whether its body holds one.
type carried struct {
	headers []string
	body    bool
}

// carriedBy lists what of req is secret.
func carriedBy(req model.HTTPRequest) carried {
	var c carried
	for _, h := range req.Headers {
		if model.IsSecretHeader(h.Name) || h.Value.HasSecret() {
			c.headers = append(c.headers, h.Name)
		}
	}
	c.body = req.Body.HasSecret()
	return c
}

// redirectPolicy follows up to maxRedirects hops and records each. It
// refuses a hop from https to plain http on a host that is not loopback,
// and any hop at all when refuseAll is set (a token request: its body is
// the client secret). It sends what carries a secret (Authorization,
// Cookie, every header model.IsSecretHeader names or the caller marked
// secret, and a body marked secret) only while every hop stays on the
// original origin (scheme, host and port). net/http already drops
// Authorization and Cookie for another domain, but keeps them for a
// subdomain and for another port of the same host, and keeps every other
// header everywhere; a different port is a different service (RFC 6454
// origins; curl drops them too since CVE-2022-27776). Once dropped they
// stay dropped for the rest of the chain.
func redirectPolicy(hops *[]Redirect, secret carried, refuseAll bool) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		prev := via[len(via)-1]
		status := 0
		if req.Response != nil {
			status = req.Response.StatusCode
		}
		hop := Redirect{Status: status, From: prev.URL.String(), To: req.URL.String()}
		refuse := func(reason string) error {
			return &RedirectError{Status: status, From: hop.From, To: hop.To, Reason: reason, Hops: append([]Redirect(nil), *hops...)}
		}
		if refuseAll {
			return refuse("token")
		}
		if len(via) >= maxRedirects {
			return refuse("loop")
		}
		if downgrades(via, req.URL) {
			return refuse("downgrade")
		}
		first := via[0]
		hadAuth := first.Header.Get("Authorization") != ""
		left := false
		for _, r := range append(via[1:], req) {
			left = left || !sameOrigin(first.URL, r.URL)
		}
		if left {
			for _, name := range append([]string{"Authorization", "Cookie", "Cookie2", "Proxy-Authorization"}, secret.headers...) {
				if first.Header.Values(name) != nil {
					hop.Dropped = appendOnce(hop.Dropped, http.CanonicalHeaderKey(name))
				}
				req.Header.Del(name)
			}
			// net/http sets Referer to the previous URL, query and all:
			// a key in the query (?api_key=…) must not ride along either.
			req.Header.Del("Referer")
			if secret.body && req.Body != nil && req.Body != http.NoBody {
				req.Body.Close()
				req.Body, req.GetBody, req.ContentLength = http.NoBody, nil, 0
				req.Header.Del("Content-Type")
				hop.BodyDropped = true
			}
		}
		hop.AuthorizationDropped = hadAuth && req.Header.Get("Authorization") == ""
		*hops = append(*hops, hop)
		return nil
	}
}

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// downgrades reports a hop to plain http on a host that is not loopback
// after any https hop of the chain.
func downgrades(via []*http.Request, to *url.URL) bool {
	if !strings.EqualFold(to.Scheme, "http") || model.IsLoopback(to.Hostname()) {
		return false
	}
	for _, r := range via {
		if strings.EqualFold(r.URL.Scheme, "https") {
			return true
		}
	}
	return false
}

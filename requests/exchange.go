package requests

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"sync"
	"time"

	"github.com/authscope/authscope/authschemes"
	"github.com/authscope/authscope/model"
)

// RunExchange runs the OAuth2 client credentials exchange through Send:
// the token request, the parsed token (or the RFC 6749 error), the JWT
// decoded, and its signature checked against the JWKS at
// {base}{JWKSPath} with the base URL as the expected issuer. The error is
// for an exchange that got no answer or an answer that is not a token
// response; a token error (invalid_client) is in Exchange.TokenError.
// The Result is the token request's, for the raw view and timing.
func RunExchange(ctx context.Context, t model.Target, auth authschemes.ClientAuth, opts Options) (*authschemes.Exchange, *Result, error) {
	return runExchange(ctx, t, auth, opts, nil)
}

// runExchange is RunExchange with extra form fields (the sandbox's
// authscope_ttl for the expired-token what-if).
func runExchange(ctx context.Context, t model.Target, auth authschemes.ClientAuth, opts Options, extra url.Values) (*authschemes.Exchange, *Result, error) {
	p := t.Provider
	if p.Scheme != model.SchemeOAuth2 {
		return nil, nil, fmt.Errorf("%s uses %s: there is no token exchange", p.Name, p.Scheme.Label())
	}
	req, err := authschemes.TokenRequest(p, t.BaseURL, authschemes.Credentials(t.Creds), auth)
	if err != nil {
		return nil, nil, err
	}
	if len(extra) > 0 {
		req.Body = model.Concat(req.Body, model.Plain("&"+extra.Encode()))
	}
	// One connection for the token request and the JWKS fetch after it:
	// a second dial was a tenth of the command's own time on loopback.
	// The token request's timing still shows a new connection.
	opts.transport = newTransport(opts)
	defer opts.transport.CloseIdleConnections()
	tokenOpts := opts
	tokenOpts.step, tokenOpts.stopAtRedirect = StepToken, true
	res, err := Send(ctx, req, tokenOpts)
	if err != nil {
		return nil, nil, err
	}
	x := &authschemes.Exchange{Request: res.Request, RawResponse: res.RawResponse, Status: res.Status}
	if loc := res.Header.Get("Location"); res.Status >= 300 && res.Status < 400 {
		to := loc
		if u, err := url.Parse(req.URL); err == nil && loc != "" {
			if ref, err := u.Parse(loc); err == nil {
				to = ref.String()
			}
		}
		if to == "" {
			to = "(no Location header)"
		}
		return x, res, &RedirectError{Status: res.Status, From: req.URL, To: model.Sanitize(to), Reason: "token", Step: StepToken}
	}
	if res.Truncated && res.Status < 400 {
		return x, res, &UnusableAnswerError{What: "the token response from " + p.Name, Cap: res.MaxBody}
	}
	tok, tokErr, err := authschemes.ParseTokenResponse(res.Status, res.Header, res.Body, res.Ended)
	if err != nil && res.Status >= 400 {
		// An error page that is not RFC 6749 (a proxy's 502, an HTML
		// 401): still a refusal by a server that answered.
		return x, res, &ExchangeError{Exchange: x, Result: res}
	}
	if err != nil {
		return x, res, &UnusableAnswerError{What: "the token response from " + p.Name, Err: err}
	}
	x.Token, x.TokenError = tok, tokErr
	if tok == nil {
		return x, res, nil
	}
	if jwt, err := authschemes.DecodeJWT(tok.AccessToken); err == nil {
		x.JWT = jwt
		if opts.SkipJWKS {
			return x, res, nil
		}
		v, err := verifyWithJWKS(ctx, t, tok.AccessToken, opts)
		x.Verification = &v
		if err != nil {
			return x, res, err // the command's deadline ran out in the JWKS fetch
		}
	}
	return x, res, nil
}

// verifyWithJWKS fetches the key set and checks the token's signature.
// The error is the command's deadline running out (or a cancel) during
// the fetch; any other failure is a check that did not pass.
func verifyWithJWKS(ctx context.Context, t model.Target, token string, opts Options) (authschemes.Verification, error) {
	jwks, err := targetJWKS(ctx, t, opts)
	if err != nil {
		if ctx.Err() != nil {
			return authschemes.Verification{Err: err}, err
		}
		return authschemes.Verification{Err: err}, nil
	}
	return authschemes.VerifyJWKS(token, jwks, t.BaseURL, time.Now()), nil
}

// The steps of a command a NoAnswerError or RedirectError names.
const (
	StepToken   = "token request"
	StepJWKS    = "JWKS fetch"
	StepRequest = "request"
)

// UnusableAnswerError is an answer that cannot be used: a token response
// cut at the body cap, malformed, or not JSON. The server answered, but
// there is nothing to go on, so a command exits as for no answer (3).
type UnusableAnswerError struct {
	What string // "the token response from Scalekit"
	Cap  int64  // the body cap it was cut at; 0 when it was not cut
	Err  error
}

func (e *UnusableAnswerError) Error() string {
	if e.Cap > 0 {
		return e.What + " was cut at the " + FormatBytes(e.Cap) + " body cap, so it cannot be read; a token response is a few KiB: is this the token endpoint?"
	}
	return e.What + " is unusable: " + model.Sanitize(e.Err.Error())
}

func (e *UnusableAnswerError) Unwrap() error { return e.Err }

// ExchangeError is an exchange the server refused (RFC 6749 §5.2): the
// server answered, so a command exits 1 and shows the decoded error.
type ExchangeError struct {
	Exchange *authschemes.Exchange
	Result   *Result
}

func (e *ExchangeError) Error() string {
	te := e.Exchange.TokenError
	if te == nil {
		return fmt.Sprintf("the token request failed: HTTP %d without a token", e.Exchange.Status)
	}
	msg := fmt.Sprintf("the token request was refused: HTTP %d %s", te.Status, te.Code)
	if te.Description != "" {
		msg += " (" + model.Sanitize(te.Description) + ")"
	}
	return msg
}

// tokenCache keeps access tokens in memory only, never on disk, keyed by
// the outgoing credential (NewOutgoing): base URL, client authentication,
// client id and a hash of the secret, all as sent. Keying on the values as
// entered cost a second exchange for a padded credential (the sender
// trims it); leaving out the client auth hid a switch to one the server
// refuses. A changed secret must not reuse the old secret's token and so
// hide that it is wrong.
type tokenCache struct {
	mu     sync.Mutex
	tokens map[string]cachedToken
}

type cachedToken struct {
	token   string
	expires time.Time
}

var tokens = &tokenCache{tokens: map[string]cachedToken{}}

func cacheKey(out Outgoing) string {
	t := out.Target
	key := t.BaseURL + "\x00" + string(out.ClientAuth)
	for _, f := range t.Provider.Fields {
		v := t.Creds[f.ID]
		if f.Secret {
			sum := sha256.Sum256([]byte(v))
			v = hex.EncodeToString(sum[:])
		}
		key += "\x00" + v
	}
	return key
}

// reuseMargin is how long before expiry a token stops being reused: a
// tenth of its life, at most a minute, so a request never leaves with a
// token that expires on the way.
func reuseMargin(life time.Duration) time.Duration {
	return min(life/10, time.Minute)
}

func (c *tokenCache) get(out Outgoing, now time.Time) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ct, ok := c.tokens[cacheKey(out)]
	if !ok || !now.Before(ct.expires) {
		return "", false
	}
	return ct.token, true
}

func (c *tokenCache) put(out Outgoing, tok *authschemes.Token) {
	life := tok.ExpiresAt().Sub(tok.ReceivedAt)
	if tok.ExpiresIn <= 0 || life <= 0 {
		c.forget(out) // no stated lifetime: fetch again next time
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.tokens[cacheKey(out)] = cachedToken{token: tok.AccessToken, expires: tok.ExpiresAt().Add(-reuseMargin(life))}
}

func (c *tokenCache) forget(out Outgoing) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.tokens, cacheKey(out))
}

// ForgetToken drops the cached token for the target and client auth (a
// refresh).
func ForgetToken(t model.Target, auth authschemes.ClientAuth) {
	tokens.forget(NewOutgoing(t, auth))
}

// Token returns an access token for the target: the cached one while it
// is fresh (x and res nil), else a new exchange's. A refused exchange is
// an *ExchangeError; no answer is a *NoAnswerError.
func Token(ctx context.Context, t model.Target, auth authschemes.ClientAuth, opts Options) (token string, x *authschemes.Exchange, res *Result, err error) {
	out := NewOutgoing(t, auth)
	if tok, ok := tokens.get(out, time.Now()); ok {
		return tok, nil, nil, nil
	}
	x, res, err = RunExchange(ctx, out.Target, out.ClientAuth, opts)
	if err != nil {
		return "", x, res, err
	}
	if x.TokenError != nil || x.Token == nil {
		return "", x, res, &ExchangeError{Exchange: x, Result: res}
	}
	tokens.put(out, x.Token)
	return x.Token.AccessToken, x, res, nil
}

// NewToken runs a new exchange whatever the cache holds, and keeps its
// token for the requests that follow (Token, SendSample). The explorer's
// steps screen runs its exchange through here, so the token it shows is
// the one its requests then send, not a second one fetched on the first
// fire. An exchange that brings no token drops the cached one: a request
// must not succeed with an older token while the steps show a refusal.
func NewToken(ctx context.Context, t model.Target, auth authschemes.ClientAuth, opts Options) (*authschemes.Exchange, *Result, error) {
	out := NewOutgoing(t, auth)
	x, res, err := RunExchange(ctx, out.Target, out.ClientAuth, opts)
	if err != nil || x == nil || x.TokenError != nil || x.Token == nil {
		tokens.forget(out)
		return x, res, err
	}
	tokens.put(out, x.Token)
	return x, res, nil
}

// FetchToken is Token for callers that only need the token itself, such
// as `authscope header`.
func FetchToken(ctx context.Context, t model.Target, auth authschemes.ClientAuth, opts Options) (string, error) {
	tok, _, _, err := Token(ctx, t, auth, opts)
	return tok, err
}

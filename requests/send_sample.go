package requests

import (
	"context"
	"net/url"
	"time"

	"github.com/authscope/authscope/authschemes"
	"github.com/authscope/authscope/model"
)

// SampleOptions are the choices for SendSample.
type SampleOptions struct {
	Options
	ClientAuth authschemes.ClientAuth // OAuth2: post (default) or basic
	// OnWait, when set, hears how long the expired-token what-if waits for
	// its token to expire, before the wait starts.
	OnWait func(time.Duration)
	// Edit changes the prepared request before it is sent (the editor,
	// curl's -X/-H/-d); the edited request is checked (Check) first.
	Edit Edit
}

// SampleRun is everything one sample did: the exchange (OAuth2), the
// request as sent and its result. Result is nil when the exchange was
// refused (Exchange.TokenError says why) or got no answer.
type SampleRun struct {
	Target         model.Target // with the credentials as sent (Staged)
	Sample         model.Sample
	Exchange       *authschemes.Exchange // nil for Basic/Bearer, or when a cached token was reused
	ExchangeResult *Result
	TokenReused    bool
	Waited         time.Duration // expired-token: the wait for the token to expire
	Request        model.HTTPRequest
	Result         *Result
	// Prepared is the request as the steps built it, before an Edit
	// (empty when nothing was edited): Changes(Prepared, Request) is
	// what the edit changed.
	Prepared model.HTTPRequest
}

// Status is the HTTP status the run ended with: the request's, else the
// refused exchange's, else 0 (no answer).
func (r *SampleRun) Status() int {
	switch {
	case r.Result != nil:
		return r.Result.Status
	case r.Exchange != nil:
		return r.Exchange.Status
	}
	return 0
}

// Secrets lists every secret the run involved (credentials, the access
// token), for scrubbing text that was assembled outside model.Text.
func (r *SampleRun) Secrets() []string {
	out := r.Target.Secrets()
	out = append(out, r.Request.Secrets()...)
	if r.Exchange != nil {
		out = append(out, r.Exchange.Request.Secrets()...)
		if r.Exchange.Token != nil {
			out = append(out, r.Exchange.Token.AccessToken)
		}
	}
	return out
}

// SendSample fires a catalogue sample the way the explorer and `authscope
// request` do: for OAuth2 it gets a token first (cached, or a staged
// exchange for the wrong-key and expired-token what-ifs), then Prepare and
// Send. The run is returned with whatever happened before an error.
func SendSample(ctx context.Context, t model.Target, s model.Sample, opts SampleOptions) (*SampleRun, error) {
	run := &SampleRun{Target: t, Sample: s}
	if err := CheckSample(t, s); err != nil {
		return run, err
	}
	staged, err := Staged(t, s)
	if err != nil {
		return run, err
	}
	run.Target = staged
	token := ""
	if t.Provider.Scheme == model.SchemeOAuth2 && ModeFor(t.Provider, s) != AuthNone {
		token, err = sampleToken(ctx, run, opts)
		if err != nil || token == "" {
			return run, err
		}
	}
	run.Request, err = Prepare(t, s, token)
	if err != nil {
		return run, err
	}
	if !opts.Edit.IsZero() {
		run.Prepared = run.Request
		run.Request = opts.Edit.Apply(run.Request)
		if err := Check(run.Request); err != nil {
			return run, &NotSentError{Err: err}
		}
	}
	o := opts.Options
	o.step = StepRequest
	if o.Label == "" {
		o.Label = s.Name
		if !opts.Edit.IsZero() {
			o.Label = "edited"
		}
	}
	run.Result, err = Send(ctx, run.Request, o)
	return run, err
}

// sampleToken gets the token a sample sends. The staged what-ifs run
// their own exchange and never touch the cache: a wrong secret must reach
// the server, and a one-second token must not be reused.
func sampleToken(ctx context.Context, run *SampleRun, opts SampleOptions) (string, error) {
	t := run.Target
	switch run.Sample.WhatIf {
	case model.WhatIfWrongKey:
		x, res, err := RunExchange(ctx, t, opts.ClientAuth, opts.Options)
		run.Exchange, run.ExchangeResult = x, res
		if err != nil || x.Token == nil {
			return "", err
		}
		return x.Token.AccessToken, nil
	case model.WhatIfExpiredToken:
		x, res, err := runExchange(ctx, t, opts.ClientAuth, opts.Options, url.Values{expiredTTLField: {"1"}})
		run.Exchange, run.ExchangeResult = x, res
		if err != nil || x.Token == nil {
			return "", err
		}
		return x.Token.AccessToken, waitForExpiry(ctx, run, opts)
	}
	tok, x, res, err := Token(ctx, t, opts.ClientAuth, opts.Options)
	run.Exchange, run.ExchangeResult, run.TokenReused = x, res, x == nil && err == nil
	if _, refused := err.(*ExchangeError); refused {
		return "", nil // the run shows the refusal; it is an answer, not a failure to send
	}
	return tok, err
}

// expiredTTLField is the sandbox's token lifetime switch (sandbox only;
// SandboxOnly on the sample keeps it away from real servers).
const expiredTTLField = "authscope_ttl"

// waitForExpiry sleeps until the one-second token has expired: past the
// JWT's exp, which is in whole seconds, plus a little for clock rounding.
func waitForExpiry(ctx context.Context, run *SampleRun, opts SampleOptions) error {
	x := run.Exchange
	exp := x.Token.ExpiresAt()
	if x.JWT != nil && x.JWT.ExpiresAt != nil {
		exp = *x.JWT.ExpiresAt
	}
	wait := time.Until(exp) + 250*time.Millisecond
	if wait <= 0 {
		return nil
	}
	if opts.OnWait != nil {
		opts.OnWait(wait)
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case <-timer.C:
		run.Waited = wait
		return nil
	case <-ctx.Done():
		return &NoAnswerError{Phase: "cancelled", Stage: "waiting for the token to expire", Host: run.Target.BaseURL, Err: ctx.Err()}
	}
}

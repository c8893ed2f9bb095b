package cli

import (
	"net/http"
	"time"

	"github.com/authscope/authscope/authschemes"
	"github.com/authscope/authscope/decode"
	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
)

func runJSON(p *printer, run *requests.SampleRun, decoded *model.DecodedError, err error) runOut {
	t := run.Target
	out := runOut{
		Provider: t.Provider.ID, Environment: t.Env.ID, BaseURL: t.BaseURL, Sample: run.Sample.Name,
		WhatIf: string(run.Sample.WhatIf), TokenReused: run.TokenReused, Decoded: p.decodedReport(decoded),
		WaitedMs: float64(run.Waited.Microseconds()) / 1000,
	}
	if run.Exchange != nil {
		out.Exchange = exchangeJSON(p, t, run.Exchange, run.ExchangeResult, nil)
		// Said once, at the top level.
		out.Exchange.Provider, out.Exchange.Environment, out.Exchange.BaseURL, out.Exchange.Decoded = "", "", "", nil
	}
	if run.Request.URL != "" {
		r := p.requestOut(run.Request)
		out.Request = &r
	}
	if run.Prepared.Method != "" {
		out.Changes = requests.Changes(run.Prepared, run.Request)
	}
	if run.Result != nil {
		out.Response = responseJSON(run.Result)
		out.Timing = timingJSON(run.Result.Timing)
	}
	if err != nil {
		f := failureOf(err)
		out.Error, out.ErrorPhase, out.ErrorStep = err.Error(), f.Phase, f.Step
	}
	return out
}

// The --json shapes of request and token. Secrets are masked through the
// printer (Text.String and a final scrub of the whole object).

type headerOut struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type requestOut struct {
	Method  string      `json:"method"`
	URL     string      `json:"url"`
	Headers []headerOut `json:"headers"`
	Body    string      `json:"body,omitempty"`
	Raw     string      `json:"raw"`
}

type responseOut struct {
	Proto      string              `json:"proto"`
	Status     int                 `json:"status"`
	StatusText string              `json:"status_text"`
	Headers    http.Header         `json:"headers"`
	Body       string              `json:"body"`
	Truncated  string              `json:"truncated,omitempty"`
	RequestID  string              `json:"request_id,omitempty"`
	Redirects  []requests.Redirect `json:"redirects,omitempty"`
	SentAt     time.Time           `json:"sent_at"`
	AnsweredAt time.Time           `json:"answered_at"`
}

type timingOut struct {
	DNS       float64 `json:"dns_ms"`
	Connect   float64 `json:"connect_ms"`
	TLS       float64 `json:"tls_ms"`
	FirstByte float64 `json:"first_byte_ms"`
	Transfer  float64 `json:"transfer_ms"`
	Total     float64 `json:"total_ms"`
}

type tokenOut struct {
	AccessToken string    `json:"access_token"`
	TokenType   string    `json:"token_type"`
	Scope       string    `json:"scope,omitempty"`
	ExpiresIn   int64     `json:"expires_in"`
	ExpiresAt   time.Time `json:"expires_at"`
	SecondsLeft int64     `json:"seconds_left"`
}

type exchangeOut struct {
	Provider     string                  `json:"provider,omitempty"`
	Environment  string                  `json:"environment,omitempty"`
	BaseURL      string                  `json:"base_url,omitempty"`
	Request      requestOut              `json:"request"`
	Status       int                     `json:"status"`
	RawResponse  string                  `json:"raw_response"`
	Token        *tokenOut               `json:"token,omitempty"`
	TokenError   *authschemes.TokenError `json:"token_error,omitempty"`
	JWT          *authschemes.JWT        `json:"jwt,omitempty"`
	Verification *verificationOut        `json:"jwks_check,omitempty"`
	Timing       *timingOut              `json:"timing,omitempty"`
	Decoded      *decodedReport          `json:"decoded_error,omitempty"`
	Error        string                  `json:"error,omitempty"`
	ErrorPhase   string                  `json:"error_phase,omitempty"`
	ErrorStep    string                  `json:"error_step,omitempty"`
}

type verificationOut struct {
	Valid bool   `json:"valid"`
	KeyID string `json:"kid,omitempty"`
	Alg   string `json:"alg,omitempty"`
	Error string `json:"error,omitempty"`
}

type runOut struct {
	Provider    string         `json:"provider"`
	Environment string         `json:"environment"`
	BaseURL     string         `json:"base_url"`
	Sample      string         `json:"sample"`
	WhatIf      string         `json:"what_if,omitempty"`
	Exchange    *exchangeOut   `json:"exchange,omitempty"`
	TokenReused bool           `json:"token_reused,omitempty"`
	WaitedMs    float64        `json:"waited_ms,omitempty"`
	Request     *requestOut    `json:"request,omitempty"`
	Changes     []string       `json:"changes,omitempty"` // what -X/-H/-d changed in the built request
	Response    *responseOut   `json:"response,omitempty"`
	Timing      *timingOut     `json:"timing,omitempty"`
	Decoded     *decodedReport `json:"decoded_error,omitempty"`
	Error       string         `json:"error,omitempty"`
	ErrorPhase  string         `json:"error_phase,omitempty"`
	ErrorStep   string         `json:"error_step,omitempty"`
}

func (p *printer) requestOut(r model.HTTPRequest) requestOut {
	out := requestOut{Method: r.Method, URL: r.URL, Body: r.Body.String(p.reveal), Raw: r.Raw().String(p.reveal)}
	for _, h := range r.Headers {
		out.Headers = append(out.Headers, headerOut{h.Name, h.Value.String(p.reveal)})
	}
	return out
}

func responseJSON(res *requests.Result) *responseOut {
	return &responseOut{
		Proto: res.Proto, Status: res.Status, StatusText: res.StatusText, Headers: res.Header, Body: string(res.Body),
		Truncated: res.TruncatedNote(), RequestID: res.RequestID(), Redirects: res.Redirects,
		SentAt: res.Started.UTC(), AnsweredAt: res.Ended.UTC(),
	}
}

func timingJSON(tm requests.Timing) *timingOut {
	f := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	return &timingOut{DNS: f(tm.DNS), Connect: f(tm.Connect), TLS: f(tm.TLS), FirstByte: f(tm.FirstByte), Transfer: f(tm.Transfer), Total: f(tm.Total)}
}

// exchangeJSON is the token exchange as one object; err is a token
// response that could not be parsed.
func exchangeJSON(p *printer, t model.Target, x *authschemes.Exchange, res *requests.Result, err error) *exchangeOut {
	out := &exchangeOut{
		Provider: t.Provider.ID, Environment: t.Env.ID, BaseURL: t.BaseURL,
		Request: p.requestOut(x.Request), Status: x.Status, RawResponse: x.RawResponse,
		TokenError: x.TokenError, JWT: x.JWT,
	}
	if res != nil {
		out.Timing = timingJSON(res.Timing)
		if x.TokenError != nil {
			d := decodeResult(res, t.Provider.ID, decode.Sent{Provider: t.Provider.ID})
			out.Decoded = p.decodedReport(&d)
		}
	}
	if err != nil {
		out.Error = err.Error()
	}
	if tok := x.Token; tok != nil {
		exp := tok.ExpiresAt()
		if x.JWT != nil && x.JWT.ExpiresAt != nil {
			exp = *x.JWT.ExpiresAt
		}
		out.Token = &tokenOut{
			AccessToken: model.SecretText(tok.AccessToken).String(p.reveal), TokenType: tok.TokenType, Scope: tok.Scope,
			ExpiresIn: tok.ExpiresIn, ExpiresAt: exp.UTC(), SecondsLeft: int64(time.Until(exp) / time.Second),
		}
	}
	if v := x.Verification; v != nil {
		out.Verification = &verificationOut{Valid: v.Valid, KeyID: v.KeyID, Alg: v.Alg}
		if v.Err != nil {
			out.Verification.Error = v.Err.Error()
		}
	}
	return out
}

// decodedReport is the same JSON form `decode --json` prints, so scripts
// read one schema whichever command decoded the error.
func (p *printer) decodedReport(d *model.DecodedError) *decodedReport {
	if d == nil {
		return nil
	}
	var secrets []string
	if !p.reveal {
		secrets = p.secrets
	}
	r := newDecodedReport(d, secrets)
	return &r
}

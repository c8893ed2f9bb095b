package requests

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"time"

	"github.com/authscope/authscope/model"
)

// Defaults the command line documents.
const (
	DefaultTimeout = 30 * time.Second
	DefaultMaxBody = 10 << 20 // 10 MiB: error bodies are small; a list page rarely exceeds 1 MiB
	maxRedirects   = 10
)

// Options tune one Send. The zero value is safe: 30 s, 10 MiB, TLS verified
// against the system roots.
type Options struct {
	// Timeout bounds one Send, body included; 0 = DefaultTimeout. A
	// command's whole deadline is the context's: every Send of the
	// command (token, JWKS, request) shares it.
	Timeout  time.Duration
	MaxBody  int64          // bytes of body kept; 0 = DefaultMaxBody
	Insecure bool           // skip TLS verification (never the default)
	RootCAs  *x509.CertPool // trust these roots instead of the system's (tests, private CAs)
	// SkipJWKS leaves out the JWKS signature check after a token
	// exchange, for callers that print only the token (`header`).
	SkipJWKS bool
	// NoRedirect refuses every redirect (a *RedirectError with Reason
	// "token"): for a pasted token request, whose body is the client
	// secret, as the exchange itself does.
	NoRedirect bool

	// History, when set, records every request this Send makes (the
	// session's history), with Label ("edited", a sample's name),
	// TargetLabel ("Scaling · Sandbox") and the Secrets to scrub with.
	History     *History
	Label       string
	TargetLabel string
	Secrets     []string

	step           string // "token request", "JWKS fetch", "request": named when it fails
	stopAtRedirect bool   // the token request: a redirect ends the exchange
	// transport, when set, is one the caller owns and closes: an
	// exchange's JWKS fetch goes over the token request's connection.
	transport *http.Transport
}

func (o Options) timeout() time.Duration {
	if o.Timeout > 0 {
		return o.Timeout
	}
	return DefaultTimeout
}

func (o Options) maxBody() int64 {
	if o.MaxBody > 0 {
		return o.MaxBody
	}
	return DefaultMaxBody
}

// Result is one answered request: what was sent (Request, secrets still
// marked), what came back, and how long each phase took.
type Result struct {
	Request     model.HTTPRequest // as sent, User-Agent and Content-Length included
	URL         string            // the final URL, after redirects
	Redirects   []Redirect
	Proto       string // "HTTP/1.1"
	Status      int
	StatusText  string // "401 Unauthorized"
	Header      http.Header
	Body        []byte // at most MaxBody bytes
	Truncated   bool   // the body went on past MaxBody
	MaxBody     int64
	Timing      Timing
	RemoteAddr  string
	Started     time.Time
	Ended       time.Time
	RawResponse string // status line, headers, body: untrusted and unmasked; see DisplayResponse
}

// Redirect is one hop the client followed.
type Redirect struct {
	Status               int    `json:"status"`
	From                 string `json:"from"`
	To                   string `json:"to"`
	AuthorizationDropped bool   `json:"authorization_dropped,omitempty"` // the hop left the original origin, so the credential stayed behind
	// Dropped names every header that stayed behind on this hop
	// (Authorization, Cookie, X-Api-Key…), BodyDropped a body that held
	// a secret and was not re-sent to the other origin.
	Dropped     []string `json:"dropped,omitempty"`
	BodyDropped bool     `json:"body_dropped,omitempty"`
}

// TruncatedNote is "truncated at 10 MiB" when the body was cut, else "".
func (r *Result) TruncatedNote() string {
	if !r.Truncated {
		return ""
	}
	return "truncated at " + FormatBytes(r.MaxBody)
}

// DisplayResponse is the raw response made safe for a terminal: escape
// sequences removed and the given secrets (an access token in a token
// response, a key a server echoed) masked.
func (r *Result) DisplayResponse(secrets ...string) string {
	return model.Scrub(model.Sanitize(r.RawResponse), secrets...)
}

// RequestID is the request id the server put in a header, if any, fit
// to highlight and copy (model.CleanID: no invisible characters).
func (r *Result) RequestID() string {
	for _, name := range []string{"X-Request-Id", "Request-Id", "X-Amzn-Requestid", "X-Correlation-Id"} {
		if v := model.CleanID(r.Header.Get(name)); v != "" {
			return v
		}
	}
	return ""
}

// NoAnswerError is a request that got no HTTP answer. Phase is one of
// "DNS", "connect", "TLS", "timeout", "response" (the connection closed
// before an answer), "malformed" (bytes came back that are not HTTP),
// "transfer" (the body broke off) or "cancelled".
type NoAnswerError struct {
	Phase string
	Host  string
	Stage string // for timeout and cancelled: what the request was doing
	Step  string // which of the command's requests: "token request", "JWKS fetch", "request"
	Err   error
}

func (e *NoAnswerError) Error() string {
	cause := ""
	if e.Err != nil {
		cause = ": " + e.Err.Error()
	}
	switch e.Phase {
	case PhaseDNS:
		return "DNS lookup of " + e.Host + " failed" + cause
	case PhaseConnect:
		return "could not connect to " + e.Host + cause
	case PhaseTLS:
		return "TLS handshake with " + e.Host + " failed" + cause
	case "timeout":
		return "timed out " + e.Stage + e.where()
	case "cancelled":
		return "cancelled " + e.Stage + e.where()
	case "response":
		return e.Host + " closed the connection without answering" + cause
	case PhaseMalformed:
		return e.Host + " answered with something that is not HTTP" + cause
	case PhaseTransfer:
		return "the body from " + e.Host + " broke off" + cause
	}
	return "no answer from " + e.Host + cause
}

func (e *NoAnswerError) Unwrap() error { return e.Err }

// where is " (JWKS fetch, host)": which request of the command ran out.
func (e *NoAnswerError) where() string {
	if e.Step == "" {
		return " (" + e.Host + ")"
	}
	return " (" + e.Step + ", " + e.Host + ")"
}

// PhaseMalformed is an answer that is not readable HTTP (a malformed
// status or header line).
const PhaseMalformed = "malformed"

// Send sends the request and reads the answer. An HTTP status of 400 or
// more is a Result, not an error: the error is for requests that got no
// answer (*NoAnswerError) or could not be built.
func Send(ctx context.Context, req model.HTTPRequest, opts Options) (*Result, error) {
	req = withDefaultHeaders(req)
	hreq, err := toHTTP(req)
	if err != nil {
		return nil, err
	}

	ctx, cancel := context.WithTimeout(ctx, opts.timeout())
	defer cancel()
	started := time.Now()
	tr := newTracer(started)
	hreq = hreq.WithContext(httptrace.WithClientTrace(ctx, tr.hooks()))

	transport := opts.transport
	if transport == nil {
		transport = newTransport(opts)
		defer transport.CloseIdleConnections()
	}
	var redirects []Redirect
	client := &http.Client{Transport: transport, CheckRedirect: redirectPolicy(&redirects, carriedBy(req), opts.NoRedirect)}
	if opts.stopAtRedirect {
		client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	}

	resp, err := client.Do(hreq)
	if err != nil {
		var re *RedirectError
		if errors.As(err, &re) {
			re.Step = opts.step
			record(opts, req, nil, started, re)
			return nil, re
		}
		err = classify(ctx, hreq.URL.Host, tr, opts.step, err)
		record(opts, req, nil, started, err)
		return nil, err
	}
	defer resp.Body.Close()

	limit := opts.maxBody()
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	ended := time.Now()
	tr.finish(ended)
	if err != nil {
		err = classify(ctx, hreq.URL.Host, tr, opts.step, &bodyError{err})
		record(opts, req, nil, started, err)
		return nil, err
	}
	truncated := int64(len(body)) > limit
	if truncated {
		body = body[:limit]
	}

	state := tr.snapshot()
	res := &Result{
		Request: req, URL: resp.Request.URL.String(), Redirects: redirects,
		Proto: resp.Proto, Status: resp.StatusCode, StatusText: resp.Status,
		Header: resp.Header, Body: body, Truncated: truncated, MaxBody: limit,
		Timing: state.timing(), RemoteAddr: state.remoteAddr, Started: started, Ended: ended,
	}
	res.RawResponse = rawResponse(res)
	record(opts, req, res, started, nil)
	return res, nil
}

// withDefaultHeaders adds what net/http would add on its own, so that the
// request shown is the request sent.
func withDefaultHeaders(req model.HTTPRequest) model.HTTPRequest {
	if req.Method == "" {
		req.Method = http.MethodGet
	}
	if _, ok := req.Header("User-Agent"); !ok {
		req = req.WithHeader("User-Agent", model.Plain("authscope/"+CurrentBuild().Token()))
	}
	if n := len(req.Body.Reveal()); n > 0 {
		req = req.WithHeader("Content-Length", model.Plain(fmt.Sprint(n)))
	}
	return req
}

func toHTTP(req model.HTTPRequest) (*http.Request, error) {
	var body io.Reader
	if b := req.Body.Reveal(); b != "" {
		body = strings.NewReader(b)
	}
	hreq, err := http.NewRequest(req.Method, req.URL, body)
	if err != nil {
		return nil, fmt.Errorf("cannot build the request: %v", err)
	}
	if hreq.URL.Scheme != "http" && hreq.URL.Scheme != "https" {
		return nil, fmt.Errorf("cannot send to %q: the URL must start with https:// (or http:// on loopback)", req.URL)
	}
	for _, h := range req.Headers {
		switch {
		case strings.EqualFold(h.Name, "Content-Length"):
			// net/http sets it from the body.
		case strings.EqualFold(h.Name, "Host"):
			hreq.Host = h.Value.Reveal()
		default:
			hreq.Header.Add(h.Name, h.Value.Reveal())
		}
	}
	return hreq, nil
}

// newTransport is a fresh transport per request, so every Send times a
// new connection (DNS, connect and TLS are never hidden by a reused one).
// The one exception is an exchange's JWKS fetch, whose timing is not
// shown: it reuses the token request's connection (runExchange).
func newTransport(opts Options) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.TLSClientConfig = &tls.Config{
		MinVersion:         tls.VersionTLS12,
		RootCAs:            opts.RootCAs,
		InsecureSkipVerify: opts.Insecure, //nolint:gosec // only when the user asks for it
	}
	// Without this the transport adds Accept-Encoding: gzip behind our
	// back, and the raw request shown would not be the one sent.
	t.DisableCompression = true
	return t
}

func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Hostname(), b.Hostname()) && portOf(a) == portOf(b)
}

func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "https") {
		return "443"
	}
	return "80"
}

// bodyError marks a failure while reading the body.
type bodyError struct{ err error }

func (e *bodyError) Error() string { return e.err.Error() }
func (e *bodyError) Unwrap() error { return e.err }

// classify names the phase a failed request stopped in. The trace says
// how far it got; the error's type says what went wrong there.
func classify(ctx context.Context, host string, tr *tracer, step string, err error) error {
	state := tr.snapshot()
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // drop "Get \"https://…\":", the caller knows the URL
	}
	stage := state.stage()
	var inBody *bodyError
	if stage == "reading the body" && !errors.As(err, &inBody) {
		// The first byte came but net/http never finished the header
		// block: a server dripping its headers is not a slow body.
		stage = "reading the headers"
	}
	fail := func(phase string) error {
		return &NoAnswerError{Phase: phase, Host: host, Stage: stage, Step: step, Err: err}
	}

	if ctxErr := ctx.Err(); ctxErr != nil {
		if errors.Is(ctxErr, context.DeadlineExceeded) {
			return fail("timeout")
		}
		return fail("cancelled")
	}
	var dnsErr *net.DNSError
	var tlsRecord tls.RecordHeaderError
	var certErr *tls.CertificateVerificationError
	var be *bodyError
	switch {
	case errors.As(err, &be):
		return fail(PhaseTransfer)
	case errors.As(err, &dnsErr) || state.dnsErr != nil:
		return fail(PhaseDNS)
	case errors.As(err, &certErr) || errors.As(err, &tlsRecord) || state.tlsErr != nil,
		!state.tlsStart.IsZero() && state.tlsDone.IsZero():
		return fail(PhaseTLS)
	case state.connDone.IsZero() && state.gotConn.IsZero():
		return fail(PhaseConnect)
	case state.firstByte.IsZero() || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return fail("response")
	}
	// Bytes came back but not HTTP that can be read (a malformed status
	// or header line): no usable answer, so the same exit as none, with
	// its own message.
	return fail(PhaseMalformed)
}

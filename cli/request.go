package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/authscope/authscope/authschemes"
	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
)

const requestUsage = `
Fire a request and show everything: how the header is made, the request as
sent (secrets masked), the timing of each phase, the status, headers and
body, and for a status of 400 or more the decoded error with its likely
cause and request id. Scalekit runs the token exchange first.

Usage:
  authscope request --provider P [--env E] [--sample NAME | --method M --path PATH]
                    [--print curl|go|python|node|env|header [--from-env]] [--bundle] [--yes]

Examples:
  authscope request --provider scaling
      the default sample (GET /v1/incidents?limit=10) against the sandbox
  authscope request --provider scaling --sample wrong-key
      a what-if: see the 401 invalid_api_key, decoded, and its request id
  authscope request --provider scale --sample list
      lists the samples and what-ifs a provider has
  authscope request --provider scalekit --path /api/v1/organizations/org_59615193906282635
  SCALE_API_KEY=live_… authscope request --provider scale --env live --sample create-project --yes
      live Scale work is done by people and charged: a non-GET asks first (--yes for scripts)
  authscope request --provider scaling --print curl --from-env
      a curl command that reads $SCALING_API_KEY: no secret in it, safe to paste in a ticket
  authscope request --provider scale --print python > call.py
      a Python script with the key written in (it is what you asked for)
  authscope request --provider scaling --sample wrong-key --bundle > report.md
      a redacted support report: request, status, decoded error, request id, timing

Exit status: 0 success; 1 the server answered 400 or more (or refused the
token request); 2 bad usage; 3 no answer (the line names the phase: DNS,
connect, TLS, timeout).
`

func init() {
	register(Command{Name: "request", Summary: "fire a request: steps, timing, status, body, decoded error", Run: runRequest})
}

type requestFlags struct {
	targetFlags
	method, path, sample, print, clientAuth, maxBody string
	fromEnv, bundle, yes                             bool
}

func runRequest(ctx context.Context, io IO, args []string) error {
	var f requestFlags
	fs := newFlagSet(io, "request", requestUsage)
	f.targetFlags.register(fs)
	fs.StringVar(&f.method, "method", "", "HTTP method (default: the sample's)")
	fs.StringVar(&f.path, "path", "", "path below the base URL, with query (default: the sample's)")
	fs.StringVar(&f.sample, "sample", "", "a sample or what-if from the catalogue (--sample list shows them)")
	fs.StringVar(&f.print, "print", "", "print a snippet instead of sending: curl, go, python, node, env or header")
	fs.BoolVar(&f.fromEnv, "from-env", false, "with --print: read the secret from the provider's environment variable (safe to share)")
	fs.BoolVar(&f.bundle, "bundle", false, "print a redacted Markdown support report instead")
	fs.BoolVar(&f.yes, "yes", false, "confirm a request that costs money (Scale live, non-GET) without asking")
	clientAuth := clientAuthFlag(fs)
	fs.StringVar(&f.maxBody, "max-body", "10MiB", "keep at most this much body (bytes, or with KiB/MiB)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	f.clientAuth = *clientAuth
	auth, err := parseClientAuth(f.clientAuth)
	if err != nil {
		return err
	}
	maxBody, err := parseSize(f.maxBody)
	if err != nil {
		return err
	}
	if f.print != "" && (f.bundle || f.json) {
		return Usagef("--print writes a snippet; it does not combine with --bundle or --json")
	}
	if f.fromEnv && f.print == "" {
		return Usagef("--from-env goes with --print (e.g. --print curl --from-env)")
	}
	if f.provider == "" {
		return Usagef("--provider is required: one of %s", strings.Join(model.ProviderIDs(), ", "))
	}
	p, err := model.Lookup(f.provider)
	if err != nil {
		return Usagef("%v", err)
	}
	if f.sample == "list" {
		return listSamples(io, p)
	}
	sample, err := pickSample(p, f.sample, f.method, f.path)
	if err != nil {
		return err
	}
	f.credsOptional = f.fromEnv // a --from-env snippet holds no secret: none needs to be set
	target, stop, err := f.resolve(ctx, io)
	defer stop()
	if err != nil {
		return err
	}
	opts := requests.Options{Timeout: f.timeout, MaxBody: maxBody}
	if f.print != "" {
		return printSnippet(ctx, io, f, target, sample, auth, opts)
	}
	if err := requests.CheckSample(target, sample); err != nil {
		return Usagef("%v", err)
	}
	if err := confirmCostly(io, target, sample, f.yes); err != nil {
		return err
	}
	return fire(ctx, io, f, target, sample, requests.SampleOptions{Options: opts, ClientAuth: auth})
}

// pickSample is the catalogue sample, or one made from --method/--path.
func pickSample(p model.Provider, name, method, path string) (model.Sample, error) {
	s := p.Samples[0]
	if name != "" {
		var err error
		if s, err = p.Sample(name); err != nil {
			return s, Usagef("%v", err)
		}
	}
	if method != "" {
		method = strings.ToUpper(method)
		if strings.Trim(method, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
			return s, Usagef("--method %q is not an HTTP method", method)
		}
	}
	if path != "" && !strings.HasPrefix(path, "/") {
		return s, Usagef("--path must start with / (it goes below the base URL), e.g. %s", p.Samples[0].Path)
	}
	if method == "" && path == "" {
		return s, nil
	}
	if method == "" {
		method = "GET"
	}
	if path == "" {
		path = s.Path
	}
	custom := model.Sample{Name: "custom", Title: method + " " + path, Method: method, Path: path, WhatIf: s.WhatIf}
	if method == s.Method && name != "" {
		custom.Body = s.Body
	}
	return custom, nil
}

// listSamples prints the provider's catalogue, one sample per line.
func listSamples(io IO, p model.Provider) error {
	for _, s := range p.Samples {
		note := ""
		if s.SandboxOnly {
			note = "  (sandbox only)"
		}
		fmt.Fprintf(io.Out, "%-15s %-6s %-50s %d  %s%s\n", s.Name, s.Method, s.Path, s.Expect, s.Title, note)
	}
	return nil
}

// parseSize reads --max-body: bytes, or a number with KiB or MiB.
func parseSize(s string) (int64, error) {
	units := map[string]int64{"": 1, "b": 1, "k": 1 << 10, "kb": 1 << 10, "kib": 1 << 10, "m": 1 << 20, "mb": 1 << 20, "mib": 1 << 20}
	num := strings.TrimRightFunc(strings.ToLower(strings.TrimSpace(s)), func(r rune) bool { return r >= 'a' && r <= 'z' })
	unit := strings.TrimSpace(strings.ToLower(strings.TrimSpace(s))[len(num):])
	n, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
	mult, ok := units[unit]
	if err != nil || !ok || n <= 0 || n > (1<<40)/mult {
		return 0, Usagef("--max-body %q: write a size such as 65536, 512KiB or 10MiB", s)
	}
	return n * mult, nil
}

// confirmCostly asks before a request people will do and charge for.
func confirmCostly(io IO, t model.Target, s model.Sample, yes bool) error {
	if !t.Env.Costly || s.Method == "" || s.Method == "GET" || yes {
		return nil
	}
	what := fmt.Sprintf("%s %s on %s %s", s.Method, s.Path, t.Provider.Name, t.Env.Label)
	if !io.InTTY {
		return Usagef("not sending %s: live requests are done by people and cost money; add --yes to send it from a script", what)
	}
	fmt.Fprintf(io.Err, "%s is live: the work is done by people and charged. Send %s? [y/N] ", t.Provider.Name, what)
	answer, _ := bufio.NewReader(io.In).ReadString('\n')
	if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
		return Usagef("not sent")
	}
	return nil
}

// printSnippet writes the sample as a snippet, from the same outgoing
// credential the request would send (trimmed, with --client-auth). Inline
// it carries the real secret: printing it for use is what was asked.
// With --from-env it needs no secret to be set: it holds none.
func printSnippet(ctx context.Context, io IO, f requestFlags, t model.Target, s model.Sample, auth authschemes.ClientAuth, opts requests.Options) error {
	kind, err := requests.ParseSnippetKind(f.print)
	if err != nil {
		return Usagef("--print: %v", err)
	}
	flavour := requests.SecretInline
	if f.fromEnv {
		flavour = requests.SecretFromEnv
	}
	out := requests.NewOutgoing(t, auth)
	token := ""
	if kind == requests.SnippetHeader && flavour == requests.SecretInline && t.Provider.Scheme == model.SchemeOAuth2 {
		if token, err = requests.FetchToken(ctx, out.Target, out.ClientAuth, opts); err != nil {
			return noAnswer(err)
		}
	}
	text, err := requests.Snippet(kind, out, s, flavour, token)
	if err != nil {
		return Usagef("%v", err)
	}
	if t.Env.Sandbox {
		fmt.Fprintln(io.Err, "note: this sandbox lives only while authscope runs; for a snippet you can run, start 'authscope sandbox' and pass its URL with --base-url")
	}
	_, err = fmt.Fprint(io.Out, text.Reveal())
	return err
}

// fire sends the sample and prints the run.
func fire(ctx context.Context, io IO, f requestFlags, t model.Target, s model.Sample, so requests.SampleOptions) error {
	out := newPrinter(io, f.reveal, t.Secrets())
	if !f.json && !f.bundle {
		writeCheckWarnings(io, t)
	}
	so.OnWait = func(d time.Duration) {
		fmt.Fprintf(io.Err, "waiting %s for the one-second token to expire (the %s what-if)…\n", d.Round(10*time.Millisecond), s.Name)
	}
	done := out.spin(s.Method + " " + t.BaseURL + s.Path)
	run, err := requests.SendSample(ctx, t, s, so)
	done()
	out.secrets = append(out.secrets, run.Secrets()...)
	var decoded *model.DecodedError
	if err == nil && run.Status() >= 400 {
		d := decodeRun(run)
		decoded = &d
	}
	switch {
	case f.bundle:
		fmt.Fprint(io.Out, requests.Bundle(bundleInput(run, decoded, err)))
	case f.json:
		if jerr := out.json(runJSON(out, run, decoded, err)); jerr != nil {
			return jerr
		}
	default:
		printRun(out, run, decoded)
	}
	switch {
	case err != nil:
		return noAnswer(err)
	case run.Status() >= 400:
		return Silent(ExitHTTPError)
	}
	return nil
}

// sentFor is what the decoder's diagnosis needs to know about the request
// (requests.SentOf: the header's scheme, the pre-send findings, the key's
// mode), with advice that names flags.
func sentFor(run *requests.SampleRun, clientAuth string) requests.Sent {
	return requests.SentOf(run, authschemes.ClientAuth(clientAuth), requests.FrontCLI)
}

// answered is the result the run ended on: the request's, else the
// refused token request's.
func answered(run *requests.SampleRun) *requests.Result {
	if run.Result != nil {
		return run.Result
	}
	return run.ExchangeResult
}

func decodeRun(run *requests.SampleRun) model.DecodedError {
	clientAuth := ""
	if run.Exchange != nil {
		if _, ok := run.Exchange.Request.Header("Authorization"); ok {
			clientAuth = string(authschemes.ClientSecretBasic)
		} else {
			clientAuth = string(authschemes.ClientSecretPost)
		}
	}
	return decodeResult(answered(run), run.Target.Provider.ID, sentFor(run, clientAuth))
}

func bundleInput(run *requests.SampleRun, decoded *model.DecodedError, err error) requests.BundleInput {
	in := requests.BundleInput{Target: run.Target, Sample: run.Sample, Request: run.Request, Result: run.Result, Decoded: decoded, Failure: err, Secrets: run.Secrets()}
	if run.Result == nil && run.Exchange != nil {
		in.Request, in.Result = run.Exchange.Request, run.ExchangeResult
	}
	return in
}

func printRun(out *printer, run *requests.SampleRun, decoded *model.DecodedError) {
	t, s := run.Target, run.Sample
	out.title(fmt.Sprintf("%s · %s · %s %s", t.Provider.Name, t.Env.Label, s.Method, t.BaseURL+s.Path))
	out.sources(t)
	if s.IsWhatIf() {
		out.line(out.untrusted("What if: " + strings.TrimPrefix(s.Title, "What if: ") + " — " + s.Explain))
	}
	switch {
	case run.Exchange != nil:
		out.section("Token exchange:")
		out.steps(authschemes.ExchangeSteps(*run.Exchange))
		if run.ExchangeResult != nil {
			out.timing(run.ExchangeResult.Timing)
		}
		if run.Waited > 0 {
			out.line(fmt.Sprintf("Waited %s for the token to expire.", run.Waited.Round(10*time.Millisecond)))
		}
	case run.TokenReused:
		out.line("Token: reused from memory (not expired)")
	case t.Provider.Scheme != model.SchemeOAuth2 && s.WhatIf != model.WhatIfNoHeader && s.WhatIf != model.WhatIfWrongScheme:
		if res, err := authschemes.Build(t.Provider, t.Env, authschemes.Credentials(t.Creds)); err == nil {
			out.steps(res.Steps)
		}
	}
	if run.Result == nil {
		if decoded != nil {
			out.section("The token request was refused:")
			out.response(run.ExchangeResult)
			printDecoded(out, *decoded)
		}
		return
	}
	out.section("Request:")
	out.indented(out.show(run.Request.Raw()))
	out.timing(run.Result.Timing)
	out.response(run.Result)
	if decoded != nil {
		printDecoded(out, *decoded)
	}
}

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
	if run.Result != nil {
		out.Response = responseJSON(run.Result)
		out.Timing = timingJSON(run.Result.Timing)
	}
	if err != nil {
		out.Error = err.Error()
		var na *requests.NoAnswerError
		if errors.As(err, &na) {
			out.ErrorPhase = na.Phase
		}
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
	Response    *responseOut   `json:"response,omitempty"`
	Timing      *timingOut     `json:"timing,omitempty"`
	Decoded     *decodedReport `json:"decoded_error,omitempty"`
	Error       string         `json:"error,omitempty"`
	ErrorPhase  string         `json:"error_phase,omitempty"`
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
			d := decodeResult(res, t.Provider.ID, requests.Sent{Provider: t.Provider.ID})
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

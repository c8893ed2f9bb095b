package cli

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/authscope/authscope/authschemes"
	"github.com/authscope/authscope/decode"
	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
)

const loginUsage = `
Single sign-on, step by step: the OAuth2 authorization code flow with
PKCE (RFC 6749 §4.1, RFC 7636) and OpenID Connect, as an app runs it for
its users. authscope makes the PKCE verifier and its S256 challenge, a
state and a nonce, starts a loopback listener for the callback (RFC 8252),
prints the authorization URL parameter by parameter and opens it in the
browser; when the browser comes back it checks the state, exchanges the
code (client secret, code and verifier masked), checks the ID token
(signature against the JWKS, iss, aud, nonce, times) and the access
token, and prints the logout URL. The last line on stdout is the access
token, masked unless --reveal.

Usage:
  authscope login --provider scalekit [--env E] [--organization-id|--connection-id|--domain|--login-hint V]
                  [--redirect-port N] [--no-browser] [--json] [--timeout D] [--reveal]

Examples:
  authscope login --provider scalekit --login-hint ada@acme.example
      on the sandbox: signs in as its demo user at once, no browser
  authscope login --provider scalekit --organization-id org_59615193906282635 --no-browser
      prints the URL and waits for you to open it
  SCALEKIT_ENVIRONMENT_URL=https://acme.scalekit.dev \
  SCALEKIT_CLIENT_ID=skc_… SCALEKIT_CLIENT_SECRET=… authscope login --domain acme.com --redirect-port 53682
      a real environment; register http://127.0.0.1:53682/callback as a redirect URI first
  authscope login --provider scalekit --login-hint ada@acme.example --json | jq .id_token_checks

The redirect URI is http://127.0.0.1:PORT/callback. Scalekit, like RFC
8252 §7.3, accepts any port on a loopback redirect URI; pin one with
--redirect-port to register it exactly. The listener takes exactly one
callback, then closes. The browser is $BROWSER if set, else the system's
(xdg-open, open); with --no-browser, or no display, open the URL
yourself. On the sandbox, --login-hint naming one of its users signs in
at once: authscope follows the authorization redirect to its own
listener, so no browser is needed.

Exit status: 0 signed in and every check held; 1 the server refused
(error=access_denied on the callback, invalid_grant for a reused code,
another redirect URI or a wrong verifier) or a check failed (state,
nonce, aud, iss, signature); 2 bad usage; 3 no answer: the callback did
not come within --timeout (default 5m), or the token endpoint did not
answer.
`

func init() {
	addCommand("login", newLoginCmd)
	valueCompletions["login-hint"] = fixed(model.SandboxSSOUser + "\tthe sandbox's demo user: signs in with no browser")
	valueCompletions["organization-id"] = fixed(model.SandboxOrgID + "\ta sandbox organization")
	valueCompletions["connection-id"] = fixed(model.SandboxSSOConnectionID + "\tthe sandbox organization's SSO connection")
	valueCompletions["domain"] = fixed(model.SandboxSSODomain + "\tthe sandbox organization's domain")
	valueCompletions["redirect-port"] = fixed("53682\ta fixed port to register", "0\tany free port (the default)")
}

// loginOptions are the login command's own flags.
type loginOptions struct {
	tf         targetFlags
	routes     map[string]*string // route param → value
	port       int
	noBrowser  bool
	clientAuth string
}

func ssoOnly(p model.Provider) bool { _, ok := p.SSO(); return ok }

func newLoginCmd(io IO) *cobra.Command {
	o := &loginOptions{routes: map[string]*string{}}
	cmd := newCommand("sign in with SSO: authorization code + PKCE, step by step (OpenID Connect)", loginUsage)
	fs := cmd.Flags()
	o.tf.register(fs, ssoOnly)
	if f := fs.Lookup("timeout"); f != nil {
		_ = f.Value.Set("5m")
		f.DefValue = "5m0s"
		f.Usage = "give up after this long: one deadline for the whole sign-in, the wait for the browser included; must be positive"
	}
	clientAuthFlag(fs, &o.clientAuth)
	var names []string
	for _, r := range scalekitRoutes() {
		v := new(string)
		o.routes[r.Param] = v
		fs.StringVar(v, r.Flag, "", r.Explain)
		names = append(names, r.Flag)
	}
	fs.IntVar(&o.port, "redirect-port", 0, "listen for the callback on this loopback port (0: any free one); the port to register in the dashboard")
	fs.BoolVar(&o.noBrowser, "no-browser", false, "print the URL and wait; do not open a browser")
	inGroup(fs, groupRequest, append(names, "redirect-port", "no-browser")...)
	cmd.Args = noArgs
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		return runLogin(cmd.Context(), io, o)
	}
	// Only providers with SSO, and their environments (scalekit when
	// none is named: login's default); registered before the shared
	// completers, which then leave these alone.
	_ = cmd.RegisterFlagCompletionFunc("provider", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		var out []string
		for _, p := range model.Providers {
			if ssoOnly(p) {
				out = append(out, p.ID+"\t"+p.Name+" · single sign-on")
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	})
	_ = cmd.RegisterFlagCompletionFunc("env", func(c *cobra.Command, args []string, s string) ([]string, cobra.ShellCompDirective) {
		if f := c.Flags().Lookup("provider"); f != nil && f.Value.String() == "" {
			_ = f.Value.Set("scalekit")
		}
		return completeEnvironments(c, args, s)
	})
	return cmd
}

func scalekitRoutes() []model.SSORoute {
	var out []model.SSORoute
	seen := map[string]bool{}
	for _, p := range model.Providers {
		if f, ok := p.SSO(); ok {
			for _, r := range f.Routing {
				if !seen[r.Param] {
					seen[r.Param] = true
					out = append(out, r)
				}
			}
		}
	}
	return out
}

// loginOut is the --json object.
type loginOut struct {
	Provider         string                 `json:"provider"`
	Environment      string                 `json:"environment"`
	BaseURL          string                 `json:"base_url,omitempty"`
	RedirectURI      string                 `json:"redirect_uri,omitempty"`
	AuthorizationURL string                 `json:"authorization_url,omitempty"`
	Params           []authschemes.URLParam `json:"params,omitempty"`
	Callback         *authschemes.Callback  `json:"callback,omitempty"`
	Status           int                    `json:"status,omitempty"`
	TokenType        string                 `json:"token_type,omitempty"`
	ExpiresIn        int64                  `json:"expires_in,omitempty"`
	Scope            string                 `json:"scope,omitempty"`
	AccessToken      string                 `json:"access_token,omitempty"`
	IDToken          string                 `json:"id_token,omitempty"`
	RefreshToken     string                 `json:"refresh_token,omitempty"`
	IDClaims         []authschemes.Claim    `json:"id_token_claims,omitempty"`
	IDChecks         []authschemes.IDCheck  `json:"id_token_checks,omitempty"`
	AccessChecks     []authschemes.IDCheck  `json:"access_token_checks,omitempty"`
	LogoutURL        string                 `json:"logout_url,omitempty"`
	RequestID        string                 `json:"request_id,omitempty"`
	Decoded          *decodedJSON           `json:"decoded,omitempty"`
	Error            string                 `json:"error,omitempty"`
	ErrorPhase       string                 `json:"error_phase,omitempty"`
	ErrorStep        string                 `json:"error_step,omitempty"`
}

type decodedJSON struct {
	Code        string `json:"code"`
	Message     string `json:"message,omitempty"`
	Meaning     string `json:"meaning"`
	Fix         string `json:"fix"`
	LikelyCause string `json:"likely_cause,omitempty"`
	RequestID   string `json:"request_id,omitempty"`
}

// login is one run of the command: what it has so far, for the text
// and the JSON output alike.
type login struct {
	io    IO
	o     *loginOptions
	out   *printer
	obj   loginOut
	step  int
	start time.Time
}

func runLogin(ctx context.Context, io IO, o *loginOptions) error {
	l := &login{io: io, o: o, start: time.Now()}
	err := l.run(ctx)
	if !o.tf.json {
		return err
	}
	var ee *ExitError
	code := ExitUsage
	if errors.As(err, &ee) {
		code = ee.Code
		if ee.Err != nil && l.obj.Error == "" {
			l.obj.Error = ee.Err.Error()
		}
	} else if err != nil {
		l.obj.Error = err.Error()
	}
	if err == nil {
		code = ExitOK
	}
	if l.obj.ErrorPhase == "" && err != nil {
		l.obj.ErrorPhase = "usage"
	}
	if l.obj.Provider == "" {
		l.obj.Provider, l.obj.Environment = o.tf.provider, o.tf.env
	}
	p := l.out
	if p == nil {
		p = newPrinter(io, o.tf.reveal, knownSecrets(io, o.tf.credentialArgs()))
	}
	if jerr := p.json(l.obj); jerr != nil {
		return jerr
	}
	if code == ExitOK {
		return nil
	}
	return Silent(code)
}

func (l *login) run(ctx context.Context) error {
	o := l.o
	if o.tf.provider == "" {
		o.tf.provider = "scalekit" // the one provider with SSO
	}
	p, err := model.Lookup(o.tf.provider)
	if err != nil {
		return Usagef("--provider: %v", err)
	}
	if _, ok := p.SSO(); !ok {
		return Usagef("%s has no single sign-on (%s): login is for scalekit", p.Name, p.Scheme.Label())
	}
	route, value := "", ""
	for _, r := range scalekitRoutes() {
		if v := strings.TrimSpace(*o.routes[r.Param]); v != "" {
			if route != "" {
				return Usagef("give one of --organization-id, --connection-id, --domain, --login-hint, not --%s and --%s", flagOf(route), r.Flag)
			}
			route, value = r.Param, v
		}
	}
	if o.port < 0 || o.port > 65535 {
		return Usagef("--redirect-port %d: a TCP port 1–65535, or 0 for any free one", o.port)
	}
	auth, err := parseClientAuth(o.clientAuth)
	if err != nil {
		return err
	}
	ctx, cancel, err := o.tf.withDeadline(ctx)
	defer cancel()
	if err != nil {
		return err
	}
	target, stop, err := o.tf.resolve(ctx, l.io)
	defer stop()
	if err != nil {
		return err
	}
	l.out = newPrinter(l.io, o.tf.reveal, target.Secrets())
	l.obj.Provider, l.obj.Environment, l.obj.BaseURL = p.ID, target.Env.ID, target.BaseURL
	writeCheckWarnings(l.io, target)
	sandbox := target.Env.Sandbox || (loopbackURL(target.BaseURL) && requests.IsSandboxServer(ctx, target.BaseURL, o.tf.timeout))

	si, err := requests.StartSignIn(target, requests.SignInOptions{Port: o.port, Route: route, RouteValue: value, Auth: auth})
	if err != nil {
		return Usagef("%v", err)
	}
	defer si.Close()
	l.out.secrets = append(l.out.secrets, si.Request.PKCE.Verifier)
	authURL := si.URL()
	l.obj.RedirectURI, l.obj.AuthorizationURL, l.obj.Params = si.Request.RedirectURI, authURL, si.Request.Params()

	text := !o.tf.json
	if text {
		l.out.title(fmt.Sprintf("Single sign-on: %s · %s · authorization code + PKCE", p.Name, target.Env.Label))
		l.out.sources(target)
		l.printSteps(si.Steps())
		l.out.section("Authorization URL (open it in a browser):")
		l.out.line("  " + l.out.untrusted(authURL))
	} else {
		fmt.Fprintln(l.io.Err, "Authorization URL: "+model.Sanitize(authURL))
	}

	// How the user gets to the URL.
	var followed chan followResult
	switch {
	case sandbox && route == "login_hint":
		l.note("On the sandbox, login_hint signs in at once: authscope follows the authorization redirect to its own listener (no browser).")
		followed = make(chan followResult, 1)
		go func() {
			res, err := requests.FollowAuthorize(ctx, authURL, si.Request.RedirectURI, requests.Options{Timeout: o.tf.timeout})
			followed <- followResult{res, err}
		}()
	case !o.noBrowser && hasDisplay(l.io):
		if err := openBrowser(l.io, authURL); err != nil {
			l.note("Could not open a browser (" + err.Error() + "): open the URL above yourself.")
		} else {
			l.note("Opened the browser; waiting for it to come back to " + si.Request.RedirectURI + " …")
		}
	default:
		l.note("Open the URL above in a browser; waiting for it to come back to " + si.Request.RedirectURI + " …")
		if sandbox {
			l.note("(On the sandbox, --login-hint " + model.SandboxSSOUser + " signs in with no browser at all.)")
		}
	}

	arrival, authorize, err := awaitCallback(ctx, si, followed)
	if err != nil {
		if d, ok := requests.DecodeAuthorize(err, p.ID); ok {
			return l.refused(d, "authorize refused", requests.StepAuthorize, err)
		}
		if arrival.Callback.State == "" && arrival.At.IsZero() {
			f, exit := classifyFailure(err)
			var na *requests.NoAnswerError
			if errors.As(err, &na) && na.Step == requests.StepCallback {
				exit = NoAnswerf("no callback within --timeout %s: the browser never came back to %s (is the redirect URI registered? was the sign-in finished?)", o.tf.timeout, si.Request.RedirectURI)
				f = failure{Phase: na.Phase, Step: requests.StepCallback}
			}
			l.obj.ErrorPhase, l.obj.ErrorStep, l.obj.Error = f.Phase, f.Step, exit.Error()
			return exit
		}
	}
	cb := arrival.Callback
	l.obj.Callback = &cb
	l.out.secrets = append(l.out.secrets, cb.Code)
	l.printSteps([]model.Step{authschemes.CallbackStep(cb, si.Request.State, err)})
	if err != nil {
		d, _ := requests.DecodeCallback(err, cb, authorize)
		return l.refused(d, "callback refused", requests.StepCallback, err)
	}

	x, res, err := si.Redeem(ctx, cb.Code, requests.Options{Timeout: o.tf.timeout})
	return l.exchanged(si, x, res, err)
}

type followResult struct {
	res *requests.Result
	err error
}

// awaitCallback waits for the listener, or for the no-browser sign-in
// to fail first. With a no-browser sign-in it also waits for the
// authorization response, whose request id a refused callback quotes.
func awaitCallback(ctx context.Context, si *requests.SignIn, followed chan followResult) (requests.Arrival, *requests.Result, error) {
	type got struct {
		a   requests.Arrival
		err error
	}
	ch := make(chan got, 1)
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		a, err := si.Await(wctx)
		ch <- got{a, err}
	}()
	var authorize *requests.Result
	var arrived *got
	for arrived == nil || followed != nil {
		select {
		case g := <-ch:
			arrived = &g
		case f := <-followed:
			authorize, followed = f.res, nil
			if f.err != nil && arrived == nil {
				cancel()
				<-ch
				return requests.Arrival{}, authorize, f.err
			}
		case <-ctx.Done():
			if arrived != nil {
				return arrived.a, authorize, arrived.err
			}
		}
	}
	return arrived.a, authorize, arrived.err
}

func (l *login) exchanged(si *requests.SignIn, x *authschemes.CodeExchange, res *requests.Result, err error) error {
	if x != nil {
		l.out.secrets = append(l.out.secrets, x.Secrets()...)
		l.obj.Status = x.Status
		if res != nil {
			l.obj.RequestID = res.RequestID()
		}
		l.printSteps(authschemes.CodeExchangeSteps(capCodeExchange(*x)))
		if res != nil && !l.o.tf.json {
			l.out.timing(res.Timing)
		}
	}
	if x == nil || err != nil {
		f, exit := classifyFailure(err)
		if x != nil && res != nil && res.Status >= 400 {
			exit = &ExitError{Code: ExitHTTPError, Err: err}
		}
		l.obj.ErrorPhase, l.obj.ErrorStep, l.obj.Error = f.Phase, f.Step, exit.Error()
		return exit
	}
	if x.TokenError != nil || x.Tokens.Token == nil {
		d := requests.DecodeGrant(res, si.SSO.Target.Provider.ID, x.Grant, si.SSO.Auth, decode.FrontCLI)
		msg := fmt.Errorf("the code exchange was refused: HTTP %d", x.Status)
		if x.TokenError != nil {
			msg = fmt.Errorf("the code exchange was refused: HTTP %d %s", x.Status, x.TokenError.Code)
		}
		return l.refused(d, "token refused", requests.StepToken, msg)
	}
	ts := x.Tokens
	l.obj.TokenType, l.obj.ExpiresIn, l.obj.Scope = ts.TokenType, ts.ExpiresIn, ts.Scope
	l.obj.AccessToken, l.obj.IDToken, l.obj.RefreshToken = ts.AccessToken, ts.IDToken, ts.RefreshToken
	l.obj.IDChecks, l.obj.AccessChecks = x.IDChecks, x.AccessChecks
	if x.IDSignature != nil {
		l.obj.IDChecks = append([]authschemes.IDCheck{sigCheck(*x.IDSignature)}, l.obj.IDChecks...)
	}
	if x.AccessSig != nil {
		l.obj.AccessChecks = append([]authschemes.IDCheck{sigCheck(*x.AccessSig)}, l.obj.AccessChecks...)
	}
	if x.ID != nil {
		l.obj.IDClaims = x.ID.Claims
	}
	var logout model.Text
	if ts.IDToken != "" {
		logout = si.LogoutURL(ts.IDToken)
		l.obj.LogoutURL = logout.Reveal()
		l.printSteps([]model.Step{authschemes.LogoutStep(logout)})
	}
	failed := failedChecks(l.obj.IDChecks, l.obj.AccessChecks)
	if !l.o.tf.json {
		l.out.line("")
		if x.ID != nil {
			l.out.line("Signed in as " + l.out.untrusted(userLine(x.ID)))
		}
		l.out.line(fmt.Sprintf("Total: %s", ms(time.Since(l.start))))
	}
	if len(failed) > 0 {
		err := fmt.Errorf("the tokens came back but failed their checks: %s — do not trust them", strings.Join(failed, ", "))
		l.obj.ErrorPhase, l.obj.ErrorStep, l.obj.Error = "token checks", requests.StepToken, err.Error()
		return &ExitError{Code: ExitHTTPError, Err: err}
	}
	if !l.o.tf.json {
		l.out.line("")
		l.out.line(l.out.show(model.SecretText(ts.AccessToken)))
	}
	return nil
}

func sigCheck(v authschemes.Verification) authschemes.IDCheck {
	c := authschemes.IDCheck{Name: "signature", OK: v.Valid, Got: strings.TrimSpace(v.Alg + " " + v.KeyID), Why: "verified with the environment's JWKS"}
	if v.Err != nil {
		c.Why = v.Err.Error()
	}
	return c
}

func failedChecks(lists ...[]authschemes.IDCheck) []string {
	var out []string
	for i, cs := range lists {
		which := "ID token"
		if i == 1 {
			which = "access token"
		}
		for _, c := range cs {
			if !c.OK {
				out = append(out, which+" "+c.Name)
			}
		}
	}
	return out
}

func userLine(j *authschemes.JWT) string {
	var parts []string
	for _, n := range []string{"email", "name", "sub"} {
		if c, ok := j.Claim(n); ok && c.Value != "" {
			parts = append(parts, c.Value)
		}
	}
	return strings.Join(parts, " · ")
}

// refused prints a decoded refusal and returns exit 1.
func (l *login) refused(d model.DecodedError, phase, step string, err error) error {
	l.obj.ErrorPhase, l.obj.ErrorStep, l.obj.Error = phase, step, err.Error()
	l.obj.Decoded = &decodedJSON{Code: d.Code, Message: d.Message, Meaning: d.Meaning, Fix: d.Advice, LikelyCause: d.LikelyCause, RequestID: d.RequestID}
	if d.RequestID != "" && l.obj.RequestID == "" {
		l.obj.RequestID = d.RequestID
	}
	if !l.o.tf.json {
		printDecoded(l.out, d)
	}
	return &ExitError{Code: ExitHTTPError, Err: err}
}

func (l *login) printSteps(steps []model.Step) {
	if l.o.tf.json {
		l.step += len(steps)
		return
	}
	for _, s := range steps {
		l.step++
		l.out.section(fmt.Sprintf("%d. %s", l.step, l.out.untrusted(s.Title)))
		if len(s.Input) > 0 {
			l.out.indented("in:  " + strings.ReplaceAll(l.out.show(s.Input), "\n", "\n     "))
		}
		if len(s.Output) > 0 {
			l.out.indented("out: " + strings.ReplaceAll(l.out.show(s.Output), "\n", "\n     "))
		}
		if s.Explain != "" {
			l.out.indented(l.out.untrusted(s.Explain))
		}
	}
}

// note is a progress line: on stderr, so stdout stays the steps.
func (l *login) note(s string) { fmt.Fprintln(l.io.Err, s) }

func capCodeExchange(x authschemes.CodeExchange) authschemes.CodeExchange {
	if len(x.RawResponse) > maxRawText {
		cut := strings.ToValidUTF8(x.RawResponse[:maxRawText], "")
		x.RawResponse = cut + fmt.Sprintf("\n(showing %d KiB of %d KiB; --json for the whole response)", len(cut)>>10, len(x.RawResponse)>>10)
	}
	return x
}

func flagOf(param string) string {
	for _, r := range scalekitRoutes() {
		if r.Param == param {
			return r.Flag
		}
	}
	return param
}

// hasDisplay reports whether a browser can be opened here: $BROWSER
// names one, or a desktop session is running (macOS and Windows always
// have one).
func hasDisplay(io IO) bool {
	if io.Getenv("BROWSER") != "" {
		return true
	}
	switch runtime.GOOS {
	case "darwin", "windows":
		return true
	}
	return io.Getenv("DISPLAY") != "" || io.Getenv("WAYLAND_DISPLAY") != ""
}

// openBrowser starts the browser on the URL and does not wait for it.
func openBrowser(io IO, u string) error {
	return requests.OpenBrowser(io.Getenv("BROWSER"), u)
}

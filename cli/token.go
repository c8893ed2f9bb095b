package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/authscope/authscope/authschemes"
	"github.com/authscope/authscope/decode"
	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
)

const tokenUsage = `
Run an OAuth2 client credentials exchange and show every step: the form
body (secret masked), the raw request and response (token masked), the
parsed token, the JWT's header and claims, when it expires, and the JWKS
signature check. The last line on stdout is the access token, masked
unless --reveal. For a ready-to-use header, run 'authscope header
--provider scalekit' instead: it prints 'Authorization: Bearer <token>'.

Usage:
  authscope token --provider scalekit [--env E] [--client-auth post|basic]

Examples:
  authscope token --provider scalekit
      the exchange against the built-in sandbox with the demo client
  authscope token --provider scalekit --client-auth basic
      send the client id and secret with HTTP Basic instead of the form
  SCALEKIT_ENVIRONMENT_URL=https://acme.scalekit.dev \
  SCALEKIT_CLIENT_ID=skc_… SCALEKIT_CLIENT_SECRET=… authscope token --provider scalekit
  authscope token --provider scalekit --json | jq .token.expires_at
  authscope token --provider scalekit --reveal | tail -n 1

A redirect on the token endpoint is never followed: it would re-send the
client secret to another address. The exchange stops and says where it
pointed.

Exit status: 0 a token; 1 the server refused (the decoded error says why)
or redirected; 2 bad usage; 3 no usable answer (the line names the phase:
DNS, connect, TLS, timeout, a response cut at the body cap or not JSON).
With --json every failure is one object with error_phase.
`

func init() { addCommand("token", newTokenCmd) }

func newTokenCmd(io IO) *cobra.Command {
	var tf targetFlags
	var clientAuth string
	cmd := newCommand("run the OAuth2 token exchange step by step, then print the token", tokenUsage)
	tf.register(cmd.Flags(), oauth2Only)
	clientAuthFlag(cmd.Flags(), &clientAuth)
	cmd.Args = noArgs
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		return runToken(cmd.Context(), io, &tf, clientAuth)
	}
	return cmd
}

func runToken(ctx context.Context, io IO, tf *targetFlags, clientAuth string) error {
	// The report is written at the end, in one go: a write per line was
	// a measurable part of the command's time.
	out := bufio.NewWriter(io.Out)
	buffered := io
	buffered.Out = out
	err := tokenReport(ctx, buffered, tf, clientAuth)
	if ferr := out.Flush(); ferr != nil && err == nil {
		return ferr // a closed pipe or a full disk is not a success
	}
	return err
}

// tokenReport is the token command writing to io.Out, which runToken
// buffers.
func tokenReport(ctx context.Context, io IO, tf *targetFlags, clientAuth string) error {
	err := exchangeToken(ctx, io, tf, clientAuth)
	var ee *ExitError
	if err == nil || !tf.json || (errors.As(err, &ee) && ee.Err == nil) {
		return err
	}
	// --json asked for one object on every failure: bad input too.
	code := ExitUsage
	if ee != nil {
		code = ee.Code
	}
	obj := exchangeOut{Provider: tf.provider, Environment: tf.env, Error: err.Error(), ErrorPhase: "usage"}
	if jerr := writeJSON(io.Out, obj, knownSecrets(io, tf.credentialArgs())...); jerr != nil {
		return jerr
	}
	return Silent(code)
}

// exchangeToken is the token command after its flags are parsed.
func exchangeToken(ctx context.Context, io IO, tf *targetFlags, clientAuth string) error {
	auth, err := parseClientAuth(clientAuth)
	if err != nil {
		return err
	}
	if tf.provider != "" {
		if p, err := model.Lookup(tf.provider); err == nil && p.Scheme != model.SchemeOAuth2 {
			return Usagef("%s uses %s: there is no token to fetch (try: authscope header --provider %s)", p.Name, p.Scheme.Label(), p.ID)
		}
	}
	ctx, cancel, err := tf.withDeadline(ctx)
	defer cancel()
	if err != nil {
		return err
	}
	target, stop, err := tf.resolve(ctx, io)
	defer stop()
	if err != nil {
		return err
	}
	out := newPrinter(io, tf.reveal, target.Secrets())
	writeCheckWarnings(io, target)

	done := out.spin("token request to " + target.BaseURL + target.Provider.TokenPath)
	x, res, err := requests.RunExchange(ctx, target, auth, requests.Options{Timeout: tf.timeout})
	done()
	if x != nil {
		out.secrets = append(out.secrets, x.Request.Secrets()...)
		if x.Token != nil {
			out.secrets = append(out.secrets, x.Token.AccessToken)
		}
	}
	if tf.json {
		return tokenJSON(out, target, x, res, err)
	}
	if x == nil {
		return noAnswer(err)
	}
	out.title(fmt.Sprintf("Token exchange: %s · %s · POST %s", target.Provider.Name, target.Env.Label, target.BaseURL+target.Provider.TokenPath))
	out.sources(target)
	out.steps(authschemes.ExchangeSteps(capRawResponse(*x)))
	out.timing(res.Timing)
	if x.TokenError != nil || res.Status >= 400 {
		printDecoded(out, decodeResult(res, target.Provider.ID, decode.Sent{Provider: target.Provider.ID, ClientAuth: string(auth)}))
		return Silent(ExitHTTPError)
	}
	if err != nil {
		return noAnswer(err) // a redirect, or an answer that is not a token response
	}
	out.expiry(x)
	out.verification(x.Verification)
	out.line("")
	out.line(out.show(model.SecretText(x.Token.AccessToken)))
	return nil
}

// tokenJSON prints the exchange as one object, on success and on every
// failure (with the phase that failed), and returns the exit code.
func tokenJSON(out *printer, target model.Target, x *authschemes.Exchange, res *requests.Result, err error) error {
	obj := &exchangeOut{Provider: target.Provider.ID, Environment: target.Env.ID, BaseURL: target.BaseURL}
	if x != nil {
		obj = exchangeJSON(out, target, x, res, nil)
	}
	if err != nil {
		f := failureOf(err)
		obj.Error, obj.ErrorPhase, obj.ErrorStep = err.Error(), f.Phase, f.Step
	}
	if jerr := out.json(obj); jerr != nil {
		return jerr
	}
	switch {
	case x != nil && (x.TokenError != nil || res.Status >= 400):
		return Silent(ExitHTTPError) // the JSON says why; scripts read the code
	case err != nil:
		var ee *ExitError
		if errors.As(noAnswer(err), &ee) {
			return Silent(ee.Code)
		}
		return Silent(ExitUsage)
	}
	return nil
}

// maxRawText is how much of a raw response the text output shows, as
// for a request's body: --json keeps it whole.
const maxRawText = 64 << 10

// capRawResponse cuts a huge raw token response for the terminal.
func capRawResponse(x authschemes.Exchange) authschemes.Exchange {
	if len(x.RawResponse) > maxRawText {
		cut := strings.ToValidUTF8(x.RawResponse[:maxRawText], "")
		x.RawResponse = cut + fmt.Sprintf("\n(showing %d KiB of %d KiB; --json for the whole response)", len(cut)>>10, len(x.RawResponse)>>10)
	}
	return x
}

func parseClientAuth(s string) (authschemes.ClientAuth, error) {
	auth, err := authschemes.ParseClientAuth(s)
	if err != nil {
		return "", Usagef("--client-auth: %v", err)
	}
	return auth, nil
}

// expiry prints when the token expires, as a time and as seconds left.
func (p *printer) expiry(x *authschemes.Exchange) {
	exp := x.Token.ExpiresAt()
	source := "expires_in"
	if x.JWT != nil && x.JWT.ExpiresAt != nil {
		exp, source = *x.JWT.ExpiresAt, "the JWT's exp"
	}
	left := time.Until(exp).Round(time.Second)
	p.line(fmt.Sprintf("Expires: %s (%d s left, from %s)", exp.UTC().Format(time.RFC3339), int64(left/time.Second), source))
}

// keyNote is " (kid snk_…, RS256)", leaving out what is unknown.
func keyNote(kid, alg string) string {
	var parts []string
	for _, s := range []string{kid, alg} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	if kid != "" {
		parts[0] = "kid " + parts[0]
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

func (p *printer) verification(v *authschemes.Verification) {
	switch {
	case v == nil:
		p.line("JWKS check: not run (the token is not a JWT)")
	case v.Valid:
		p.line("JWKS check: signature valid" + p.untrusted(keyNote(v.KeyID, v.Alg)))
	default:
		msg := "signature NOT valid"
		if v.Err != nil {
			msg += ": " + v.Err.Error()
		}
		p.line("JWKS check: " + p.untrusted(msg))
	}
}

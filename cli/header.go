package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/authscope/authscope/authschemes"
	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
)

const headerUsage = `
Print the Authorization header for a provider's credentials, one line:

  Authorization: <value>

This is the one command that prints the secret in clear: that is its job.
Warnings about the credential (stray whitespace, a prefix that does not fit)
go to stderr, so the line on stdout is safe to capture.

Usage:
  authscope header --provider P [--env E] [--key K | --client-id ID --client-secret S]

Examples:
  authscope header --provider scale --key live_ScaleRocks
      Authorization: Basic bGl2ZV9TY2FsZVJvY2tzOg==
  SCALING_API_KEY=scl_live_… authscope header --provider scaling
  curl -H "$(authscope header --provider scale --env live)" https://api.scale.com/v1/projects
  authscope header --provider scalekit --env sandbox    (runs the token exchange first)
`

func init() { addCommand("header", newHeaderCmd) }

func newHeaderCmd(io IO) *cobra.Command {
	var tf targetFlags
	var clientAuth string
	cmd := newCommand("print the Authorization header for your credentials", headerUsage)
	tf.register(cmd.Flags(), anyProvider)
	clientAuthFlag(cmd.Flags(), &clientAuth)
	// header prints the secret: that is its job, so --reveal means nothing here.
	_ = cmd.Flags().MarkHidden("reveal")
	cmd.Args = noArgs
	cmd.RunE = func(cmd *cobra.Command, _ []string) error { return runHeader(cmd.Context(), io, &tf, clientAuth) }
	return cmd
}

func runHeader(ctx context.Context, io IO, tf *targetFlags, clientAuth string) error {
	p, err := model.Lookup(tf.provider)
	if tf.provider != "" && err != nil {
		return Usagef("%v", err)
	}
	needsExchange := p.Scheme == model.SchemeOAuth2
	ctx, cancel, err := tf.withDeadline(ctx)
	defer cancel()
	if err != nil {
		return err
	}
	target, stop, err := tf.resolveFor(ctx, io, needsExchange)
	defer stop()
	if err != nil {
		return err
	}

	for _, f := range target.Provider.Fields {
		if src := target.Sources[f.ID]; strings.HasPrefix(src, "sandbox demo") {
			fmt.Fprintf(io.Err, "note: no %s given; using the %s\n", f.Label, src)
		}
	}
	auth, err := parseClientAuth(clientAuth)
	if err != nil {
		return err
	}
	var header model.Header
	if needsExchange {
		writeCheckWarnings(io, target)
		// The header is the token: no JWKS check to wait for.
		token, err := requests.FetchToken(ctx, target, auth, requests.Options{Timeout: tf.timeout, SkipJWKS: true})
		if err != nil {
			return noAnswer(err)
		}
		header = authschemes.BearerHeader(token)
	} else {
		res, err := authschemes.Build(target.Provider, target.Env, target.Creds)
		writeWarnings(io, res.Warnings, target.Secrets())
		if err != nil {
			return Usagef("%v", err)
		}
		header = res.Header
	}

	if tf.json {
		return writeJSON(io.Out, struct {
			Name  string `json:"name"`
			Value string `json:"value"`
		}{header.Name, header.Value.Reveal()})
	}
	_, err = fmt.Fprintf(io.Out, "%s: %s\n", header.Name, header.Value.Reveal())
	return err
}

// writeWarnings prints credential checks to stderr, one line each with
// the fix, so stdout stays clean for capture. Messages never hold the
// secret; Scrub is the belt to that brace.
func writeWarnings(io IO, warnings []model.Warning, secrets []string) {
	for _, w := range warnings {
		line := w.Severity.String() + ": " + w.Message
		if w.Fix != "" {
			line += " — " + w.Fix
		}
		fmt.Fprintln(io.Err, model.Scrub(model.Sanitize(line), secrets...))
	}
}

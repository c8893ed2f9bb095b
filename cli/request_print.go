package cli

import (
	"context"
	"fmt"

	"github.com/authscope/authscope/authschemes"
	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
	"github.com/authscope/authscope/snippets"
)

// printSnippet writes the sample as a snippet, from the same outgoing
// credential the request would send (trimmed, with --client-auth). Inline
// it carries the real secret: printing it for use is what was asked.
// With --from-env it needs no secret to be set: it holds none.
func printSnippet(ctx context.Context, io IO, f requestFlags, t model.Target, s model.Sample, auth authschemes.ClientAuth, opts requests.Options) error {
	kind, err := snippets.ParseKind(f.print)
	if err != nil {
		return Usagef("--print: %v", err)
	}
	flavour := snippets.SecretInline
	if f.fromEnv {
		flavour = snippets.SecretFromEnv
	}
	out := requests.NewOutgoing(t, auth)
	token := ""
	if kind == snippets.Header && flavour == snippets.SecretInline && t.Provider.Scheme == model.SchemeOAuth2 {
		if token, err = requests.FetchToken(ctx, out.Target, out.ClientAuth, opts); err != nil {
			return noAnswer(err)
		}
	}
	text, err := snippets.Write(kind, out, s, flavour, token)
	if err != nil {
		return Usagef("%v", err)
	}
	if t.Env.Sandbox {
		fmt.Fprintln(io.Err, "note: this sandbox lives only while authscope runs; for a snippet you can run, start 'authscope sandbox' and pass its URL with --base-url")
	}
	_, err = fmt.Fprint(io.Out, text.Reveal())
	return err
}

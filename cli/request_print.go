package cli

import (
	"context"
	"fmt"

	"github.com/authscope/authscope/authschemes"
	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
)

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

package cli

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/authscope/authscope/decode"
	"github.com/authscope/authscope/doctor"
	"github.com/authscope/authscope/model"
)

const decodeUsage = `
Usage: authscope decode [FILE] [flags]

Decode an API error: a response body, or a whole raw HTTP response
(status line, headers, blank line, body) as curl -si prints it. Reads FILE,
or standard input when FILE is missing or "-".

Or read a pasted credential, offline: a JWT (access or ID token), an
Authorization line or its value (Bearer …, Basic …), a bare API key, a
client id and secret, a token endpoint response, a JWKS or an OpenID
discovery document. The first line says what it was read as and why; then
whose it is (provider and environment, and from what), its parts decoded
with the secret masked, and what is wrong with it, most serious first: a
token's times against now (or --at), clock skew, iss against --provider and
--env, aud against --client-id, an ID token sent as an access token, alg
none, HS256 where RS256 is expected, a kid the issuer does not have, and
the signature — verified against the sandbox's keys for a loopback issuer,
against --jwks FILE|URL, or a known provider's published keys with
--fetch-jwks (never fetched by default; jku and x5u never).

It names the shape (Scaling, Scalekit grpc-gateway status, OAuth 2.0 token
error, WWW-Authenticate: Bearer challenge, problem+json, Scale AI, or any
JSON), explains every field, says what the error means and what to do, and
picks out the request id to quote to support.

Examples:
  curl -si https://api.scaling.cloud/v1/incidents | authscope decode
  authscope decode response.txt
  pbpaste | authscope decode - --provider scalekit
  authscope decode response.txt --json | jq -r .request_id
  echo '{"code":16,"message":"Token empty"}' | authscope decode
  printf '%s\n' "$TOKEN" | authscope decode --client-id skc_123 --at "$(date -u +%FT%TZ)"
  echo 'Authorization: Basic bGl2ZV9TY2FsZVJvY2tzOg==' | authscope decode
  authscope decode token.txt --jwks keys.json --json | jq .findings

Exit status: 0 when a report was printed (also for input it does not
recognise, which it says), 2 when there is nothing to read: no such file, a
directory, empty input, or a terminal with nothing piped in.
`

// maxDecodeInput bounds what decode reads; past it, the rest is left
// unread and the report says so.
const maxDecodeInput = 64 << 20

func init() { addCommand("decode", newDecodeCmd) }

func newDecodeCmd(sys IO) *cobra.Command {
	var provider, env string
	var asJSON bool
	var cf credFlags
	var timeout time.Duration
	cmd := newCommand("decode an error body, a raw HTTP response or a pasted credential (stdin or FILE)", decodeUsage)
	cmd.Flags().StringVar(&provider, "provider", "", "the API that answered, to sharpen the advice: "+strings.Join(model.ProviderIDs(), ", "))
	cmd.Flags().StringVar(&env, "env", "", "a credential: the environment it is meant for (a mismatch is a finding)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object instead of text")
	cmd.Flags().DurationVar(&timeout, "timeout", 30*time.Second, "give up fetching a JWKS after this long; must be positive")
	bindCredentialFlags(cmd.Flags(), &cf)
	inGroup(cmd.Flags(), groupTarget, "provider", "env")
	inGroup(cmd.Flags(), groupRequest, "timeout")
	inGroup(cmd.Flags(), groupOutput, "json")
	cmd.Args = atMostOneFile
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		return runDecode(cmd.Context(), sys, decodeFlags{provider: provider, env: env, asJSON: asJSON, cred: cf, timeout: timeout}, args)
	}
	return cmd
}

type decodeFlags struct {
	provider, env string
	asJSON        bool
	cred          credFlags
	timeout       time.Duration
}

func runDecode(ctx context.Context, sys IO, f decodeFlags, rest []string) error {
	provider, asJSON := f.provider, f.asJSON
	if f.timeout <= 0 {
		return Usagef("--timeout %s: give a positive duration such as 30s or 500ms", f.timeout)
	}
	if _, err := parseAt(f.cred.at); err != nil {
		return Usagef("%v", err) // checked before the input is read, whatever it holds
	}
	hint := ""
	if provider != "" {
		p, err := model.Lookup(provider)
		if err != nil {
			return Usagef("%v", err)
		}
		hint = p.ID
	}
	name := "-"
	if len(rest) == 1 {
		name = rest[0]
	}
	input, truncated, err := readDecodeInput(sys, name)
	if err != nil {
		return err
	}
	if c, ok := decode.RecogniseCredential(input); ok {
		return runCredential(ctx, sys, c, doctor.Options{Provider: hint, Env: f.env}, f.cred, f.timeout, asJSON)
	}

	d := decode.Bytes(input, hint)
	decode.Diagnose(&d, decode.Sent{Provider: hint})
	if truncated {
		d.Notes = append(d.Notes, "the input is larger than 64 MiB; only the first 64 MiB were read")
	}
	secrets := envSecrets(sys)
	if asJSON {
		return writeDecodedJSON(sys.Out, &d, secrets)
	}
	return writeDecoded(sys.Out, &d, secrets)
}

// readDecodeInput reads FILE or standard input, refusing with a usage
// error what cannot be decoded at all.
func readDecodeInput(sys IO, name string) (input []byte, truncated bool, err error) {
	var r io.Reader
	label := name
	if name == "-" {
		label = "standard input"
		if sys.InTTY {
			return nil, false, Usagef("nothing to decode: pipe a response in (curl -si URL | authscope decode) or give a FILE (see --help)")
		}
		r = sys.In
	} else {
		f, err := os.Open(name)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, false, Usagef("cannot read %s: no such file", name)
			}
			return nil, false, Usagef("cannot read %s: %v", name, unwrapPathError(err))
		}
		defer f.Close()
		if st, err := f.Stat(); err == nil && st.IsDir() {
			return nil, false, Usagef("%s is a directory: give a file holding an error body or a raw response", name)
		}
		r = f
	}
	if r == nil {
		return nil, false, Usagef("nothing to decode: no input (see --help)")
	}
	input, err = io.ReadAll(io.LimitReader(r, maxDecodeInput+1))
	if err != nil {
		return nil, false, Usagef("cannot read %s: %v", label, unwrapPathError(err))
	}
	if len(input) > maxDecodeInput {
		input, truncated = input[:maxDecodeInput], true
	}
	if len(bytes.TrimSpace(input)) == 0 {
		return nil, false, Usagef("%s is empty: nothing to decode (did the command before the pipe fail?)", label)
	}
	return input, truncated, nil
}

// unwrapPathError drops the "open NAME:" prefix the message already has.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// envSecrets are the secrets set in the environment, scrubbed from the
// report in case the pasted input echoes one.
func envSecrets(sys IO) []string {
	if sys.Getenv == nil {
		return nil
	}
	var out []string
	for _, p := range model.Providers {
		for _, f := range p.Fields {
			if v := sys.Getenv(f.EnvVar); f.Secret && f.EnvVar != "" && v != "" {
				out = append(out, v)
			}
		}
	}
	return out
}

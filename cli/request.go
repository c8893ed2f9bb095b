package cli

import (
	"bufio"
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

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
  authscope request [-X METHOD] [-H 'Name: value']... [-d DATA|@FILE|@-] [-o FILE] [-v] URL
                    [--har FILE [--force]]

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
  echo '{"name":"demo","type":"imageannotation"}' | authscope request -X POST \
      -H 'Content-Type: application/json' -d @- http://127.0.0.1:8787/scale/v1/projects
      curl's habits: the provider and environment from the URL's host, the steps'
      Authorization added (-H 'Authorization: …' replaces it, with a warning)
  authscope request -v -o body.json --timeout 5 https://api.scaling.cloud/v1/incidents
      the wire on stderr (masked), the body to body.json, five seconds at most
  authscope request --sample wrong-key --provider scaling --har session.har
      also write the requests sent as a redacted HAR (authscope doctor reads it)

Redirects are followed and listed (text, --json, --bundle); Authorization
never goes to another origin, a hop from https to plain http off loopback
is refused, and the token request never follows one (the client secret
stays where you sent it).

Exit status: 0 success; 1 the server answered 400 or more (or refused the
token request, or redirected where authscope will not follow); 2 bad
usage; 3 no usable answer (the line names the phase: DNS, connect, TLS,
timeout and which request ran out, a redirect loop, a malformed answer).
`

func init() { addCommand("request", newRequestCmd) }

// requestFlags are request's options, as its flags set them.
type requestFlags struct {
	targetFlags
	method, path, sample, print, clientAuth, maxBody string
	fromEnv, bundle, yes                             bool
	curl                                             curlFlags
	har                                              string
	force                                            bool
}

func newRequestCmd(io IO) *cobra.Command {
	var f requestFlags
	cmd := newCommand("fire a request: steps, timing, status, body, decoded error", requestUsage)
	fs := cmd.Flags()
	f.targetFlags.register(fs, anyProvider)
	clientAuthFlag(fs, &f.clientAuth)
	fs.StringVar(&f.sample, "sample", "", "a sample or what-if from the catalogue (--sample list shows them)")
	fs.StringVarP(&f.method, "method", "X", "", "HTTP method (default: the sample's; POST with -d)")
	fs.StringVar(&f.path, "path", "", "path below the base URL, with query (default: the sample's)")
	fs.BoolVar(&f.yes, "yes", false, "confirm a request that costs money (Scale live, non-GET) without asking")
	fs.StringVar(&f.maxBody, "max-body", "10MiB", "keep at most this much body (bytes, or with KiB/MiB; at most 64MiB: the body is held in memory and masked and decoded whole, and no error or API page needs more)")
	fs.StringVar(&f.print, "print", "", "print a snippet instead of sending: curl, go, python, node, env or header")
	fs.BoolVar(&f.fromEnv, "from-env", false, "with --print: read the secret from the provider's environment variable (safe to share)")
	fs.BoolVar(&f.bundle, "bundle", false, "print a redacted Markdown support report instead")
	f.curl.register(fs)
	fs.StringVar(&f.har, "har", "", "also write the requests sent (token request included) to FILE as a redacted HAR 1.2, as doctor --redact writes one")
	fs.BoolVar(&f.force, "force", false, "with --har: replace FILE if it exists")
	inGroup(fs, groupRequest, "sample", "method", "path", "header", "data", "yes", "max-body")
	inGroup(fs, groupOutput, "print", "from-env", "bundle", "output", "verbose", "har", "force")
	cmd.Args = func(cmd *cobra.Command, args []string) error {
		if len(args) > 1 {
			return Usagef("one URL at most, got %d (quote a URL with & or ? in it)", len(args))
		}
		return nil
	}
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		f.curl.dataSet = cmd.Flags().Changed("data")
		if len(args) == 1 {
			f.curl.url = args[0]
		}
		return runRequest(cmd.Context(), io, f)
	}
	return cmd
}

func runRequest(ctx context.Context, io IO, f requestFlags) error {
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
	if f.curl.url != "" {
		if err := f.fromURL(f.curl.url); err != nil {
			return err
		}
	}
	edit, warnings, err := f.curl.edit(io.In, "")
	if err != nil {
		return err
	}
	if f.print != "" && (!edit.IsZero() || f.curl.output != "" || f.curl.verbose || f.har != "") {
		return Usagef("--print writes a snippet of a sample; -H, -d, -o, -v and --har go with sending")
	}
	if f.force && f.har == "" {
		return Usagef("--force goes with --har FILE")
	}
	if f.provider == "" {
		return Usagef("--provider is required: one of %s", strings.Join(model.ProviderIDs(), ", "))
	}
	p, err := model.Lookup(f.provider)
	if err != nil {
		return Usagef("%v", err)
	}
	if f.sample == "list" {
		return listSamples(io, p, f.json)
	}
	method := f.method
	if method == "" && f.curl.dataSet && f.sample == "" {
		method = "POST" // curl -d posts
	}
	sample, err := pickSample(p, f.sample, method, f.path)
	if err != nil {
		return err
	}
	if edit.Body != nil {
		sample.Body = "" // -d is the body; the sample's JSON type does not follow it
	}
	ctx, cancel, err := f.withDeadline(ctx)
	defer cancel()
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
	if !f.json && !f.bundle {
		for _, w := range warnings {
			fmt.Fprintln(io.Err, "warning: "+w)
		}
		// The pre-send checks, on a key given with -H as on one given
		// with --key.
		given := model.HTTPRequest{}
		for _, h := range edit.Headers {
			given = given.WithHeader(h.Name, h.Value)
		}
		writeWarnings(io, requests.CredentialChecks(target.Provider, target.Env, model.HTTPRequest{}, given), given.Secrets())
	}
	if f.har == "" {
		return fire(ctx, io, f, target, sample, requests.SampleOptions{Options: opts, ClientAuth: auth, Edit: edit})
	}
	file, err := openExport(f.har, f.force)
	if err != nil {
		return Usagef("--har: %v; nothing was sent", err)
	}
	opts.History = &requests.History{}
	opts.TargetLabel = target.Provider.Name + " · " + target.Env.Label
	ferr := fire(ctx, io, f, target, sample, requests.SampleOptions{Options: opts, ClientAuth: auth, Edit: edit})
	if err := writeHAR(file, opts.History); err != nil {
		return err
	}
	return ferr
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
	if i := strings.IndexFunc(path, func(r rune) bool { return r < 0x20 || r == 0x7f || model.IsInvisible(r) }); i >= 0 {
		return s, Usagef("--path holds a control or invisible character at byte %d (a pasted line break?): a URL cannot carry it", i+1)
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

// listSamples prints the provider's catalogue, one sample per line (with
// --json, one array of objects).
func listSamples(io IO, p model.Provider, asJSON bool) error {
	if asJSON {
		type sampleJSON struct {
			Name        string `json:"name"`
			Method      string `json:"method"`
			Path        string `json:"path"`
			Expect      int    `json:"expect"`
			Title       string `json:"title"`
			WhatIf      bool   `json:"what_if"`
			SandboxOnly bool   `json:"sandbox_only,omitempty"`
		}
		list := []sampleJSON{}
		for _, s := range p.Samples {
			list = append(list, sampleJSON{s.Name, s.Method, s.Path, s.Expect, s.Title, s.IsWhatIf(), s.SandboxOnly})
		}
		return writeJSON(io.Out, map[string]any{"provider": p.ID, "samples": list})
	}
	for _, s := range p.Samples {
		note := ""
		if s.SandboxOnly {
			note = "  (sandbox only)"
		}
		fmt.Fprintf(io.Out, "%-15s %-6s %-50s %d  %s%s\n", s.Name, s.Method, s.Path, s.Expect, s.Title, note)
	}
	return nil
}

// maxBodyCeiling bounds --max-body: the body is held in memory, then
// masked and decoded whole, so an unbounded cap would let one answer take
// the machine's memory; no error body or API page comes near it.
const maxBodyCeiling = 64 << 20

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
	if n*mult > maxBodyCeiling {
		return 0, Usagef("--max-body %s is over the 64MiB ceiling: the body is held in memory and masked and decoded whole", s)
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

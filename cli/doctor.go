package cli

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/authscope/authscope/doctor"
	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
)

const doctorUsage = `
Usage: authscope doctor [FILE] [flags]

Examine what a customer pasted: a curl command line (bash or Windows cmd
^ continuations), the output of curl -v, a HAR file from the browser's
developer tools, a raw HTTP request (with or without its response), an
error body as decode takes it, or a pasted credential (a JWT, an
Authorization line, a key, a client id and secret, a token response, a
JWKS or a discovery document: the report decode gives it, --at, --jwks,
--fetch-jwks and --client-id as there). Reads FILE, or standard input.

It names the provider and environment from the host, checks the
credential's shape and scheme, X-rays a Bearer JWT (iat/nbf/exp against
this clock and the response's Date, iss against the environment, aud,
scopes), decodes the response with its request id, and across a HAR reads
the order of events (stale tokens, racing refreshes, the first 401).
Findings come most likely cause first.

Examples:
  pbpaste | authscope doctor
  authscope doctor session.har --json | jq '.findings[0]'
  authscope doctor ticket-1234.txt --redact > safe.txt     # safe to attach
  authscope doctor session.har --redact > session.safe.har
  authscope doctor curl.txt --replay                        # each fix, on the sandbox
  authscope doctor curl.txt --replay --real --yes           # on the real API
  authscope doctor session.har --replay --entry 3           # a HAR's third request

--redact writes the input back in its own format (valid HAR, runnable
curl, the same raw text) with every secret replaced: API keys keep their
prefix and last four characters, Basic credentials are decoded, masked and
re-encoded, JWTs keep header and claims and lose their signature, client
secrets and cookies go. It refuses, writing nothing, if a secret would
survive.

--replay --real always asks first, naming the entry and the host (--yes
for scripts). A pasted token request follows no redirect; on any other
redirect to another origin, every credential header, the cookies and a
body holding a secret stay behind, and each hop is listed.

Exit status: 0 when a report was printed, 2 when the input cannot be
read (not a HAR, unbalanced quotes, no URL, empty) or --redact would
leave something that looks like a credential, 3 when --replay got no
answer.
`

// maxRedactInput bounds what --redact holds in memory (it needs the
// whole input to write it back byte for byte).
const maxRedactInput = 256 << 20

func init() { addCommand("doctor", newDoctorCmd) }

type doctorFlags struct {
	asJSON, redact, replay, real, yes bool
	provider, env, kind               string
	timeout                           time.Duration
	cred                              credFlags
	entry                             int
}

func newDoctorCmd(sys IO) *cobra.Command {
	var f doctorFlags
	cmd := newCommand("findings for a pasted curl, curl -v output, HAR or raw exchange", doctorUsage)
	fs := cmd.Flags()
	fs.BoolVar(&f.asJSON, "json", false, "print one JSON object instead of text")
	fs.BoolVar(&f.redact, "redact", false, "write the input back with every secret replaced, safe for a ticket")
	fs.BoolVar(&f.replay, "replay", false, "re-send the request with each proposed fix, on the sandbox")
	fs.BoolVar(&f.real, "real", false, "with --replay: send to the host in the paste, with the customer's credential")
	fs.BoolVar(&f.yes, "yes", false, "with --replay --real: send without asking (scripts); --real always asks first")
	fs.IntVar(&f.entry, "entry", 0, "with --replay: the request to replay, 1-based (a HAR holds many; chosen for you by default)")
	fs.StringVar(&f.provider, "provider", "", "assume this provider when the host does not say: "+strings.Join(model.ProviderIDs(), ", "))
	fs.StringVar(&f.env, "env", "", "the environment the customer meant, when the host cannot say (Scale: live or test)")
	fs.StringVar(&f.kind, "as", "", "read the input as: curl, curl-v, har, raw-http, response (detected by default)")
	f.timeout = 30 * time.Second
	fs.Var(seconds{&f.timeout}, "timeout", "with --replay: give up on a request after this long, in seconds (5) or a duration (30s); must be positive")
	bindCredentialFlags(fs, &f.cred)
	inGroup(fs, groupTarget, "provider", "env", "as")
	inGroup(fs, groupRequest, "replay", "real", "yes", "entry", "timeout")
	inGroup(fs, groupOutput, "json", "redact")
	_ = cmd.RegisterFlagCompletionFunc("as", fixed("curl", "curl-v", "har", "raw-http", "response", "credential"))
	cmd.Args = atMostOneFile
	cmd.RunE = func(cmd *cobra.Command, args []string) error { return runDoctor(cmd.Context(), sys, f, args) }
	return cmd
}

func runDoctor(ctx context.Context, sys IO, f doctorFlags, rest []string) error {
	if f.timeout <= 0 {
		return Usagef("--timeout %s: give a positive duration such as 30s or 500ms", f.timeout)
	}
	if f.provider != "" {
		if _, err := model.Lookup(f.provider); err != nil {
			return Usagef("%v", err)
		}
	}
	switch doctor.Kind(f.kind) {
	case "", doctor.KindCurl, doctor.KindVerbose, doctor.KindHAR, doctor.KindRaw, doctor.KindResponse, doctor.KindCredential:
	default:
		return Usagef("--as %q: choose curl, curl-v, har, raw-http, response or credential", f.kind)
	}
	if _, err := parseAt(f.cred.at); err != nil {
		return Usagef("%v", err)
	}
	if f.redact && f.replay {
		return Usagef("--redact and --replay do different jobs: run them one at a time")
	}
	if f.real && !f.replay {
		return Usagef("--real only means something with --replay")
	}
	if f.entry != 0 && !f.replay {
		return Usagef("--entry only means something with --replay")
	}
	if f.entry < 0 {
		return Usagef("--entry %d: give a request's number, 1 or more", f.entry)
	}
	name := "-"
	if len(rest) == 1 {
		name = rest[0]
	}
	opts := doctor.Options{Name: name, Kind: doctor.Kind(f.kind), Provider: f.provider, Env: f.env}
	if f.redact {
		return runRedact(sys, name, opts)
	}
	in, closeIn, err := openDoctorInput(sys, name)
	if err != nil {
		return err
	}
	cctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	if opts.Credential, err = credentialOptions(cctx, f.cred, f.timeout); err != nil {
		closeIn()
		return err
	}
	rep, err := doctor.Examine(in, opts)
	closeIn()
	if err != nil {
		return Usagef("%v", err)
	}
	secrets := append(rep.Secrets, envSecrets(sys)...)
	if rep.Input == doctor.KindCredential {
		return writeCredential(sys, rep, secrets, f.cred.reveal, f.asJSON)
	}
	if f.replay {
		return runReplay(ctx, sys, f, rep, secrets)
	}
	if f.asJSON {
		return writeJSON(sys.Out, rep, secrets...)
	}
	return writeDoctorReport(sys.Out, rep, secrets)
}

// openDoctorInput opens FILE or standard input, refusing what cannot be
// read with one line.
func openDoctorInput(sys IO, name string) (io.Reader, func(), error) {
	if name == "-" {
		if sys.InTTY || sys.In == nil {
			return nil, nil, Usagef("nothing to examine: paste into a pipe (pbpaste | authscope doctor) or give a FILE (see --help)")
		}
		return sys.In, func() {}, nil
	}
	file, err := os.Open(name)
	if err != nil {
		return nil, nil, Usagef("cannot read %s: %v", name, unwrapPathError(err))
	}
	if st, err := file.Stat(); err == nil && st.IsDir() {
		file.Close()
		return nil, nil, Usagef("%s is a directory: give a file holding a curl command, curl -v output or a HAR", name)
	}
	return file, func() { file.Close() }, nil
}

// runRedact writes the redacted input to stdout, and nothing at all when
// a secret would survive.
func runRedact(sys IO, name string, opts doctor.Options) error {
	in, closeIn, err := openDoctorInput(sys, name)
	if err != nil {
		return err
	}
	data, err := readBounded(in, maxRedactInput)
	closeIn()
	if errors.Is(err, errTooLarge) {
		return Usagef("the input is larger than %d MiB: too large to redact", maxRedactInput>>20)
	}
	if err != nil {
		return Usagef("cannot read %s: %v", name, unwrapPathError(err))
	}
	// The input is most of what is live (the redacted HAR streams from it
	// and its edits): collecting garbage at 20% growth instead of 100%
	// keeps the peak near the input's size, and marking a byte slice
	// costs nothing.
	defer debug.SetGCPercent(debug.SetGCPercent(20))
	err = doctor.RedactTo(sys.Out, data, opts)
	if err != nil {
		var ie *doctor.InputError
		if errors.As(err, &ie) {
			return Usagef("%v", err)
		}
		return Usagef("not redacted: %v", err)
	}
	return nil
}

var errTooLarge = errors.New("too large")

// readBounded reads all of r, at most limit bytes, without the doubling
// io.ReadAll does: a file of known size is read into a buffer of that
// size; a pipe is read in chunks, joined once at the end, and reading
// stops at the limit (errTooLarge), so /dev/zero costs the limit and no
// more.
func readBounded(r io.Reader, limit int64) ([]byte, error) {
	if f, ok := r.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > 0 {
			if st.Size() > limit {
				return nil, errTooLarge
			}
			buf := make([]byte, st.Size()+1) // one more: a file that grew is read on below
			n, err := io.ReadFull(f, buf)
			if err == io.ErrUnexpectedEOF || err == io.EOF {
				return buf[:n], nil
			}
			if err != nil {
				return nil, err
			}
			rest, err := readBounded(io.MultiReader(bytes.NewReader(buf), f), limit)
			return rest, err
		}
	}
	const chunk = 4 << 20
	var chunks [][]byte
	total := int64(0)
	for {
		buf := make([]byte, chunk)
		n, err := io.ReadFull(r, buf)
		total += int64(n)
		if total > limit {
			return nil, errTooLarge
		}
		if n > 0 {
			chunks = append(chunks, buf[:n])
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	if len(chunks) == 1 {
		return chunks[0], nil
	}
	out := make([]byte, 0, total)
	for i, c := range chunks {
		out = append(out, c...)
		chunks[i] = nil
	}
	return out, nil
}

func runReplay(ctx context.Context, sys IO, f doctorFlags, rep *doctor.Report, secrets []string) error {
	ro := doctor.ReplayOptions{Real: f.real, Entry: f.entry, Send: requests.Options{Timeout: f.timeout}}
	if _, _, err := doctor.ReplayEntry(rep, f.entry); err != nil {
		return Usagef("%v", err)
	}
	if f.real {
		if err := confirmReplay(sys, rep, f.entry, f.yes); err != nil {
			return err
		}
	} else {
		if StartSandbox == nil {
			return Usagef("the sandbox is not built into this binary")
		}
		base, stop, err := StartSandbox(ctx)
		if err != nil {
			return fmt.Errorf("starting the sandbox: %w", err)
		}
		defer stop()
		ro.SandboxURL = base
	}
	res, err := doctor.Replay(ctx, rep, ro)
	if err != nil {
		return Usagef("%v", err)
	}
	if f.asJSON {
		err = writeJSON(sys.Out, struct {
			*doctor.Report
			Replay *doctor.ReplayResult `json:"replay"`
		}{rep, res}, secrets...)
	} else {
		err = writeReplay(sys.Out, res, secrets)
	}
	if err == nil && res.Before.Status == 0 && len(res.Rows) == 0 && !strings.HasPrefix(res.Before.Error, "not sent") {
		return Silent(ExitNoAnswer)
	}
	return err
}

// confirmReplay asks before the customer's own request goes to its own
// host, naming the entry and the host: a paste's credential is someone
// else's, and the host may not be the one the paste claims. --yes sends
// without asking; without a terminal and without --yes nothing is sent.
// A live non-GET says it costs money, as request does.
func confirmReplay(sys IO, rep *doctor.Report, entry int, yes bool) error {
	i, _, err := doctor.ReplayEntry(rep, entry)
	if err != nil {
		return Usagef("%v", err)
	}
	x := rep.Exchanges[i]
	host, where := "(unreadable URL)", "(unreadable URL)"
	if u, err := url.Parse(x.Request.URL); err == nil {
		host, where = u.Host, u.Scheme+"://"+u.Host+u.Path
	}
	host, where = model.Sanitize(host), model.Sanitize(where)
	what := fmt.Sprintf("entry %d of %d (%s %s) to %s with the credential in the paste", i+1, len(rep.Exchanges), model.Sanitize(x.Request.Method), where, host)
	if yes {
		return nil
	}
	if !sys.InTTY {
		return Usagef("not sending %s: --replay --real sends to a real host; add --yes to send it from a script", what)
	}
	warn := ""
	if p, err := model.Lookup(rep.Provider); err == nil {
		if env, err := p.Env(rep.Environment); err == nil && env.Costly && !strings.EqualFold(x.Request.Method, "GET") && x.Request.Method != "" {
			warn = fmt.Sprintf("%s is live: the work is done by people and charged. ", p.Name)
		}
	}
	fmt.Fprintf(sys.Err, "%sSend %s? [y/N] ", warn, what)
	answer, _ := bufio.NewReader(sys.In).ReadString('\n')
	if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
		return Usagef("not sent")
	}
	return nil
}

// writeDoctorReport is the text report: where the request went, the
// findings most likely first, the requests and every request id.
func writeDoctorReport(w io.Writer, rep *doctor.Report, secrets []string) error {
	c := decodedCleaner(secrets)
	var b bytes.Buffer
	where := "provider not recognised"
	if rep.Provider != "" {
		where = rep.Provider + ", " + rep.Environment
		if rep.Host != "" {
			where += " (" + rep.Host + ")"
		}
	} else if rep.Host != "" {
		where += " (" + rep.Host + ")"
	}
	fmt.Fprintf(&b, "Input: %s, %d request(s) → %s\n", rep.Input.Label(), len(rep.Requests), c.text(where))
	if len(rep.Findings) == 0 {
		b.WriteString("\nNo findings: nothing in this input looks wrong.\n")
	} else {
		b.WriteString("\nFindings, most likely cause first:\n")
	}
	for i, f := range rep.Findings {
		fmt.Fprintf(&b, "\n%2d. [%s] %s\n", i+1, f.Severity, c.text(f.Title))
		if e := f.EntriesText(); e != "" {
			fmt.Fprintf(&b, "    %s\n", e)
		}
		b.WriteString(wrap("    evidence: ", "              ", c.text(f.Evidence)))
		b.WriteString(wrap("    fix:      ", "              ", c.text(f.Fix)))
	}
	if len(rep.Requests) > 1 {
		b.WriteString("\nRequests:\n")
		shown := 0
		for _, r := range rep.Requests {
			if shown == 20 {
				fmt.Fprintf(&b, "  … %d more (--json lists them all)\n", len(rep.Requests)-shown)
				break
			}
			if r.Status != 0 && r.Status < 400 && len(rep.Requests) > 20 {
				continue // a long HAR: show the failures
			}
			shown++
			fmt.Fprintf(&b, "  %4d  %-6s %s  %s\n", r.Entry, c.cell(r.Method, 7), statusText(r.Status), c.cell(r.URL, 90))
		}
	}
	if len(rep.RequestIDs) > 0 {
		ids := rep.RequestIDs
		more := ""
		if len(ids) > 30 {
			more = fmt.Sprintf(" … and %d more (--json lists them all)", len(ids)-30)
			ids = ids[:30]
		}
		b.WriteString(wrap("\nRequest ids: ", "             ", c.text(strings.Join(ids, ", ")+more)))
	}
	for _, n := range rep.Notes {
		b.WriteString(wrap("Note: ", "      ", c.text(n)))
	}
	_, err := w.Write(b.Bytes())
	return err
}

func statusText(s int) string {
	if s == 0 {
		return "---"
	}
	return fmt.Sprint(s)
}

// writeReplay shows each fix beside the request as it was.
func writeReplay(w io.Writer, res *doctor.ReplayResult, secrets []string) error {
	c := decodedCleaner(secrets)
	var b bytes.Buffer
	fmt.Fprintf(&b, "Replay on the %s: %s %s (entry %d of %d: %s", res.Target, res.Method, c.text(res.URL), res.Entry, res.Candidates, res.Why)
	if res.Candidates > 1 {
		b.WriteString("; --entry N picks another")
	}
	b.WriteString(")\n\n")
	fmt.Fprintf(&b, "  %-32s  %-36s  %s\n", "fix", "before", "after")
	fmt.Fprintf(&b, "  %-32s  %s\n", "(as sent)", outcomeText(c, res.Before, 0))
	writeHops(&b, c, res.Before)
	for _, r := range res.Rows {
		fmt.Fprintf(&b, "  %s  %s  %s\n", pad(c.cell(r.Fix, 32), 32), pad(outcomeText(c, r.Before, 36), 36), outcomeText(c, r.After, 60))
		writeHops(&b, c, r.After)
	}
	if len(res.Rows) == 0 {
		b.WriteString("\nNo finding proposes a fix that can be applied to the request.\n")
	}
	_, err := w.Write(b.Bytes())
	return err
}

// writeHops lists the redirects a replayed request followed, what stayed
// behind at each, and who answered in the end.
func writeHops(b *bytes.Buffer, c decodedCleaner, o doctor.Outcome) {
	for _, h := range o.Redirects {
		fmt.Fprintf(b, "      ↪ %d %s → %s", h.Status, c.text(h.From), c.text(h.To))
		kept := append([]string(nil), h.Dropped...)
		if h.BodyDropped {
			kept = append(kept, "the body")
		}
		if len(kept) > 0 {
			fmt.Fprintf(b, " (another origin: %s stayed behind)", strings.Join(kept, ", "))
		}
		b.WriteString("\n")
	}
	if o.FinalURL != "" && o.Status != 0 {
		fmt.Fprintf(b, "      answered by %s\n", c.text(o.FinalURL))
	}
}

func outcomeText(c decodedCleaner, o doctor.Outcome, width int) string {
	if width == 0 {
		width = 100
	}
	if o.Error != "" {
		return c.cell(o.Error, width)
	}
	s := fmt.Sprint(o.Status)
	if o.Code != "" {
		s += " " + o.Code
	}
	if o.RequestID != "" {
		s += " id " + o.RequestID
	}
	return c.cell(s, width)
}

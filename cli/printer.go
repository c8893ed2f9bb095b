package cli

import (
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/authscope/authscope/authschemes"
	"github.com/authscope/authscope/decode"
	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
)

// printer writes a command's text output: secrets masked unless --reveal,
// and every untrusted byte (bodies, headers, claims) sanitised.
type printer struct {
	io      IO
	reveal  bool
	secrets []string
	// bodyFile is where -o wrote the response body; the report then
	// says so instead of printing it.
	bodyFile string

	// scrub is model.ScrubFunc of scrubFor, kept while secrets are the
	// same: building every spelling of every secret again for each line
	// was most of `token`'s time after the network.
	scrub    func(string) string
	scrubFor []string
}

func newPrinter(io IO, reveal bool, secrets []string) *printer {
	return &printer{io: io, reveal: reveal, secrets: secrets}
}

// show writes marked text: masked, or in clear with --reveal.
func (p *printer) show(t model.Text) string { return p.untrusted(t.String(p.reveal)) }

// untrusted sanitises text and masks any known secret in it.
func (p *printer) untrusted(s string) string {
	s = model.Sanitize(s)
	if p.reveal {
		return s
	}
	if p.scrub == nil || !slices.Equal(p.scrubFor, p.secrets) {
		p.scrub, p.scrubFor = model.ScrubFunc(p.secrets...), slices.Clone(p.secrets)
	}
	return p.scrub(s)
}

func (p *printer) line(s string) { fmt.Fprintln(p.io.Out, s) }

func (p *printer) title(s string) { p.line(p.untrusted(s)) }

// section starts a titled block.
func (p *printer) section(name string) { p.line("\n" + name) }

// indented writes text with every line indented.
func (p *printer) indented(s string) {
	s = strings.TrimRight(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for _, l := range strings.Split(s, "\n") {
		p.line("  " + l)
	}
}

// sources says where each credential came from, never its value.
func (p *printer) sources(t model.Target) {
	var parts []string
	for _, f := range t.Provider.Fields {
		if src := t.Sources[f.ID]; src != "" {
			parts = append(parts, f.Label+" from "+src)
		}
	}
	if len(parts) > 0 {
		p.line("Credentials: " + strings.Join(parts, ", "))
	}
}

func (p *printer) steps(steps []model.Step) {
	for i, s := range steps {
		p.section(fmt.Sprintf("%d. %s", i+1, p.untrusted(s.Title)))
		if len(s.Input) > 0 {
			p.indented("in:  " + strings.ReplaceAll(p.show(s.Input), "\n", "\n     "))
		}
		if len(s.Output) > 0 {
			p.indented("out: " + strings.ReplaceAll(p.show(s.Output), "\n", "\n     "))
		}
		if s.Explain != "" {
			p.indented(p.untrusted(s.Explain))
		}
	}
}

func (p *printer) timing(tm requests.Timing) {
	var parts []string
	for _, ph := range tm.Phases {
		parts = append(parts, ph.Name+" "+ms(ph.Duration()))
	}
	parts = append(parts, "total "+ms(tm.Total))
	p.section("Timing: " + strings.Join(parts, " · "))
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }

// response prints the status line, headers and body (JSON indented).
func (p *printer) response(res *requests.Result) {
	if len(res.Redirects) > 0 {
		p.section(fmt.Sprintf("Redirects followed (%d; the answer below is from the last URL):", len(res.Redirects)))
		for i, r := range res.Redirects {
			note := ""
			if r.AuthorizationDropped {
				note = " (Authorization not forwarded: another origin)"
			}
			p.indented(p.untrusted(fmt.Sprintf("%d. %d %s → %s%s", i+1, r.Status, r.From, r.To, note)))
		}
	}
	p.section("Status: " + p.untrusted(res.Proto+" "+res.StatusText))
	p.section("Headers:")
	names := make([]string, 0, len(res.Header))
	for name := range res.Header {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, v := range res.Header[name] {
			p.indented(p.untrusted(name + ": " + v))
		}
	}
	p.section("Body:")
	if p.bodyFile != "" {
		p.indented(fmt.Sprintf("(%s written to %s)", requests.FormatBytes(int64(len(res.Body))), p.untrusted(p.bodyFile)))
	} else if len(res.Body) == 0 {
		p.indented("(empty)")
	} else {
		text, _ := requests.PrettyJSON(res.Body)
		if len(text) > maxBodyText {
			cut := strings.ToValidUTF8(text[:maxBodyText], "")
			p.indented(p.untrusted(cut))
			p.indented(fmt.Sprintf("(showing %d KiB of %d KiB; --json for the whole body)", len(cut)>>10, len(text)>>10))
		} else {
			p.indented(p.untrusted(text))
		}
	}
	if note := res.TruncatedNote(); note != "" {
		p.indented("(" + note + ")")
	}
}

// maxBodyText is how much body text a terminal gets: a 10 MB error on one
// line helps no one reading it, and --json keeps the whole body.
const maxBodyText = 64 << 10

// printDecoded prints a decoded error with its likely cause, in the same
// report `authscope decode` prints.
func printDecoded(p *printer, d model.DecodedError) {
	p.section("Decoded error:")
	secrets := p.secrets
	if p.reveal {
		secrets = nil
	}
	_ = writeDecoded(p.io.Out, &d, secrets)
}

func decodeResult(res *requests.Result, providerID string, sent decode.Sent) model.DecodedError {
	d := decode.Decode(decode.Input{Provider: providerID, Status: res.Status, Header: res.Header, Body: res.Body})
	decode.Diagnose(&d, sent)
	return d
}

// json writes one object; secrets are masked in it unless --reveal.
func (p *printer) json(v any) error {
	if p.reveal {
		return writeJSON(p.io.Out, v)
	}
	return writeJSON(p.io.Out, v, p.secrets...)
}

// spin shows a progress line on stderr while a request runs, only when
// stderr is a terminal; the returned func clears it.
func (p *printer) spin(label string) func() {
	f, ok := p.io.Err.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return func() {}
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		frames := []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}
		start := time.Now()
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for i := 0; ; i++ {
			fmt.Fprintf(f, "\r\x1b[K%s %s %.1fs", frames[i%len(frames)], model.Sanitize(label), time.Since(start).Seconds())
			select {
			case <-stop:
				fmt.Fprint(f, "\r\x1b[K")
				return
			case <-tick.C:
			}
		}
	}()
	return func() { close(stop); wg.Wait() }
}

// writeCheckWarnings prints the pre-send credential checks to stderr.
func writeCheckWarnings(io IO, t model.Target) {
	writeWarnings(io, authschemes.Check(t.Provider, t.Env, authschemes.Credentials(t.Creds)), t.Secrets())
}

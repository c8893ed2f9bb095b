package requests

import (
	"fmt"
	"runtime"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/authscope/authscope/model"
)

// BundleBodyLimit is how much of the response body a support bundle
// quotes: enough for any error body, short enough to paste in a ticket.
const BundleBodyLimit = 4 << 10

// BundleInput is what a support bundle reports on.
type BundleInput struct {
	Target  model.Target
	Sample  model.Sample
	Request model.HTTPRequest   // as sent; written masked
	Result  *Result             // nil when there was no answer
	Failure error               // why there was no answer
	Decoded *model.DecodedError // the decoded error body, for a status >= 400
	Secrets []string            // everything to mask besides the target's and the request's (an access token)
	Created time.Time           // when the report was made; zero = now
	// Session is the session's history, newest first (the explorer's):
	// the report then lists every request sent, one line each.
	Session []*Entry
}

// maxBundleSession bounds the session table: a report is read by people.
const maxBundleSession = 200

// Bundle writes a redacted, paste-ready support report in Markdown. No
// secret is in it: the request is written masked, every known secret (and
// the Basic encoding of each key) is masked wherever it appears in server
// text, untrusted text is sanitised and Markdown-escaped, and quoted
// blocks use a fence longer than any run of backticks inside them.
func Bundle(in BundleInput) string {
	secrets := bundleSecrets(in)
	scrub := model.ScrubFunc(secrets...)
	clean := func(s string) string { return scrub(model.Sanitize(s)) }
	created := in.Created
	if created.IsZero() {
		created = time.Now()
	}

	var b strings.Builder
	b.WriteString("# authscope support report\n\n")
	b.WriteString("| | |\n|---|---|\n")
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(&b, "| %s | %s |\n", k, mdCell(clean(v)))
		}
	}
	p := in.Target.Provider
	row("Provider", p.Name+" ("+p.ID+")")
	row("Environment", in.Target.Env.Label+" ("+in.Target.Env.ID+")")
	row("Base URL", in.Target.BaseURL)
	if in.Sample.Name != "" {
		row("Sample", in.Sample.Name+": "+in.Sample.Title)
	}
	row("Request", in.Request.Method+" "+in.Request.URL)
	if r := in.Result; r != nil {
		if len(r.Redirects) > 0 {
			row("Answered by", r.URL+fmt.Sprintf(" (after %d redirects)", len(r.Redirects)))
		}
		row("Status", r.StatusText)
		row("Request id", requestIDFor(in))
		row("Sent at", utcStamp(r.Started))
		row("Answered at", utcStamp(r.Ended))
	} else if in.Failure != nil {
		row("Status", "no answer: "+in.Failure.Error())
	}
	row("Report made at", utcStamp(created))
	row("authscope", CurrentBuild().String()+"; "+runtime.Version()+", "+runtime.GOOS+"/"+runtime.GOARCH)

	if d := in.Decoded; d != nil {
		writeDecoded(&b, d, clean)
	}
	if r := in.Result; r != nil {
		writeTiming(&b, r.Timing)
	}
	if r := in.Result; r != nil && len(r.Redirects) > 0 {
		b.WriteString("\n## Redirects followed\n\n| # | status | from | to | Authorization |\n|---|---|---|---|---|\n")
		for i, h := range r.Redirects {
			auth := "kept (same origin)"
			if h.AuthorizationDropped {
				auth = "not forwarded (another origin)"
			}
			fmt.Fprintf(&b, "| %d | %d | %s | %s | %s |\n", i+1, h.Status, mdCell(clean(h.From)), mdCell(clean(h.To)), auth)
		}
	}
	b.WriteString("\n## Request (secrets masked)\n\n")
	writeFenced(&b, "http", clean(in.Request.Raw().Masked()))
	if r := in.Result; r != nil {
		b.WriteString("\n## Response\n\n")
		body, note := boundedBody(r)
		writeFenced(&b, "http", clean(strings.TrimSuffix(r.RawResponse, string(r.Body))+body))
		if note != "" {
			b.WriteString("\n" + note + "\n")
		}
	}
	writeSession(&b, in.Session, secrets)
	return b.String()
}

// bundleSecrets is every value to mask: the given ones, the target's and
// the request's (Scrub finds their encoded forms too).
func bundleSecrets(in BundleInput) []string {
	return append(append(append([]string{}, in.Secrets...), in.Target.Secrets()...), in.Request.Secrets()...)
}

func requestIDFor(in BundleInput) string {
	if in.Decoded != nil && model.CleanID(in.Decoded.RequestID) != "" {
		id := model.CleanID(in.Decoded.RequestID)
		if in.Decoded.RequestIDSource != "" {
			id += " (" + in.Decoded.RequestIDSource + ")"
		}
		return id
	}
	if id := in.Result.RequestID(); id != "" {
		return id + " (header)"
	}
	return ""
}

func writeDecoded(b *strings.Builder, d *model.DecodedError, clean func(string) string) {
	line := func(k, v string) {
		if v != "" {
			fmt.Fprintf(b, "- **%s:** %s\n", k, mdCell(clean(v)))
		}
	}
	if d.LikelyCause != "" {
		cause := mdCell(clean(d.LikelyCause))
		if cause != "" && strings.ContainsRune("#-+=0123456789", rune(cause[0])) {
			cause = "\\" + cause // it starts a line: no heading, list or rule
		}
		b.WriteString("\n## Likely cause\n\n" + cause + "\n")
	}
	b.WriteString("\n## Decoded error\n\n")
	line("Shape", d.ShapeTitle)
	code := d.Code
	if d.CodeName != "" {
		code += " (" + d.CodeName + ")"
	}
	line("Code", code)
	line("Message", d.Message)
	line("Meaning", d.Meaning)
	line("What to do", d.Advice)
	for _, n := range d.Notes {
		line("Note", n)
	}
	if len(d.Fields)+len(d.Headers) > 0 {
		b.WriteString("\n| field | value | meaning |\n|---|---|---|\n")
		for _, f := range append(append([]model.FieldMeaning{}, d.Fields...), d.Headers...) {
			fmt.Fprintf(b, "| %s | %s | %s |\n", mdCell(clean(f.Path)), mdCell(clean(f.Value)), mdCell(clean(f.Meaning)))
		}
	}
}

func writeTiming(b *strings.Builder, tm Timing) {
	b.WriteString("\n## Timing\n\n| phase | took |\n|---|---|\n")
	for _, p := range tm.Phases {
		fmt.Fprintf(b, "| %s | %s |\n", p.Name, p.Duration().Round(time.Microsecond))
	}
	fmt.Fprintf(b, "| total | %s |\n", tm.Total.Round(time.Microsecond))
}

// boundedBody is the first BundleBodyLimit bytes of the body, cut on a
// character boundary, with a note when it was cut.
func boundedBody(r *Result) (string, string) {
	body := r.Body
	note := ""
	if len(body) > BundleBodyLimit {
		cut := BundleBodyLimit
		for cut > 0 && !utf8.RuneStart(body[cut]) {
			cut--
		}
		body = body[:cut]
		note = fmt.Sprintf("(first %s of a %s body)", FormatBytes(int64(cut)), FormatBytes(int64(len(r.Body))))
	}
	if r.Truncated {
		note = strings.TrimSpace(note + " (the body was " + r.TruncatedNote() + " when read)")
	}
	return string(body), note
}

// writeFenced quotes text in a fenced block no line inside can close: the
// fence is one backtick longer than the longest run of backticks in it.
func writeFenced(b *strings.Builder, lang, text string) {
	longest, run := 0, 0
	for _, r := range text {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", max(3, longest+1))
	text = strings.ReplaceAll(text, "\r\n", "\n")
	b.WriteString(fence + lang + "\n" + strings.TrimRight(text, "\n") + "\n" + fence + "\n")
}

// mdText escapes Markdown punctuation so server text cannot become a
// link, an image, HTML or emphasis in the ticket it is pasted into.
// Callers keep it on one line (mdCell) and escape a line's first
// character, so # - + cannot start a block.
func mdText(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\`*_{}[]()<>!|~&", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// mdCell is mdText on one line, for a table cell.
func mdCell(s string) string {
	return mdText(strings.Join(strings.Fields(s), " "))
}

func utcStamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// writeSession lists the session's requests, newest first, with what a
// support engineer quotes: status, duration, request id.
func writeSession(b *strings.Builder, session []*Entry, secrets []string) {
	if len(session) == 0 {
		return
	}
	for _, e := range session {
		secrets = append(secrets, e.Secrets...)
		secrets = append(secrets, e.Request.Secrets()...)
	}
	scrub := model.ScrubFunc(secrets...)
	clean := func(s string) string { return mdCell(scrub(model.Sanitize(s))) }
	fmt.Fprintf(b, "\n## This session's requests (%d, newest first)\n\n| # | sent (UTC) | request | status | time | request id | what |\n|---|---|---|---|---|---|---|\n", len(session))
	for i, e := range session {
		if i == maxBundleSession {
			fmt.Fprintf(b, "\n(%d older requests left out)\n", len(session)-i)
			break
		}
		status := "no answer"
		if e.Result != nil {
			status = e.Result.StatusText
		}
		fmt.Fprintf(b, "| %d | %s | %s | %s | %s | %s | %s |\n", e.Seq, e.Time.UTC().Format("15:04:05"), clean(e.Request.Method+" "+e.Path()),
			clean(status), e.Duration.Round(100*time.Microsecond), clean(e.RequestID()), clean(e.Label))
	}
}

package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/authscope/authscope/authschemes"
	"github.com/authscope/authscope/decode"
	"github.com/authscope/authscope/doctor"
	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
)

// credFlags are decode's and doctor's options for a pasted credential
// (J8): the moment to judge a token at, keys to verify it with, the
// client id its aud should name, and --reveal.
type credFlags struct {
	at, jwks, clientID string
	fetchJWKS, reveal  bool
}

func bindCredentialFlags(fs *pflag.FlagSet, f *credFlags) {
	fs.StringVar(&f.at, "at", "", "judge a token's iat/nbf/exp at this time (RFC 3339, an HTTP Date such as a response's, or Unix seconds) instead of now")
	fs.StringVar(&f.jwks, "jwks", "", "verify a token's signature with this JWKS: a FILE, or an https URL (one GET, bounded by --timeout)")
	fs.BoolVar(&f.fetchJWKS, "fetch-jwks", false, "allow one unauthenticated GET of a known provider environment's published keys ({iss}/keys)")
	fs.StringVar(&f.clientID, "client-id", "", "check a token's aud against this client id")
	fs.BoolVar(&f.reveal, "reveal", false, "print the pasted secret's parts unmasked (masked by default)")
	inGroup(fs, groupCredentials, "client-id")
	inGroup(fs, groupRequest, "at", "jwks", "fetch-jwks")
	inGroup(fs, groupOutput, "reveal")
}

const maxJWKSBody = requests.MaxJWKSBody

// parseAt reads --at: RFC 3339, an HTTP Date, or Unix seconds.
func parseAt(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339Nano, time.RFC1123, time.RFC1123Z, time.RFC850, time.ANSIC, "2006-01-02 15:04:05Z07:00", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 && n < 253402300799 {
		return time.Unix(n, 0).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("--at %q: give a time such as 2026-05-01T12:00:00Z, a Date header (Fri, 01 May 2026 12:00:00 GMT) or Unix seconds", s)
}

// credentialOptions turns the flags into the doctor's options: --jwks
// read (a file, or one GET through the sender with its deadline, body
// bound and redirect policy), and the issuer-keys fetcher: the sandbox's
// keys on loopback always, a known provider's only with --fetch-jwks.
func credentialOptions(ctx context.Context, f credFlags, timeout time.Duration) (doctor.CredentialOptions, error) {
	at, err := parseAt(f.at)
	if err != nil {
		return doctor.CredentialOptions{}, Usagef("%v", err)
	}
	o := doctor.CredentialOptions{ClientID: strings.TrimSpace(f.clientID), At: at, Reveal: f.reveal}
	if f.jwks != "" {
		o.JWKS, o.JWKSFrom, err = readJWKS(ctx, f.jwks, timeout)
		if err != nil {
			return o, err
		}
	}
	o.Keys = func(iss string) ([]byte, string, error) { return doctor.IssuerKeys(ctx, iss, f.fetchJWKS, timeout) }
	return o, nil
}

// readJWKS reads --jwks: a file, or an http(s) URL (plain http on loopback only).
func readJWKS(ctx context.Context, src string, timeout time.Duration) ([]byte, string, error) {
	if strings.HasPrefix(src, "http://") || strings.HasPrefix(src, "https://") {
		if _, err := model.CheckBaseURL(src); err != nil {
			return nil, "", Usagef("--jwks %s: %v", model.Sanitize(src), err)
		}
		body, err := getKeys(ctx, src, timeout)
		if err != nil {
			return nil, "", err
		}
		return body, "the JWKS at " + src, nil
	}
	file, err := os.Open(src)
	if err != nil {
		return nil, "", Usagef("--jwks: cannot read %s: %v", src, unwrapPathError(err))
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, maxJWKSBody+1))
	if err != nil {
		return nil, "", Usagef("--jwks: cannot read %s: %v", src, unwrapPathError(err))
	}
	if len(data) > maxJWKSBody {
		return nil, "", Usagef("--jwks %s is larger than %d MiB: not a JWKS", src, maxJWKSBody>>20)
	}
	return data, "the JWKS in " + src, nil
}

// getKeys fetches a JWKS given with --jwks URL: one line and an exit
// code when it cannot.
func getKeys(ctx context.Context, u string, timeout time.Duration) ([]byte, error) {
	body, err := requests.FetchJWKS(ctx, u, requests.Options{Timeout: timeout})
	if err != nil {
		var na *requests.NoAnswerError
		if errors.As(err, &na) {
			return nil, NoAnswerf("fetching the JWKS from %s: no answer (%s): %s", model.Sanitize(u), na.Phase, model.Sanitize(err.Error()))
		}
		return nil, Usagef("fetching the JWKS from %s: %v", model.Sanitize(u), model.Sanitize(err.Error()))
	}
	return body, nil
}

// writeCredentialReport is the text report for a pasted credential: what
// it was read as and why, whose, its parts, then the findings.
func writeCredentialReport(w io.Writer, rep *doctor.Report, secrets []string) error {
	c := decodedCleaner(secrets)
	var b bytes.Buffer
	b.WriteString(wrap("", "  ", c.text(rep.ReadAs)))
	if rep.Provider != "" {
		where := rep.Provider
		if rep.Environment != "" {
			where += ", " + rep.Environment
		}
		b.WriteString(wrap("Provider: ", "  ", c.text(where+" — "+rep.ProviderFrom)))
	} else {
		b.WriteString(wrap("Provider: ", "  ", c.text(rep.ProviderFrom+" (--provider assumes one)")))
	}
	if p := rep.Credential; p != nil {
		writeCredentialParts(&b, p, c)
	}
	if len(rep.Findings) == 0 {
		b.WriteString("\nNo findings.\n")
	} else {
		b.WriteString("\nFindings, most serious first:\n")
	}
	for i, f := range rep.Findings {
		b.WriteString("\n" + wrap(fmt.Sprintf("%2d. [%s] ", i+1, f.Severity), "    ", c.text(f.Title)))
		b.WriteString(wrap("    evidence: ", "              ", c.text(f.Evidence)))
		b.WriteString(wrap("    fix:      ", "              ", c.text(f.Fix)))
	}
	for _, n := range rep.Notes {
		b.WriteString(wrap("Note: ", "      ", c.text(n)))
	}
	_, err := w.Write(b.Bytes())
	return err
}

func writeCredentialParts(b *bytes.Buffer, p *doctor.CredentialParts, c decodedCleaner) {
	if p.Value != "" {
		v := p.Value
		if p.Scheme != "" {
			v = p.Scheme + " " + v
		}
		fmt.Fprintf(b, "Value:    %s\n", c.cell(v, 100))
	}
	if p.Basic != nil {
		fmt.Fprintf(b, "Basic:    user %s, password %s, colon %s\n", c.cell(p.Basic.User, 60), c.cell(p.Basic.Password, 40), yesNo(p.Basic.Colon))
	}
	if p.ClientID != "" || p.Secret != "" {
		fmt.Fprintf(b, "Client:   id %s, secret %s\n", c.cell(p.ClientID, 60), c.cell(p.Secret, 40))
	}
	for _, f := range p.Fields {
		fmt.Fprintf(b, "  %-24s %s\n", c.cell(f.Name, 24), c.cell(f.Value, 90))
	}
	for _, j := range p.JWTs() {
		fmt.Fprintf(b, "\n%s (%s; signature %s)\n", j.Name, j.Parts.Use, j.Parts.Signature)
		writeClaims(b, "header", j.Parts.Header, c)
		writeClaims(b, "claims", j.Parts.Claims, c)
	}
	if len(p.Keys) > 0 {
		fmt.Fprintf(b, "\nKeys (%d):\n", p.KeysTotal)
		for _, k := range p.Keys {
			fmt.Fprintf(b, "  %-28s %-4s %-10s %-6s %s\n", c.cell(orDash(k.Kid), 28), c.cell(k.Kty, 4), c.cell(k.Size, 10), c.cell(k.Alg, 6), c.cell(k.Use, 6))
		}
		if p.KeysTotal > len(p.Keys) {
			fmt.Fprintf(b, "  … %d more (--json lists the first %d)\n", p.KeysTotal-len(p.Keys), len(p.Keys))
		}
	}
}

func writeClaims(b *bytes.Buffer, title string, cs []authschemes.Claim, c decodedCleaner) {
	if len(cs) == 0 {
		return
	}
	fmt.Fprintf(b, "  %s:\n", title)
	for _, cl := range cs {
		v := c.cell(cl.Value, 60)
		if cl.Time != nil {
			v = cl.Time.UTC().Format("2006-01-02 15:04:05Z") + " (" + cl.Value + ")"
		}
		line := fmt.Sprintf("    %-12s %s", c.cell(cl.Name, 12), v)
		if cl.Meaning != "" {
			line += "  — " + c.cell(cl.Meaning, 70)
		}
		b.WriteString(line + "\n")
	}
}

func yesNo(v bool) string {
	if v {
		return "yes"
	}
	return "no"
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// runCredential examines a credential decode recognised and prints it.
func runCredential(ctx context.Context, sys IO, c decode.Credential, opts doctor.Options, f credFlags, timeout time.Duration, asJSON bool) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var err error
	if opts.Credential, err = credentialOptions(ctx, f, timeout); err != nil {
		return err
	}
	rep := doctor.ExamineCredential(c, opts)
	return writeCredential(sys, rep, append(rep.Secrets, envSecrets(sys)...), f.reveal, asJSON)
}

// writeCredential prints a credential's report, masked unless --reveal.
func writeCredential(sys IO, rep *doctor.Report, secrets []string, reveal, asJSON bool) error {
	if reveal {
		secrets = nil
	}
	if asJSON {
		return writeJSON(sys.Out, rep, secrets...)
	}
	return writeCredentialReport(sys.Out, rep, secrets)
}

package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/authscope/authscope/decode"
	"github.com/authscope/authscope/doctor"
	"github.com/authscope/authscope/model"
)

// examined is one input the doctor read: a paste, or a file by path.
type examined struct {
	report *doctor.Report
	name   string // the file's path; "" for a paste
	text   string // the paste as pasted, for the redacted copy
	read   readAs // how it was read: the provider assumed, keys allowed
}

// examinedMsg: the decode screen's input was read as a curl, curl -v
// output, raw request or HAR (err: it could not be read).
type examinedMsg struct {
	seq      int
	ex       examined
	decoded  *model.DecodedError // an error body or raw response: for the inspector
	shown    string              // the paste as `doctor --redact` writes it, to draw
	readFrom string              // a decoded answer: which provider it was read as, and from what
	err      error
}

// replayedMsg is a replay's outcome, for the findings screen.
type replayedMsg struct {
	seq    int
	result *doctor.ReplayResult
	err    error
}

// redactFailedMsg: no redacted copy was made (a secret would survive,
// or the input could not be read again).
type redactFailedMsg struct{ err error }

// Bounds: a replay's whole run, and a redacted copy for the clipboard.
const (
	replayTimeout  = 60 * time.Second
	sendTimeout    = 15 * time.Second
	maxRedactInput = 64 << 20
)

// examineCmd reads what the decode screen holds, off the event loop: a
// file by path (a HAR exported from the browser), a curl, curl -v output
// or a raw request for the doctor, anything else for the decoder as
// before (an error body or a raw response goes to the inspector).
func examineCmd(seq int, input string, read readAs, now func() time.Time) tea.Cmd {
	return func() tea.Msg {
		opts := doctor.Options{Provider: read.provider, Now: now, Credential: credentialOptions(read)}
		if path, ok := asPath(input); ok {
			file, err := os.Open(path)
			if err != nil {
				return examinedMsg{seq: seq, err: fmt.Errorf("cannot open %s: %v", path, unwrapPath(err))}
			}
			defer file.Close()
			if st, err := file.Stat(); err == nil && st.IsDir() {
				return examinedMsg{seq: seq, err: fmt.Errorf("%s is a directory: give a HAR file's path", path)}
			}
			opts.Name = path
			rep, err := doctor.Examine(file, opts)
			return examinedMsg{seq: seq, ex: examined{report: rep, name: path, read: read}, err: err}
		}
		// A credential (a token, a header line, a key, a JWKS…) first:
		// a token response or a JWKS is JSON, which Detect calls a response.
		if c, ok := decode.RecogniseCredential([]byte(input)); ok {
			rep := doctor.ExamineCredential(c, opts)
			shown := model.Scrub(input, rep.Secrets...)
			if len(strings.TrimSpace(input)) > 64<<10 {
				// Too long to scrub spelling by spelling; never drawn.
				shown = fmt.Sprintf("(%d bytes pasted: not drawn, they may hold a secret)", len(input))
			}
			return examinedMsg{seq: seq, ex: examined{report: rep, text: input, read: read}, shown: shown}
		}
		head := input[:min(len(input), 64<<10)]
		if doctor.Detect([]byte(head), "") == doctor.KindResponse {
			dec, from := decodePasted(input, read)
			return examinedMsg{seq: seq, decoded: &dec, readFrom: from, ex: examined{text: input, read: read}}
		}
		rep, err := doctor.ExamineText(input, opts)
		if err != nil {
			return examinedMsg{seq: seq, err: err}
		}
		// Drawn redacted: the mistake stays visible ("Bearer Bearer
		// scl_live_••••0Aze"), the key does not.
		shown, err := doctor.Redact([]byte(input), doctor.Options{Kind: rep.Input, Provider: read.provider, Now: now})
		if err != nil {
			shown = []byte(model.Scrub(input, rep.Secrets...))
		}
		return examinedMsg{seq: seq, ex: examined{report: rep, text: input, read: read}, shown: string(shown)}
	}
}

// asPath reports whether the text is one file path — typed, pasted, or
// dropped onto the terminal (quoted, or with escaped spaces) — rather
// than a paste to read.
func asPath(text string) (string, bool) {
	s := strings.TrimSpace(text)
	if s == "" || strings.ContainsAny(s, "\r\n") {
		return "", false
	}
	if len(s) >= 2 && (s[0] == '\'' || s[0] == '"') && s[len(s)-1] == s[0] {
		s = s[1 : len(s)-1]
	} else {
		s = strings.ReplaceAll(s, `\ `, " ")
	}
	s = strings.TrimPrefix(s, "file://")
	looks := strings.HasSuffix(strings.ToLower(s), ".har") ||
		strings.HasPrefix(s, "/") || strings.HasPrefix(s, "~/") || strings.HasPrefix(s, "./") || strings.HasPrefix(s, "../")
	if !looks || strings.HasPrefix(s, "{") {
		return "", false
	}
	if rest, ok := strings.CutPrefix(s, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			s = filepath.Join(home, rest)
		}
	}
	return s, true
}

// unwrapPath is the reason of a file error, without the path it repeats.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// replayCmd re-sends the request with each fix applied alone: on the
// in-process sandbox, or (real) to the host in the paste with the
// customer's credential.
func replayCmd(ctx context.Context, c common, seq int, rep *doctor.Report, entry int, real bool) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, replayTimeout)
		defer cancel()
		send := c.sendOptions(model.Target{})
		send.Timeout, send.Label = sendTimeout, "replay"
		ro := doctor.ReplayOptions{Real: real, Entry: entry, Send: send}
		if !real {
			base, err := c.sandbox.URL()
			if err != nil {
				return replayedMsg{seq: seq, err: fmt.Errorf("starting the sandbox: %w", err)}
			}
			ro.SandboxURL = base
		}
		res, err := doctor.Replay(ctx, rep, ro)
		return replayedMsg{seq: seq, result: res, err: err}
	}
}

// redactCmd makes the redacted copy (`authscope doctor --redact`) and
// puts it on the clipboard. Nothing is copied when a secret would
// survive: doctor.Redact refuses.
func redactCmd(clip Clipboard, ex examined) tea.Cmd {
	return func() tea.Msg {
		data := []byte(ex.text)
		if ex.report.Input == doctor.KindCredential {
			// A credential's redacted copy is the paste with its secret masked.
			copied := model.Scrub(model.Sanitize(ex.text), ex.report.Secrets...)
			report, err := clip.Copy(copied)
			text := model.Plain(copied)
			return copiedMsg{What: "redacted copy", Preview: previewLine(text), Report: report, Err: err, Text: text}
		}
		if ex.name != "" {
			file, err := os.Open(ex.name)
			if err != nil {
				return redactFailedMsg{fmt.Errorf("cannot open %s: %v", ex.name, unwrapPath(err))}
			}
			data, err = io.ReadAll(io.LimitReader(file, maxRedactInput+1))
			file.Close()
			if err != nil {
				return redactFailedMsg{err}
			}
			if len(data) > maxRedactInput {
				return redactFailedMsg{fmt.Errorf("the file is larger than %d MiB: use authscope doctor --redact %s > copy.har", maxRedactInput>>20, ex.name)}
			}
		}
		out, err := doctor.Redact(data, doctor.Options{Name: ex.name, Kind: ex.report.Input})
		if err != nil {
			return redactFailedMsg{err}
		}
		// A terminal pastes line ends as CR; a ticket or a shell wants LF.
		normalized, _ := decode.NormalizeLineEnds(out)
		copied := string(normalized)
		text := model.Plain(copied)
		report, err := clip.Copy(copied)
		return copiedMsg{What: "redacted copy", Preview: previewLine(text), Report: report, Err: err, Text: text}
	}
}

// failedResponse is the answer to open in the inspector: the one the
// most likely cause with a request id is about, else the first error.
func failedResponse(rep *doctor.Report) *doctor.Exchange {
	failed := func(i int) bool {
		return i >= 0 && i < len(rep.Exchanges) && rep.Exchanges[i].Response != nil &&
			(rep.Exchanges[i].Response.Status >= 400 || rep.Exchanges[i].Response.Pasted)
	}
	for _, fd := range rep.Findings {
		if fd.RequestID != "" && len(fd.Entries) > 0 && failed(fd.Entries[0]-1) {
			return &rep.Exchanges[fd.Entries[0]-1]
		}
	}
	for i := range rep.Exchanges {
		if failed(i) && rep.Exchanges[i].Response.Status >= 400 {
			return &rep.Exchanges[i]
		}
	}
	return nil
}

// inspectResponseCmd decodes one answer from the paste for the
// inspector, as the decode screen does with an error body.
func inspectResponseCmd(rep *doctor.Report, x *doctor.Exchange) tea.Cmd {
	resp := *x.Response
	provider, secrets := rep.Provider, rep.Secrets
	return func() tea.Msg {
		var dec model.DecodedError
		if resp.Pasted {
			dec = decode.Bytes(resp.Body, provider)
		} else {
			dec = decode.Decode(decode.Input{Provider: provider, Status: resp.Status, Header: resp.Header, Body: resp.Body})
		}
		decode.Diagnose(&dec, decode.Sent{Front: decode.FrontExplorer, Provider: provider})
		return inspectMsg{decoded: dec, secrets: secrets, pasted: true}
	}
}

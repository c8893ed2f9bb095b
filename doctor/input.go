package doctor

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/authscope/authscope/decode"
	"github.com/authscope/authscope/model"
)

// Options tune Examine.
type Options struct {
	Name     string           // the file name, if any: a .har name is read as HAR whatever it holds
	Kind     Kind             // force a format; "" detects it
	Provider string           // a provider id to assume when the host does not say
	Env      string           // the environment the customer says they meant (Scale: live or test)
	Now      func() time.Time // the local clock; time.Now when nil
	// Credential tunes a pasted credential's checks (ExamineCredential).
	Credential CredentialOptions
}

// Report is what Examine found.
type Report struct {
	Input       Kind          `json:"input"`
	Provider    string        `json:"provider"`
	Environment string        `json:"environment"`
	Host        string        `json:"host,omitempty"`
	Findings    []Finding     `json:"findings"`
	Requests    []RequestLine `json:"requests"`
	RequestIDs  []string      `json:"request_ids"`
	Notes       []string      `json:"notes,omitempty"`
	// A pasted credential (Input "credential"): its shape, the first
	// line (what it was read as and why), where the provider came from,
	// and its parts decoded and masked.
	Kind         string           `json:"kind,omitempty"`
	ReadAs       string           `json:"read_as,omitempty"`
	ProviderFrom string           `json:"provider_from,omitempty"`
	Credential   *CredentialParts `json:"credential,omitempty"`

	Exchanges []Exchange `json:"-"` // as parsed; holds secrets
	Secrets   []string   `json:"-"` // every secret found in the input, for scrubbing output
}

// RequestLine is one request in a few words (no secrets).
type RequestLine struct {
	Entry     int    `json:"entry"`
	Method    string `json:"method"`
	URL       string `json:"url"` // without its query
	Status    int    `json:"status,omitempty"`
	RequestID string `json:"request_id,omitempty"`
}

// maxTextInput bounds a non-HAR paste; HARs are streamed.
const maxTextInput = 16 << 20

// InputError is input that cannot be read at all (exit 2 in the CLI).
type InputError struct{ Msg string }

func (e *InputError) Error() string { return e.Msg }

func inputErr(err error) error { return &InputError{Msg: model.Sanitize(err.Error())} }

// ExamineText is Examine on text already in memory: what the explorer
// calls with a paste.
func ExamineText(text string, opts Options) (*Report, error) {
	return Examine(strings.NewReader(text), opts)
}

// Examine reads a paste or a file, recognises its format and returns the
// ranked findings. An *InputError means it could not be read at all.
func Examine(r io.Reader, opts Options) (*Report, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(64 << 10)
	kind := opts.Kind
	if kind == "" {
		kind = Detect(head, opts.Name)
	}
	var (
		xs    []Exchange
		notes []string
		err   error
	)
	if kind == KindHAR {
		xs, notes, err = readHAR(br)
	} else {
		var data []byte
		data, err = io.ReadAll(io.LimitReader(br, maxTextInput+1))
		if err == nil && len(data) > maxTextInput {
			err = fmt.Errorf("the input is larger than %d MiB; a paste is a few KB (for a HAR, name the file *.har)", maxTextInput>>20)
		}
		if err == nil && (opts.Kind == "" || opts.Kind == KindCredential) {
			if c, ok := decode.RecogniseCredential(data); ok {
				return ExamineCredential(c, opts), nil
			}
			if opts.Kind == KindCredential {
				err = errors.New("not a credential: a JWT, an Authorization line, a key, a client id and secret, a token response, a JWKS or a discovery document")
			}
		}
		if err == nil {
			xs, notes, err = parseText(kind, data)
		}
	}
	if err != nil {
		return nil, inputErr(err)
	}
	d := newDiagnosis(opts, kind, xs)
	d.report.Notes = append(d.report.Notes, notes...)
	d.run()
	return d.report, nil
}

func parseText(kind Kind, data []byte) ([]Exchange, []string, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil, errors.New("the input is empty")
	}
	text := string(data)
	switch kind {
	case KindCurl:
		req, notes, err := parseCurl(text)
		if err != nil {
			return nil, nil, err
		}
		return []Exchange{{Request: req}}, notes, nil
	case KindVerbose:
		return parseVerbose(text)
	case KindRaw:
		x, notes, err := parseRawRequest(text)
		if err != nil {
			return nil, nil, err
		}
		return []Exchange{x}, notes, nil
	}
	return []Exchange{{Response: responseOnly(data)}}, nil, nil
}

// Detect names the format of the first bytes of an input.
func Detect(head []byte, name string) Kind {
	if strings.HasSuffix(strings.ToLower(name), ".har") {
		return KindHAR
	}
	t := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(t) > 0 && t[0] == '{' && harHead().Match(t) {
		return KindHAR
	}
	text := normaliseLines(string(t))
	first := firstCommandLine(text)
	switch {
	case strings.HasPrefix(first, "HTTP/"), len(t) > 0 && (t[0] == '{' || t[0] == '['):
		return KindResponse
	case requestLine().MatchString(first):
		return KindRaw
	case verboseRequest().MatchString(text):
		return KindVerbose
	}
	word := strings.Fields(stripPrompt(first) + " ")
	if len(word) > 0 && (strings.EqualFold(word[0], "curl") || strings.HasSuffix(strings.ToLower(word[0]), "/curl") || strings.EqualFold(word[0], "curl.exe")) {
		return KindCurl
	}
	return KindResponse
}

// firstCommandLine is the first line that is not blank and not a shell
// comment: tickets often paste a script with its comments.
func firstCommandLine(text string) string {
	for n, line := range strings.Split(text, "\n") {
		if n > 50 {
			break
		}
		if l := strings.TrimSpace(line); l != "" && !strings.HasPrefix(l, "#") {
			return l
		}
	}
	return ""
}

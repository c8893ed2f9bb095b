package decode

// The error decoder: Decode and Bytes turn an error response into a
// model.DecodedError — the shape recognised, every field with its
// meaning, what the error means for the provider, what to do, and the
// request id. Knowledge of codes lives in errcatalog*.go as tables;
// shapes are tried in the order of jsonShapes (decode_shapes.go).
//
// Everything here is bounded: a body of any size, any bytes, decodes to a
// report (at worst "unknown input") without panicking, and the work done
// on it is capped (see the max… constants).

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/authscope/authscope/model"
)

// Input is one response to decode.
type Input struct {
	Provider string // provider id hint ("scaling", "scalekit", "scale"); may be ""
	Status   int    // HTTP status, 0 when unknown (a pasted body)
	Header   http.Header
	Body     []byte
}

// maxDecodeBody is how much of a body the decoder examines; the rest is
// reported, not read. Error bodies are small: this is far past any real
// one and still cheap to scan.
const maxDecodeBody = 32 << 20

// A message or code longer than this is a body, not a message: cut it.
const (
	maxMessageText = 4096
	maxCodeText    = 256
)

// decoding is the state of one Decode call.
type decoding struct {
	d      *model.DecodedError
	hint   string // a known provider id, or ""
	header http.Header
	body   []byte // BOM and surrounding white space removed
	root   *jsonNode
}

// Bytes decodes input that is either a bare body or a whole raw
// HTTP response (status line, headers, blank line, body; CRLF or LF), as
// pasted or piped from curl -si. A bare "WWW-Authenticate: …" line is read
// as that header.
func Bytes(input []byte, providerHint string) model.DecodedError {
	if raw, ok := ParseRawResponse(input); ok {
		d := Decode(Input{Provider: providerHint, Status: raw.Status, Header: raw.Header, Body: raw.Body})
		if d.StatusText == "" {
			d.StatusText = raw.Reason
		}
		notes := append([]string{fmt.Sprintf("read as a raw HTTP response: %s %d, %d header(s), %s body",
			raw.Proto, raw.Status, len(raw.Header), sizeText(int64(len(raw.Body))))}, raw.Notes...)
		d.Notes = append(notes, d.Notes...)
		return d
	}
	if h, body, ok := parseHeaderOnly(input); ok {
		return Decode(Input{Provider: providerHint, Header: h, Body: body})
	}
	return Decode(Input{Provider: providerHint, Body: input})
}

// Decode decodes one response whose status and headers are known apart
// from its body (the sender's Result, or a parsed raw response).
func Decode(in Input) model.DecodedError {
	d := model.DecodedError{Status: in.Status, StatusText: http.StatusText(in.Status)}
	x := &decoding{d: &d, header: in.Header}
	if x.header == nil {
		x.header = http.Header{}
	}
	x.setHint(in.Provider)
	x.body = x.prepareBody(in.Body)

	x.decodeBody()
	x.explainHeaders()
	x.applyChallenges()
	x.findRequestID()
	x.finish()
	return d
}

func (x *decoding) setHint(hint string) {
	if hint == "" {
		return
	}
	p, err := model.Lookup(hint)
	if err != nil {
		x.note("provider hint %q is not one authscope knows; decoded without it", hint)
		return
	}
	x.hint = p.ID
}

// prepareBody bounds the body, undoes gzip that was left on (curl without
// --compressed), notes invalid UTF-8, and trims a BOM and white space.
func (x *decoding) prepareBody(b []byte) []byte {
	if len(b) > maxDecodeBody {
		x.note("the body is %s; only the first %s was examined", sizeText(int64(len(b))), sizeText(maxDecodeBody))
		b = b[:maxDecodeBody]
	}
	if len(b) >= 2 && b[0] == 0x1f && b[1] == 0x8b {
		if plain, err := gunzip(b); err == nil {
			x.note("the body was gzip-compressed (%s); decoded the %s it expands to", sizeText(int64(len(b))), sizeText(int64(len(plain))))
			b = plain
		}
	}
	if !utf8.Valid(b) {
		x.note("the body is not valid UTF-8 (first bad byte at offset %d); bad bytes are shown as %q", firstInvalidUTF8(b), utf8.RuneError)
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	return bytes.TrimSpace(b)
}

func gunzip(b []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	out, err := io.ReadAll(io.LimitReader(zr, maxDecodeBody))
	if err != nil && len(out) == 0 {
		return nil, err
	}
	return out, nil
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return -1
}

// decodeBody picks the body's kind: empty, JSON (then its shape), HTML,
// plain text, or unknown bytes.
func (x *decoding) decodeBody() {
	b := x.body
	switch {
	case len(b) == 0:
		x.decodeEmpty()
	case b[0] == '{' || b[0] == '[':
		root, trailing, err := parseJSON(b)
		if err != nil {
			x.note("the body starts like JSON but does not parse (%s); read as text", clip(err.Error(), 120))
			x.decodeText()
			return
		}
		if trailing {
			x.note("there is more data after the first JSON value; only the first was decoded")
		}
		x.root = root
		x.decodeJSON()
	case looksHTML(b, x.header):
		x.decodeHTML()
	case looksBinary(b):
		x.decodeUnknown()
	default:
		x.decodeText()
	}
}

// setShape records the recognised shape and the provider it belongs to.
func (x *decoding) setShape(shape string, recognised bool) {
	x.d.Shape, x.d.Recognised = shape, recognised
	x.d.ShapeTitle = shapeTitles[shape]
	if p := shapeProvider(shape); p != "" {
		x.d.Provider = p
	}
}

// shapeProvider is the provider whose API errors use the shape, from the
// provider table itself.
func shapeProvider(shape string) string {
	for _, p := range model.Providers {
		if p.ErrorShape == shape {
			return p.ID
		}
	}
	return ""
}

// provider is the provider the advice should speak for: the shape's own,
// else the hint.
func (x *decoding) provider() string {
	if x.d.Provider != "" {
		return x.d.Provider
	}
	return x.hint
}

// bodyStatus reconciles a status written in the body with the response's.
func (x *decoding) bodyStatus(status int, field string) {
	if status < 100 || status > 999 {
		return
	}
	switch {
	case x.d.Status == 0:
		x.d.Status, x.d.StatusText = status, http.StatusText(status)
	case x.d.Status != status:
		x.note("the body's %s says %d but the response status was %d", field, status, x.d.Status)
	}
}

// explain sets meaning and advice when nothing more specific has.
func (x *decoding) explain(e explanation) {
	if x.d.Meaning == "" {
		x.d.Meaning = e.Meaning
	}
	if x.d.Advice == "" {
		x.d.Advice = e.Advice
	}
}

// statusExplanation is what the status alone says, for this provider.
func statusExplanation(provider string, status int) (explanation, bool) {
	if e, ok := statusOverlay[provider][status]; ok {
		return e, true
	}
	if provider == "scale" {
		if e, ok := scaleStatuses[status]; ok {
			return e, true
		}
	}
	e, ok := httpStatuses[status]
	return e, ok
}

// finish fills what the shape left open: the meaning from the status, the
// provider from the hint, the title, and a note when the hint and the
// shape disagree.
func (x *decoding) finish() {
	d := x.d
	d.Message = clip(d.Message, maxMessageText)
	d.Code = clip(d.Code, maxCodeText)
	if d.Meaning == "" || d.Advice == "" {
		if e, ok := statusExplanation(x.provider(), d.Status); ok {
			x.explain(e)
		}
	}
	if e, ok := shapeFallbacks[d.Shape]; ok {
		x.explain(e)
	}
	if d.Shape == model.ShapeUnknown && d.Meaning == "" {
		d.Meaning = "authscope does not recognise this input as an error response."
		d.Advice = "Paste the whole response (curl -si shows the status line and headers too), or pass --provider to say which API answered."
	}
	if own := shapeProvider(d.Shape); own != "" && x.hint != "" && own != x.hint {
		x.note("this is a %s error, but the provider given was %s: check the base URL points at %s",
			providerName(own), providerName(x.hint), providerName(x.hint))
	}
	if d.Provider == "" {
		d.Provider = x.hint
	}
	if d.Status >= 200 && d.Status < 300 {
		x.note("status %d is a success, not an error", d.Status)
	}
	if d.ShapeTitle == "" {
		d.ShapeTitle = shapeTitles[d.Shape]
	}
}

func providerName(id string) string {
	if p, err := model.Lookup(id); err == nil {
		return p.Name
	}
	return id
}

func (x *decoding) note(format string, args ...any) {
	x.d.Notes = append(x.d.Notes, fmt.Sprintf(format, args...))
}

// sizeText writes a size the way people read it: 512 B, 4 KiB, 20 MiB.
func sizeText(n int64) string {
	const unit = 1024
	switch {
	case n < unit:
		return fmt.Sprintf("%d B", n)
	case n < unit*unit:
		return strings.TrimSuffix(fmt.Sprintf("%.1f", float64(n)/unit), ".0") + " KiB"
	}
	return strings.TrimSuffix(fmt.Sprintf("%.1f", float64(n)/(unit*unit)), ".0") + " MiB"
}

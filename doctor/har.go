package doctor

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// harEntry is the part of a HAR 1.2 entry the checks read.
type harEntry struct {
	StartedDateTime string  `json:"startedDateTime"`
	Time            float64 `json:"time"`
	Request         struct {
		Method   string   `json:"method"`
		URL      string   `json:"url"`
		Headers  []harNV  `json:"headers"`
		Cookies  []harNV  `json:"cookies"`
		PostData *harPost `json:"postData"`
		Query    []harNV  `json:"queryString"`
	} `json:"request"`
	Response struct {
		Status     int     `json:"status"`
		StatusText string  `json:"statusText"`
		Headers    []harNV `json:"headers"`
		Content    struct {
			Text     string `json:"text"`
			Encoding string `json:"encoding"`
			MimeType string `json:"mimeType"`
		} `json:"content"`
	} `json:"response"`
}

type harNV struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type harPost struct {
	MimeType string  `json:"mimeType"`
	Text     string  `json:"text"`
	Params   []harNV `json:"params"`
}

// Bounds on what one HAR may make the doctor keep.
const (
	maxHAREntries  = 100000
	maxKeptBody    = 1 << 20 // a response body kept for decoding (errors, token responses)
	maxKeptReqBody = 64 << 10
)

// readHAR streams a HAR file entry by entry, so that memory follows the
// largest entry, not the file: only the headers of each entry are kept,
// and bodies only where a check reads them (errors and token responses).
func readHAR(r io.Reader) ([]Exchange, []string, error) {
	var out []Exchange
	notes, err := eachHAREntry(r, func(e *harEntry) { out = append(out, e.exchange(len(out))) })
	if err != nil {
		return nil, nil, err
	}
	return out, notes, nil
}

// countHAREntries reads a HAR as readHAR does, keeping nothing but the
// number of its entries.
func countHAREntries(r io.Reader) (int, error) {
	n := 0
	_, err := eachHAREntry(r, func(*harEntry) { n++ })
	return n, err
}

// eachHAREntry decodes the entries of a HAR one at a time and hands each
// to fn (at most maxHAREntries).
func eachHAREntry(r io.Reader, fn func(*harEntry)) ([]string, error) {
	dec := json.NewDecoder(r)
	if err := expectDelim(dec, '{'); err != nil {
		return nil, harError(dec, err)
	}
	var notes []string
	count := 0
	foundLog, foundEntries := false, false
	for dec.More() {
		key, err := objectKey(dec)
		if err != nil {
			return nil, harError(dec, err)
		}
		if key != "log" {
			if err := skipValue(dec); err != nil {
				return nil, harError(dec, err)
			}
			continue
		}
		foundLog = true
		if err := expectDelim(dec, '{'); err != nil {
			return nil, errors.New("not a HAR file: \"log\" is not an object")
		}
		for dec.More() {
			k, err := objectKey(dec)
			if err != nil {
				return nil, harError(dec, err)
			}
			if k != "entries" {
				if err := skipValue(dec); err != nil {
					return nil, harError(dec, err)
				}
				continue
			}
			foundEntries = true
			if err := expectDelim(dec, '['); err != nil {
				return nil, errors.New("not a HAR file: \"log.entries\" is not an array")
			}
			for dec.More() {
				var e harEntry
				if err := dec.Decode(&e); err != nil {
					return nil, harError(dec, fmt.Errorf("entry %d: %w", count+1, err))
				}
				if count >= maxHAREntries {
					notes = append(notes, fmt.Sprintf("more than %d entries; the rest were not examined", maxHAREntries))
					return notes, nil
				}
				count++
				fn(&e)
			}
			if _, err := dec.Token(); err != nil {
				return nil, harError(dec, err)
			}
		}
		if _, err := dec.Token(); err != nil {
			return nil, harError(dec, err)
		}
	}
	switch {
	case !foundLog:
		return nil, errors.New("JSON, but not a HAR file: no \"log\" object")
	case !foundEntries:
		return nil, errors.New("not a HAR file: \"log\" has no \"entries\"")
	}
	return notes, nil
}

func (e *harEntry) exchange(i int) Exchange {
	x := Exchange{Index: i}
	x.Started, _ = time.Parse(time.RFC3339Nano, e.StartedDateTime)
	x.Duration = time.Duration(e.Time * float64(time.Millisecond))
	x.Request = Request{Method: e.Request.Method, URL: e.Request.URL}
	for _, h := range e.Request.Headers {
		if strings.HasPrefix(h.Name, ":") {
			continue // HTTP/2 pseudo-headers repeat the method and URL
		}
		x.Request.Headers = append(x.Request.Headers, Header{Name: h.Name, Value: h.Value})
	}
	if e.Request.PostData != nil && len(e.Request.PostData.Text) <= maxKeptReqBody {
		x.Request.Body = e.Request.PostData.Text
		if x.Request.Body == "" && len(e.Request.PostData.Params) > 0 {
			var parts []string
			for _, p := range e.Request.PostData.Params {
				parts = append(parts, p.Name+"="+p.Value)
			}
			x.Request.Body = strings.Join(parts, "&")
		}
	}
	if e.Response.Status == 0 {
		return x // no answer (blocked, cancelled): HAR writes status 0
	}
	resp := &Response{Status: e.Response.Status, Reason: e.Response.StatusText, Header: http.Header{}}
	for _, h := range e.Response.Headers {
		resp.Header.Add(h.Name, h.Value)
	}
	if e.Response.Status >= 400 || isTokenURL(e.Request.URL) {
		text := e.Response.Content.Text
		if len(text) > maxKeptBody {
			text = text[:maxKeptBody]
		}
		if e.Response.Content.Encoding == "base64" {
			if b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(text)); err == nil {
				resp.Body = b
			}
		} else {
			resp.Body = []byte(text)
		}
	}
	x.Response = resp
	return x
}

func isTokenURL(u string) bool {
	path, _, _ := strings.Cut(u, "?")
	return strings.HasSuffix(path, "/oauth/token") || strings.HasSuffix(path, "/token")
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("expected %q", string(want))
	}
	return nil
}

func objectKey(dec *json.Decoder) (string, error) {
	tok, err := dec.Token()
	if err != nil {
		return "", err
	}
	k, ok := tok.(string)
	if !ok {
		return "", errors.New("expected an object key")
	}
	return k, nil
}

// skipValue reads past one JSON value without keeping it.
func skipValue(dec *json.Decoder) error {
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{', '[':
				depth++
			default:
				depth--
			}
		}
		if depth == 0 {
			return nil
		}
	}
}

// harError is one line: where the HAR stopped being readable.
func harError(dec *json.Decoder, err error) error {
	msg := shortParseError(err)
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		msg = "it ends early (truncated?)"
	}
	return fmt.Errorf("the HAR file is not valid JSON near byte %d: %s", dec.InputOffset(), msg)
}

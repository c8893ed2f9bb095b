package doctor

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
)

// The session's history written as HAR 1.2 (the explorer's export and
// `authscope request --har`), redacted by Redact — the same code as
// `doctor --redact` — so that what the doctor and a browser's developer
// tools read back holds no secret.

type sessionHAR struct {
	Log struct {
		Version string `json:"version"`
		Creator struct {
			Name    string `json:"name"`
			Version string `json:"version"`
		} `json:"creator"`
		Pages   []any           `json:"pages"`
		Entries []sessionHAREnt `json:"entries"`
		Comment string          `json:"comment,omitempty"`
	} `json:"log"`
}

type sessionHAREnt struct {
	StartedDateTime string        `json:"startedDateTime"`
	Time            float64       `json:"time"`
	Request         sessionHARReq `json:"request"`
	Response        sessionHARRes `json:"response"`
	Cache           struct{}      `json:"cache"`
	Timings         harTimings    `json:"timings"`
	Comment         string        `json:"comment,omitempty"`
}

type sessionHARReq struct {
	Method      string   `json:"method"`
	URL         string   `json:"url"`
	HTTPVersion string   `json:"httpVersion"`
	Cookies     []harNV  `json:"cookies"`
	Headers     []harNV  `json:"headers"`
	QueryString []harNV  `json:"queryString"`
	PostData    *harPost `json:"postData,omitempty"`
	HeadersSize int      `json:"headersSize"`
	BodySize    int      `json:"bodySize"`
}

type sessionHARRes struct {
	Status      int     `json:"status"`
	StatusText  string  `json:"statusText"`
	HTTPVersion string  `json:"httpVersion"`
	Cookies     []harNV `json:"cookies"`
	Headers     []harNV `json:"headers"`
	Content     struct {
		Size     int    `json:"size"`
		MimeType string `json:"mimeType"`
		Text     string `json:"text,omitempty"`
		Comment  string `json:"comment,omitempty"`
	} `json:"content"`
	RedirectURL string `json:"redirectURL"`
	HeadersSize int    `json:"headersSize"`
	BodySize    int    `json:"bodySize"`
	Comment     string `json:"comment,omitempty"`
}

type harTimings struct {
	Blocked float64 `json:"blocked"`
	DNS     float64 `json:"dns"`
	Connect float64 `json:"connect"`
	SSL     float64 `json:"ssl"`
	Send    float64 `json:"send"`
	Wait    float64 `json:"wait"`
	Receive float64 `json:"receive"`
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// SessionHAR writes the entries as a HAR 1.2 file with every secret
// redacted as `doctor --redact` redacts a HAR; the secrets the entries
// carried are checked for afterwards, and the export is refused if one
// survives.
func SessionHAR(entries []*requests.Entry, version string) ([]byte, error) {
	var h sessionHAR
	h.Log.Version = "1.2"
	h.Log.Creator.Name, h.Log.Creator.Version = "authscope", version
	h.Log.Pages = []any{}
	h.Log.Entries = []sessionHAREnt{}
	h.Log.Comment = fmt.Sprintf("authscope session: %d requests, secrets redacted", len(entries))
	// Each secret once: a session repeats the same key in every entry, and
	// the survivor check below scans the whole output per secret.
	var secrets []string
	seen := map[string]bool{}
	for _, e := range entries {
		h.Log.Entries = append(h.Log.Entries, harEntryOf(e))
		for _, s := range append(e.Request.Secrets(), e.Secrets...) {
			if !seen[s] {
				seen[s] = true
				secrets = append(secrets, s)
			}
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(h); err != nil {
		return nil, err
	}
	if len(entries) == 0 {
		return buf.Bytes(), nil
	}
	out, err := Redact(buf.Bytes(), Options{Kind: KindHAR, Name: "session.har"})
	if err != nil {
		return nil, err
	}
	// The secrets authscope itself marked (a key in a custom header the
	// doctor does not know by name) go too, by the same masking.
	out = []byte(model.Scrub(string(out), secrets...))
	for _, s := range secrets {
		if len(s) >= 6 && bytes.Contains(out, []byte(s)) {
			return nil, fmt.Errorf("a secret would survive redaction: nothing was written")
		}
	}
	if _, _, err := readHAR(bytes.NewReader(out)); err != nil {
		return nil, fmt.Errorf("the redacted HAR would not read back: %v", err)
	}
	return out, nil
}

func harEntryOf(e *requests.Entry) sessionHAREnt {
	var x sessionHAREnt
	x.StartedDateTime = e.Time.UTC().Format(time.RFC3339Nano)
	x.Time = ms(e.Duration)
	req := e.Request
	x.Request = sessionHARReq{Method: req.Method, URL: req.URL, HTTPVersion: "HTTP/1.1", Cookies: []harNV{}, Headers: []harNV{}, QueryString: []harNV{}, HeadersSize: -1}
	if u, err := url.Parse(req.URL); err == nil {
		x.Request.Headers = append(x.Request.Headers, harNV{Name: "Host", Value: u.Host})
		q := u.Query()
		keys := make([]string, 0, len(q))
		for k := range q {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			for _, v := range q[k] {
				x.Request.QueryString = append(x.Request.QueryString, harNV{Name: k, Value: v})
			}
		}
	}
	ct := ""
	for _, hd := range req.Headers {
		x.Request.Headers = append(x.Request.Headers, harNV{Name: hd.Name, Value: hd.Value.Reveal()})
		if strings.EqualFold(hd.Name, "Content-Type") {
			ct = hd.Value.Reveal()
		}
	}
	body := req.Body.Reveal()
	x.Request.BodySize = len(body)
	if body != "" {
		x.Request.PostData = &harPost{MimeType: ct, Text: body}
	}
	x.Comment = e.Label
	if e.Target != "" {
		x.Comment = e.Label + " · " + e.Target
	}
	r := &x.Response
	r.Cookies, r.Headers, r.HTTPVersion, r.HeadersSize, r.BodySize = []harNV{}, []harNV{}, "", -1, -1
	if e.Result == nil {
		// No answer: browsers write status 0 and say why.
		r.Comment = "no answer: " + e.Err
		r.Content.MimeType = "x-unknown"
		return x
	}
	res := e.Result
	r.Status, r.HTTPVersion = res.Status, res.Proto
	r.StatusText = strings.TrimSpace(strings.TrimPrefix(res.StatusText, fmt.Sprint(res.Status)))
	names := make([]string, 0, len(res.Header))
	for n := range res.Header {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		for _, v := range res.Header[n] {
			r.Headers = append(r.Headers, harNV{Name: n, Value: v})
		}
	}
	r.RedirectURL = res.Header.Get("Location")
	mt := res.Header.Get("Content-Type")
	if mt == "" {
		mt = "x-unknown"
	}
	r.Content.MimeType = mt
	r.Content.Size = len(res.Body)
	r.BodySize = len(res.Body)
	if isText(mt, res.Body) {
		r.Content.Text = string(res.Body)
	} else if len(res.Body) > 0 {
		r.Content.Comment = "binary body left out"
	}
	if res.Truncated {
		r.Content.Comment = "body " + res.TruncatedNote()
	}
	if e.BodyDropped {
		r.Content.Comment = "body dropped to keep the session's history within its memory bound"
	}
	t := res.Timing
	x.Timings = harTimings{Blocked: -1, DNS: msOr(t.DNS), Connect: msOr(t.Connect + t.TLS), SSL: msOr(t.TLS), Send: 0, Wait: ms(t.FirstByte), Receive: ms(t.Transfer)}
	return x
}

func msOr(d time.Duration) float64 {
	if d <= 0 {
		return -1
	}
	return ms(d)
}

func isText(ct string, body []byte) bool {
	mt, _, _ := mime.ParseMediaType(ct)
	if strings.HasPrefix(mt, "text/") || strings.Contains(mt, "json") || strings.Contains(mt, "xml") || strings.Contains(mt, "x-www-form-urlencoded") {
		return true
	}
	return !bytes.ContainsRune(body, 0) && json.Valid(body)
}

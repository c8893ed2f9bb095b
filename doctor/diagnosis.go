package doctor

import (
	"fmt"
	"strings"
	"time"

	"github.com/authscope/authscope/decode"
	"github.com/authscope/authscope/model"
)

// diagnosis is the state of one Examine.
type diagnosis struct {
	opts     Options
	report   *Report
	findings []Finding
	places   map[string]int // provider/env → requests that went there
	first    Place
	multi    bool
	ids      map[string]bool
	envNoted bool
}

func newDiagnosis(opts Options, kind Kind, xs []Exchange) *diagnosis {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &diagnosis{
		opts:   opts,
		report: &Report{Input: kind, Exchanges: xs, Findings: []Finding{}, Requests: []RequestLine{}, RequestIDs: []string{}},
		places: map[string]int{}, multi: len(xs) > 1, ids: map[string]bool{},
	}
}

func (d *diagnosis) run() {
	xs := d.report.Exchanges
	for i := range xs {
		x := &xs[i]
		if d.relevant(x) {
			d.checkRequest(x)
		} else {
			d.collectIDs(x, "")
		}
		d.report.Requests = append(d.report.Requests, d.line(x))
	}
	if d.multi {
		d.checkSequence(xs)
	}
	if d.first.Known {
		d.report.Provider, d.report.Environment = d.first.Provider.ID, d.first.Env.ID
		d.report.Host = model.Sanitize(d.first.Detail)
	} else if len(xs) > 0 && xs[0].Request.URL != "" {
		pl := identify(xs[0].Request.URL, "", "")
		d.report.Host = model.Sanitize(pl.Detail)
		if !d.multi {
			d.findings = append(d.findings, Finding{Check: "unknown-host", Severity: SevInfo, weight: wContext,
				Title:    "The host is not one authscope knows: provider-specific checks were skipped",
				Evidence: "host " + model.Sanitize(pl.Host),
				Fix:      "Pass --provider scaling|scalekit|scale if the request goes through a proxy or custom domain."})
		}
	}
	if len(d.places) > 1 {
		var ps []string
		for k, n := range d.places {
			ps = append(ps, fmt.Sprintf("%s (%d)", k, n))
		}
		d.report.Notes = append(d.report.Notes, "requests went to several providers/environments: "+strings.Join(sortStrings(ps), ", "))
	}
	d.report.Findings = rank(d.findings)
	d.report.Secrets = collectSecrets(xs)
}

// relevant: a request worth the per-request checks — one to a known
// provider, one carrying credentials, or one that failed. A browser HAR
// is mostly images and scripts.
func (d *diagnosis) relevant(x *Exchange) bool {
	if !d.multi || x.Response != nil && x.Response.Pasted {
		return true
	}
	if _, ok := x.Request.Get("Authorization"); ok {
		return true
	}
	if x.Response != nil && (x.Response.Status == 401 || x.Response.Status == 403) {
		return true
	}
	return identify(x.Request.URL, "", "").Known
}

func (d *diagnosis) place(pl Place) {
	if !pl.Known {
		return
	}
	if !d.first.Known {
		d.first = pl
	}
	d.places[pl.Provider.ID+"/"+pl.Env.ID]++
}

func (d *diagnosis) entry(x *Exchange) []int {
	if !d.multi {
		return nil
	}
	return []int{x.Index + 1}
}

func (d *diagnosis) line(x *Exchange) RequestLine {
	l := RequestLine{Entry: x.Index + 1, Method: model.Sanitize(x.Request.Method)}
	if x.Request.URL != "" {
		l.URL = shortURL(x.Request.URL)
	}
	if x.Response != nil {
		l.Status = x.Response.Status
		l.RequestID = model.Sanitize(headerRequestID(x.Response))
	}
	return l
}

// checkResponse decodes the answer as `decode` does, with what is known
// about the request, and names its request id.
// explained: a finding about the request itself already names the cause,
// so the decoder's own guess (made without seeing the request) is left out.
func (d *diagnosis) checkResponse(x *Exchange, pl Place, cred credential, explained bool, add func(Finding)) {
	resp := x.Response
	if resp == nil {
		return
	}
	hint := ""
	if pl.Known {
		hint = pl.Provider.ID
	} else {
		hint = d.opts.Provider
	}
	var dec model.DecodedError
	if resp.Pasted {
		dec = decode.Bytes(resp.Body, hint)
		if raw, ok := decode.ParseRawResponse(resp.Body); ok {
			resp.Status, resp.Reason, resp.Header = raw.Status, raw.Reason, raw.Header
		}
		if dec.Provider != "" {
			if p, err := model.Lookup(dec.Provider); err == nil && !d.first.Known {
				d.first = Place{Provider: p, Known: true, Env: model.Environment{ID: "unknown", Label: "not in the paste"}}
			}
		}
	} else {
		if resp.Status < 400 {
			d.collectIDs(x, "")
			return
		}
		dec = decode.Decode(decode.Input{Provider: hint, Status: resp.Status, Header: resp.Header, Body: resp.Body})
	}
	decode.Diagnose(&dec, decode.Sent{Provider: hint, AuthScheme: cred.scheme, KeyMode: keyModeOf(cred)})
	d.collectIDs(x, dec.RequestID)
	if dec.Status > 0 && dec.Status < 400 && resp.Pasted {
		return
	}
	title := "The server answered"
	if dec.Status > 0 {
		title += fmt.Sprintf(" %d", dec.Status)
	}
	if dec.Code != "" {
		title += " " + dec.Code
		if dec.CodeName != "" {
			title += " (" + dec.CodeName + ")"
		}
	}
	if dec.Message != "" {
		title += ": " + oneLine(dec.Message, 100)
	}
	if !dec.Recognised && dec.Status == 0 {
		title = "The input is not a request, and not an error body authscope recognises"
	}
	var ev []string
	if dec.RequestID != "" {
		ev = append(ev, "request id "+dec.RequestID+" ("+dec.RequestIDSource+")")
	}
	if dec.ShapeTitle != "" {
		ev = append(ev, dec.ShapeTitle)
	}
	if dec.Meaning != "" {
		ev = append(ev, dec.Meaning)
	}
	fix := dec.Advice
	if explained {
		fix = "The request's own mistake (above) explains this answer. " + fix
	} else if dec.LikelyCause != "" {
		fix = "Likely cause: " + dec.LikelyCause + ". " + fix
	}
	sev := SevError
	if !dec.Recognised && dec.Status == 0 {
		sev = SevInfo
	}
	add(Finding{Check: "response", Severity: sev, weight: wResponse, Title: model.Sanitize(title), RequestID: model.Sanitize(dec.RequestID),
		Evidence: model.Sanitize(strings.Join(ev, "; ")), Fix: model.Sanitize(strings.TrimSpace(fix))})
	if resp.Status == 404 && keyModeOf(cred) == "test" && pl.Known && pl.Provider.ID == "scale" {
		add(Finding{Check: "test-key-404", Severity: SevWarning, weight: wEnv, repair: repairLiveKey(pl.Provider),
			Title:    "A test key got 404: test keys see only test data, so a live project is \"not found\"",
			Evidence: "the key starts with test_",
			Fix:      "Use the live_ key for live projects, or create the project in test mode."})
	}
}

func keyModeOf(c credential) string {
	k := strings.TrimSpace(c.key())
	switch {
	case strings.HasPrefix(k, "live_"):
		return "live"
	case strings.HasPrefix(k, "test_"):
		return "test"
	}
	return ""
}

// collectIDs keeps every request id, from the headers and the body.
func (d *diagnosis) collectIDs(x *Exchange, fromBody string) {
	for _, id := range []string{fromBody, headerRequestID(x.Response)} {
		id = model.Sanitize(strings.TrimSpace(id))
		if id != "" && !d.ids[id] && len(d.ids) < 100000 {
			d.ids[id] = true
			d.report.RequestIDs = append(d.report.RequestIDs, id)
		}
	}
}

func headerRequestID(r *Response) string {
	if r == nil || r.Header == nil {
		return ""
	}
	for _, n := range []string{"X-Request-Id", "Request-Id", "X-Amzn-Requestid", "X-Correlation-Id", "Cf-Ray"} {
		if v := r.Header.Get(n); v != "" {
			return v
		}
	}
	return ""
}

func responseOnly(data []byte) *Response {
	return &Response{Body: data, Pasted: true}
}

func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

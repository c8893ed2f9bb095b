package requests

import (
	"bytes"
	"encoding/json"
	"net/url"
	"sync"
	"time"

	"github.com/authscope/authscope/model"
)

// Bounds on the session's history: it lives in memory for as long as the
// program runs, so it keeps at most MaxHistory requests, and at most
// MaxHistoryBodies bytes of bodies (request and response) — past that
// the oldest entries keep their line (time, method, path, status,
// request id) and lose their bodies, saying so.
const (
	MaxHistory       = 10000
	MaxHistoryBodies = 64 << 20
)

// Entry is one request the session sent, as sent and as answered.
type Entry struct {
	Seq      int       // 1 for the session's first request
	Time     time.Time // when it was sent
	Label    string    // what sent it: a sample's name, "edited", "token request", "replay"
	Target   string    // "Scaling · Sandbox", when known
	Request  model.HTTPRequest
	Result   *Result // nil when no answer came
	Err      string  // why no answer came
	Duration time.Duration
	// Secrets are every secret the request involved, for scrubbing text
	// assembled outside model.Text (a body a server echoed), and those
	// its answer brought (AnswerSecrets: a token response's tokens).
	Secrets     []string
	BodyDropped bool // the bodies (request and response) went to keep the history within MaxHistoryBodies
}

// Status is the answer's status, 0 for none.
func (e *Entry) Status() int {
	if e.Result == nil {
		return 0
	}
	return e.Result.Status
}

// RequestID is the id the server gave the request, "" for none.
func (e *Entry) RequestID() string {
	if e.Result == nil {
		return ""
	}
	return e.Result.RequestID()
}

// Path is the request's path and query.
func (e *Entry) Path() string { return shortPath(e.Request.URL) }

// Host is the request's host.
func (e *Entry) Host() string {
	if u, err := url.Parse(e.Request.URL); err == nil {
		return u.Host
	}
	return ""
}

func (e *Entry) bodyBytes() int {
	n := len(e.Request.Body.Reveal())
	if e.Result != nil {
		n += len(e.Result.Body) + len(e.Result.RawResponse)
	}
	return n
}

// History is the session's requests, safe for the sender's goroutines.
// The zero value is ready; a nil *History records nothing.
type History struct {
	mu      sync.Mutex
	entries []*Entry // oldest first
	seq     int
	bodies  int
	// dropped counts entries that fell off the start (past MaxHistory).
	dropped int
}

// Add records one request and returns its sequence number.
func (h *History) Add(e Entry) int {
	if h == nil {
		return 0
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.seq++
	e.Seq = h.seq
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	h.entries = append(h.entries, &e)
	h.bodies += e.bodyBytes()
	if len(h.entries) > MaxHistory {
		old := h.entries[0]
		h.bodies -= old.bodyBytes()
		h.entries[0] = nil
		h.entries = h.entries[1:]
		h.dropped++
	}
	for i := 0; h.bodies > MaxHistoryBodies && i < len(h.entries)-1; i++ {
		old := h.entries[i]
		if old.BodyDropped || old.bodyBytes() == 0 {
			continue
		}
		h.bodies -= old.bodyBytes()
		// A new entry, not an edit of the old one: a screen may be
		// reading it (entries are shared without the lock once handed out).
		slim := *old
		if old.Result != nil {
			res := *old.Result
			res.Body, res.RawResponse = nil, ""
			slim.Result = &res
		}
		slim.Request.Body, slim.BodyDropped = nil, true
		h.entries[i] = &slim
		h.bodies += slim.bodyBytes()
	}
	return e.Seq
}

// Len is how many requests the history holds.
func (h *History) Len() int {
	if h == nil {
		return 0
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.entries)
}

// Dropped is how many of the oldest requests fell off (past MaxHistory).
func (h *History) Dropped() int {
	if h == nil {
		return 0
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.dropped
}

// Newest returns up to n entries from the i-th newest (0 = the newest),
// newest first: what a screen shows, without copying ten thousand.
func (h *History) Newest(i, n int) []*Entry {
	if h == nil {
		return nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []*Entry
	for k := len(h.entries) - 1 - i; k >= 0 && len(out) < n; k-- {
		out = append(out, h.entries[k])
	}
	return out
}

// All returns every entry, oldest first (for an export).
func (h *History) All() []*Entry {
	if h == nil {
		return nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]*Entry(nil), h.entries...)
}

// Secrets lists every secret the session's requests carried.
func (h *History) Secrets() []string {
	var out []string
	seen := map[string]bool{}
	for _, e := range h.All() {
		for _, s := range append(e.Request.Secrets(), e.Secrets...) {
			if s != "" && !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}

// record adds what one Send did to the history in opts, if any.
func record(opts Options, req model.HTTPRequest, res *Result, started time.Time, err error) {
	if opts.History == nil || opts.step == StepJWKS {
		// The JWKS fetch is the token's signature check, not a request
		// the user sent: it carries no credential, and read back by the
		// doctor it would look like a request missing one.
		return
	}
	e := Entry{Time: started, Label: opts.Label, Target: opts.TargetLabel, Request: req, Result: res, Duration: time.Since(started), Secrets: opts.Secrets}
	if more := AnswerSecrets(res); len(more) > 0 {
		e.Secrets = append(append([]string(nil), opts.Secrets...), more...)
	}
	if e.Label == "" {
		e.Label = opts.step
	}
	if res != nil {
		e.Duration = res.Ended.Sub(res.Started)
	}
	if err != nil {
		e.Err = model.Sanitize(err.Error())
	}
	opts.History.Add(e)
}

// tokenFields are the fields that carry a credential in a token response
// (RFC 6749 §5.1, OpenID Connect Core §3.1.3.3) or, for the implicit
// flow, in a redirect's fragment.
var tokenFields = []string{"access_token", "refresh_token", "id_token"}

// maxAnswerScan bounds the body AnswerSecrets reads: a token response is
// a few KiB, and every answer the session gets passes through here.
const maxAnswerScan = 64 << 10

// AnswerSecrets are the secrets that arrive in an answer, known only once
// it is in: a token response's tokens, and the authorization code (or an
// implicit flow's tokens) in a redirect's Location. A request's own
// secrets are marked before it leaves; these are not, so whatever shows
// an answer again (the history, an edited request's answer) masks them
// with this list.
func AnswerSecrets(res *Result) []string {
	if res == nil {
		return nil
	}
	var out []string
	add := func(v string) {
		if v != "" {
			out = append(out, v)
		}
	}
	if loc, err := url.Parse(res.Header.Get("Location")); err == nil {
		for _, part := range []string{loc.RawQuery, loc.EscapedFragment()} { // both still escaped: ParseQuery decodes once
			values, _ := url.ParseQuery(part)
			add(values.Get("code"))
			for _, name := range tokenFields {
				add(values.Get(name))
			}
		}
	}
	if len(res.Body) <= maxAnswerScan && bytes.Contains(res.Body, []byte(`_token"`)) {
		var fields map[string]json.RawMessage
		if json.Unmarshal(res.Body, &fields) == nil {
			for _, name := range tokenFields {
				var v string
				if json.Unmarshal(fields[name], &v) == nil {
					add(v)
				}
			}
		}
	}
	return out
}

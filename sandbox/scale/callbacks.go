package scale

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/sandbox/wire"
)

// CallbackHeader is the header Scale sets on its callbacks, written in
// lower case as Scale's docs spell it.
const CallbackHeader = "scale-callback-auth"

// Callback delivery is bounded: at most maxCallbacks in flight, three
// attempts each (Scale retries non-2xx answers), callbackTimeout per
// attempt for the whole exchange; redirects are never followed.
const (
	maxCallbacks     = 8
	callbackAttempts = 3
	callbackTimeout  = 5 * time.Second
	// maxCallbackRecords is how many callbacks GET /v1/sandbox/callbacks
	// remembers per sandbox; the oldest makes way.
	maxCallbackRecords = 100
)

// callbackBody is what a callback carries: the completed task and its
// response, as Scale posts them.
type callbackBody struct {
	TaskID   string `json:"task_id"`
	Status   string `json:"status"`
	Response any    `json:"response"`
	Task     task   `json:"task"`
}

// checkCallbackURL accepts what Scale accepts: an http or https URL with
// a host, or an email address. Where it points is decided at delivery.
func checkCallbackURL(raw string) error {
	if !strings.Contains(raw, "://") {
		if a, err := mail.ParseAddress(raw); err == nil && a.Address == raw {
			return nil
		}
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Hostname() == "" {
		return fmt.Errorf("callback_url must be a full http:// or https:// URL or an email address.")
	}
	return nil
}

// callbackRecord is one callback as GET /v1/sandbox/callbacks shows it.
type callbackRecord struct {
	TaskID string `json:"task_id"`
	URL    string `json:"url"` // user info and query values masked
	// Result is "delivered", "failed" (every attempt answered non-2xx or
	// did not answer), "not_sent" (not a loopback target: recorded
	// instead), "dropped" (too many in flight) or "pending".
	Result     string `json:"result"`
	Attempts   int    `json:"attempts"`
	LastStatus int    `json:"last_status,omitempty"`
	Detail     string `json:"detail,omitempty"`
	At         string `json:"at"`
	mode       string
}

type callbacks struct {
	mu      sync.Mutex
	stopped bool
	wg      sync.WaitGroup
	ctx     context.Context
	cancel  context.CancelFunc
	slots   chan struct{}
	client  *http.Client
	backoff time.Duration
	logf    func(format string, args ...any)
	now     func() time.Time

	recMu   sync.Mutex
	records []*callbackRecord // a ring: next is where the newest goes
	next    int
}

func newCallbacks(logf func(string, ...any), now func() time.Time) *callbacks {
	ctx, cancel := context.WithCancel(context.Background())
	c := &callbacks{ctx: ctx, cancel: cancel, slots: make(chan struct{}, maxCallbacks), backoff: 250 * time.Millisecond, logf: logf, now: now}
	c.setTimeout(callbackTimeout)
	return c
}

// setTimeout bounds one attempt: dial, TLS, headers and body.
func (c *callbacks) setTimeout(d time.Duration) {
	dialer := &net.Dialer{Timeout: d, Control: loopbackOnly}
	c.client = &http.Client{
		Timeout: d,
		// No proxy from the environment, and the dialer refuses any
		// address a name might resolve to that is not loopback.
		Transport: &http.Transport{Proxy: nil, DialContext: dialer.DialContext, MaxIdleConns: maxCallbacks,
			ResponseHeaderTimeout: d, TLSHandshakeTimeout: d, MaxResponseHeaderBytes: 16 << 10},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

func loopbackOnly(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("sandbox callbacks go to loopback addresses only, not %s", address)
	}
	return nil
}

// maskURL is the target as it may be shown: no user info, query values
// and long path segments (a webhook's secret often sits in its path)
// replaced, at most 200 characters.
func maskURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" {
		if strings.Contains(raw, "@") {
			return "<email>"
		}
		return "<invalid>"
	}
	u.User = nil
	segments := strings.Split(u.Path, "/")
	for i, seg := range segments {
		if len(seg) >= 16 {
			segments[i] = "REDACTED"
		}
	}
	u.Path, u.RawPath = strings.Join(segments, "/"), ""
	if u.RawQuery != "" {
		q := u.Query()
		for k := range q {
			q[k] = []string{"REDACTED"}
		}
		u.RawQuery = q.Encode()
	}
	u.Fragment = ""
	s := u.String()
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// record keeps r in the ring and returns it for updates.
func (c *callbacks) record(r *callbackRecord) *callbackRecord {
	c.recMu.Lock()
	defer c.recMu.Unlock()
	if len(c.records) < maxCallbackRecords {
		c.records = append(c.records, r)
	} else {
		c.records[c.next] = r
	}
	c.next = (c.next + 1) % maxCallbackRecords
	return r
}

func (c *callbacks) update(r *callbackRecord, change func(*callbackRecord)) {
	c.recMu.Lock()
	defer c.recMu.Unlock()
	change(r)
}

// list is the mode's records, newest first (copies).
func (c *callbacks) list(mode string) []callbackRecord {
	c.recMu.Lock()
	defer c.recMu.Unlock()
	out := []callbackRecord{}
	n := len(c.records)
	for i := range n {
		r := c.records[((c.next-1-i)%n+n)%n]
		if r.mode == mode {
			out = append(out, *r)
		}
	}
	return out
}

func (c *callbacks) log(format string, args ...any) {
	if c.logf != nil {
		c.logf(format, args...)
	}
}

// send records the callback of a completed task and posts it when the
// target is on this machine; other targets are recorded, not contacted.
func (c *callbacks) send(mode, target, taskID string, body []byte) {
	rec := c.record(&callbackRecord{TaskID: taskID, URL: maskURL(target), Result: "pending", At: stamp(c.now()), mode: mode})
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !model.IsLoopback(u.Hostname()) {
		c.update(rec, func(r *callbackRecord) {
			r.Result, r.Detail = "not_sent", "not a loopback target: the sandbox records callbacks to other hosts instead of sending them"
		})
		c.log("callback for task %s to %s recorded, not sent (not a loopback target); see GET /scale/v1/sandbox/callbacks", taskID, rec.URL)
		return
	}
	if !c.deliver(rec, target, CallbackAuthKey(mode), body) {
		c.update(rec, func(r *callbackRecord) {
			r.Result, r.Detail = "dropped", "too many callbacks in flight, or the sandbox is stopping"
		})
		c.log("callback for task %s not sent: too many callbacks in flight", taskID)
	}
}

// deliver posts body to target in the background; false when too many
// callbacks are in flight or the server is shutting down.
func (c *callbacks) deliver(rec *callbackRecord, target, authKey string, body []byte) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped {
		return false
	}
	select {
	case c.slots <- struct{}{}:
	default:
		return false
	}
	c.wg.Add(1)
	go func() {
		defer func() { <-c.slots; c.wg.Done() }()
		for attempt := 1; attempt <= callbackAttempts; attempt++ {
			if attempt > 1 {
				select {
				case <-c.ctx.Done():
					return
				case <-time.After(c.backoff << (attempt - 2)):
				}
			}
			status, detail := c.post(target, authKey, body)
			ok := status >= 200 && status < 300
			c.update(rec, func(r *callbackRecord) {
				r.Attempts, r.LastStatus, r.Detail = attempt, status, detail
				switch {
				case ok:
					r.Result = "delivered"
				case attempt == callbackAttempts:
					r.Result = "failed"
				}
			})
			if ok {
				c.log("callback for task %s delivered to %s (%d)", rec.TaskID, rec.URL, status)
				return
			}
		}
		c.log("callback for task %s to %s failed after %d attempts", rec.TaskID, rec.URL, callbackAttempts)
	}()
	return true
}

// post makes one attempt; a status of 0 means no answer. The answer's
// body is not read: its bytes are the target's, and untrusted.
func (c *callbacks) post(target, authKey string, body []byte) (int, string) {
	req, err := http.NewRequestWithContext(c.ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return 0, "bad target"
	}
	req.Header["Content-Type"] = []string{"application/json"}
	req.Header[CallbackHeader] = []string{authKey} // as written, not canonicalised
	resp, err := c.client.Do(req)
	if err != nil {
		if strings.Contains(err.Error(), "loopback addresses only") {
			return 0, "refused: the name does not resolve to a loopback address"
		}
		if e, ok := err.(interface{ Timeout() bool }); ok && e.Timeout() {
			return 0, "no answer within " + c.client.Timeout.String()
		}
		return 0, "no answer (connection failed)"
	}
	resp.Body.Close()
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		return resp.StatusCode, "redirect not followed (" + strconv.Itoa(resp.StatusCode) + ")"
	}
	return resp.StatusCode, ""
}

// stop cancels deliveries in flight and waits for them to end.
func (c *callbacks) stop() {
	c.mu.Lock()
	c.stopped = true
	c.mu.Unlock()
	c.cancel()
	c.wg.Wait()
}

// listCallbacks is GET /v1/sandbox/callbacks: the callbacks of the key's
// mode, newest first, what was sent and what was only recorded.
func (s *Service) listCallbacks(w http.ResponseWriter, r *http.Request) {
	wire.Write(w, http.StatusOK, wire.JSONUTF8, wire.Encode(map[string]any{"callbacks": s.callback.list(scaleMode(r))}))
}

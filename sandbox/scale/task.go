package scale

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
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

type createTaskBody struct {
	Project        string         `json:"project"`
	Instruction    string         `json:"instruction"`
	Attachment     string         `json:"attachment"`
	AttachmentType string         `json:"attachment_type"`
	CallbackURL    string         `json:"callback_url"`
	Metadata       map[string]any `json:"metadata"`
	UniqueID       string         `json:"unique_id"`
	Batch          string         `json:"batch"`
	Tags           []string       `json:"tags"`
}

// callbackBody is what a callback carries: the completed task and its
// response, as Scale posts them.
type callbackBody struct {
	TaskID   string        `json:"task_id"`
	Status   string        `json:"status"`
	Response *taskResponse `json:"response"`
	Task     task          `json:"task"`
}

// createTask is POST /v1/task/{type}. The sandbox completes tasks at once:
// when callback_url is given (loopback only), the completed task is posted
// there with the mode's scale-callback-auth key.
func (s *Service) createTask(w http.ResponseWriter, r *http.Request) {
	typ := r.PathValue("id") // a task type on POST
	if !slices.Contains(taskTypes, typ) {
		scaleFail(w, http.StatusBadRequest, "Unknown task type "+strconv.Quote(typ)+"; use one of "+strings.Join(taskTypes, ", ")+".")
		return
	}
	var body createTaskBody
	if !readJSON(w, r, &body) {
		return
	}
	mode := scaleMode(r)
	if body.Batch != "" {
		b, ok := s.scale.batch(mode, body.Batch)
		switch {
		case !ok:
			scaleFail(w, http.StatusNotFound, batchNotFound(body.Batch))
			return
		case body.Project != "" && body.Project != b.Project:
			scaleFail(w, http.StatusBadRequest, "Batch "+strconv.Quote(b.Name)+" belongs to project "+strconv.Quote(b.Project)+".")
			return
		}
		body.Project = b.Project
	}
	if body.Project != "" {
		if _, ok := s.scale.project(mode, body.Project); !ok {
			scaleFail(w, http.StatusNotFound, projectNotFound(body.Project))
			return
		}
	}
	if body.CallbackURL != "" {
		if err := checkCallbackURL(body.CallbackURL); err != nil {
			scaleFail(w, http.StatusBadRequest, err.Error())
			return
		}
	}
	now := stamp(s.now())
	t := task{
		TaskID: newTaskID(), CreatedAt: now, UpdatedAt: now, Type: typ, Status: "pending",
		Instruction: body.Instruction, Urgency: "standard", Params: taskParams{Attachment: body.Attachment, AttachmentType: body.AttachmentType},
		CallbackURL: body.CallbackURL, Project: body.Project, IsTest: mode == modeTest, Metadata: body.Metadata,
		UniqueID: body.UniqueID, Batch: body.Batch, Tags: body.Tags,
	}
	if t.Metadata == nil {
		t.Metadata = map[string]any{}
	}
	if body.CallbackURL != "" { // completed at once, so what lists show is what the callback says
		t.Status, t.CompletedAt, t.Response = "completed", now, &taskResponse{Annotations: []box{}}
	}
	if owner := s.scale.addTask(mode, t); owner != "" {
		scaleFail(w, http.StatusConflict, duplicateUniqueID(t.UniqueID, owner))
		return
	}
	t.Status, t.CompletedAt, t.Response = "pending", "", nil // the create answer shows it as it was posted
	wire.Write(w, http.StatusOK, wire.JSONUTF8, wire.Encode(t))
	if body.CallbackURL == "" {
		return
	}
	done := t
	done.Status, done.CompletedAt = "completed", now
	done.Response = &taskResponse{Annotations: []box{}}
	payload := wire.Encode(callbackBody{TaskID: t.TaskID, Status: done.Status, Response: done.Response, Task: done})
	if !s.callback.deliver(body.CallbackURL, CallbackAuthKey(mode), payload) && s.logf != nil {
		s.logf("callback for task %s not sent: too many callbacks in flight", t.TaskID)
	}
}

func newTaskID() string {
	var b [12]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// checkCallbackURL keeps callbacks on this machine: the sandbox must not
// become a way to make requests to other hosts.
func checkCallbackURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("callback_url must be an http or https URL.")
	}
	if u.User != nil || !model.IsLoopback(u.Hostname()) {
		return errors.New("callback_url must point at this machine (localhost, 127.0.0.1 or ::1) in the sandbox.")
	}
	return nil
}

// Callback delivery is bounded: at most maxCallbacks in flight, three
// attempts each (Scale retries non-2xx answers), five seconds per attempt.
const (
	maxCallbacks     = 8
	callbackAttempts = 3
	callbackTimeout  = 5 * time.Second
)

type callbacks struct {
	mu      sync.Mutex
	stopped bool
	wg      sync.WaitGroup
	ctx     context.Context
	cancel  context.CancelFunc
	slots   chan struct{}
	client  *http.Client
	backoff time.Duration
}

func newCallbacks() *callbacks {
	ctx, cancel := context.WithCancel(context.Background())
	dialer := &net.Dialer{Timeout: callbackTimeout, Control: loopbackOnly}
	return &callbacks{
		ctx: ctx, cancel: cancel, slots: make(chan struct{}, maxCallbacks), backoff: 250 * time.Millisecond,
		client: &http.Client{
			Timeout: callbackTimeout,
			// No proxy from the environment, and the dialer refuses any
			// address a name might resolve to that is not loopback.
			Transport:     &http.Transport{Proxy: nil, DialContext: dialer.DialContext, MaxIdleConns: maxCallbacks},
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
}

func loopbackOnly(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("sandbox callbacks go to loopback addresses only, not %s", address)
	}
	return nil
}

// deliver posts body to target in the background; false when too many
// callbacks are in flight or the server is shutting down.
func (c *callbacks) deliver(target, authKey string, body []byte) bool {
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
		for attempt := 0; attempt < callbackAttempts; attempt++ {
			if attempt > 0 {
				select {
				case <-c.ctx.Done():
					return
				case <-time.After(c.backoff << (attempt - 1)):
				}
			}
			if c.post(target, authKey, body) {
				return
			}
		}
	}()
	return true
}

func (c *callbacks) post(target, authKey string, body []byte) bool {
	req, err := http.NewRequestWithContext(c.ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return false
	}
	req.Header["Content-Type"] = []string{"application/json"}
	req.Header[CallbackHeader] = []string{authKey} // as written, not canonicalised
	resp, err := c.client.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode >= 200 && resp.StatusCode < 300
}

// stop cancels deliveries in flight and waits for them to end.
func (c *callbacks) stop() {
	c.mu.Lock()
	c.stopped = true
	c.mu.Unlock()
	c.cancel()
	c.wg.Wait()
}

package scale

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authscope/authscope/sandbox/internal/sbtest"
	"github.com/authscope/authscope/sandbox/wire"
)

// newLoggedSandbox is newSandbox with the sandbox's log kept for the test.
func newLoggedSandbox(t *testing.T) (*sandbox, func() string) {
	t.Helper()
	var mu sync.Mutex
	var log strings.Builder
	sb := &sandbox{}
	sb.Sandbox = sbtest.Mount(t, func(env wire.Env) {
		env.Logf = func(format string, args ...any) {
			mu.Lock()
			defer mu.Unlock()
			fmt.Fprintf(&log, format+"\n", args...)
		}
		sb.svc = New(env, wire.BasePath("scale"))
	})
	t.Cleanup(sb.svc.Stop)
	return sb, func() string { mu.Lock(); defer mu.Unlock(); return log.String() }
}

type callbackList struct {
	Callbacks []callbackRecord `json:"callbacks"`
}

// waitCallback polls GET /v1/sandbox/callbacks until the task's record
// has a final result.
func (sb *sandbox) waitCallback(key, taskID string) callbackRecord {
	sb.T.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		var l callbackList
		sb.mustScale(key, "GET", "/v1/sandbox/callbacks", "", &l)
		for _, r := range l.Callbacks {
			if r.TaskID == taskID && r.Result != "pending" {
				return r
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	sb.T.Fatalf("no final callback record for %s", taskID)
	return callbackRecord{}
}

func (sb *sandbox) createImageTask(key, callbackURL string) task {
	sb.T.Helper()
	var created task
	sb.mustScale(key, "POST", "/v1/task/imageannotation", `{"instruction":"Box the cows.",`+imageParamsJSON+`,"callback_url":"`+callbackURL+`"}`, &created)
	return created
}

// A live task stays pending, posts nothing, until the sandbox's complete
// call; then its callback arrives with the live callback auth key, and a
// second complete is Scale's 400.
func TestScaleLiveTaskWaitsForComplete(t *testing.T) {
	sb, _ := newLoggedSandbox(t)
	got := make(chan callbackBody, 2)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var cb callbackBody
		json.NewDecoder(r.Body).Decode(&cb)
		if r.Header.Get(CallbackHeader) != LiveCallbackAuthKey {
			t.Errorf("scale-callback-auth %q", r.Header.Get(CallbackHeader))
		}
		got <- cb
	}))
	defer hook.Close()
	created := sb.createImageTask(sbtest.ScaleLiveKey, hook.URL+"/hook")
	var again task
	sb.mustScale(sbtest.ScaleLiveKey, "GET", "/v1/task/"+created.TaskID, "", &again)
	if again.Status != "pending" || len(again.Response) != 0 {
		t.Fatalf("a live task completed on its own: %+v", again)
	}
	select {
	case cb := <-got:
		t.Fatalf("a callback before completion: %+v", cb)
	case <-time.After(100 * time.Millisecond):
	}
	var done task
	sb.mustScale(sbtest.ScaleLiveKey, "POST", "/v1/sandbox/task/"+created.TaskID+"/complete", "", &done)
	if done.Status != "completed" || !strings.Contains(string(done.Response), `"label":"Baby Cow"`) {
		t.Fatalf("complete: %+v", done)
	}
	select {
	case cb := <-got:
		if cb.TaskID != created.TaskID || cb.Status != "completed" || cb.Task.Params["geometries"] == nil {
			t.Errorf("callback body %+v", cb)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no callback after complete")
	}
	if r := sb.waitCallback(sbtest.ScaleLiveKey, created.TaskID); r.Result != "delivered" || r.Attempts != 1 || r.LastStatus != 200 {
		t.Errorf("record %+v", r)
	}
	if status, body := sb.scaleCall(sbtest.ScaleLiveKey, "POST", "/v1/sandbox/task/"+created.TaskID+"/complete", "", nil); status != 400 || !strings.Contains(body, "only a pending task") {
		t.Errorf("complete twice: %d %s", status, body)
	}
	if status, _ := sb.scaleCall(sbtest.ScaleLiveKey, "POST", "/v1/task/"+created.TaskID+"/cancel", "", nil); status != 400 {
		t.Errorf("cancel a completed live task: %d", status)
	}
	// The other mode sees neither the task nor its callbacks.
	if status, _ := sb.scaleCall(sbtest.ScaleTestKey, "POST", "/v1/sandbox/task/"+created.TaskID+"/complete", "", nil); status != 404 {
		t.Errorf("complete with the test key: %d", status)
	}
	var other callbackList
	sb.mustScale(sbtest.ScaleTestKey, "GET", "/v1/sandbox/callbacks", "", &other)
	if len(other.Callbacks) != 0 {
		t.Errorf("test mode lists live callbacks: %+v", other)
	}
}

// A callback to another host is recorded and logged, never dialled; the
// record and the log show the URL without its user info or query values.
func TestScaleCallbackToAnotherHostIsRecorded(t *testing.T) {
	sb, log := newLoggedSandbox(t)
	var dialled atomic.Int32
	sb.svc.callback.client.Transport.(*http.Transport).DialContext = func(context.Context, string, string) (net.Conn, error) {
		dialled.Add(1)
		return nil, errors.New("dialled")
	}
	for _, target := range []string{"http://www.example.com/callback", "https://ops:hunter2@hooks.example.net/cb?token=s3cret-token&x=1",
		"http://localhost.example.com/cb", "https://hooks.example.org/services/T0000/B0000/Xs3cretWebhookPath9", "http://127.0.0.1.nip.io/cb", "ops@example.com"} {
		created := sb.createImageTask(sbtest.ScaleTestKey, target)
		r := sb.waitCallback(sbtest.ScaleTestKey, created.TaskID)
		if r.Result != "not_sent" || r.Attempts != 0 || !strings.Contains(r.Detail, "not a loopback target") {
			t.Errorf("%s: record %+v", target, r)
		}
	}
	var l callbackList
	sb.mustScale(sbtest.ScaleTestKey, "GET", "/v1/sandbox/callbacks", "", &l)
	raw, _ := json.Marshal(l)
	for _, secret := range []string{"hunter2", "s3cret-token", "ops:", "s3cretWebhook"} {
		if strings.Contains(string(raw), secret) || strings.Contains(log(), secret) {
			t.Errorf("%q shown in the records or the log:\n%s\n%s", secret, raw, log())
		}
	}
	if len(l.Callbacks) != 6 || l.Callbacks[0].URL != "<email>" || !strings.Contains(l.Callbacks[4].URL, "hooks.example.net/cb?token=") ||
		l.Callbacks[2].URL != "https://hooks.example.org/services/T0000/B0000/REDACTED" {
		t.Errorf("records, newest first: %s", raw)
	}
	if !strings.Contains(log(), "recorded, not sent (not a loopback target)") {
		t.Errorf("the log does not say the callback was recorded:\n%s", log())
	}
	if n := dialled.Load(); n != 0 {
		t.Errorf("the sandbox dialled %d times for callbacks to other hosts", n)
	}
}

// Hostile loopback targets: one that never answers, one that redirects
// (to another loopback server and off loopback), one that answers an
// endless body. Each attempt ends within the timeout, redirects are
// never followed, and the body is not read.
func TestScaleCallbackHostileTargets(t *testing.T) {
	sb, _ := newLoggedSandbox(t)
	sb.svc.callback.backoff = time.Millisecond
	sb.svc.callback.setTimeout(300 * time.Millisecond)

	var hangs atomic.Int32
	release := make(chan struct{})
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hangs.Add(1)
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer hang.Close()
	defer close(release)

	var followed atomic.Int32
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { followed.Add(1) }))
	defer elsewhere.Close()
	var redirects atomic.Int32
	redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		redirects.Add(1)
		target := elsewhere.URL + "/stolen"
		if r.URL.Path == "/off" {
			target = "http://www.example.com/stolen"
		}
		http.Redirect(w, r, target, http.StatusTemporaryRedirect)
	}))
	defer redirect.Close()

	endless := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(200)
		chunk := []byte(strings.Repeat("x", 32<<10))
		for r.Context().Err() == nil {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	defer endless.Close()

	start := time.Now()
	hung := sb.createImageTask(sbtest.ScaleTestKey, hang.URL+"/cb")
	moved := sb.createImageTask(sbtest.ScaleTestKey, redirect.URL+"/cb")
	movedOff := sb.createImageTask(sbtest.ScaleTestKey, redirect.URL+"/off")
	flood := sb.createImageTask(sbtest.ScaleTestKey, endless.URL+"/cb")

	if r := sb.waitCallback(sbtest.ScaleTestKey, hung.TaskID); r.Result != "failed" || r.Attempts != callbackAttempts || !strings.Contains(r.Detail, "no answer within") {
		t.Errorf("hanging target: %+v", r)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("a hanging target held its callback %v (3 attempts of 300ms)", took)
	}
	for _, id := range []string{moved.TaskID, movedOff.TaskID} {
		if r := sb.waitCallback(sbtest.ScaleTestKey, id); r.Result != "failed" || r.LastStatus != 307 || !strings.Contains(r.Detail, "redirect not followed") {
			t.Errorf("redirecting target: %+v", r)
		}
	}
	if r := sb.waitCallback(sbtest.ScaleTestKey, flood.TaskID); r.Result != "delivered" || r.LastStatus != 200 {
		t.Errorf("endless body: %+v", r)
	}
	if followed.Load() != 0 || redirects.Load() != 2*callbackAttempts || hangs.Load() != callbackAttempts {
		t.Errorf("followed %d redirects; %d redirect answers, %d hanging attempts", followed.Load(), redirects.Load(), hangs.Load())
	}
}

// The record of callbacks is a ring: the newest maxCallbackRecords stay.
func TestScaleCallbackRecordsAreBounded(t *testing.T) {
	sb, _ := newLoggedSandbox(t)
	var first, last string
	for i := range maxCallbackRecords + 20 {
		id := sb.createImageTask(sbtest.ScaleTestKey, "http://www.example.com/cb").TaskID
		if i == 0 {
			first = id
		}
		last = id
	}
	var l callbackList
	sb.mustScale(sbtest.ScaleTestKey, "GET", "/v1/sandbox/callbacks", "", &l)
	if len(l.Callbacks) != maxCallbackRecords || l.Callbacks[0].TaskID != last {
		t.Fatalf("%d records, newest %s (want %d, %s)", len(l.Callbacks), l.Callbacks[0].TaskID, maxCallbackRecords, last)
	}
	for _, r := range l.Callbacks {
		if r.TaskID == first {
			t.Errorf("the oldest record was kept")
		}
	}
}

// The wire shapes of the sandbox's own calls: a live task completed by
// POST /v1/sandbox/task/{id}/complete, and GET /v1/sandbox/callbacks
// with the callback it recorded (not a loopback target).
func TestScaleSandboxCallsGoldens(t *testing.T) {
	sb, _ := newLoggedSandbox(t)
	created := sb.createImageTask(sbtest.ScaleLiveKey, "https://hooks.example.org/scale?token=secret")
	live := []string{"Authorization", sbtest.BasicKey(sbtest.ScaleLiveKey)}
	sb.ExpectGolden("scale_sandbox_complete", sb.Do("POST", "/scale/v1/sandbox/task/"+created.TaskID+"/complete", "", live...), created.TaskID, "<task-id>")
	sb.waitCallback(sbtest.ScaleLiveKey, created.TaskID)
	sb.ExpectGolden("scale_sandbox_callbacks", sb.Get("/scale/v1/sandbox/callbacks", live...), created.TaskID, "<task-id>")
	sb.ExpectGolden("scale_sandbox_complete_again", sb.Do("POST", "/scale/v1/sandbox/task/"+created.TaskID+"/complete", "", live...), created.TaskID, "<task-id>")
}

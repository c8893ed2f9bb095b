package sandbox

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/sandbox/internal/sbtest"
)

// Every answer, from every provider, success or failure, carries its own
// UUID v4 request id.
func TestEveryResponseHasAUniqueRequestID(t *testing.T) {
	sb := newSandbox(t)
	seen := map[string]string{}
	for _, path := range []string{
		"/", "/nowhere", "/scaling/v1/incidents", "/scaling/nowhere",
		"/scalekit/keys", "/scalekit/api/v1/organizations", "/scalekit/oauth/token", "/scalekit/nowhere",
		"/scale/v1/projects", "/scale/nowhere",
	} {
		a := sb.Get(path)
		id := a.RequestID(t)
		if other, dup := seen[id]; dup {
			t.Errorf("%s and %s share request id %s", path, other, id)
		}
		seen[id] = path
	}
}

func TestIndexListsTheBaseURLs(t *testing.T) {
	sb := newSandbox(t)
	a := sb.Get("/")
	for _, p := range model.Providers {
		if !strings.Contains(a.Body, sb.Sandbox.URL+p.SandboxPath) {
			t.Errorf("index lacks %s: %s", p.SandboxPath, a.Body)
		}
	}
}

func TestCheckAddr(t *testing.T) {
	for addr, ok := range map[string]bool{
		"127.0.0.1:8787": true, "localhost:0": true, "[::1]:8787": true, "127.0.0.2:80": true,
		"0.0.0.0:8787": false, ":8787": false, "192.168.1.10:8787": false, "[::]:8787": false,
		"example.com:80": false, "127.0.0.1": false, "": false,
	} {
		err := CheckAddr(addr, false)
		if (err == nil) != ok {
			t.Errorf("CheckAddr(%q) = %v, want ok=%v", addr, err, ok)
		}
	}
	if err := CheckAddr("0.0.0.0:8787", true); err != nil {
		t.Errorf("allowed non-loopback still refused: %v", err)
	}
}

func TestStartRefusesNonLoopback(t *testing.T) {
	s, err := Start(context.Background(), Options{Addr: "0.0.0.0:0"})
	if err == nil {
		s.Close()
		t.Fatal("Start listened on every interface without AllowNonLoopback")
	}
	if !strings.Contains(err.Error(), "loopback") {
		t.Errorf("error does not say why: %v", err)
	}
}

// Start serves on a free loopback port until Close; afterwards nothing
// answers on that port.
func TestStartServesUntilClosed(t *testing.T) {
	s, err := Start(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(s.URL(), "http://127.0.0.1:") {
		t.Errorf("URL %q", s.URL())
	}
	req, _ := http.NewRequest("GET", s.URL()+"/scaling/v1/incidents/"+model.SandboxIncidentID, nil)
	req.Header.Set("Authorization", sbtest.ScalingBearer)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("status %d", resp.StatusCode)
	}
	if err := s.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if _, err := http.Get(s.URL() + "/"); err == nil {
		t.Error("the sandbox still answers after Close")
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestStartStopsWhenContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	s, err := Start(ctx, Options{Addr: "localhost:0"})
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	s.Close() // waits for the shutdown the cancel started
	if _, err := http.Get(s.URL() + "/"); err == nil {
		t.Error("the sandbox still answers after its context ended")
	}
}

// The request log names method, path and status, and never the query,
// where someone may have pasted a secret.
func TestLogfLeavesQueriesOut(t *testing.T) {
	var mu sync.Mutex
	var lines []string
	s, err := Start(context.Background(), Options{Logf: func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		lines = append(lines, fmt.Sprintf(format, args...))
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	resp, err := http.Get(s.URL() + "/scalekit/api/v1/organizations?client_secret=" + sbtest.ClientSecret)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	mu.Lock()
	defer mu.Unlock()
	if len(lines) != 1 || !strings.Contains(lines[0], "GET /scalekit/api/v1/organizations → 401") {
		t.Fatalf("log lines %q", lines)
	}
	if strings.Contains(lines[0], sbtest.ClientSecret) {
		t.Errorf("the log holds the query: %s", lines[0])
	}
}

// 32 clients × 50 requests, good and bad credentials mixed across all
// three providers: every answer is the one that request should get.
func TestConcurrentMixedRequests(t *testing.T) {
	sb := newSandbox(t)
	token := sb.Token("")
	type probe struct {
		method, path, body string
		headers            []string
		status             int
		contains           string
	}
	probes := []probe{
		{"GET", "/scaling/v1/incidents?limit=3", "", []string{"Authorization", sbtest.ScalingBearer}, 200, `"nextCursor"`},
		{"GET", "/scaling/v1/incidents", "", []string{"Authorization", "Bearer scl_live_wrong"}, 401, `"invalid_api_key"`},
		{"GET", "/scaling/v1/incidents/" + model.SandboxIncidentID, "", []string{"Authorization", sbtest.ScalingBearer}, 200, model.SandboxIncidentID},
		{"POST", "/scalekit/oauth/token", sbtest.TokenForm, []string{"Content-Type", sbtest.FormType}, 200, `"token_type":"Bearer"`},
		{"POST", "/scalekit/oauth/token", "grant_type=client_credentials&client_id=x&client_secret=y", []string{"Content-Type", sbtest.FormType}, 401, `"invalid_client"`},
		{"GET", "/scalekit/api/v1/organizations/" + model.SandboxOrgID, "", []string{"Authorization", "Bearer " + token}, 200, model.SandboxOrgID},
		{"GET", "/scalekit/api/v1/organizations", "", nil, 401, `"Token empty"`},
		{"GET", "/scale/v1/projects", "", []string{"Authorization", sbtest.BasicKey(sbtest.ScaleLiveKey)}, 200, model.SandboxLiveProject},
		{"GET", "/scale/v1/projects/" + model.SandboxLiveProject, "", []string{"Authorization", sbtest.BasicKey(sbtest.ScaleTestKey)}, 404, `"status_code":404`},
		{"POST", "/scale/v1/projects", `{"type":"categorization","name":"concurrent"}`, []string{"Authorization", sbtest.BasicKey(sbtest.ScaleTestKey)}, 200, `"name":"concurrent"`},
	}
	const clients, each = 32, 50
	client := sb.Client()
	var wg sync.WaitGroup
	errs := make(chan string, clients*each)
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				p := probes[(c+i)%len(probes)]
				var body io.Reader
				if p.body != "" {
					body = strings.NewReader(p.body)
				}
				req, _ := http.NewRequest(p.method, sb.Sandbox.URL+p.path, body)
				for j := 0; j+1 < len(p.headers); j += 2 {
					req.Header.Set(p.headers[j], p.headers[j+1])
				}
				resp, err := client.Do(req)
				if err != nil {
					errs <- err.Error()
					continue
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				id := resp.Header.Get("X-Request-Id")
				if resp.StatusCode != p.status || !strings.Contains(string(b), p.contains) || !sbtest.UUIDv4.MatchString(id) {
					errs <- fmt.Sprintf("%s %s: %d %.120s", p.method, p.path, resp.StatusCode, b)
				}
				if strings.Contains(string(b), `"requestId"`) && !strings.Contains(string(b), id) {
					errs <- fmt.Sprintf("%s: body request id is not the header's %s", p.path, id)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	n := 0
	for e := range errs {
		if n++; n <= 5 {
			t.Error(e)
		}
	}
	if n > 0 {
		t.Errorf("%d of %d requests got the wrong sbtest.Answer", n, clients*each)
	}
}

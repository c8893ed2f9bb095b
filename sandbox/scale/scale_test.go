package scale

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/sandbox/internal/sbtest"
	"github.com/authscope/authscope/sandbox/wire"
)

// The docs' worked example: live_ScaleRocks becomes this header, and the
// sandbox accepts it.
func TestScaleDocsHeaderIsAccepted(t *testing.T) {
	sb := newSandbox(t)
	if got := sbtest.BasicKey(sbtest.ScaleDocsKey); got != "Basic bGl2ZV9TY2FsZVJvY2tzOg==" {
		t.Fatalf("test helper encodes %q", got)
	}
	a := sb.Get("/scale/v1/projects", "Authorization", "Basic bGl2ZV9TY2FsZVJvY2tzOg==")
	if a.Status != 200 || !strings.HasPrefix(a.Body, "[") {
		t.Fatalf("%d %s", a.Status, a.Body)
	}
}

func TestScaleGoldens(t *testing.T) {
	sb := newSandbox(t)
	live := []string{"Authorization", sbtest.BasicKey(sbtest.ScaleLiveKey)}
	test := []string{"Authorization", sbtest.BasicKey(sbtest.ScaleTestKey)}
	cases := []struct {
		name, method, path, body string
		headers                  []string
	}{
		{"scale_projects_live", "GET", "/scale/v1/projects", "", live},
		{"scale_projects_test", "GET", "/scale/v1/projects", "", test},
		{"scale_project_live", "GET", "/scale/v1/projects/" + model.SandboxLiveProject, "", live},
		{"scale_project_live_with_test_key", "GET", "/scale/v1/projects/" + model.SandboxLiveProject, "", test},
		{"scale_project_not_found", "GET", "/scale/v1/projects/no-such-project", "", live},
		{"scale_tasks_limit_2", "GET", "/scale/v1/tasks?limit=2", "", live},
		{"scale_tasks_test_limit_1", "GET", "/scale/v1/tasks?limit=1", "", test},
		{"scale_tasks_limit_0", "GET", "/scale/v1/tasks?limit=0", "", live},
		{"scale_tasks_limit_101", "GET", "/scale/v1/tasks?limit=101", "", live},
		{"scale_tasks_bad_token", "GET", "/scale/v1/tasks?next_token=nope", "", live},
		{"scale_no_header", "GET", "/scale/v1/projects", "", nil},
		{"scale_bearer_scheme", "GET", "/scale/v1/projects", "", []string{"Authorization", "Bearer " + sbtest.ScaleLiveKey}},
		{"scale_wrong_key", "GET", "/scale/v1/projects", "", []string{"Authorization", sbtest.BasicKey("live_ffffffffffffffffffffffffffffffff")}},
		{"scale_rate_limited", "GET", "/scale/v1/projects", "", append([]string{wire.WhatIfHeader, "rate-limit"}, live...)},
		{"scale_create_project", "POST", "/scale/v1/projects", `{"type":"imageannotation","name":"authscope-demo","params":{"instruction":"Draw a box around each car."}}`, live},
		{"scale_create_project_again", "POST", "/scale/v1/projects", `{"type":"imageannotation","name":"authscope-demo","params":{"instruction":"Draw a box around each car."}}`, live},
		{"scale_create_project_conflict", "POST", "/scale/v1/projects", `{"type":"imageannotation","name":"authscope-demo","params":{"instruction":"Something else."}}`, live},
		{"scale_create_project_fixture_name", "POST", "/scale/v1/projects", `{"type":"categorization","name":"support-ticket-triage"}`, live},
		{"scale_create_project_missing_name", "POST", "/scale/v1/projects", `{"type":"imageannotation"}`, live},
		{"scale_create_project_bad_type", "POST", "/scale/v1/projects", `{"type":"poetry","name":"x"}`, live},
		{"scale_create_project_not_json", "POST", "/scale/v1/projects", `name=x`, live},
		{"scale_create_project_too_large", "POST", "/scale/v1/projects", `{"type":"imageannotation","name":"` + strings.Repeat("x", wire.MaxBody) + `"}`, live},
		{"scale_delete_projects", "DELETE", "/scale/v1/projects", "", live},
		{"scale_create_task_bad_callback", "POST", "/scale/v1/task/imageannotation", `{"callback_url":"ftp://example.com/hook",` + imageParamsJSON + `}`, test},
		{"scale_create_task_missing_params", "POST", "/scale/v1/task/imageannotation", `{"callback_url":"http://www.example.com/callback","instruction":"Draw a box.","attachment_type":"image"}`, test},
		{"scale_create_task_missing_one_of", "POST", "/scale/v1/task/transcription", `{"attachment":"http://www.google.com/","attachment_type":"website"}`, test},
		{"scale_create_task_metadata_not_object", "POST", "/scale/v1/task/imageannotation", `{"metadata":[1],` + imageParamsJSON + `}`, test},
		{"scale_create_task_live_project_with_test_key", "POST", "/scale/v1/task/imageannotation", `{"project":"` + model.SandboxLiveProject + `",` + imageParamsJSON + `}`, test},
		{"scale_cancel_completed_task", "POST", "/scale/v1/task/" + fixtureTasks()[modeLive][5].TaskID + "/cancel", "", live},
		{"scale_create_task_bad_type", "POST", "/scale/v1/task/poetry", `{}`, test},
		{"scale_unknown_path", "GET", "/scale/v2/anything", "", live},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sb := sb.with(t)
			sb.ExpectGolden(c.name, sb.Do(c.method, c.path, c.body, append([]string{"Content-Type", "application/json"}, c.headers...)...))
		})
	}
}

// A project created with a live key exists for live keys only.
func TestScaleLiveAndTestDataStayApart(t *testing.T) {
	sb := newSandbox(t)
	body := `{"type":"categorization","name":"only-live","params":{"instruction":"Pick one."}}`
	if a := sb.Do("POST", "/scale/v1/projects", body, "Authorization", sbtest.BasicKey(sbtest.ScaleDocsKey)); a.Status != 200 {
		t.Fatalf("create: %d %s", a.Status, a.Body)
	}
	for key, wantStatus := range map[string]int{sbtest.ScaleLiveKey: 200, sbtest.ScaleDocsKey: 200, sbtest.ScaleTestKey: 404} {
		if a := sb.Get("/scale/v1/projects/only-live", "Authorization", sbtest.BasicKey(key)); a.Status != wantStatus {
			t.Errorf("%.5s key: %d, want %d", key, a.Status, wantStatus)
		}
		list := sb.Get("/scale/v1/projects", "Authorization", sbtest.BasicKey(key))
		if strings.Contains(list.Body, "only-live") != (wantStatus == 200) ||
			strings.Contains(list.Body, model.SandboxLiveProject) != (wantStatus == 200) {
			t.Errorf("%.5s key lists the wrong mode's projects: %s", key, list.Body)
		}
	}
}

// Created projects are bounded: the oldest makes way, fixtures stay.
func TestScaleCreatedProjectsAreBounded(t *testing.T) {
	sb := newSandbox(t)
	auth := sbtest.BasicKey(sbtest.ScaleTestKey)
	for i := range maxCreatedProjects + 5 {
		name := fmt.Sprintf("bulk-%03d", i)
		a := sb.Do("POST", "/scale/v1/projects", `{"type":"categorization","name":"`+name+`"}`, "Authorization", auth)
		if a.Status != 200 {
			t.Fatalf("create %d: %d %s", i, a.Status, a.Body)
		}
	}
	var list []project
	json.Unmarshal([]byte(sb.Get("/scale/v1/projects", "Authorization", auth).Body), &list)
	if want := len(fixtureProjects()[modeTest]) + maxCreatedProjects; len(list) != want {
		t.Fatalf("%d projects listed, want %d", len(list), want)
	}
	if first := list[len(fixtureProjects()[modeTest])].Name; list[0].Name != fixtureProjects()[modeTest][0].Name || first != "bulk-005" {
		t.Errorf("eviction removed a fixture or kept old created projects: first %s, first created %s", list[0].Name, first)
	}
}

func TestScaleTasksPageThroughEverything(t *testing.T) {
	sb := newSandbox(t)
	for key, mode := range map[string]string{sbtest.ScaleLiveKey: modeLive, sbtest.ScaleTestKey: modeTest} {
		seen := map[string]bool{}
		path := "/scale/v1/tasks?limit=5"
		for {
			a := sb.Get(path, "Authorization", sbtest.BasicKey(key))
			var page struct {
				Docs []struct {
					TaskID string `json:"task_id"`
					IsTest bool   `json:"is_test"`
				} `json:"docs"`
				Total     int     `json:"total"`
				HasMore   bool    `json:"has_more"`
				NextToken *string `json:"next_token"`
			}
			if a.Status != 200 || json.Unmarshal([]byte(a.Body), &page) != nil {
				t.Fatalf("%s: %d %s", path, a.Status, a.Body)
			}
			for _, d := range page.Docs {
				if seen[d.TaskID] || d.IsTest != (mode == modeTest) {
					t.Errorf("%s: task %s repeated or from the other mode", mode, d.TaskID)
				}
				seen[d.TaskID] = true
			}
			if page.HasMore != (page.NextToken != nil) {
				t.Errorf("has_more %v but next_token %v", page.HasMore, page.NextToken)
			}
			if !page.HasMore {
				break
			}
			path = "/scale/v1/tasks?limit=5&next_token=" + *page.NextToken
		}
		if len(seen) != len(fixtureTasks()[mode]) {
			t.Errorf("%s: saw %d tasks, want %d", mode, len(seen), len(fixtureTasks()[mode]))
		}
	}
}

// A task with a loopback callback_url gets the completed task posted
// there with scale-callback-auth; a non-2xx answer is retried.
func TestScaleCallbackCarriesCallbackAuth(t *testing.T) {
	sb := newSandbox(t)
	sb.svc.callback.backoff = time.Millisecond
	type delivery struct {
		auth, contentType string
		body              []byte
	}
	got := make(chan delivery, 4)
	var calls atomic.Int32
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- delivery{r.Header.Get(CallbackHeader), r.Header.Get("Content-Type"), b}
		if calls.Add(1) == 1 {
			w.WriteHeader(http.StatusServiceUnavailable) // the first attempt fails
		}
	}))
	defer hook.Close()

	a := sb.Do("POST", "/scale/v1/task/imageannotation",
		`{"instruction":"Box the signs.",`+imageParamsJSON+`,"callback_url":"`+hook.URL+`/scale-hook"}`,
		"Authorization", sbtest.BasicKey(sbtest.ScaleTestKey), "Content-Type", "application/json")
	var created task
	if a.Status != 200 || json.Unmarshal([]byte(a.Body), &created) != nil || created.Status != "pending" || !created.IsTest {
		t.Fatalf("create task: %d %s", a.Status, a.Body)
	}
	for attempt := 1; attempt <= 2; attempt++ {
		select {
		case d := <-got:
			if d.auth != TestCallbackAuthKey || d.contentType != "application/json" {
				t.Errorf("attempt %d: scale-callback-auth %q, Content-Type %q", attempt, d.auth, d.contentType)
			}
			var cb callbackBody
			if err := json.Unmarshal(d.body, &cb); err != nil || cb.TaskID != created.TaskID || cb.Task.Status != "completed" {
				t.Errorf("attempt %d: callback body %s", attempt, d.body)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("callback attempt %d never arrived", attempt)
		}
	}
}

// Any http(s) URL with a host, or an email address, is a callback_url
// Scale accepts; where it points is decided at delivery.
func TestCheckCallbackURL(t *testing.T) {
	for raw, ok := range map[string]bool{
		"http://127.0.0.1:9/x": true, "https://localhost/x": true, "http://[::1]:80/": true,
		"http://www.example.com/callback": true, "https://10.0.0.1/": true, "http://user:pw@127.0.0.1/": true,
		"ops@example.com":  true,
		"ftp://127.0.0.1/": false, "127.0.0.1:80": false, "http:///nohost": false, "not a url": false, "": false,
		"javascript:alert(1)": false, "http://:80/": false,
	} {
		if err := checkCallbackURL(raw); (err == nil) != ok {
			t.Errorf("%q: err %v, want ok=%v", raw, err, ok)
		}
	}
	// A name that resolves elsewhere is refused at dial time.
	if err := loopbackOnly("tcp", "192.0.2.1:80", nil); err == nil {
		t.Error("the callback dialer accepts a non-loopback address")
	}
	if err := loopbackOnly("tcp", "127.0.0.1:80", nil); err != nil {
		t.Errorf("the callback dialer refuses loopback: %v", err)
	}
}

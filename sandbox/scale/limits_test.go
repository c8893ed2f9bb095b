package scale

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/sandbox/internal/sbtest"
)

// scaleError400 checks a refusal is Scale's 400 shape naming want.
func scaleError400(t *testing.T, what string, status int, body, want string) {
	t.Helper()
	var e scaleError
	if status != 400 || json.Unmarshal([]byte(body), &e) != nil || e.StatusCode != 400 || !strings.Contains(e.Error, want) {
		t.Errorf("%s: %d %.300s, want Scale's 400 with %q", what, status, body, want)
	}
}

// The probe, bounded: setParams with a 60 KB instruction stops
// at the project's budget with a 400; versions stop at maxParamVersions;
// the mode's budget bounds what GET /v1/projects answers.
func TestScaleParamHistoryIsCapped(t *testing.T) {
	sb := newSandbox(t)
	big := strings.Repeat("I", 60_000)
	accepted := 0
	for i := range 10 {
		status, body := sb.scaleCall(sbtest.ScaleLiveKey, "POST", "/v1/projects/"+model.SandboxLiveProject+"/setParams", `{"instruction":"`+big+fmt.Sprint(i)+`"}`, nil)
		if status == 200 {
			accepted++
			if len(body) > maxProjectParamBytes+4096 {
				t.Fatalf("answer of %d bytes", len(body))
			}
			continue
		}
		scaleError400(t, "setParams past the project's budget", status, body, "the sandbox's limit per project")
		break
	}
	if accepted != maxProjectParamBytes/60_000 {
		t.Errorf("%d 60 KB versions accepted, want %d", accepted, maxProjectParamBytes/60_000)
	}
	versionsRefused := false
	for i := 0; i < maxParamVersions+5 && !versionsRefused; i++ {
		status, body := sb.scaleCall(sbtest.ScaleLiveKey, "POST", "/v1/projects/support-ticket-triage/setParams", `{"instruction":"v"}`, nil)
		if status != 200 {
			versionsRefused = true
			scaleError400(t, "setParams past the versions cap", status, body, "parameter versions, the sandbox's limit")
			if i+1 != maxParamVersions {
				t.Errorf("refused at version %d, want %d", i+1, maxParamVersions)
			}
		}
	}
	if !versionsRefused {
		t.Errorf("%d versions accepted", maxParamVersions+5)
	}
	// The mode's budget: many projects with big histories.
	refused := false
	for i := range 40 {
		name := fmt.Sprintf("big-%02d", i)
		sb.mustScale(sbtest.ScaleLiveKey, "POST", "/v1/projects", `{"type":"categorization","name":"`+name+`"}`, nil)
		for range 4 {
			status, body := sb.scaleCall(sbtest.ScaleLiveKey, "POST", "/v1/projects/"+name+"/setParams", `{"instruction":"`+big+`"}`, nil)
			if status != 200 {
				scaleError400(t, "setParams past the mode's budget", status, body, "of project instructions per mode")
				refused = true
				break
			}
		}
		if refused {
			break
		}
	}
	list := sb.Get("/scale/v1/projects", "Authorization", sbtest.BasicKey(sbtest.ScaleLiveKey))
	if !refused || len(list.Body) > maxModeParamBytes+64<<10 {
		t.Errorf("mode budget refused %v; GET /v1/projects answers %d bytes", refused, len(list.Body))
	}
	// The other mode has its own budget.
	sb.mustScale(sbtest.ScaleTestKey, "POST", "/v1/projects/sandbox-triage/setParams", `{"instruction":"`+big+`"}`, nil)
}

// Tags: at most maxTags per task, each at most maxTagLength; adding the
// same tags again changes nothing; the answer stays small.
func TestScaleTagsAreCapped(t *testing.T) {
	sb := newSandbox(t)
	id := fixtureTasks()[modeLive][3].TaskID
	var tagged task
	var tags []string
	for i := range maxTags {
		tags = append(tags, fmt.Sprintf("t%03d", i))
	}
	raw, _ := json.Marshal(tags)
	sb.mustScale(sbtest.ScaleLiveKey, "PUT", "/v1/task/"+id+"/tags", string(raw), &tagged)
	sb.mustScale(sbtest.ScaleLiveKey, "PUT", "/v1/task/"+id+"/tags", string(raw), &tagged)
	if len(tagged.Tags) != maxTags {
		t.Fatalf("%d tags", len(tagged.Tags))
	}
	status, body := sb.scaleCall(sbtest.ScaleLiveKey, "PUT", "/v1/task/"+id+"/tags", `["one-more"]`, nil)
	scaleError400(t, "a tag past the cap", status, body, "At most 50 tags per task")
	status, body = sb.scaleCall(sbtest.ScaleLiveKey, "POST", "/v1/task/"+id+"/tags", `["`+strings.Repeat("x", maxTagLength+1)+`"]`, nil)
	scaleError400(t, "a long tag", status, body, "at most 128 characters")
	var many []string
	for i := range 5000 {
		many = append(many, fmt.Sprint(i))
	}
	raw, _ = json.Marshal(many)
	status, body = sb.scaleCall(sbtest.ScaleLiveKey, "POST", "/v1/task/"+id+"/tags", string(raw), nil)
	scaleError400(t, "5000 tags at once", status, body, "At most 50 tags")
	var after task
	sb.mustScale(sbtest.ScaleLiveKey, "GET", "/v1/task/"+id, "", &after)
	if !slices.Equal(after.Tags, tags) {
		t.Errorf("a refused change changed the tags: %v", after.Tags)
	}
	status, body = sb.scaleCall(sbtest.ScaleTestKey, "POST", "/v1/task/categorization", `{"attachment":"a","categories":["x"],"tags":`+string(raw)+`}`, nil)
	scaleError400(t, "create with 5000 tags", status, body, "At most 50 tags")
}

// Concurrent tag changes on one task: each is merged into the task as the
// others left it (the merge runs outside the lock, the store retries).
func TestScaleConcurrentTagChangesAllLand(t *testing.T) {
	sb := newSandbox(t)
	id := fixtureTasks()[modeTest][4].TaskID
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 5 {
				sb.mustScale(sbtest.ScaleTestKey, "PUT", "/v1/task/"+id+"/tags", fmt.Sprintf(`["w%d-%d"]`, w, i), nil)
			}
		}()
	}
	wg.Wait()
	var got task
	sb.mustScale(sbtest.ScaleTestKey, "GET", "/v1/task/"+id, "", &got)
	if len(got.Tags) != 40 {
		t.Errorf("%d of 40 tags landed: %v", len(got.Tags), got.Tags)
	}
}

// Metadata is at most maxMetadataBytes as JSON wherever it is set.
func TestScaleMetadataIsCapped(t *testing.T) {
	sb := newSandbox(t)
	big := `{"blob":"` + strings.Repeat("m", maxMetadataBytes) + `"}`
	id := fixtureTasks()[modeTest][2].TaskID
	for _, c := range []struct{ method, path, body string }{
		{"POST", "/v1/task/" + id + "/setMetadata", big},
		{"POST", "/v1/task/categorization", `{"attachment":"a","categories":["x"],"metadata":` + big + `}`},
		{"POST", "/v1/batches", `{"project":"sandbox-triage","name":"meta","metadata":` + big + `}`},
	} {
		status, body := sb.scaleCall(sbtest.ScaleTestKey, c.method, c.path, c.body, nil)
		scaleError400(t, c.path, status, body, "metadata must be at most 16 KiB")
	}
	sb.mustScale(sbtest.ScaleTestKey, "POST", "/v1/batches", `{"project":"sandbox-triage","name":"meta"}`, nil)
	status, body := sb.scaleCall(sbtest.ScaleTestKey, "POST", "/v1/batches/meta/setMetadata", big, nil)
	scaleError400(t, "batch setMetadata", status, body, "metadata must be at most 16 KiB")
}

// The tasks of a mode stay within maxModeTaskBytes: big tasks make the
// oldest created ones go before the count cap is reached.
func TestScaleTaskBytesAreCapped(t *testing.T) {
	sb := newSandbox(t)
	payload := strings.Repeat("p", 60_000)
	var first string
	for i := range 300 {
		var created task
		sb.mustScale(sbtest.ScaleTestKey, "POST", "/v1/task/categorization", `{"attachment":"a","categories":["x"],"note":"`+payload+`"}`, &created)
		if i == 0 {
			first = created.TaskID
		}
	}
	sb.svc.scale.mu.Lock()
	bytes, n := sb.svc.scale.taskBytes[modeTest], len(sb.svc.scale.tasks[modeTest])
	sb.svc.scale.mu.Unlock()
	if bytes > maxModeTaskBytes || n >= 300+len(fixtureTasks()[modeTest]) {
		t.Errorf("%d tasks, %d bytes (budget %d)", n, bytes, maxModeTaskBytes)
	}
	if status, _ := sb.scaleCall(sbtest.ScaleTestKey, "GET", "/v1/task/"+first, "", nil); status != 404 {
		t.Errorf("the oldest big task was kept: %d", status)
	}
	if status, _ := sb.scaleCall(sbtest.ScaleTestKey, "GET", "/v1/task/"+fixtureTasks()[modeTest][0].TaskID, "", nil); status != 200 {
		t.Errorf("a fixture was evicted: %d", status)
	}
}

// A change that another lands on the same task while it runs (its
// function runs outside the lock) is applied again to the newer task,
// never stored over it.
func TestScaleChangeTaskRetriesOnAConcurrentChange(t *testing.T) {
	st := newScaleState()
	id := fixtureTasks()[modeTest][1].TaskID
	runs := 0
	got, status, problem := st.changeTask(modeTest, id, func(tk *task) (int, string) {
		runs++
		if runs == 1 { // another request lands first
			st.changeTask(modeTest, id, func(other *task) (int, string) {
				other.Tags = append(other.Tags, "theirs")
				return 0, ""
			})
		}
		tk.Tags = append(tk.Tags, "mine")
		return 0, ""
	})
	if status != 200 || problem != "" || runs != 2 || !slices.Equal(got.Tags, []string{"theirs", "mine"}) {
		t.Errorf("status %d %q after %d runs: tags %v", status, problem, runs, got.Tags)
	}
	if stored, _ := st.task(modeTest, id); !slices.Equal(stored.Tags, []string{"theirs", "mine"}) {
		t.Errorf("stored tags %v", stored.Tags)
	}
}

// Hostile names: a 5,000-character unique_id is refused, ids with path
// characters and bidi controls are answered as not found in Scale's
// shape, names past 128 characters are refused.
func TestScaleHostileNamesAndIDs(t *testing.T) {
	sb := newSandbox(t)
	long := strings.Repeat("u", 5000)
	status, body := sb.scaleCall(sbtest.ScaleTestKey, "POST", "/v1/task/categorization", `{"attachment":"a","categories":["x"],"unique_id":"`+long+`"}`, nil)
	scaleError400(t, "a 5000-character unique_id on create", status, body, "unique_id must be at most 256")
	id := fixtureTasks()[modeTest][0].TaskID
	status, body = sb.scaleCall(sbtest.ScaleTestKey, "POST", "/v1/task/"+id+"/unique_id", `{"unique_id":"`+long+`"}`, nil)
	scaleError400(t, "a 5000-character unique_id on set", status, body, "unique_id must be at most 256")
	for _, path := range []string{"/v1/task/..%2F..%2Fetc%2Fpasswd", "/v1/task/%E2%80%AEdi%E2%80%AC", "/v1/batches/%2E%2E%2Fx", "/v1/projects/%E2%80%AEevil"} {
		status, body := sb.scaleCall(sbtest.ScaleTestKey, "GET", path, "", nil)
		var e scaleError
		if status != 404 || json.Unmarshal([]byte(body), &e) != nil || e.StatusCode != 404 {
			t.Errorf("GET %s: %d %s", path, status, body)
		}
	}
	for _, c := range []struct{ path, body string }{
		{"/v1/projects", `{"type":"categorization","name":"` + strings.Repeat("\u202e", 5000) + `"}`},
		{"/v1/batches", `{"project":"sandbox-triage","name":"` + strings.Repeat("b", 5000) + `"}`},
	} {
		status, body := sb.scaleCall(sbtest.ScaleTestKey, "POST", c.path, c.body, nil)
		scaleError400(t, c.path+" with a 5000-character name", status, body, "at most 128 characters")
	}
}

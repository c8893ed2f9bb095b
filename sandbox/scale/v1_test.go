package scale

import (
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/sandbox/internal/sbtest"
)

// scaleCall sends one Scale request with the key and decodes a 200 body
// into out (when not nil); it returns the status and the raw body.
func (sb *sandbox) scaleCall(key, method, path, body string, out any) (int, string) {
	sb.T.Helper()
	headers := []string{"Authorization", sbtest.BasicKey(key)}
	if body != "" {
		headers = append(headers, "Content-Type", "application/json")
	}
	a := sb.Do(method, "/scale"+path, body, headers...)
	if a.Status == 200 && out != nil {
		if err := json.Unmarshal([]byte(a.Body), out); err != nil {
			sb.T.Fatalf("%s %s: %v in %s", method, path, err, a.Body)
		}
	}
	return a.Status, a.Body
}

func (sb *sandbox) mustScale(key, method, path, body string, out any) {
	sb.T.Helper()
	if status, raw := sb.scaleCall(key, method, path, body, out); status != 200 {
		sb.T.Fatalf("%s %s: %d %s", method, path, status, raw)
	}
}

func taskIDs(list taskList) []string {
	var out []string
	for _, t := range list.Docs {
		out = append(out, t.TaskID)
	}
	return out
}

// TestScaleTaskLifecycle follows a task the way scaleapi's ScaleClient
// does: create, get, list with filters, unique id, metadata, tags, cancel.
func TestScaleTaskLifecycle(t *testing.T) {
	sb := newSandbox(t)
	var created task
	sb.mustScale(sbtest.ScaleTestKey, "POST", "/v1/task/categorization",
		`{"project":"sandbox-triage","instruction":"Is this spam?","attachment":"hello","attachment_type":"text","categories":["spam","ham"],"unique_id":"u-1","metadata":{"n":3,"nested":{"a":true}},"tags":["red"]}`, &created)
	if created.Status != "pending" || created.UniqueID != "u-1" || created.Metadata["n"] != float64(3) {
		t.Fatalf("created %+v", created)
	}
	var got task
	sb.mustScale(sbtest.ScaleTestKey, "GET", "/v1/task/"+created.TaskID, "", &got)
	if got.TaskID != created.TaskID || got.Instruction != "Is this spam?" {
		t.Errorf("get: %+v", got)
	}
	if status, _ := sb.scaleCall(sbtest.ScaleLiveKey, "GET", "/v1/task/"+created.TaskID, "", nil); status != 404 {
		t.Errorf("a test task seen with the live key: %d", status)
	}
	if status, body := sb.scaleCall(sbtest.ScaleTestKey, "GET", "/v1/task/nope", "", nil); status != 404 || !strings.Contains(body, `"status_code":404`) {
		t.Errorf("unknown task: %d %s", status, body)
	}

	// Created tasks are listed, newest first, and every filter narrows.
	var list taskList
	sb.mustScale(sbtest.ScaleTestKey, "GET", "/v1/tasks?limit=1", "", &list)
	if len(list.Docs) != 1 || list.Docs[0].TaskID != created.TaskID || list.Total != len(fixtureTasks()[modeTest])+1 {
		t.Fatalf("newest task %v of %d", taskIDs(list), list.Total)
	}
	filters := map[string]int{
		"project=sandbox-triage":                1,
		"project=street-signs-test":             len(fixtureTasks()[modeTest]),
		"type=categorization":                   1,
		"status=pending":                        2, // two fixtures; a test task completes at once
		"status=completed&type=imageannotation": len(fixtureTasks()[modeTest]) - 2,
		"unique_id=u-1":                         1,
		"unique_id=u-1&unique_id=u-2":           1,
		"unique_id=nope":                        0,
		"tags=red":                              1,
		"start_time=2025-06-14":                 7, // sbtest.FixedNow's task and the fixtures from 09:30 back every 97 minutes
		"start_time=2025-06-14+09:00:00.000000": 2, // the client's documented form
		"end_time=2025-06-13T18:00:00Z":         2,
		"completed_after=2025-06-14":            6, // five fixtures and the new one
		"updated_after=2025-06-14T09:59:00Z":    1,
		"customer_review_status=accepted":       0,
	}
	for query, want := range filters {
		var l taskList
		sb.mustScale(sbtest.ScaleTestKey, "GET", "/v1/tasks?"+query, "", &l)
		if l.Total != want || len(l.Docs) != want {
			t.Errorf("?%s: %d tasks (total %d), want %d", query, len(l.Docs), l.Total, want)
		}
	}
	for _, query := range []string{"status=done", "type=poetry", "start_time=yesterday", "offset=-1"} {
		if status, _ := sb.scaleCall(sbtest.ScaleTestKey, "GET", "/v1/tasks?"+query, "", nil); status != 400 {
			t.Errorf("?%s: %d, want 400", query, status)
		}
	}

	// A reused unique_id is 409, on create and on set; clearing frees it.
	if status, body := sb.scaleCall(sbtest.ScaleTestKey, "POST", "/v1/task/categorization", `{"unique_id":"u-1","attachment":"a","categories":["x"]}`, nil); status != 409 || !strings.Contains(body, created.TaskID) {
		t.Errorf("duplicate unique_id on create: %d %s", status, body)
	}
	other := fixtureTasks()[modeTest][0].TaskID
	if status, _ := sb.scaleCall(sbtest.ScaleTestKey, "POST", "/v1/task/"+other+"/unique_id", `{"unique_id":"u-1"}`, nil); status != 409 {
		t.Errorf("duplicate unique_id on set: %d", status)
	}
	var cleared task
	sb.mustScale(sbtest.ScaleTestKey, "DELETE", "/v1/task/"+created.TaskID+"/unique_id", "", &cleared)
	if cleared.UniqueID != "" {
		t.Errorf("after clear: %q", cleared.UniqueID)
	}
	var moved task
	sb.mustScale(sbtest.ScaleTestKey, "POST", "/v1/task/"+other+"/unique_id", `{"unique_id":"u-1"}`, &moved)
	if moved.UniqueID != "u-1" {
		t.Errorf("set: %+v", moved)
	}
	// The same unique_id in live mode is another world.
	sb.mustScale(sbtest.ScaleLiveKey, "POST", "/v1/task/imageannotation", `{"unique_id":"u-1",`+imageParamsJSON+`}`, nil)

	var withMeta task
	sb.mustScale(sbtest.ScaleTestKey, "POST", "/v1/task/"+created.TaskID+"/setMetadata", `{"score":0.5,"ok":true,"list":[1,2],"s":"x"}`, &withMeta)
	if withMeta.Metadata["score"] != 0.5 || withMeta.Metadata["ok"] != true || withMeta.Metadata["s"] != "x" || withMeta.Metadata["n"] != nil {
		t.Errorf("setMetadata: %v", withMeta.Metadata)
	}
	var tagged task
	sb.mustScale(sbtest.ScaleTestKey, "POST", "/v1/task/"+created.TaskID+"/tags", `["a","b"]`, &tagged)
	sb.mustScale(sbtest.ScaleTestKey, "PUT", "/v1/task/"+created.TaskID+"/tags", `["c","a"]`, &tagged)
	if !slices.Equal(tagged.Tags, []string{"a", "b", "c"}) {
		t.Errorf("set then add tags: %v", tagged.Tags)
	}
	sb.mustScale(sbtest.ScaleTestKey, "DELETE", "/v1/task/"+created.TaskID+"/tags", `["b"]`, &tagged)
	if !slices.Equal(tagged.Tags, []string{"a", "c"}) {
		t.Errorf("delete tag: %v", tagged.Tags)
	}

	var canceled task
	sb.mustScale(sbtest.ScaleTestKey, "POST", "/v1/task/"+other+"/cancel?clear_unique_id=true", "", &canceled)
	if canceled.Status != "canceled" || canceled.UniqueID != "" {
		t.Errorf("cancel with clear_unique_id: %+v", canceled)
	}
	if status, _ := sb.scaleCall(sbtest.ScaleTestKey, "POST", "/v1/task/"+other+"/cancel", "", nil); status != 400 {
		t.Errorf("cancel a canceled task: %d, want 400", status)
	}
	if status, _ := sb.scaleCall(sbtest.ScaleTestKey, "POST", "/v1/task/"+fixtureTasks()[modeTest][5].TaskID+"/cancel", "", nil); status != 400 {
		t.Errorf("cancel a completed task: %d, want 400", status)
	}
	// A test task is completed by the time its create answers, so its
	// cancel is a 400 too (the client's test_cancel).
	if status, _ := sb.scaleCall(sbtest.ScaleTestKey, "POST", "/v1/task/"+created.TaskID+"/cancel", "", nil); status != 400 {
		t.Errorf("cancel a new test task: %d, want 400", status)
	}
}

// TestScaleTaskPagingBothWays pages the same list by next_token and by
// offset and gets the same tasks in the same order.
func TestScaleTaskPagingBothWays(t *testing.T) {
	sb := newSandbox(t)
	var byToken, byOffset []string
	for next := ""; ; {
		var l taskList
		sb.mustScale(sbtest.ScaleLiveKey, "GET", "/v1/tasks?limit=4&next_token="+url.QueryEscape(next), "", &l)
		byToken = append(byToken, taskIDs(l)...)
		if !l.HasMore {
			break
		}
		next = *l.NextToken
	}
	for offset := 0; ; offset += 4 {
		var l taskList
		sb.mustScale(sbtest.ScaleLiveKey, "GET", "/v1/tasks?limit=4&offset="+strconv.Itoa(offset), "", &l)
		byOffset = append(byOffset, taskIDs(l)...)
		if l.Offset != offset || !l.HasMore {
			break
		}
	}
	if len(byToken) != len(fixtureTasks()[modeLive]) || !slices.Equal(byToken, byOffset) {
		t.Errorf("next_token paging %d tasks, offset paging %d, equal %v", len(byToken), len(byOffset), slices.Equal(byToken, byOffset))
	}
}

// allParamsJSON satisfies every task type's required params.
const allParamsJSON = `{"instruction":"x","attachment":"http://i.imgur.com/v4cBreD.jpg","attachments":["a","b"],` +
	`"geometries":{"polygon":{"objects_to_annotate":["cow"]}},"objects_to_annotate":["cow"],"labels":[{"name":"PER"}],` +
	`"categories":["public","private"],"fields":{"title":"Title"},"text":"Ada wrote","choices":["left","right"]}`

// TestScaleCreatesEveryTaskType: each type the client's TaskType names is
// accepted with its required params, its task listed by type and, in
// test mode, completed with a response of the type's shape; without
// them, a type with required params is a 400 naming each.
func TestScaleCreatesEveryTaskType(t *testing.T) {
	sb := newSandbox(t)
	shapes := map[string]string{
		"imageannotation": `{"annotations":[{"label":"cow","type":"polygon","uuid":`, "categorization": `{"category":"public"}`,
		"transcription": `{"fields":{"title":"sandbox title"},"repeatable_fields":[]}`, "datacollection": `{"fields":{"title":"sandbox title"}}`,
		"namedentityrecognition": `{"annotations":[{"end":3,"label":"PER","start":0,"text":"Ada"}]}`, "comparison": `{"choice":"left"}`,
		"annotation": `{"annotations":[{"height":36,"label":"cow","left":40,"top":30,"type":"box","uuid":`,
	}
	for _, typ := range taskTypes {
		var created task
		sb.mustScale(sbtest.ScaleTestKey, "POST", "/v1/task/"+typ, allParamsJSON, &created)
		var l taskList
		sb.mustScale(sbtest.ScaleTestKey, "GET", "/v1/tasks?type="+typ, "", &l)
		if created.Type != typ || !slices.Contains(taskIDs(l), created.TaskID) {
			t.Errorf("%s: created %+v, listed %v", typ, created.Type, taskIDs(l))
		}
		var got task
		sb.mustScale(sbtest.ScaleTestKey, "GET", "/v1/task/"+created.TaskID, "", &got)
		if got.Status != "completed" || got.CompletedAt == "" || len(got.Response) == 0 {
			t.Errorf("%s: a test task is %s with response %s", typ, got.Status, got.Response)
		}
		if want, ok := shapes[typ]; ok && !strings.HasPrefix(string(got.Response), want) {
			t.Errorf("%s: response %s, want it to start %s", typ, got.Response, want)
		}
		if len(requiredParams[typ]) == 0 {
			continue
		}
		status, body := sb.scaleCall(sbtest.ScaleTestKey, "POST", "/v1/task/"+typ, `{"instruction":"x"}`, nil)
		if status != 400 || !strings.Contains(body, `"status_code":400`) {
			t.Errorf("%s without params: %d %s", typ, status, body)
		}
		for _, want := range requiredParams[typ] {
			if !strings.Contains(body, strings.ReplaceAll(want, "|", " or ")) {
				t.Errorf("%s: the 400 does not name %s: %s", typ, want, body)
			}
		}
	}
}

// Params are kept whole, every field the client sent that is not the
// task's own, nested values included, and a get gives them back.
func TestScaleTaskParamsKeptWhole(t *testing.T) {
	sb := newSandbox(t)
	var created, got task
	sb.mustScale(sbtest.ScaleTestKey, "POST", "/v1/task/imageannotation", `{"instruction":"x","force":true,"urgency":"day",`+imageParamsJSON+
		`,"annotation_attributes":{"occluded":{"type":"category","choices":["yes","no"]}},"context_attachments":[{"attachment":"http://e/x.jpg"}]}`, &created)
	sb.mustScale(sbtest.ScaleTestKey, "GET", "/v1/task/"+created.TaskID, "", &got)
	want := `{"annotation_attributes":{"occluded":{"type":"category","choices":["yes","no"]}},"attachment":"http://i.imgur.com/v4cBreD.jpg",` +
		`"attachment_type":"image","context_attachments":[{"attachment":"http://e/x.jpg"}],` +
		`"geometries":{"box":{"objects_to_annotate":["Baby Cow","Big Cow"],"min_height":10,"min_width":10}}}`
	if b, _ := json.Marshal(got.Params); string(b) != want {
		t.Errorf("params\n got %s\nwant %s", b, want)
	}
}

func TestScaleProjectParamsAndTemplate(t *testing.T) {
	sb := newSandbox(t)
	var p project
	sb.mustScale(sbtest.ScaleLiveKey, "POST", "/v1/projects/"+model.SandboxLiveProject+"/setParams", `{"instruction":"Now boxes around lights too."}`, &p)
	if len(p.ParamHistory) != 2 || p.ParamHistory[1].Version != 1 || p.ParamHistory[1].Instruction != "Now boxes around lights too." {
		t.Fatalf("setParams: %+v", p.ParamHistory)
	}
	var again project
	sb.mustScale(sbtest.ScaleLiveKey, "GET", "/v1/projects/"+model.SandboxLiveProject, "", &again)
	if len(again.ParamHistory) != 2 {
		t.Errorf("get after setParams: %+v", again.ParamHistory)
	}
	var tmpl taskTemplate
	sb.mustScale(sbtest.ScaleLiveKey, "GET", "/v1/projects/"+model.SandboxLiveProject+"/taskTemplates", "", &tmpl)
	if tmpl.Version != 1 || tmpl.TemplateVariables["instruction"] != "Now boxes around lights too." || tmpl.ID == "" {
		t.Errorf("template: %+v", tmpl)
	}
	for _, path := range []string{"/v1/projects/nope/setParams", "/v1/projects/" + model.SandboxLiveProject + "/setParams"} {
		key := sbtest.ScaleLiveKey
		if !strings.Contains(path, "nope") {
			key = sbtest.ScaleTestKey // the live project does not exist in test mode
		}
		if status, _ := sb.scaleCall(key, "POST", path, `{"instruction":"x"}`, nil); status != 404 {
			t.Errorf("%s: %d, want 404", path, status)
		}
	}
}

func TestScaleBatches(t *testing.T) {
	sb := newSandbox(t)
	var b batch
	sb.mustScale(sbtest.ScaleTestKey, "POST", "/v1/batches", `{"project":"sandbox-triage","name":"week-24","callback":"","calibration_batch":false,"self_label_batch":false,"metadata":{"owner":"qa","n":1}}`, &b)
	if b.Status != "in_progress" || b.Project != "sandbox-triage" || b.Metadata["n"] != float64(1) {
		t.Fatalf("created %+v", b)
	}
	if status, _ := sb.scaleCall(sbtest.ScaleTestKey, "POST", "/v1/batches", `{"project":"sandbox-triage","name":"week-24"}`, nil); status != 409 {
		t.Errorf("duplicate batch: %d", status)
	}
	if status, _ := sb.scaleCall(sbtest.ScaleTestKey, "POST", "/v1/batches", `{"project":"nope","name":"b"}`, nil); status != 404 {
		t.Errorf("unknown project: %d", status)
	}
	if status, _ := sb.scaleCall(sbtest.ScaleLiveKey, "GET", "/v1/batches/week-24", "", nil); status != 404 {
		t.Errorf("a test batch seen with the live key: %d", status)
	}
	var inBatch task
	sb.mustScale(sbtest.ScaleTestKey, "POST", "/v1/task/categorization", `{"batch":"week-24","instruction":"x","attachment":"a","categories":["y"]}`, &inBatch)
	if inBatch.Project != "sandbox-triage" || inBatch.Batch != "week-24" {
		t.Errorf("task in batch: %+v", inBatch)
	}
	var l taskList
	sb.mustScale(sbtest.ScaleTestKey, "GET", "/v1/tasks?batch=week-24", "", &l)
	if !slices.Equal(taskIDs(l), []string{inBatch.TaskID}) {
		t.Errorf("tasks of the batch: %v", taskIDs(l))
	}
	var status map[string]any
	sb.mustScale(sbtest.ScaleTestKey, "GET", "/v1/batches/week-24/status", "", &status)
	if status["status"] != "in_progress" || status["completed"] != float64(1) {
		t.Errorf("status: %v", status)
	}
	sb.mustScale(sbtest.ScaleTestKey, "POST", "/v1/batches/week-24/finalize", "", &b)
	if b.Status != "in_progress" {
		t.Errorf("finalize: %+v", b)
	}
	// A Rapid project's batch is staging until finalized.
	sb.mustScale(sbtest.ScaleTestKey, "POST", "/v1/projects", `{"type":"categorization","name":"rapid-one","rapid":true}`, nil)
	var staged batch
	sb.mustScale(sbtest.ScaleTestKey, "POST", "/v1/batches", `{"project":"rapid-one","name":"r-1"}`, &staged)
	if staged.Status != "staging" {
		t.Errorf("a Rapid project's new batch: %+v", staged)
	}
	sb.mustScale(sbtest.ScaleTestKey, "POST", "/v1/batches/r-1/finalize", "", &staged)
	if staged.Status != "completed" {
		t.Errorf("finalize an empty staging batch: %+v", staged)
	}
	var withMeta batch
	sb.mustScale(sbtest.ScaleTestKey, "POST", "/v1/batches/week-24/setMetadata", `{"owner":"ops"}`, &withMeta)
	if withMeta.Metadata["owner"] != "ops" || withMeta.Metadata["n"] != nil {
		t.Errorf("setMetadata: %v", withMeta.Metadata)
	}
	sb.mustScale(sbtest.ScaleTestKey, "POST", "/v1/batches", `{"project":"street-signs-test","name":"other"}`, nil)
	var bl batchList
	sb.mustScale(sbtest.ScaleTestKey, "GET", "/v1/batches?project=sandbox-triage", "", &bl)
	if bl.TotalDocs != 1 || bl.Docs[0].Name != "week-24" || bl.Docs[0].Metadata["owner"] != "ops" {
		t.Errorf("list by project: %+v", bl)
	}
	// Newest first: the first page is the last created.
	sb.mustScale(sbtest.ScaleTestKey, "GET", "/v1/batches?limit=1", "", &bl)
	if bl.TotalDocs != 3 || len(bl.Docs) != 1 || bl.Docs[0].Name != "other" || !bl.HasMore {
		t.Errorf("first page: %+v", bl)
	}
	sb.mustScale(sbtest.ScaleTestKey, "GET", "/v1/batches?limit=1&offset=2", "", &bl)
	if bl.TotalDocs != 3 || len(bl.Docs) != 1 || bl.Docs[0].Name != "week-24" || bl.HasMore {
		t.Errorf("last page: %+v", bl)
	}
	sb.mustScale(sbtest.ScaleTestKey, "GET", "/v1/batches?status=in_progress", "", &bl)
	if bl.TotalDocs != 2 {
		t.Errorf("by status: %+v", bl)
	}
	if status, _ := sb.scaleCall(sbtest.ScaleTestKey, "POST", "/v1/task/categorization", `{"batch":"nope","attachment":"a","categories":["x"]}`, nil); status != 404 {
		t.Errorf("task in an unknown batch: %d", status)
	}
}

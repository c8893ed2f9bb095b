package scale

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/authscope/authscope/sandbox/wire"
)

// ownTaskFields are the create body's fields that are the task's own,
// decoded with their types; the rest are the task's params.
type ownTaskFields struct {
	Project     string         `json:"project"`
	Instruction string         `json:"instruction"`
	CallbackURL string         `json:"callback_url"`
	Metadata    map[string]any `json:"metadata"`
	UniqueID    string         `json:"unique_id"`
	Batch       string         `json:"batch"`
	Tags        []string       `json:"tags"`
}

// splitTaskBody reads a create body: the task's own fields, typed, and
// every other field kept whole as its params.
func splitTaskBody(raw map[string]json.RawMessage) (ownTaskFields, taskParams, string) {
	var own ownTaskFields
	kept := map[string]any{ // the own fields the sandbox keeps, and where each is decoded to
		"project": &own.Project, "instruction": &own.Instruction, "callback_url": &own.CallbackURL,
		"unique_id": &own.UniqueID, "batch": &own.Batch, "metadata": &own.Metadata, "tags": &own.Tags,
	}
	params := taskParams{}
	for name, value := range raw {
		if !ownFields[name] {
			params[name] = value
			continue
		}
		if string(value) == "null" {
			continue
		}
		target, keep := kept[name]
		if !keep {
			continue // force, urgency, priority: accepted, nothing to keep
		}
		if json.Unmarshal(value, target) != nil {
			kind := "a string"
			switch name {
			case "metadata":
				kind = "an object"
			case "tags":
				kind = "a list of strings"
			}
			return own, nil, name + " must be " + kind + "."
		}
	}
	return own, params, ""
}

// createTask is POST /v1/task/{type}: the type's required params are
// checked (400 naming the missing ones), the params kept whole. A test
// key's task completes at once with a response of its type's shape (the
// docs: test requests "are not completed by a human"); a live key's task
// stays pending until POST /v1/sandbox/task/{id}/complete. A completed
// task's callback_url gets the task: posted when it is on this machine,
// recorded otherwise (GET /v1/sandbox/callbacks).
func (s *Service) createTask(w http.ResponseWriter, r *http.Request) {
	typ := r.PathValue("id") // a task type on POST
	if !slices.Contains(taskTypes, typ) {
		scaleFail(w, http.StatusBadRequest, "Unknown task type "+strconv.Quote(typ)+"; use one of "+strings.Join(taskTypes, ", ")+".")
		return
	}
	var raw map[string]json.RawMessage
	if !readJSON(w, r, &raw) {
		return
	}
	body, params, problem := splitTaskBody(raw)
	if problem == "" {
		if missing := missingParams(typ, params); len(missing) > 0 {
			problem = missingParamsMessage(typ, missing)
		}
	}
	if problem == "" && body.CallbackURL != "" {
		if err := checkCallbackURL(body.CallbackURL); err != nil {
			problem = err.Error()
		}
	}
	if problem == "" {
		problem = checkMetadata(body.Metadata)
	}
	if problem == "" {
		problem = checkUniqueID(body.UniqueID)
	}
	if problem == "" {
		body.Tags, problem = mergeTags(nil, body.Tags)
	}
	if problem != "" {
		scaleFail(w, http.StatusBadRequest, problem)
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
	now := stamp(s.now())
	t := task{
		TaskID: newTaskID(), CreatedAt: now, UpdatedAt: now, Type: typ, Status: "pending",
		Instruction: body.Instruction, Urgency: "standard", Params: params,
		CallbackURL: body.CallbackURL, Project: body.Project, IsTest: mode == modeTest, Metadata: body.Metadata,
		UniqueID: body.UniqueID, Batch: body.Batch, Tags: body.Tags,
	}
	if t.Metadata == nil {
		t.Metadata = map[string]any{}
	}
	stored := t
	if mode == modeTest {
		complete(&stored, now)
	}
	stored.size = len(wire.Encode(stored))
	if owner := s.scale.addTask(mode, stored); owner != "" {
		scaleFail(w, http.StatusConflict, duplicateUniqueID(t.UniqueID, owner))
		return
	}
	wire.Write(w, http.StatusOK, wire.JSONUTF8, wire.Encode(t)) // as it was posted: pending
	if stored.Status == "completed" {
		s.fireCallback(mode, stored)
	}
}

// complete marks t completed now with a response of its type's shape.
func complete(t *task, now string) {
	t.Status, t.CompletedAt, t.UpdatedAt = "completed", now, now
	t.Response = completedResponse(t.Type, t.Params)
}

// fireCallback sends (or records) a completed task's callback.
func (s *Service) fireCallback(mode string, t task) {
	if t.CallbackURL == "" {
		return
	}
	payload := wire.Encode(callbackBody{TaskID: t.TaskID, Status: t.Status, Response: t.Response, Task: t})
	s.callback.send(mode, t.CallbackURL, t.TaskID, payload)
}

// completeTask is POST /v1/sandbox/task/{id}/complete, the sandbox's own
// call (Scale has none: a human does it): a pending task completes with a
// response of its type's shape and its callback fires. Any other status
// is Scale's 400.
func (s *Service) completeTask(w http.ResponseWriter, r *http.Request) {
	mode, now := scaleMode(r), stamp(s.now())
	t, status, problem := s.scale.changeTask(mode, r.PathValue("id"), func(t *task) (int, string) {
		if t.Status != "pending" {
			return http.StatusBadRequest, "Task " + t.TaskID + " is " + t.Status + "; only a pending task can be completed."
		}
		complete(t, now)
		return 0, ""
	})
	if problem != "" {
		scaleFail(w, status, problem)
		return
	}
	wire.Write(w, http.StatusOK, wire.JSONUTF8, wire.Encode(t))
	s.fireCallback(mode, t)
}

// checkUniqueID keeps a unique_id within maxUniqueIDLength.
func checkUniqueID(id string) string {
	if len(id) > maxUniqueIDLength {
		return "unique_id must be at most " + itoa(maxUniqueIDLength) + " characters."
	}
	return ""
}

// checkMetadata keeps metadata within maxMetadataBytes as JSON.
func checkMetadata(m map[string]any) string {
	if m != nil && len(wire.Encode(m)) > maxMetadataBytes {
		return "metadata must be at most " + sizeText(maxMetadataBytes) + " as JSON in the sandbox."
	}
	return ""
}

// readMetadata reads the body that replaces a task's or a batch's
// metadata: any JSON object (null is an empty one) within
// maxMetadataBytes; false after answering as readJSON does, or 400.
func readMetadata(w http.ResponseWriter, r *http.Request) (map[string]any, bool) {
	var metadata map[string]any
	if !readJSON(w, r, &metadata) {
		return nil, false
	}
	if metadata == nil {
		metadata = map[string]any{}
	}
	if problem := checkMetadata(metadata); problem != "" {
		scaleFail(w, http.StatusBadRequest, problem)
		return nil, false
	}
	return metadata, true
}

// mergeTags adds tags to have, in order, without repeats and empty ones,
// within maxTags of at most maxTagLength characters each.
func mergeTags(have, tags []string) ([]string, string) {
	if len(tags) > maxTags*4 {
		return nil, "At most " + itoa(maxTags) + " tags per task."
	}
	seen := make(map[string]bool, len(have)+len(tags))
	out := slices.Clone(have)
	for _, tag := range have {
		seen[tag] = true
	}
	for _, tag := range tags {
		if len(tag) > maxTagLength {
			return nil, "A tag must be at most " + itoa(maxTagLength) + " characters."
		}
		if tag != "" && !seen[tag] {
			seen[tag] = true
			out = append(out, tag)
		}
	}
	if len(out) > maxTags {
		return nil, "At most " + itoa(maxTags) + " tags per task; this task would have " + itoa(len(out)) + "."
	}
	return out, ""
}

func newTaskID() string {
	var b [12]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

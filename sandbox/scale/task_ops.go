package scale

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/authscope/authscope/sandbox/wire"
)

// The per-task endpoints of Scale v1 under /v1/task/{id}: get, cancel,
// unique_id set and clear, setMetadata and tags. Each answers the task as
// it is afterwards, with 200, as Scale does.

func (s *Service) getTask(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if t, ok := s.scale.task(scaleMode(r), id); ok {
		wire.Write(w, http.StatusOK, wire.JSONUTF8, wire.Encode(t))
		return
	}
	scaleFail(w, http.StatusNotFound, "Task with id "+id+" not found.")
}

// answerChange runs change on the request's task and writes the result.
func (s *Service) answerChange(w http.ResponseWriter, r *http.Request, change func(t *task, owner func(string) string) (int, string)) {
	now := stamp(s.now())
	t, status, problem := s.scale.changeTask(scaleMode(r), r.PathValue("id"), func(t *task, owner func(string) string) (int, string) {
		status, problem := change(t, owner)
		if problem == "" {
			t.UpdatedAt = now
		}
		return status, problem
	})
	if problem != "" {
		scaleFail(w, status, problem)
		return
	}
	wire.Write(w, http.StatusOK, wire.JSONUTF8, wire.Encode(t))
}

// cancelTask is POST /v1/task/{id}/cancel[?clear_unique_id=true]: only a
// pending task can be canceled.
func (s *Service) cancelTask(w http.ResponseWriter, r *http.Request) {
	clear := r.URL.Query().Get("clear_unique_id") == "true"
	s.answerChange(w, r, func(t *task, _ func(string) string) (int, string) {
		if t.Status != "pending" {
			return http.StatusConflict, "Task " + t.TaskID + " is " + t.Status + "; only pending tasks can be canceled."
		}
		t.Status = "canceled"
		if clear {
			t.UniqueID = ""
		}
		return 0, ""
	})
}

func (s *Service) setUniqueID(w http.ResponseWriter, r *http.Request) {
	var body struct {
		UniqueID string `json:"unique_id"`
	}
	if !readJSON(w, r, &body) {
		return
	}
	if body.UniqueID == "" {
		scaleFail(w, http.StatusBadRequest, "unique_id is required.")
		return
	}
	s.answerChange(w, r, func(t *task, owner func(string) string) (int, string) {
		if o := owner(body.UniqueID); o != "" && o != t.TaskID {
			return http.StatusConflict, duplicateUniqueID(body.UniqueID, o)
		}
		t.UniqueID = body.UniqueID
		return 0, ""
	})
}

func duplicateUniqueID(uniqueID, owner string) string {
	return "The unique_id (" + strconv.Quote(uniqueID) + ") is already used for a different task (" + owner + ")."
}

func (s *Service) clearUniqueID(w http.ResponseWriter, r *http.Request) {
	s.answerChange(w, r, func(t *task, _ func(string) string) (int, string) {
		t.UniqueID = ""
		return 0, ""
	})
}

// setTaskMetadata replaces the metadata with the body, any JSON values.
func (s *Service) setTaskMetadata(w http.ResponseWriter, r *http.Request) {
	var metadata map[string]any
	if !readJSON(w, r, &metadata) {
		return
	}
	if metadata == nil {
		metadata = map[string]any{}
	}
	s.answerChange(w, r, func(t *task, _ func(string) string) (int, string) {
		t.Metadata = metadata
		return 0, ""
	})
}

// taskTags is /v1/task/{id}/tags with a JSON list of tags: POST sets them,
// PUT adds them, DELETE removes them.
func (s *Service) taskTags(w http.ResponseWriter, r *http.Request) {
	var tags []string
	if !readJSON(w, r, &tags) {
		return
	}
	s.answerChange(w, r, func(t *task, _ func(string) string) (int, string) {
		switch r.Method {
		case http.MethodPost:
			t.Tags = nil
			fallthrough
		case http.MethodPut:
			for _, tag := range tags {
				if tag != "" && !slices.Contains(t.Tags, tag) {
					t.Tags = append(t.Tags, tag)
				}
			}
		case http.MethodDelete:
			t.Tags = slices.DeleteFunc(t.Tags, func(tag string) bool { return slices.Contains(tags, tag) })
		}
		if t.Tags == nil {
			t.Tags = []string{}
		}
		return 0, ""
	})
}

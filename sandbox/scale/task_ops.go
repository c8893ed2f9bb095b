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
func (s *Service) answerChange(w http.ResponseWriter, r *http.Request, change func(t *task) (int, string)) {
	now := stamp(s.now())
	t, status, problem := s.scale.changeTask(scaleMode(r), r.PathValue("id"), func(t *task) (int, string) {
		status, problem := change(t)
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
// pending task can be canceled; any other is Scale's 400 (the client's
// ScaleInvalidRequest, which its tests expect for a completed test task).
func (s *Service) cancelTask(w http.ResponseWriter, r *http.Request) {
	clear := r.URL.Query().Get("clear_unique_id") == "true"
	s.answerChange(w, r, func(t *task) (int, string) {
		if t.Status != "pending" {
			return http.StatusBadRequest, "Task " + t.TaskID + " is " + t.Status + "; only a pending task can be canceled."
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
	if problem := checkUniqueID(body.UniqueID); problem != "" {
		scaleFail(w, http.StatusBadRequest, problem)
		return
	}
	s.answerChange(w, r, func(t *task) (int, string) {
		t.UniqueID = body.UniqueID // a unique_id in use elsewhere is refused when stored
		return 0, ""
	})
}

func duplicateUniqueID(uniqueID, owner string) string {
	return "The unique_id (" + strconv.Quote(uniqueID) + ") is already used for a different task (" + owner + ")."
}

func (s *Service) clearUniqueID(w http.ResponseWriter, r *http.Request) {
	s.answerChange(w, r, func(t *task) (int, string) {
		t.UniqueID = ""
		return 0, ""
	})
}

// setTaskMetadata replaces the metadata with the body, any JSON values.
func (s *Service) setTaskMetadata(w http.ResponseWriter, r *http.Request) {
	metadata, ok := readMetadata(w, r)
	if !ok {
		return
	}
	s.answerChange(w, r, func(t *task) (int, string) {
		t.Metadata = metadata
		return 0, ""
	})
}

// taskTags is /v1/task/{id}/tags with a JSON list of tags: POST sets them,
// PUT adds them, DELETE removes them. At most maxTags stay on a task; the
// merge runs outside the store's lock (changeTask).
func (s *Service) taskTags(w http.ResponseWriter, r *http.Request) {
	var tags []string
	if !readJSON(w, r, &tags) {
		return
	}
	s.answerChange(w, r, func(t *task) (int, string) {
		var problem string
		switch r.Method {
		case http.MethodPost:
			t.Tags, problem = mergeTags(nil, tags)
		case http.MethodPut:
			t.Tags, problem = mergeTags(t.Tags, tags)
		case http.MethodDelete:
			drop := make(map[string]bool, len(tags))
			for _, tag := range tags {
				drop[tag] = true
			}
			t.Tags = slices.DeleteFunc(t.Tags, func(tag string) bool { return drop[tag] })
		}
		if problem != "" {
			return http.StatusBadRequest, problem
		}
		if t.Tags == nil {
			t.Tags = []string{}
		}
		return 0, ""
	})
}

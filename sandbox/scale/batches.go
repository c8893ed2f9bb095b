package scale

import (
	"maps"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/authscope/authscope/sandbox/wire"
)

// batch is a Scale v1 batch: a named group of a project's tasks. A new
// batch is in_progress, as the client's tests expect of a standard
// project; a Rapid or Studio project's batch is staging until finalized.
type batch struct {
	Name             string         `json:"name"`
	Project          string         `json:"project"`
	Status           string         `json:"status"` // staging, in_progress, completed
	CreatedAt        string         `json:"created_at"`
	Callback         string         `json:"callback"`
	CalibrationBatch bool           `json:"calibration_batch"`
	SelfLabelBatch   bool           `json:"self_label_batch"`
	Metadata         map[string]any `json:"metadata"`
}

type createBatchBody struct {
	Project          string         `json:"project"`
	Name             string         `json:"name"`
	Callback         string         `json:"callback"`
	CalibrationBatch bool           `json:"calibration_batch"`
	SelfLabelBatch   bool           `json:"self_label_batch"`
	Metadata         map[string]any `json:"metadata"`
}

func batchNotFound(name string) string {
	return "Batch with name " + strconv.Quote(name) + " not found."
}

func (st *scaleState) batchIndexLocked(mode, name string) int {
	return slices.IndexFunc(st.batches[mode], func(b batch) bool { return b.Name == name })
}

func (st *scaleState) batch(mode, name string) (batch, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if i := st.batchIndexLocked(mode, name); i >= 0 {
		return st.batches[mode][i], true
	}
	return batch{}, false
}

// changeBatch replaces a batch by what change makes of a copy of it.
func (st *scaleState) changeBatch(mode, name string, change func(*batch)) (batch, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	i := st.batchIndexLocked(mode, name)
	if i < 0 {
		return batch{}, false
	}
	b := st.batches[mode][i]
	b.Metadata = maps.Clone(b.Metadata)
	change(&b)
	list := slices.Clone(st.batches[mode])
	list[i] = b
	st.batches[mode] = list
	return b, true
}

// createBatch is POST /v1/batches: 200 with the batch, 409 for a name in
// use, 404 for an unknown project.
func (s *Service) createBatch(w http.ResponseWriter, r *http.Request) {
	var body createBatchBody
	if !readJSON(w, r, &body) {
		return
	}
	mode := scaleMode(r)
	switch {
	case body.Project == "" || body.Name == "":
		scaleFail(w, http.StatusBadRequest, "Both project and name are required.")
		return
	case len(body.Name) > 128:
		scaleFail(w, http.StatusBadRequest, "name must be at most 128 characters.")
		return
	case body.Callback != "" && checkCallbackURL(body.Callback) != nil:
		scaleFail(w, http.StatusBadRequest, "callback must be a full http:// or https:// URL or an email address.")
		return
	case checkMetadata(body.Metadata) != "":
		scaleFail(w, http.StatusBadRequest, checkMetadata(body.Metadata))
		return
	}
	p, ok := s.scale.project(mode, body.Project)
	if !ok {
		scaleFail(w, http.StatusNotFound, projectNotFound(body.Project))
		return
	}
	status := "in_progress"
	if p.staged {
		status = "staging"
	}
	if body.Metadata == nil {
		body.Metadata = map[string]any{}
	}
	b := batch{Name: body.Name, Project: body.Project, Status: status, CreatedAt: stamp(s.now()), Callback: body.Callback,
		CalibrationBatch: body.CalibrationBatch, SelfLabelBatch: body.SelfLabelBatch, Metadata: body.Metadata}
	st := s.scale
	st.mu.Lock()
	if st.batchIndexLocked(mode, b.Name) >= 0 {
		st.mu.Unlock()
		scaleFail(w, http.StatusConflict, "A batch with name "+strconv.Quote(b.Name)+" already exists.")
		return
	}
	list := st.batches[mode]
	if len(list) >= maxCreatedBatches {
		list = list[1:]
	}
	st.batches[mode] = append(slices.Clone(list), b)
	st.mu.Unlock()
	wire.Write(w, http.StatusOK, wire.JSONUTF8, wire.Encode(b))
}

func (s *Service) getBatch(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if b, ok := s.scale.batch(scaleMode(r), name); ok {
		wire.Write(w, http.StatusOK, wire.JSONUTF8, wire.Encode(b))
		return
	}
	scaleFail(w, http.StatusNotFound, batchNotFound(name))
}

// finalizeBatch moves a staging batch on; as the sandbox's tasks need no
// labeller, a batch with no pending task is completed at once.
func (s *Service) finalizeBatch(w http.ResponseWriter, r *http.Request) {
	name, mode := r.PathValue("name"), scaleMode(r)
	counts := s.batchCounts(mode, name)
	b, ok := s.scale.changeBatch(mode, name, func(b *batch) {
		if b.Status == "staging" {
			b.Status = "in_progress"
			if counts["pending"] == 0 {
				b.Status = "completed"
			}
		}
	})
	if !ok {
		scaleFail(w, http.StatusNotFound, batchNotFound(name))
		return
	}
	wire.Write(w, http.StatusOK, wire.JSONUTF8, wire.Encode(b))
}

func (s *Service) batchCounts(mode, name string) map[string]int {
	counts := map[string]int{}
	for _, t := range s.scale.taskList(mode) {
		if t.Batch == name {
			counts[t.Status]++
		}
	}
	return counts
}

// batchStatus is GET /v1/batches/{name}/status: the status and the number
// of the batch's tasks in each task status that has any.
func (s *Service) batchStatus(w http.ResponseWriter, r *http.Request) {
	name, mode := r.PathValue("name"), scaleMode(r)
	b, ok := s.scale.batch(mode, name)
	if !ok {
		scaleFail(w, http.StatusNotFound, batchNotFound(name))
		return
	}
	out := map[string]any{"status": b.Status}
	for status, n := range s.batchCounts(mode, name) {
		out[status] = n
	}
	wire.Write(w, http.StatusOK, wire.JSONUTF8, wire.Encode(out))
}

func (s *Service) setBatchMetadata(w http.ResponseWriter, r *http.Request) {
	metadata, ok := readMetadata(w, r)
	if !ok {
		return
	}
	name := r.PathValue("name")
	b, ok := s.scale.changeBatch(scaleMode(r), name, func(b *batch) { b.Metadata = metadata })
	if !ok {
		scaleFail(w, http.StatusNotFound, batchNotFound(name))
		return
	}
	wire.Write(w, http.StatusOK, wire.JSONUTF8, wire.Encode(b))
}

type batchList struct {
	Docs      []batch `json:"docs"`
	TotalDocs int     `json:"totalDocs"`
	Limit     int     `json:"limit"`
	Offset    int     `json:"offset"`
	HasMore   bool    `json:"has_more"`
}

// listBatches is GET /v1/batches: project, status, start_time, end_time,
// limit (1..100, default 100) and offset, as the client's batches() sends;
// newest first, as the client's tests expect (batches(limit=3) lists the
// three just created).
func (s *Service) listBatches(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, offset, problem := limitOffset(q.Get("limit"), q.Get("offset"))
	if problem != "" {
		scaleFail(w, http.StatusBadRequest, problem)
		return
	}
	start, end, problem := timeRange(q, "start_time", "end_time")
	if problem != "" {
		scaleFail(w, http.StatusBadRequest, problem)
		return
	}
	s.scale.mu.Lock()
	all := s.scale.batches[scaleMode(r)] // replaced on change, never written: no copy
	s.scale.mu.Unlock()
	matching := []batch{}
	for _, b := range slices.Backward(all) {
		if (q.Get("project") == "" || b.Project == q.Get("project")) && (q.Get("status") == "" || b.Status == q.Get("status")) &&
			inRange(b.CreatedAt, start, end) {
			matching = append(matching, b)
		}
	}
	from := min(offset, len(matching))
	to := min(from+limit, len(matching))
	wire.Write(w, http.StatusOK, wire.JSONUTF8, wire.Encode(batchList{Docs: matching[from:to], TotalDocs: len(matching), Limit: limit, Offset: offset, HasMore: to < len(matching)}))
}

// inRange reports whether the stamp lies in [from, to] (zero = open).
func inRange(stampValue string, from, to time.Time) bool {
	if from.IsZero() && to.IsZero() {
		return true
	}
	t, err := time.Parse(time.RFC3339Nano, stampValue)
	if err != nil {
		return false
	}
	return (from.IsZero() || !t.Before(from)) && (to.IsZero() || !t.After(to))
}

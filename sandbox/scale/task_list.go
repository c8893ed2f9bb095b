package scale

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/authscope/authscope/sandbox/wire"
)

type taskList struct {
	Docs      []*task `json:"docs"`
	Total     int     `json:"total"`
	Limit     int     `json:"limit"`
	Offset    int     `json:"offset"`
	HasMore   bool    `json:"has_more"`
	NextToken *string `json:"next_token"`
}

var taskStatuses = []string{"pending", "completed", "canceled", "error"}

// listTasks is GET /v1/tasks with the filters the official client sends
// (project, batch, status, type, unique_id and tags, each repeatable where
// the client sends lists; start_time/end_time on created_at,
// completed_after/before, updated_after/before), paged either by
// next_token (as tasks() and get_tasks() do) or by offset.
func (s *Service) listTasks(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	keep, problem := taskFilter(q)
	if problem != "" {
		scaleFail(w, http.StatusBadRequest, problem)
		return
	}
	all := []*task{}
	for _, t := range s.scale.taskList(scaleMode(r)) {
		if keep(*t) {
			all = append(all, t)
		}
	}
	limit := 100
	if raw, ok := q["limit"]; ok {
		n, err := strconv.Atoi(raw[0])
		if err != nil || n < 1 || n > 100 {
			scaleFail(w, http.StatusBadRequest, "limit must be an integer between 1 and 100.")
			return
		}
		limit = n
	}
	offset := 0
	if raw := q.Get("next_token"); raw != "" {
		n, ok := decodeNextToken(raw, len(all))
		if !ok {
			scaleFail(w, http.StatusBadRequest, "Invalid next_token.")
			return
		}
		offset = n
	} else if raw := q.Get("offset"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 0 {
			scaleFail(w, http.StatusBadRequest, "offset must be an integer of 0 or more.")
			return
		}
		offset = min(n, len(all))
	}
	end := min(offset+limit, len(all))
	out := taskList{Docs: all[offset:end:end], Total: len(all), Limit: limit, Offset: offset, HasMore: end < len(all)}
	if out.HasMore {
		next := base64.RawURLEncoding.EncodeToString([]byte("tasks:" + strconv.Itoa(end)))
		out.NextToken = &next
	}
	wire.Write(w, http.StatusOK, wire.JSONUTF8, wire.Encode(out))
}

// values is a repeatable parameter: repeated (requests' way with a list)
// or comma-separated, empty values dropped.
func values(q url.Values, name string) []string {
	var out []string
	for _, v := range q[name] {
		for part := range strings.SplitSeq(v, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}

func taskFilter(q url.Values) (func(task) bool, string) {
	statuses := values(q, "status")
	for _, st := range statuses {
		if !slices.Contains(taskStatuses, st) {
			return nil, "status must be one of " + strings.Join(taskStatuses, ", ") + "."
		}
	}
	types := values(q, "type")
	for _, typ := range types {
		if !slices.Contains(taskTypes, typ) {
			return nil, "Unknown task type " + strconv.Quote(typ) + "."
		}
	}
	createdFrom, createdTo, problem := timeRange(q, "start_time", "end_time")
	if problem != "" {
		return nil, problem
	}
	completedFrom, completedTo, problem := timeRange(q, "completed_after", "completed_before")
	if problem != "" {
		return nil, problem
	}
	updatedFrom, updatedTo, problem := timeRange(q, "updated_after", "updated_before")
	if problem != "" {
		return nil, problem
	}
	project, batchName, uniqueIDs, tags := q.Get("project"), q.Get("batch"), values(q, "unique_id"), values(q, "tags")
	reviews := values(q, "customer_review_status")
	return func(t task) bool {
		switch {
		case project != "" && t.Project != project,
			batchName != "" && t.Batch != batchName,
			len(statuses) > 0 && !slices.Contains(statuses, t.Status),
			len(types) > 0 && !slices.Contains(types, t.Type),
			len(uniqueIDs) > 0 && !slices.Contains(uniqueIDs, t.UniqueID),
			len(reviews) > 0, // no sandbox task has been audited
			!inRange(t.CreatedAt, createdFrom, createdTo),
			!inRange(t.UpdatedAt, updatedFrom, updatedTo),
			(!completedFrom.IsZero() || !completedTo.IsZero()) && (t.CompletedAt == "" || !inRange(t.CompletedAt, completedFrom, completedTo)):
			return false
		}
		for _, tag := range tags {
			if !slices.Contains(t.Tags, tag) {
				return false
			}
		}
		return true
	}, ""
}

// scaleTimeLayouts are the forms the client's docs give
// ('YYYY-MM-DD HH:MM:SS.mmmmmm', UTC) and ISO 8601.
var scaleTimeLayouts = []string{"2006-01-02 15:04:05.999999", "2006-01-02 15:04:05", "2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999", "2006-01-02T15:04:05", "2006-01-02"}

// timeRange reads two optional time parameters.
func timeRange(q url.Values, fromName, toName string) (from, to time.Time, problem string) {
	parse := func(name string) (time.Time, bool) {
		raw := strings.TrimSpace(q.Get(name))
		if raw == "" {
			return time.Time{}, true
		}
		for _, layout := range scaleTimeLayouts {
			if t, err := time.Parse(layout, raw); err == nil {
				return t, true
			}
		}
		return time.Time{}, false
	}
	var ok bool
	if from, ok = parse(fromName); !ok {
		return from, to, fromName + " must be a date like 2025-06-14 or 2025-06-14 09:30:00.000000 (UTC)."
	}
	if to, ok = parse(toName); !ok {
		return from, to, toName + " must be a date like 2025-06-14 or 2025-06-14 09:30:00.000000 (UTC)."
	}
	return from, to, ""
}

// limitOffset reads offset paging: limit 1..100 (default 100), offset >= 0.
func limitOffset(rawLimit, rawOffset string) (limit, offset int, problem string) {
	limit = 100
	if rawLimit != "" {
		n, err := strconv.Atoi(rawLimit)
		if err != nil || n < 1 || n > 100 {
			return 0, 0, "limit must be an integer between 1 and 100."
		}
		limit = n
	}
	if rawOffset != "" {
		n, err := strconv.Atoi(rawOffset)
		if err != nil || n < 0 {
			return 0, 0, "offset must be an integer of 0 or more."
		}
		offset = n
	}
	return limit, offset, ""
}

func decodeNextToken(raw string, total int) (int, bool) {
	b, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil {
		return 0, false
	}
	n, ok := strings.CutPrefix(string(b), "tasks:")
	offset, err := strconv.Atoi(n)
	if !ok || err != nil || offset < 1 || offset > total {
		return 0, false
	}
	return offset, true
}

package scaling

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/sandbox/wire"
)

// scalingError is Scaling's error body; the field order is the docs'.
type scalingError struct {
	StatusCode int    `json:"statusCode"`
	Type       string `json:"type"`
	Code       string `json:"code"`
	RequestID  string `json:"requestId"`
	Message    string `json:"message,omitempty"`
}

func scalingFail(w http.ResponseWriter, status int, typ, code, message string) {
	wire.Write(w, status, wire.JSONUTF8, wire.Encode(scalingError{StatusCode: status, Type: typ, Code: code, RequestID: wire.RequestID(w), Message: message}))
}

func scalingInvalid(w http.ResponseWriter, message string) {
	scalingFail(w, http.StatusUnprocessableEntity, "validation_error", "invalid_parameter", message)
}

func (s *Service) routeScaling(base string) {
	get := func(h http.HandlerFunc) http.Handler {
		return s.scalingAuth(wire.Methods{Handlers: map[string]http.HandlerFunc{http.MethodGet: h}, Refuse: scalingMethodNotAllowed})
	}
	s.mux.Handle(base+"/v1/incidents", get(scalingListIncidents))
	s.mux.Handle(base+"/v1/incidents/{id}", get(scalingGetIncident))
	s.mux.Handle(base+"/v1/oncall/schedules", get(scalingStatic(wire.Encode(map[string]any{"data": schedules}))))
	s.mux.Handle(base+"/v1/escalation/policies", get(scalingStatic(wire.Encode(map[string]any{"data": escalationPolicies}))))
	s.mux.Handle(base+"/", s.scalingAuth(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		scalingFail(w, http.StatusNotFound, "invalid_request_error", "not_found", "No such endpoint: "+r.Method+" "+strings.TrimPrefix(r.URL.Path, base))
	})))
}

func scalingMethodNotAllowed(w http.ResponseWriter, r *http.Request, allow string) {
	scalingFail(w, http.StatusMethodNotAllowed, "invalid_request_error", "method_not_allowed", r.Method+" is not allowed here; use "+allow)
}

// scalingKey is the only key the sandbox accepts: the demo key of the
// model table.
var scalingKey = sync.OnceValue(func() string { return wire.DemoValue("scaling", "key") })

// scalingAuth is Scaling's check: a header that is absent or does not
// start with "Bearer " counts as missing; anything else must be the key.
func (s *Service) scalingAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok {
			scalingFail(w, http.StatusUnauthorized, "not_authorized_error", "missing_authorization_header", "")
			return
		}
		if !wire.SecretEqual(token, scalingKey()) {
			scalingFail(w, http.StatusUnauthorized, "not_authorized_error", "invalid_api_key", "")
			return
		}
		if r.Header.Get(wire.WhatIfHeader) == string(model.WhatIfRateLimit) {
			w.Header().Set("Retry-After", strconv.Itoa(wire.RetryAfterSeconds))
			scalingFail(w, http.StatusTooManyRequests, "rate_limit_error", "rate_limited",
				"Too many requests; retry after "+strconv.Itoa(wire.RetryAfterSeconds)+" seconds.")
			return
		}
		next.ServeHTTP(w, r)
	})
}

func scalingStatic(body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { wire.Write(w, http.StatusOK, wire.JSONUTF8, body) }
}

// incidentJSON holds each incident marshalled once: the fixtures never
// change, and lists are then assembled by concatenation.
var incidentJSON = sync.OnceValue(func() map[string][]byte {
	out := make(map[string][]byte, len(incidents))
	for _, in := range incidents {
		out[in.ID] = wire.Encode(in)
	}
	return out
})

func scalingGetIncident(w http.ResponseWriter, r *http.Request) {
	raw, ok := incidentJSON()[r.PathValue("id")]
	if !ok {
		scalingFail(w, http.StatusNotFound, "invalid_request_error", "not_found", "No incident with that id.")
		return
	}
	body := make([]byte, 0, len(raw)+10)
	body = append(append(append(body, `{"data":`...), raw...), '}')
	wire.Write(w, http.StatusOK, wire.JSONUTF8, body)
}

// incidentQuery is the parsed query of GET /v1/incidents.
type incidentQuery struct {
	status, severity string
	from, to         time.Time // zero = open
	limit            int
	after            int // index in incidents to start at
}

func parseIncidentQuery(r *http.Request) (incidentQuery, string) {
	v := r.URL.Query()
	q := incidentQuery{status: v.Get("status"), severity: v.Get("severity"), limit: 20}
	if q.status != "" && !slices.Contains(incidentStatuses, q.status) {
		return q, "status must be one of: " + strings.Join(incidentStatuses, ", ")
	}
	if q.severity != "" && !slices.Contains(incidentSeverities, q.severity) {
		return q, "severity must be one of: " + strings.Join(incidentSeverities, ", ")
	}
	for _, bound := range []struct {
		name string
		dst  *time.Time
	}{{"from", &q.from}, {"to", &q.to}} {
		if raw := v.Get(bound.name); raw != "" {
			t, err := time.Parse(time.RFC3339, raw)
			if err != nil {
				return q, bound.name + " must be an RFC 3339 timestamp, e.g. 2025-06-01T00:00:00Z"
			}
			*bound.dst = t
		}
	}
	if raw, ok := v["limit"]; ok {
		n, err := strconv.Atoi(raw[0])
		if err != nil || n < 1 || n > 100 {
			return q, "limit must be an integer between 1 and 100"
		}
		q.limit = n
	}
	if raw := v.Get("cursor"); raw != "" {
		i, ok := decodeCursor(raw)
		if !ok {
			return q, "cursor is not valid; pass the nextCursor of a previous page"
		}
		q.after = i
	}
	return q, ""
}

func (q incidentQuery) matches(in incident) bool {
	return (q.status == "" || in.Status == q.status) &&
		(q.severity == "" || in.Severity == q.severity) &&
		(q.from.IsZero() || !in.CreatedAt.Before(q.from)) &&
		(q.to.IsZero() || in.CreatedAt.Before(q.to))
}

// Cursors are opaque to clients: the position after the last incident
// returned, tagged so a made-up value is refused.
func encodeCursor(next int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("after:" + strconv.Itoa(next)))
}

func decodeCursor(raw string) (int, bool) {
	b, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil {
		return 0, false
	}
	n, ok := strings.CutPrefix(string(b), "after:")
	i, err := strconv.Atoi(n)
	if !ok || err != nil || i < 1 || i > len(incidents) {
		return 0, false
	}
	return i, true
}

var listBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func scalingListIncidents(w http.ResponseWriter, r *http.Request) {
	q, problem := parseIncidentQuery(r)
	if problem != "" {
		scalingInvalid(w, problem)
		return
	}
	raw := incidentJSON()
	b := listBuffers.Get().(*bytes.Buffer)
	defer listBuffers.Put(b)
	b.Reset()
	b.WriteString(`{"data":{"incidents":[`)
	n, next := 0, -1
	for i := q.after; i < len(incidents); i++ {
		if !q.matches(incidents[i]) {
			continue
		}
		if n == q.limit {
			next = i
			break
		}
		if n > 0 {
			b.WriteByte(',')
		}
		b.Write(raw[incidents[i].ID])
		n++
	}
	b.WriteString(`],"nextCursor":`)
	if next < 0 {
		b.WriteString("null")
	} else {
		b.WriteString(`"` + encodeCursor(next) + `"`)
	}
	b.WriteString("}}")
	wire.Write(w, http.StatusOK, wire.JSONUTF8, b.Bytes())
}

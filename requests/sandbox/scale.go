package sandbox

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/authscope/authscope/model"
)

// scaleError is Scale's error body.
type scaleError struct {
	StatusCode int    `json:"status_code"`
	Error      string `json:"error"`
}

func scaleFail(w http.ResponseWriter, status int, message string) {
	write(w, status, jsonUTF8, encode(scaleError{StatusCode: status, Error: message}))
}

type modeKey struct{}

// scaleMode is the mode ("live" or "test") the request's key belongs to.
func scaleMode(r *http.Request) string { return r.Context().Value(modeKey{}).(string) }

// scaleKeys maps every demo key of the model table to its mode, read from
// its prefix as Scale does.
var scaleKeys = sync.OnceValue(func() map[string]string {
	p, _ := model.Lookup("scale")
	keys := map[string]string{}
	for _, d := range p.Demos {
		if k := d.Values["key"]; strings.HasPrefix(k, modeLive+"_") {
			keys[k] = modeLive
		} else if strings.HasPrefix(k, modeTest+"_") {
			keys[k] = modeTest
		}
	}
	return keys
})

func (s *Server) routeScale(base string) {
	refuse := func(w http.ResponseWriter, r *http.Request, allow string) {
		scaleFail(w, http.StatusMethodNotAllowed, r.Method+" is not allowed here; use "+allow)
	}
	route := func(pattern string, handlers map[string]http.HandlerFunc) {
		s.mux.Handle(base+pattern, s.scaleAuth(methods{handlers: handlers, refuse: refuse}))
	}
	route("/v1/projects", map[string]http.HandlerFunc{http.MethodGet: s.listProjects, http.MethodPost: s.createProject})
	route("/v1/projects/{name}", map[string]http.HandlerFunc{http.MethodGet: s.getProject})
	route("/v1/tasks", map[string]http.HandlerFunc{http.MethodGet: listTasks})
	route("/v1/task/{type}", map[string]http.HandlerFunc{http.MethodPost: s.createTask})
	s.mux.Handle(base+"/", s.scaleAuth(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		scaleFail(w, http.StatusNotFound, "Not found")
	})))
}

// scaleAuth is HTTP Basic with the API key as the user name; the password
// is ignored, as Scale ignores it. Every key is compared, so the time
// taken does not say which one was close.
func (s *Server) scaleAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, _, ok := r.BasicAuth()
		if !ok {
			scaleFail(w, http.StatusUnauthorized, "Please provide your API key as the HTTP Basic username (Authorization: Basic base64(\"<key>:\")).")
			return
		}
		mode := ""
		for key, m := range scaleKeys() {
			if secretEqual(user, key) {
				mode = m
			}
		}
		if mode == "" {
			scaleFail(w, http.StatusUnauthorized, "Invalid API key.")
			return
		}
		if r.Header.Get(WhatIfHeader) == string(model.WhatIfRateLimit) {
			w.Header().Set("Retry-After", strconv.Itoa(RetryAfterSeconds))
			scaleFail(w, http.StatusTooManyRequests, "Too many requests. Please retry after "+strconv.Itoa(RetryAfterSeconds)+" seconds.")
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), modeKey{}, mode)))
	})
}

func (s *Server) listProjects(w http.ResponseWriter, r *http.Request) {
	write(w, http.StatusOK, jsonUTF8, encode(s.scale.projects(scaleMode(r))))
}

func (s *Server) getProject(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if p, ok := s.scale.project(scaleMode(r), name); ok {
		write(w, http.StatusOK, jsonUTF8, encode(p))
		return
	}
	scaleFail(w, http.StatusNotFound, projectNotFound(name))
}

func projectNotFound(name string) string {
	return "Project with name " + strconv.Quote(name) + " not found."
}

type createProjectBody struct {
	Type   string `json:"type"`
	Name   string `json:"name"`
	Params struct {
		Instruction string `json:"instruction"`
	} `json:"params"`
}

// createProject answers 200, as Scale's creates do.
func (s *Server) createProject(w http.ResponseWriter, r *http.Request) {
	var body createProjectBody
	if !readJSON(w, r, &body) {
		return
	}
	switch {
	case body.Type == "" || body.Name == "":
		scaleFail(w, http.StatusBadRequest, "Both type and name are required.")
		return
	case !slices.Contains(taskTypes, body.Type):
		scaleFail(w, http.StatusBadRequest, "Unknown project type "+strconv.Quote(body.Type)+"; use one of "+strings.Join(taskTypes, ", ")+".")
		return
	case len(body.Name) > 128:
		scaleFail(w, http.StatusBadRequest, "name must be at most 128 characters.")
		return
	}
	p, created := s.scale.create(scaleMode(r), newProject(body.Type, body.Name, body.Params.Instruction, stamp(s.now())))
	if !created {
		scaleFail(w, http.StatusConflict, "A project with name "+strconv.Quote(body.Name)+" already exists.")
		return
	}
	write(w, http.StatusOK, jsonUTF8, encode(p))
}

// readJSON decodes a JSON request body, answering Scale's 400 (or 413)
// itself when it cannot.
func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	err := json.NewDecoder(r.Body).Decode(v)
	switch {
	case err == nil:
		return true
	case tooLarge(err):
		scaleFail(w, http.StatusRequestEntityTooLarge, "Request body too large.")
	default:
		scaleFail(w, http.StatusBadRequest, "The request body must be a JSON object.")
	}
	return false
}

type taskList struct {
	Docs      []task  `json:"docs"`
	Total     int     `json:"total"`
	Limit     int     `json:"limit"`
	Offset    int     `json:"offset"`
	HasMore   bool    `json:"has_more"`
	NextToken *string `json:"next_token"`
}

func listTasks(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	all := fixtureTasks[scaleMode(r)]
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
	}
	end := min(offset+limit, len(all))
	out := taskList{Docs: append([]task{}, all[offset:end]...), Total: len(all), Limit: limit, Offset: offset, HasMore: end < len(all)}
	if out.HasMore {
		next := base64.RawURLEncoding.EncodeToString([]byte("tasks:" + strconv.Itoa(end)))
		out.NextToken = &next
	}
	write(w, http.StatusOK, jsonUTF8, encode(out))
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

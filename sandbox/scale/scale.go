package scale

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/sandbox/wire"
)

// scaleError is Scale's error body.
type scaleError struct {
	StatusCode int    `json:"status_code"`
	Error      string `json:"error"`
}

func scaleFail(w http.ResponseWriter, status int, message string) {
	wire.Write(w, status, wire.JSONUTF8, wire.Encode(scaleError{StatusCode: status, Error: message}))
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

func (s *Service) routeScale(base string) {
	refuse := func(w http.ResponseWriter, r *http.Request, allow string) {
		scaleFail(w, http.StatusMethodNotAllowed, r.Method+" is not allowed here; use "+allow)
	}
	route := func(pattern string, handlers map[string]http.HandlerFunc) {
		s.mux.Handle(base+pattern, s.scaleAuth(wire.Methods{Handlers: handlers, Refuse: refuse}))
	}
	route("/v1/projects", map[string]http.HandlerFunc{http.MethodGet: s.listProjects, http.MethodPost: s.createProject})
	route("/v1/projects/{name}", map[string]http.HandlerFunc{http.MethodGet: s.getProject})
	route("/v1/projects/{name}/setParams", map[string]http.HandlerFunc{http.MethodPost: s.setProjectParams})
	route("/v1/projects/{name}/taskTemplates", map[string]http.HandlerFunc{http.MethodGet: s.projectTemplate})
	route("/v1/tasks", map[string]http.HandlerFunc{http.MethodGet: s.listTasks})
	// One pattern: POST names a task type (create), GET a task id.
	route("/v1/task/{id}", map[string]http.HandlerFunc{http.MethodPost: s.createTask, http.MethodGet: s.getTask})
	route("/v1/task/{id}/cancel", map[string]http.HandlerFunc{http.MethodPost: s.cancelTask})
	route("/v1/task/{id}/unique_id", map[string]http.HandlerFunc{http.MethodPost: s.setUniqueID, http.MethodDelete: s.clearUniqueID})
	route("/v1/task/{id}/setMetadata", map[string]http.HandlerFunc{http.MethodPost: s.setTaskMetadata})
	route("/v1/task/{id}/tags", map[string]http.HandlerFunc{http.MethodPost: s.taskTags, http.MethodPut: s.taskTags, http.MethodDelete: s.taskTags})
	route("/v1/batches", map[string]http.HandlerFunc{http.MethodGet: s.listBatches, http.MethodPost: s.createBatch})
	route("/v1/batches/{name}", map[string]http.HandlerFunc{http.MethodGet: s.getBatch})
	route("/v1/batches/{name}/finalize", map[string]http.HandlerFunc{http.MethodPost: s.finalizeBatch})
	route("/v1/batches/{name}/status", map[string]http.HandlerFunc{http.MethodGet: s.batchStatus})
	route("/v1/batches/{name}/setMetadata", map[string]http.HandlerFunc{http.MethodPost: s.setBatchMetadata})
	route("/v1/teams", map[string]http.HandlerFunc{http.MethodGet: s.listTeammates})
	route("/v1/files/import", map[string]http.HandlerFunc{http.MethodPost: s.importFile})
	route("/v1/files/upload", map[string]http.HandlerFunc{http.MethodPost: s.uploadFile})
	wire.AllowLargeBody(base+"/v1/files/upload", maxUpload)
	// The sandbox's own calls (no real Scale has them), under /v1/sandbox.
	route("/v1/sandbox/callbacks", map[string]http.HandlerFunc{http.MethodGet: s.listCallbacks})
	route("/v1/sandbox/task/{id}/complete", map[string]http.HandlerFunc{http.MethodPost: s.completeTask})
	s.mux.Handle(base+"/", s.scaleAuth(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		scaleFail(w, http.StatusNotFound, "Not found")
	})))
}

// scaleAuth is HTTP Basic with the API key as the user name; the password
// is ignored, as Scale ignores it. Every key is compared, so the time
// taken does not say which one was close.
func (s *Service) scaleAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, _, ok := r.BasicAuth()
		if !ok {
			scaleFail(w, http.StatusUnauthorized, "Please provide your API key as the HTTP Basic username (Authorization: Basic base64(\"<key>:\")).")
			return
		}
		mode := ""
		for key, m := range scaleKeys() {
			if wire.SecretEqual(user, key) {
				mode = m
			}
		}
		if mode == "" {
			scaleFail(w, http.StatusUnauthorized, "Invalid API key.")
			return
		}
		if r.Header.Get(wire.WhatIfHeader) == string(model.WhatIfRateLimit) {
			w.Header().Set("Retry-After", strconv.Itoa(wire.RetryAfterSeconds))
			scaleFail(w, http.StatusTooManyRequests, "Too many requests. Please retry after "+strconv.Itoa(wire.RetryAfterSeconds)+" seconds.")
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), modeKey{}, mode)))
	})
}

func (s *Service) listProjects(w http.ResponseWriter, r *http.Request) {
	wire.Write(w, http.StatusOK, wire.JSONUTF8, wire.Encode(s.scale.projectList(scaleMode(r))))
}

func (s *Service) getProject(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if p, ok := s.scale.project(scaleMode(r), name); ok {
		wire.Write(w, http.StatusOK, wire.JSONUTF8, wire.Encode(p))
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
	Rapid  bool `json:"rapid"`
	Studio bool `json:"studio"`
}

// createProject answers 200, as Scale's creates do.
func (s *Service) createProject(w http.ResponseWriter, r *http.Request) {
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
	p := newProject(body.Type, body.Name, body.Params.Instruction, stamp(s.now()))
	p.staged = body.Rapid || body.Studio
	p, status, problem := s.scale.create(scaleMode(r), p)
	if problem != "" {
		scaleFail(w, status, problem)
		return
	}
	wire.Write(w, http.StatusOK, wire.JSONUTF8, wire.Encode(p))
}

// readJSON decodes a JSON request body, answering Scale's 400 (or 413)
// itself when it cannot.
func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	err := json.NewDecoder(r.Body).Decode(v)
	switch {
	case err == nil:
		return true
	case wire.TooLarge(err):
		scaleFail(w, http.StatusRequestEntityTooLarge, "Request body too large.")
	default:
		scaleFail(w, http.StatusBadRequest, "The request body must be a JSON object.")
	}
	return false
}

// setProjectParams is POST /v1/projects/{name}/setParams: the body's
// instruction becomes a new version in param_history.
func (s *Service) setProjectParams(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Instruction string `json:"instruction"`
	}
	if !readJSON(w, r, &body) {
		return
	}
	name := r.PathValue("name")
	p, status, problem := s.scale.setParams(scaleMode(r), name, paramVersion{Instruction: body.Instruction, CreatedAt: stamp(s.now())})
	if problem != "" {
		scaleFail(w, status, problem)
		return
	}
	wire.Write(w, http.StatusOK, wire.JSONUTF8, wire.Encode(p))
}

type taskTemplate struct {
	ID                 string         `json:"id"`
	Version            int            `json:"version"`
	CreatedAt          string         `json:"created_at"`
	UpdatedAt          string         `json:"updated_at"`
	TemplateVariables  map[string]any `json:"template_variables"`
	AutoOnboardEnabled bool           `json:"auto_onboard_enabled"`
}

// projectTemplate is GET /v1/projects/{name}/taskTemplates: the sandbox's
// projects have one template, its variables the current instruction.
func (s *Service) projectTemplate(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	p, ok := s.scale.project(scaleMode(r), name)
	if !ok {
		scaleFail(w, http.StatusNotFound, projectNotFound(name))
		return
	}
	current := p.ParamHistory[len(p.ParamHistory)-1]
	wire.Write(w, http.StatusOK, wire.JSONUTF8, wire.Encode(taskTemplate{ID: "tmpl_" + fixtureTaskID("template "+p.Name, 0)[:16], Version: current.Version,
		CreatedAt: p.CreatedAt, UpdatedAt: current.CreatedAt, TemplateVariables: map[string]any{"instruction": current.Instruction}}))
}

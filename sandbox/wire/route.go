package wire

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/authscope/authscope/model"
)

// MaxBody bounds every request body. The largest legitimate body (a Scale
// project or task) is a few hundred bytes.
const MaxBody = 64 << 10

// WhatIfHeader is the sandbox-only request header that asks for a failure
// a real server only gives under load: `X-Authscope-Whatif: rate-limit`
// gets a 429 with Retry-After. Real providers never see it.
const WhatIfHeader = "X-Authscope-Whatif"

// RetryAfterSeconds is the Retry-After the rate-limit what-if answers with.
const RetryAfterSeconds = 2

// RequestID is the id the server put on this response, for bodies that
// repeat it.
func RequestID(w http.ResponseWriter) string {
	if v := w.Header()["X-Request-Id"]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// BaseURL is the sandbox's address as the client sees it, plus path.
func BaseURL(r *http.Request, path string) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + path
}

// BasePath is the provider's SandboxPath from the model table, so the
// sandbox and the clients that build URLs cannot disagree.
func BasePath(providerID string) string {
	p, err := model.Lookup(providerID)
	if err != nil || p.SandboxPath == "" {
		panic("sandbox: provider " + providerID + " missing from model.Providers")
	}
	return p.SandboxPath
}

// DemoValue reads a credential from the model table, so the sandbox and
// the explorer's demo offer cannot drift apart.
func DemoValue(providerID, field string) string {
	p, _ := model.Lookup(providerID)
	for _, d := range p.Demos {
		if v := d.Values[field]; v != "" {
			return v
		}
	}
	panic("sandbox: no demo " + field + " for " + providerID + " in model.Providers")
}

// Methods routes one path by method; anything else gets the provider's
// 405 with an Allow header.
type Methods struct {
	Handlers map[string]http.HandlerFunc
	Refuse   func(w http.ResponseWriter, r *http.Request, allow string)
}

func (m Methods) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	method := r.Method
	if method == http.MethodHead {
		method = http.MethodGet
	}
	if h, ok := m.Handlers[method]; ok {
		h(w, r)
		return
	}
	allow := make([]string, 0, len(m.Handlers))
	for name := range m.Handlers {
		allow = append(allow, name)
	}
	slices.Sort(allow)
	w.Header().Set("Allow", strings.Join(allow, ", "))
	m.Refuse(w, r, strings.Join(allow, ", "))
}

// Env is what the server hands every provider service: the mux to route
// on, the clock (tests pin it) and the request log (nil = silent).
type Env struct {
	Mux  *http.ServeMux
	Now  func() time.Time
	Logf func(format string, args ...any)
}

// ServeUnknown is the sandbox's own 404 for a path no provider serves.
func ServeUnknown(w http.ResponseWriter, r *http.Request) {
	http.Error(w, "404 page not found: the sandbox serves /scaling, /scalekit and /scale", http.StatusNotFound)
}

// Package scaling is the sandbox's Scaling: Bearer API keys, incidents,
// schedules and escalation policies, errors in Scaling's JSON shape.
package scaling

import (
	"net/http"

	"github.com/authscope/authscope/sandbox/wire"
)

// Service serves Scaling under its base path. Its data is fixed, so it
// holds no state of its own.
type Service struct {
	mux *http.ServeMux
}

// New routes Scaling on env.Mux under base.
func New(env wire.Env, base string) *Service {
	s := &Service{mux: env.Mux}
	s.routeScaling(base)
	return s
}

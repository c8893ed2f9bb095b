// Package scale is the sandbox's Scale AI: HTTP Basic with the key as user
// name, projects, tasks and batches of the v1 REST API, live and test data
// kept apart, callbacks to loopback targets, errors in Scale's JSON shape.
package scale

import (
	"net/http"
	"time"

	"github.com/authscope/authscope/sandbox/wire"
)

// Service serves Scale AI under its base path, from its own store.
type Service struct {
	mux      *http.ServeMux
	now      func() time.Time
	logf     func(format string, args ...any)
	scale    *scaleState
	callback *callbacks
}

// New routes Scale AI on env.Mux under base.
func New(env wire.Env, base string) *Service {
	s := &Service{mux: env.Mux, now: env.Now, logf: env.Logf, scale: newScaleState(), callback: newCallbacks(env.Logf, env.Now)}
	s.routeScale(base)
	return s
}

// Stop waits for callbacks being delivered.
func (s *Service) Stop() { s.callback.stop() }

// SetCallbackBackoff sets the wait between callback retries (tests
// shorten it).
func (s *Service) SetCallbackBackoff(d time.Duration) { s.callback.backoff = d }

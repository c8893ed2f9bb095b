package sandbox

import (
	"net/http"
	"testing"

	"github.com/authscope/authscope/sandbox/internal/sbtest"
)

// sandbox is the whole Server (every provider) behind a real loopback
// listener, at the tests' fixed clock.
type sandbox struct {
	*sbtest.Sandbox
	*Server
}

func newSandbox(t *testing.T) *sandbox {
	t.Helper()
	s := New(Options{})
	clock := &sbtest.Clock{}
	clock.Set(sbtest.FixedNow)
	s.clock = clock.Now
	t.Cleanup(func() { s.Close() })
	return &sandbox{Sandbox: sbtest.Listen(t, s, clock), Server: s}
}

var _ http.Handler = (*Server)(nil)

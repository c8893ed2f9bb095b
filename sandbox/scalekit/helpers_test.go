package scalekit

import (
	"testing"

	"github.com/authscope/authscope/sandbox/internal/sbtest"
	"github.com/authscope/authscope/sandbox/wire"
)

// sandbox is this provider alone behind a real loopback listener, with
// its Service at hand for the tests that look inside.
type sandbox struct {
	*sbtest.Sandbox
	svc *Service
}

func newSandbox(t *testing.T) *sandbox {
	t.Helper()
	sb := &sandbox{}
	sb.Sandbox = sbtest.Mount(t, func(env wire.Env) { sb.svc = New(env, wire.BasePath("scalekit")) })
	return sb
}

// with is the same sandbox reporting to t, for subtests.
func (sb *sandbox) with(t *testing.T) *sandbox {
	return &sandbox{Sandbox: sb.Sandbox.With(t), svc: sb.svc}
}

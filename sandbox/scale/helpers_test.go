package scale

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
	sb.Sandbox = sbtest.Mount(t, func(env wire.Env) { sb.svc = New(env, wire.BasePath("scale")) })
	return sb
}

// with is the same sandbox reporting to t, for subtests.
func (sb *sandbox) with(t *testing.T) *sandbox {
	return &sandbox{Sandbox: sb.Sandbox.With(t), svc: sb.svc}
}

// imageParamsJSON are the params an imageannotation task requires, as
// the client's make_a_task sends them (without braces, to splice in).
const imageParamsJSON = `"attachment_type":"image","attachment":"http://i.imgur.com/v4cBreD.jpg",` +
	`"geometries":{"box":{"objects_to_annotate":["Baby Cow","Big Cow"],"min_height":10,"min_width":10}}`

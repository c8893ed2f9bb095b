package sandbox

import (
	"net/http"
	"testing"

	"github.com/authscope/authscope/sandbox/internal/sbtest"
)

// The shared test values, under the names the tests read best with.
const (
	demoScalingKey = sbtest.DemoScalingKey
	clientID       = sbtest.ClientID
	clientSecret   = sbtest.ClientSecret
	scaleLiveKey   = sbtest.ScaleLiveKey
	scaleDocsKey   = sbtest.ScaleDocsKey
	scaleTestKey   = sbtest.ScaleTestKey
	formType       = sbtest.FormType
	scalingBearer  = sbtest.ScalingBearer
	tokenForm      = sbtest.TokenForm
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

func basicKey(key string) string { return sbtest.BasicKey(key) }

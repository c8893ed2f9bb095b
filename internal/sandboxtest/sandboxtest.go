// Package sandboxtest starts the real sandbox for tests of the packages
// below the front ends (decode, requests, snippets), so each does not keep
// its own copy of the same two helpers.
package sandboxtest

import (
	"context"
	"testing"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/sandbox"
)

// Start runs the real sandbox on a free loopback port and returns its URL;
// it is closed when the test ends.
func Start(t testing.TB) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := sandbox.Start(ctx, sandbox.Options{Addr: "127.0.0.1:0"})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close(); cancel() })
	return srv.URL()
}

// Target is the provider's sandbox environment at url with its first demo
// credentials.
func Target(t testing.TB, p model.Provider, url string) model.Target {
	t.Helper()
	env, err := p.Env("sandbox")
	if err != nil {
		t.Fatal(err)
	}
	creds := map[string]string{}
	for k, v := range p.Demos[0].Values {
		creds[k] = v
	}
	return model.Target{Provider: p, Env: env, BaseURL: url + p.SandboxPath, Creds: creds}
}

package requests

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/authscope/authscope/authschemes"
	"github.com/authscope/authscope/internal/sandboxtest"
	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/sandbox"
)

// The exchange's JWKS fetch goes over the token request's connection (a
// second dial was a tenth of `token`'s own time), and the token
// request's timing still shows the connection it opened.
func TestExchangeFetchesTheJWKSOverTheTokenRequestsConnection(t *testing.T) {
	var dialed atomic.Int32
	srv := httptest.NewUnstartedServer(sandbox.New(sandbox.Options{}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			dialed.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	p, err := model.Lookup("scalekit")
	if err != nil {
		t.Fatal(err)
	}
	x, res, err := RunExchange(context.Background(), sandboxtest.Target(t, p, srv.URL), authschemes.ClientSecretPost, Options{})
	if err != nil || x.Verification == nil || !x.Verification.Valid {
		t.Fatalf("exchange: %v, verification %+v", err, x.Verification)
	}
	if n := dialed.Load(); n != 1 {
		t.Errorf("%d connections for the token request and the JWKS fetch, want 1", n)
	}
	if res.Timing.Connect <= 0 {
		t.Errorf("the token request's timing shows no connect phase: %+v", res.Timing)
	}
}

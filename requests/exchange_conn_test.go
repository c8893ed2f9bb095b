package requests

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/authscope/authscope/authschemes"
	"github.com/authscope/authscope/internal/hostile"
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

// A JWKS endpoint that redirects to another origin, which echoes what it
// gets: the fetch follows (a key set is public), sends that origin none
// of the exchange's secrets (client secret, the token, in any spelling),
// and the check fails (the echo holds no key) instead of trusting it. A key set
// over the body bound is refused in words.
func TestExchangeJWKSFetchAgainstHostileKeyServers(t *testing.T) {
	echo := hostile.NewRecorder(&hostile.Echo{})
	defer echo.Close()
	sb := sandbox.New(sandbox.Options{})
	for _, c := range []struct {
		name, want string
		keys       http.HandlerFunc
	}{
		{"cross-origin redirect to an echo", "no key", func(w http.ResponseWriter, r *http.Request) {
			hostile.Redirect(http.StatusFound, echo.URL+"/keys").ServeHTTP(w, r)
		}},
		{"a key set over the bound", "answered more than 4 MiB: not a JWKS", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"keys":[` + strings.Repeat(" ", MaxJWKSBody) + `]}`))
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if strings.HasSuffix(r.URL.Path, "/keys") {
					c.keys(w, r)
					return
				}
				sb.ServeHTTP(w, r)
			}))
			defer srv.Close()
			p, _ := model.Lookup("scalekit")
			target := sandboxtest.Target(t, p, srv.URL)
			x, _, err := RunExchange(context.Background(), target, authschemes.ClientSecretPost, Options{})
			if err != nil || x.Token == nil || x.Verification == nil {
				t.Fatalf("exchange: %v %+v", err, x)
			}
			if x.Verification.Valid || x.Verification.Err == nil || !strings.Contains(x.Verification.Err.Error(), c.want) {
				t.Fatalf("verification %+v, want a failure saying %q", x.Verification, c.want)
			}
			for _, r := range echo.Requests() {
				for _, secret := range []string{target.Creds["client_secret"], x.Token.AccessToken} {
					for form, v := range hostile.SecretForms(secret, target.Creds["client_id"]) {
						if strings.Contains(r.Text(), v) {
							t.Errorf("the other origin got the %s (%s)", form, r.Text())
						}
					}
				}
			}
		})
	}
	if len(echo.Requests()) != 1 {
		t.Errorf("the echo got %d requests, want the one redirected JWKS fetch", len(echo.Requests()))
	}
}

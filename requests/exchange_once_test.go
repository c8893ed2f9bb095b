package requests

import (
	"context"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"

	"github.com/authscope/authscope/authschemes"
	hostileserver "github.com/authscope/authscope/internal/hostile"
	"github.com/authscope/authscope/internal/sandboxtest"
	"github.com/authscope/authscope/model"
)

// One token: the exchange the explorer's steps screen shows (NewToken)
// is the one whose token its requests send, whatever whitespace the
// credential was typed with; a switch of client auth is a new exchange.
// A recorder in front of the real sandbox counts the token requests and
// keeps the Authorization of each API request.
func TestOneTokenForTheStepsAndTheRequests(t *testing.T) {
	sandboxURL := sandboxtest.Start(t)
	upstream, _ := url.Parse(sandboxURL)
	rec := hostileserver.NewRecorder(httputil.NewSingleHostReverseProxy(upstream))
	t.Cleanup(rec.Close)
	scalekit, _ := model.Lookup("scalekit")
	target := sandboxtest.Target(t, scalekit, rec.URL)
	sample, err := scalekit.Sample("organizations")
	if err != nil {
		t.Fatal(err)
	}
	tokenRequests := func() int {
		n := 0
		for _, r := range rec.Requests() {
			if strings.HasSuffix(strings.SplitN(r.URL, "?", 2)[0], scalekit.TokenPath) {
				n++
			}
		}
		return n
	}
	lastBearer := func() string {
		reqs := rec.Requests()
		return strings.TrimPrefix(reqs[len(reqs)-1].Header.Get("Authorization"), "Bearer ")
	}
	fire := func(tg model.Target, auth authschemes.ClientAuth) *SampleRun {
		t.Helper()
		run, err := SendSample(context.Background(), tg, sample, SampleOptions{ClientAuth: auth})
		if err != nil || run.Result == nil || run.Result.Status != 200 {
			t.Fatalf("fire (%s): run %+v, err %v", auth, run, err)
		}
		return run
	}
	padded := target
	padded.BaseURL += "/"
	padded.Creds = map[string]string{}
	for k, v := range target.Creds {
		padded.Creds[k] = "  " + v + " \n"
	}

	// The explorer's flow: the steps screen exchanges, then a request fires.
	x, _, err := NewToken(context.Background(), target, authschemes.ClientSecretPost, Options{})
	if err != nil || x.Token == nil {
		t.Fatalf("the steps' exchange: %+v, %v", x, err)
	}
	shown := x.Token.AccessToken
	if run := fire(target, authschemes.ClientSecretPost); !run.TokenReused {
		t.Error("the first fire after the steps' exchange ran an exchange of its own")
	}
	if n := tokenRequests(); n != 1 {
		t.Errorf("exchange then fire: %d token requests, want 1", n)
	}
	if sent := lastBearer(); sent != shown {
		t.Errorf("the request sent another token than the steps showed:\nshown …%s\nsent  …%s", tail(shown), tail(sent))
	}

	// The same credential typed with stray whitespace and a trailing slash
	// on the base URL goes out as the same credential: the same token.
	fire(padded, authschemes.ClientSecretPost)
	fire(padded, "") // empty is client_secret_post
	if n := tokenRequests(); n != 1 {
		t.Errorf("padded credential: %d token requests, want still 1", n)
	}
	if sent := lastBearer(); sent != shown {
		t.Error("the padded credential sent another token than the steps showed")
	}

	// Another client auth is another exchange (the server may refuse it),
	// then cached under its own key.
	run := fire(padded, authschemes.ClientSecretBasic)
	if run.Exchange == nil || !strings.HasPrefix(SchemeWord(run.Exchange.Request), "Basic") {
		t.Errorf("client auth basic reused the post token or sent no Basic header: %+v", run.Exchange)
	}
	fire(target, authschemes.ClientSecretBasic)
	if n := tokenRequests(); n != 2 {
		t.Errorf("after switching to basic: %d token requests, want 2", n)
	}

	// The steps' r (a new token) replaces the cached one: the next fire
	// sends the new token, and no third exchange runs for it.
	x2, _, err := NewToken(context.Background(), padded, authschemes.ClientSecretPost, Options{})
	if err != nil || x2.Token == nil {
		t.Fatalf("new token: %v", err)
	}
	fire(target, authschemes.ClientSecretPost)
	if n := tokenRequests(); n != 3 {
		t.Errorf("r then fire: %d token requests, want 3", n)
	}
	if sent := lastBearer(); sent != x2.Token.AccessToken {
		t.Error("after r the request did not send the new token the steps show")
	}
}

// tail is the end of a JWT (its signature), which tells two apart.
func tail(s string) string { return s[max(0, len(s)-16):] }

package requests

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/authscope/authscope/model"
)

func get(url string) model.HTTPRequest {
	return model.HTTPRequest{Method: "GET", URL: url}
}

func hello(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Request-Id", "req_123")
	fmt.Fprint(w, `{"hello":"world"}`)
}

// checkPhases asserts that the named phases happened, in this order,
// each starting no earlier than the one before ended.
func checkPhases(t *testing.T, tm Timing, want ...string) {
	t.Helper()
	var names []string
	for _, p := range tm.Phases {
		names = append(names, p.Name)
	}
	if strings.Join(names, ",") != strings.Join(want, ",") {
		t.Fatalf("phases = %v, want %v", names, want)
	}
	var prevEnd time.Duration
	for _, p := range tm.Phases {
		if p.Start < prevEnd || p.End < p.Start {
			t.Fatalf("phase %s [%v, %v] overlaps the one before (ended %v): %+v", p.Name, p.Start, p.End, prevEnd, tm.Phases)
		}
		prevEnd = p.End
	}
	if tm.Total < prevEnd {
		t.Fatalf("total %v is shorter than the last phase's end %v", tm.Total, prevEnd)
	}
}

func TestSendTimesEachPhaseOverHTTP(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(hello))
	defer srv.Close()
	// localhost, not 127.0.0.1, so that there is a DNS phase to time.
	url := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	res, err := Send(context.Background(), get(url), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != 200 || string(res.Body) != `{"hello":"world"}` {
		t.Fatalf("got %d %q", res.Status, res.Body)
	}
	checkPhases(t, res.Timing, PhaseDNS, PhaseConnect, PhaseFirstByte, PhaseTransfer)
	if res.RequestID() != "req_123" {
		t.Errorf("RequestID = %q", res.RequestID())
	}
	if !strings.HasPrefix(res.RawResponse, "HTTP/1.1 200 OK\r\n") || !strings.Contains(res.RawResponse, "X-Request-Id: req_123\r\n") ||
		!strings.HasSuffix(res.RawResponse, "\r\n\r\n"+`{"hello":"world"}`) {
		t.Errorf("raw response = %q", res.RawResponse)
	}
}

func TestSendTimesTheTLSHandshake(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(hello))
	defer srv.Close()
	roots := srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
	res, err := Send(context.Background(), get(srv.URL), Options{RootCAs: roots})
	if err != nil {
		t.Fatal(err)
	}
	checkPhases(t, res.Timing, PhaseConnect, PhaseTLS, PhaseFirstByte, PhaseTransfer)
	if res.Timing.TLS <= 0 {
		t.Fatalf("TLS = %v", res.Timing.TLS)
	}
}

func TestSendShowsTheRequestItSent(t *testing.T) {
	var gotUA, gotAuth string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotUA, gotAuth = r.UserAgent(), r.Header.Get("Authorization")
		if r.Header.Get("Accept-Encoding") != "" {
			t.Errorf("the transport added Accept-Encoding: %q", r.Header.Get("Accept-Encoding"))
		}
	}))
	defer srv.Close()
	req := get(srv.URL+"/v1/x").WithHeader("Authorization", model.Concat(model.Plain("Bearer "), model.SecretText("scl_live_secret")))
	res, err := Send(context.Background(), req, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if gotAuth != "Bearer scl_live_secret" || gotUA != "authscope/"+CurrentBuild().Token() {
		t.Fatalf("server saw Authorization %q, User-Agent %q", gotAuth, gotUA)
	}
	raw := res.Request.Raw()
	if !strings.Contains(raw.Reveal(), "User-Agent: authscope/") || strings.Contains(raw.Masked(), "scl_live_secret") {
		t.Fatalf("raw request = %q (masked %q)", raw.Reveal(), raw.Masked())
	}
}

func TestSendCutsTheBodyAtTheCap(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(strings.Repeat("x", 3000)))
	}))
	defer srv.Close()
	res, err := Send(context.Background(), get(srv.URL), Options{MaxBody: 1024})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Truncated || len(res.Body) != 1024 || res.TruncatedNote() != "truncated at 1 KiB" {
		t.Fatalf("truncated=%v len=%d note=%q", res.Truncated, len(res.Body), res.TruncatedNote())
	}
	res, err = Send(context.Background(), get(srv.URL), Options{MaxBody: 3000})
	if err != nil || res.Truncated || len(res.Body) != 3000 {
		t.Fatalf("a body exactly at the cap: truncated=%v len=%d err=%v", res.Truncated, len(res.Body), err)
	}
	if got := (&Result{Truncated: true, MaxBody: DefaultMaxBody}).TruncatedNote(); got != "truncated at 10 MiB" {
		t.Fatalf("default note = %q", got)
	}
}

// redirectTo answers every request with a 302 to target.
func redirectTo(target string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target+"/landed", http.StatusFound)
	})
}

func TestRedirectCarriesAuthorizationOnlyWithinTheOrigin(t *testing.T) {
	seen := make(chan string, 1)
	dest := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen <- r.Header.Get("Authorization")
	}))
	defer dest.Close()
	destPort := dest.Listener.Addr().(*net.TCPAddr).Port

	cases := []struct {
		name     string
		target   string
		wantAuth bool
	}{
		{"another host", fmt.Sprintf("http://localhost:%d", destPort), false},
		{"another port on the same host", dest.URL, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			origin := httptest.NewServer(redirectTo(c.target))
			defer origin.Close()
			req := get(origin.URL).WithHeader("Authorization", model.Concat(model.Plain("Bearer "), model.SecretText("tok")))
			res, err := Send(context.Background(), req, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := <-seen; got != "" {
				t.Fatalf("the redirect target received Authorization %q", got)
			}
			if len(res.Redirects) != 1 || !res.Redirects[0].AuthorizationDropped || res.Redirects[0].Status != 302 {
				t.Fatalf("redirects = %+v", res.Redirects)
			}
		})
	}

	t.Run("same origin keeps it", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/" {
				http.Redirect(w, r, "/landed", http.StatusFound)
				return
			}
			seen <- r.Header.Get("Authorization")
		}))
		defer srv.Close()
		req := get(srv.URL+"/").WithHeader("Authorization", model.Plain("Bearer tok"))
		res, err := Send(context.Background(), req, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := <-seen; got != "Bearer tok" || res.Redirects[0].AuthorizationDropped {
			t.Fatalf("same-origin hop got Authorization %q, dropped=%v", got, res.Redirects[0].AuthorizationDropped)
		}
	})
}

// noAnswerPhase sends and returns the phase of the NoAnswerError.
func noAnswerPhase(t *testing.T, ctx context.Context, url string, opts Options) *NoAnswerError {
	t.Helper()
	res, err := Send(ctx, get(url), opts)
	var na *NoAnswerError
	if !errors.As(err, &na) {
		t.Fatalf("want a NoAnswerError, got result %v, error %v", res, err)
	}
	return na
}

func TestNoAnswerNamesThePhase(t *testing.T) {
	t.Run("closed port", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close()
		na := noAnswerPhase(t, context.Background(), "http://"+addr+"/", Options{})
		if na.Phase != PhaseConnect || !strings.Contains(na.Error(), "could not connect to "+addr) {
			t.Fatalf("phase %q: %v", na.Phase, na)
		}
	})
	t.Run("accepts and never answers", func(t *testing.T) {
		na := noAnswerPhase(t, context.Background(), silentURL(t)+"/", Options{Timeout: 300 * time.Millisecond})
		if na.Phase != "timeout" || na.Stage != "waiting for the response" {
			t.Fatalf("phase %q stage %q: %v", na.Phase, na.Stage, na)
		}
	})
	t.Run("untrusted certificate", func(t *testing.T) {
		srv := httptest.NewTLSServer(http.HandlerFunc(hello))
		defer srv.Close()
		srv.Config.ErrorLog = discardLog()
		na := noAnswerPhase(t, context.Background(), srv.URL, Options{})
		if na.Phase != PhaseTLS || !strings.Contains(na.Error(), "certificate") {
			t.Fatalf("phase %q: %v", na.Phase, na)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		url := silentURL(t)
		ctx, cancel := context.WithCancel(context.Background())
		go func() { time.Sleep(100 * time.Millisecond); cancel() }()
		na := noAnswerPhase(t, ctx, url+"/", Options{})
		if na.Phase != "cancelled" {
			t.Fatalf("phase %q: %v", na.Phase, na)
		}
	})
	t.Run("closed without answering", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		go func() {
			for {
				c, err := l.Accept()
				if err != nil {
					return
				}
				c.Read(make([]byte, 1024))
				c.Close()
			}
		}()
		na := noAnswerPhase(t, context.Background(), "http://"+l.Addr().String()+"/", Options{})
		if na.Phase != "response" {
			t.Fatalf("phase %q: %v", na.Phase, na)
		}
	})
}

func TestSendRefusesWhatItCannotSend(t *testing.T) {
	if _, err := Send(context.Background(), get("ftp://example.com/"), Options{}); err == nil {
		t.Fatal("ftp:// was accepted")
	}
	var na *NoAnswerError
	if _, err := Send(context.Background(), get("://nope"), Options{}); err == nil || errors.As(err, &na) {
		t.Fatalf("a malformed URL gave %v", err)
	}
}

// TestRedirectKeepsEverySecretAtItsOrigin: a 307 (which re-sends the
// body) and a 302 to another port of the same host and to another host:
// the hostile destination echoes what arrived, and no header the
// redaction counts as a credential, no cookie and no secret body gets
// there.
func TestRedirectKeepsEverySecretAtItsOrigin(t *testing.T) {
	type arrival struct {
		header http.Header
		body   string
	}
	seen := make(chan arrival, 1)
	dest := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		seen <- arrival{r.Header.Clone(), string(b)}
	}))
	defer dest.Close()
	destPort := dest.Listener.Addr().(*net.TCPAddr).Port
	secrets := []string{"key-in-query", "tok-authorization", "sess-cookie", "key-x-api-key", "tok-x-auth-token", "tok-x-authorization", "tok-authentication", "custom-marked", "client-secret-body"}
	for _, status := range []int{http.StatusTemporaryRedirect, http.StatusFound} {
		for _, target := range []string{dest.URL, fmt.Sprintf("http://localhost:%d", destPort)} {
			t.Run(fmt.Sprintf("%d to %s", status, target), func(t *testing.T) {
				origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					http.Redirect(w, r, target+"/landed", status)
				}))
				defer origin.Close()
				req := model.HTTPRequest{Method: "POST", URL: origin.URL + "/oauth/token?api_key=key-in-query",
					Body: model.SecretText("grant_type=client_credentials&client_secret=client-secret-body")}
				req = req.WithHeader("Authorization", model.Plain("Bearer tok-authorization")).
					WithHeader("Cookie", model.Plain("session=sess-cookie")).
					WithHeader("X-Api-Key", model.Plain("key-x-api-key")).
					WithHeader("X-Auth-Token", model.Plain("tok-x-auth-token")).
					WithHeader("X-Authorization", model.Plain("tok-x-authorization")).
					WithHeader("Authentication", model.Plain("tok-authentication")).
					WithHeader("X-Custom", model.SecretText("custom-marked")).
					WithHeader("X-Trace", model.Plain("kept"))
				res, err := Send(context.Background(), req, Options{})
				if err != nil {
					t.Fatal(err)
				}
				got := <-seen
				all := got.body
				for name, vs := range got.header {
					all += "\n" + name + ": " + strings.Join(vs, ",")
				}
				for _, s := range secrets {
					if strings.Contains(all, s) {
						t.Errorf("%q reached the other origin:\n%s", s, all)
					}
				}
				if got.header.Get("X-Trace") != "kept" {
					t.Errorf("a header holding no secret was dropped too: %v", got.header)
				}
				if len(res.Redirects) != 1 {
					t.Fatalf("redirects = %+v", res.Redirects)
				}
				hop := res.Redirects[0]
				want := []string{"Authorization", "Cookie", "X-Api-Key", "X-Auth-Token", "X-Authorization", "Authentication", "X-Custom"}
				for _, w := range want {
					if !slices.Contains(hop.Dropped, w) {
						t.Errorf("hop.Dropped = %v, lacks %s", hop.Dropped, w)
					}
				}
				if status == http.StatusTemporaryRedirect && !hop.BodyDropped {
					t.Errorf("a 307 re-sent the secret body, hop = %+v", hop)
				}
			})
		}
	}

	t.Run("same origin keeps them", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/" {
				http.Redirect(w, r, "/landed", http.StatusTemporaryRedirect)
				return
			}
			b, _ := io.ReadAll(r.Body)
			seen <- arrival{r.Header.Clone(), string(b)}
		}))
		defer srv.Close()
		req := model.HTTPRequest{Method: "POST", URL: srv.URL + "/", Body: model.SecretText("client_secret=client-secret-body")}
		req = req.WithHeader("X-Api-Key", model.Plain("key-x-api-key"))
		res, err := Send(context.Background(), req, Options{})
		if err != nil {
			t.Fatal(err)
		}
		got := <-seen
		if got.header.Get("X-Api-Key") != "key-x-api-key" || got.body != "client_secret=client-secret-body" || len(res.Redirects[0].Dropped) != 0 {
			t.Fatalf("same-origin hop lost its credential: %v %q %+v", got.header, got.body, res.Redirects)
		}
	})

	t.Run("NoRedirect refuses the first hop", func(t *testing.T) {
		origin := httptest.NewServer(redirectTo(dest.URL))
		defer origin.Close()
		_, err := Send(context.Background(), get(origin.URL), Options{NoRedirect: true})
		var re *RedirectError
		if !errors.As(err, &re) || re.Reason != "token" || !strings.HasPrefix(re.To, dest.URL) {
			t.Fatalf("want a refused redirect to %s, got %v", dest.URL, err)
		}
		select {
		case a := <-seen:
			t.Fatalf("the redirect was followed: %v", a)
		default:
		}
	})
}

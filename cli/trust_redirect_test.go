package cli

import (
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authscope/authscope/internal/hostile"
)

// otherHost is a host name that exists only through the test's proxy:
// the "another host" of the redirect matrix, reached over loopback.
const otherHost = "other.example.test"

// trustCert writes a TLS server's certificate where SSL_CERT_FILE can
// point, so the binary trusts it as a system root.
func trustCert(t *testing.T, rec *hostile.Recorder) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ca.pem")
	block := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: rec.Certificate().Raw})
	if err := os.WriteFile(path, block, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// redirectingAPI redirects the request path to `to` and answers 200 on
// /final, so a same-origin hop ends.
func redirectingAPI(status int, to func() string) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/final", hostile.OK())
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { hostile.Redirect(status, to()).ServeHTTP(w, r) })
	return mux
}

// The redirect matrix for API requests: 302/303/307/308 × same origin,
// another port, another host (through a proxy), https → http; each in
// text, --json and --bundle.
func TestRedirectMatrixForRequests(t *testing.T) {
	for _, status := range []int{302, 303, 307, 308} {
		for _, where := range []string{"same origin", "other port", "other host", "https to http"} {
			for _, mode := range []string{"text", "json", "bundle"} {
				t.Run(fmt.Sprintf("%d %s %s", status, where, mode), func(t *testing.T) {
					t.Parallel()
					other := hostile.NewRecorder(hostile.OK()) // another port of 127.0.0.1
					defer other.Close()
					proxy := hostile.NewRecorder(hostile.OK()) // every other host
					defer proxy.Close()
					var first *hostile.Recorder
					target := func() string {
						switch where {
						case "same origin":
							return first.URL + "/final"
						case "other port":
							return other.URL + "/final"
						}
						return "http://" + otherHost + "/final"
					}
					env := []string{"SCALING_API_KEY=" + awkwardScalingKey, "HTTP_PROXY=" + proxy.URL}
					if where == "https to http" {
						first = hostile.NewTLSRecorder(redirectingAPI(status, target))
						env = append(env, "SSL_CERT_FILE="+trustCert(t, first))
					} else {
						first = hostile.NewRecorder(redirectingAPI(status, target))
					}
					defer first.Close()
					args := []string{"request", "--provider", "scaling", "--base-url", first.URL, "--path", "/v1/incidents", "--timeout", "20s"}
					if mode != "text" {
						args = append(args, "--"+mode)
					}
					run := runBinary(t, env, args...)
					leakCheck(t, "output", run.all(), "", awkwardScalingKey)

					if where == "https to http" {
						if run.code != ExitHTTPError || !strings.Contains(run.stderr, "from https to plain http") {
							t.Fatalf("exit %d, want 1 and a line saying why:\n%s", run.code, run.stderr)
						}
						if n := len(proxy.Requests()); n != 0 {
							t.Fatalf("the plain-http host got %d requests", n)
						}
						return
					}
					if run.code != ExitOK {
						t.Fatalf("exit %d\n%s", run.code, run.stderr)
					}
					final := first.Requests()
					if where == "other port" {
						final = other.Requests()
					} else if where == "other host" {
						final = proxy.Requests()
					}
					last := final[len(final)-1]
					if !strings.HasSuffix(last.URL, "/final") {
						t.Fatalf("the hop was not followed: %+v", last)
					}
					auth := last.Header.Get("Authorization")
					if where == "same origin" && auth != "Bearer "+awkwardScalingKey {
						t.Errorf("same origin: Authorization %q, want it kept", auth)
					}
					if where != "same origin" {
						if auth != "" {
							t.Errorf("%s: Authorization crossed origins: %q", where, auth)
						}
						leakCheck(t, where+" got", last.Text(), "", awkwardScalingKey)
					}
					checkHopShown(t, mode, run.stdout, status, where != "same origin")
				})
			}
		}
	}
}

// checkHopShown finds the one hop in the output's own form.
func checkHopShown(t *testing.T, mode, stdout string, status int, dropped bool) {
	t.Helper()
	switch mode {
	case "text":
		if !strings.Contains(stdout, "Redirects followed (1;") || !strings.Contains(stdout, fmt.Sprintf("1. %d ", status)) {
			t.Errorf("text does not list the hop:\n%s", stdout)
		}
		if dropped != strings.Contains(stdout, "Authorization not forwarded") {
			t.Errorf("text: Authorization dropped should be said: %v\n%s", dropped, stdout)
		}
	case "json":
		var out struct {
			Response struct {
				Redirects []struct {
					Status               int    `json:"status"`
					From                 string `json:"from"`
					To                   string `json:"to"`
					AuthorizationDropped bool   `json:"authorization_dropped"`
				} `json:"redirects"`
			} `json:"response"`
		}
		if err := json.Unmarshal([]byte(stdout), &out); err != nil {
			t.Fatalf("--json: %v\n%s", err, stdout)
		}
		hops := out.Response.Redirects
		if len(hops) != 1 || hops[0].Status != status || !strings.HasSuffix(hops[0].To, "/final") || hops[0].AuthorizationDropped != dropped {
			t.Errorf("--json redirects = %+v", hops)
		}
	case "bundle":
		if !strings.Contains(stdout, "## Redirects followed") || !strings.Contains(stdout, fmt.Sprintf("| 1 | %d |", status)) {
			t.Errorf("bundle does not list the hop:\n%s", stdout)
		}
	}
}

// The token endpoint never follows a redirect: the form (or Basic
// header) with the client secret stays with the origin the user named.
func TestTokenEndpointRedirectStopsTheExchange(t *testing.T) {
	for _, status := range []int{302, 303, 307, 308} {
		for _, where := range []string{"same origin", "other port", "other host", "https to http"} {
			for _, auth := range []string{"post", "basic"} {
				for _, cmd := range []string{"token", "request"} {
					t.Run(fmt.Sprintf("%s %d %s %s", cmd, status, where, auth), func(t *testing.T) {
						t.Parallel()
						other := hostile.NewRecorder(&hostile.Echo{})
						defer other.Close()
						proxy := hostile.NewRecorder(&hostile.Echo{})
						defer proxy.Close()
						var first *hostile.Recorder
						to := func() string {
							switch where {
							case "same origin":
								return first.URL + "/elsewhere/oauth/token"
							case "other port":
								return other.URL + "/oauth/token"
							}
							return "http://" + otherHost + "/oauth/token"
						}
						handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
							hostile.Redirect(status, to()).ServeHTTP(w, r)
						})
						env := []string{"SCALEKIT_CLIENT_ID=" + awkwardClientID, "SCALEKIT_CLIENT_SECRET=" + awkwardSecret, "HTTP_PROXY=" + proxy.URL}
						if where == "https to http" {
							first = hostile.NewTLSRecorder(handler)
							env = append(env, "SSL_CERT_FILE="+trustCert(t, first))
						} else {
							first = hostile.NewRecorder(handler)
						}
						defer first.Close()
						run := runBinary(t, env, cmd, "--provider", "scalekit", "--client-auth", auth, "--base-url", first.URL, "--timeout", "20s")
						if run.code != ExitHTTPError {
							t.Fatalf("exit %d, want 1\n%s", run.code, run.stderr)
						}
						line := lastLine(run.stderr)
						if !strings.Contains(line, fmt.Sprintf("answered %d, a redirect to %s", status, to())) || !strings.Contains(line, "did not follow") {
							t.Errorf("the line should name where it pointed and why not: %q", line)
						}
						if n := len(first.Requests()); n != 1 {
							t.Errorf("the named origin got %d requests, want the one token request", n)
						}
						if n := len(other.Requests()) + len(proxy.Requests()); n != 0 {
							t.Errorf("another origin got %d requests: the secret left", n)
						}
						leakCheck(t, "output", run.all(), awkwardClientID, awkwardSecret)
					})
				}
			}
		}
	}
}

func TestTokenRedirectJSONNamesThePhase(t *testing.T) {
	first := hostile.NewRecorder(hostile.Redirect(307, "http://"+otherHost+"/oauth/token"))
	defer first.Close()
	run := runBinary(t, []string{"SCALEKIT_CLIENT_SECRET=" + awkwardSecret, "SCALEKIT_CLIENT_ID=" + awkwardClientID},
		"token", "--provider", "scalekit", "--base-url", first.URL, "--json")
	var out map[string]any
	if err := json.Unmarshal([]byte(run.stdout), &out); err != nil {
		t.Fatalf("%v\n%s", err, run.stdout)
	}
	if run.code != ExitHTTPError || out["error_phase"] != "redirect" || out["error_step"] != "token request" {
		t.Fatalf("exit %d, %v", run.code, out)
	}
}

func TestRedirectLoopHasItsOwnMessage(t *testing.T) {
	var rec *hostile.Recorder
	rec = hostile.NewRecorder(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hostile.Redirect(302, rec.URL+r.URL.Path).ServeHTTP(w, r)
	}))
	defer rec.Close()
	run := runBinary(t, []string{"SCALING_API_KEY=" + awkwardScalingKey}, "request", "--provider", "scaling", "--base-url", rec.URL, "--path", "/v1/loop")
	if run.code != ExitNoAnswer || !strings.Contains(run.stderr, "no answer (redirect loop): stopped after 10 redirects") {
		t.Fatalf("exit %d: %s", run.code, run.stderr)
	}
	leakCheck(t, "output", run.all(), "", awkwardScalingKey)
}

package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authscope/authscope/internal/hostile"
)

// pasteFile writes a customer's paste where doctor reads it.
func pasteFile(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// Replayed secrets stay at their origin, through the built binary: a
// hostile first server redirects (302, 307) to another port of the same
// host and to another host (through a proxy); the other origin records
// what arrived, and no header the redaction counts as a credential, no
// cookie and no secret body gets there. A pasted token request follows
// no redirect at all. Every hop is listed.
func TestReplayRealKeepsSecretsAtTheirOrigin(t *testing.T) {
	const (
		apiKey    = "key_ReplayApiKey0123456789abcdef"
		authTok   = "tok_ReplayAuthToken0123456789abcd"
		cookie    = "sess_ReplayCookie0123456789abcdef"
		bearer    = "tok_ReplayBearer0123456789abcdefgh"
		xAuth     = "tok_ReplayXAuthorization0123456789"
		secret    = "cs_ReplayClientSecret0123456789ab"
		bodyToken = "tok_ReplayBodyToken0123456789abcde"
	)
	secrets := []string{apiKey, authTok, cookie, bearer, xAuth, secret, bodyToken}
	for _, status := range []int{302, 307} {
		for _, where := range []string{"other port", "other host"} {
			for _, token := range []bool{false, true} {
				name := fmt.Sprintf("%d %s token=%v", status, where, token)
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					other := hostile.NewRecorder(hostile.OK())
					defer other.Close()
					proxy := hostile.NewRecorder(hostile.OK())
					defer proxy.Close()
					to := other.URL + "/final"
					if where == "other host" {
						to = "http://" + otherHost + "/final"
					}
					first := hostile.NewRecorder(hostile.Redirect(status, to))
					defer first.Close()
					var paste string
					if token {
						paste = "curl -X POST " + first.URL + "/oauth/token -H 'Content-Type: application/x-www-form-urlencoded' " +
							"-d 'grant_type=client_credentials&client_id=skc_customer&client_secret=" + secret + "'"
					} else {
						paste = "curl -X POST " + first.URL + "/v1/things -H 'Authorization: Bearer " + bearer + "' " +
							"-H 'X-Api-Key: " + apiKey + "' -H 'X-Auth-Token: " + authTok + "' -H 'X-Authorization: " + xAuth + "' " +
							"-H 'Cookie: session=" + cookie + "' -H 'X-Trace: plain' -d 'access_token=" + bodyToken + "&note=hi'"
					}
					run := runBinary(t, []string{"HTTP_PROXY=" + proxy.URL}, "doctor", pasteFile(t, "paste.txt", paste), "--replay", "--real", "--yes", "--timeout", "20s")
					leakCheck(t, "output", run.all(), "", secrets...)
					if len(first.Requests()) == 0 {
						t.Fatalf("nothing was sent (exit %d):\n%s", run.code, run.all())
					}
					arrived := append(other.Requests(), proxy.Requests()...)
					for _, r := range arrived {
						leakCheck(t, where+" got", r.Text(), "", secrets...)
					}
					if token {
						if len(arrived) != 0 {
							t.Fatalf("the token request's redirect was followed: %+v", arrived)
						}
						if !strings.Contains(run.stdout, fmt.Sprintf("not followed: %d redirect", status)) {
							t.Fatalf("the refusal is not said:\n%s", run.all())
						}
						return
					}
					if len(arrived) == 0 {
						t.Fatalf("the API request's redirect was not followed:\n%s", run.all())
					}
					if got := arrived[0].Header.Get("X-Trace"); got != "plain" {
						t.Errorf("a header holding no secret did not follow: %q", got)
					}
					if !strings.Contains(run.stdout, fmt.Sprintf("↪ %d ", status)) || !strings.Contains(run.stdout, "stayed behind") || !strings.Contains(run.stdout, "answered by") {
						t.Errorf("the hop is not listed:\n%s", run.stdout)
					}
					for _, h := range []string{"Authorization", "X-Api-Key", "X-Auth-Token", "X-Authorization", "Cookie"} {
						if !strings.Contains(run.stdout, h) {
							t.Errorf("the hop does not say %s stayed behind:\n%s", h, run.stdout)
						}
					}
					if status == 307 && !strings.Contains(run.stdout, "the body") {
						t.Errorf("a 307 hop does not say the body stayed behind:\n%s", run.stdout)
					}
				})
			}
		}
	}
}

// --real asks first, naming the entry and the host; without a terminal
// and without --yes nothing is sent. --entry picks a HAR's request and
// the output says which and why.
func TestReplayRealAsksAndNamesTheEntry(t *testing.T) {
	api := hostile.NewRecorder(hostile.OK())
	defer api.Close()
	curl := pasteFile(t, "paste.txt", "curl "+api.URL+"/v1/things -H 'X-Api-Key: key_AskFirst0123456789abcdef'")
	run := runBinary(t, nil, "doctor", curl, "--replay", "--real")
	host := strings.TrimPrefix(api.URL, "http://")
	if run.code != ExitUsage || run.stdout != "" || len(api.Requests()) != 0 {
		t.Fatalf("sent without asking: exit %d, %d requests\n%s", run.code, len(api.Requests()), run.all())
	}
	if !strings.Contains(run.stderr, "entry 1 of 1") || !strings.Contains(run.stderr, host) || !strings.Contains(run.stderr, "--yes") {
		t.Fatalf("the refusal does not name the entry and host: %s", run.stderr)
	}

	har := `{"log":{"version":"1.2","entries":[` +
		harEntry(api.URL+"/v1/first", 200) + "," + harEntry(api.URL+"/v1/second", 401) + "," + harEntry(api.URL+"/v1/third", 200) + `]}}`
	path := pasteFile(t, "s.har", har)
	run = runBinary(t, nil, "doctor", path, "--replay", "--real", "--yes", "--entry", "3")
	if run.code != ExitOK {
		t.Fatalf("exit %d\n%s", run.code, run.all())
	}
	reqs := api.Requests()
	if len(reqs) == 0 || !strings.HasPrefix(reqs[len(reqs)-1].URL, "/v1/third") {
		t.Fatalf("--entry 3 did not send the third request: %+v", reqs)
	}
	if !strings.Contains(run.stdout, "entry 3 of 3: asked for") {
		t.Fatalf("the output does not say which entry: %s", run.stdout)
	}
	run = runBinary(t, nil, "doctor", path, "--replay", "--real", "--yes")
	if !strings.Contains(run.stdout, "entry 2 of 3: the first failed request; --entry N picks another") {
		t.Fatalf("the chosen entry is not explained: %s", run.all())
	}
	run = runBinary(t, nil, "doctor", path, "--replay", "--entry", "9")
	if run.code != ExitUsage || !strings.Contains(run.stderr, "1 to 3") {
		t.Fatalf("--entry 9 of 3: exit %d %s", run.code, run.stderr)
	}
}

func harEntry(url string, status int) string {
	return fmt.Sprintf(`{"startedDateTime":"2026-01-01T00:00:00Z","request":{"method":"GET","url":%q,"httpVersion":"HTTP/1.1","headers":[{"name":"X-Api-Key","value":"key_HarEntry0123456789abcdef"}],"queryString":[],"cookies":[]},"response":{"status":%d,"statusText":"","httpVersion":"HTTP/1.1","headers":[],"cookies":[],"content":{"size":2,"mimeType":"application/json","text":"{}"}}}`, url, status)
}

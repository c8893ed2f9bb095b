package sandbox

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"testing"
)

// curl runs the real curl with the seeds' arguments (-i added to see the
// status line and headers) and parses what it printed.
func curl(t *testing.T, args ...string) answer {
	t.Helper()
	path, err := exec.LookPath("curl")
	if err != nil {
		t.Skip("curl is not installed")
	}
	out, err := exec.Command(path, append([]string{"-sS", "-i", "--noproxy", "*"}, args...)...).Output()
	if err != nil {
		t.Fatalf("curl %v: %v", args, err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(out)), nil)
	if err != nil {
		t.Fatalf("curl printed no HTTP response: %v\n%s", err, out)
	}
	body, _ := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, header: resp.Header, body: string(body)}
}

// The Scaling seed's example, with the docs' placeholder key (refused as
// the docs say) and with the demo key (answered).
func TestSeedCurlScaling(t *testing.T) {
	sb := newSandbox(t)
	env := sb.http.URL + "/scaling"

	a := curl(t, env+"/v1/incidents", "-H", "Authorization: Bearer scl_live_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")
	want := `{"statusCode":401,"type":"not_authorized_error","code":"invalid_api_key","requestId":"` + a.requestID(t) + `"}`
	if a.status != 401 || a.body != want {
		t.Errorf("placeholder key: %d %s", a.status, a.body)
	}

	a = curl(t, env+"/v1/incidents")
	want = `{"statusCode":401,"type":"not_authorized_error","code":"missing_authorization_header","requestId":"` + a.requestID(t) + `"}`
	if a.status != 401 || a.body != want {
		t.Errorf("no header: %d %s", a.status, a.body)
	}

	a = curl(t, env+"/v1/incidents", "-H", "Authorization: Bearer "+demoScalingKey)
	if a.status != 200 || !strings.HasPrefix(a.body, `{"data":{"incidents":[{"id":`) {
		t.Errorf("demo key: %d %.80s", a.status, a.body)
	}
}

// The Scalekit seeds' two steps: the form POST for a token, then the API
// call with it; and the documented 401 without one.
func TestSeedCurlScalekit(t *testing.T) {
	sb := newSandbox(t)
	env := sb.http.URL + "/scalekit"

	a := curl(t, env+"/oauth/token", "-X", "POST",
		"-H", "Content-Type: application/x-www-form-urlencoded",
		"-d", "client_id="+clientID, "-d", "client_secret="+clientSecret, "-d", "grant_type=client_credentials")
	var tok struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
		ExpiresIn   int    `json:"expires_in"`
		Scope       string `json:"scope"`
	}
	if a.status != 200 || json.Unmarshal([]byte(a.body), &tok) != nil {
		t.Fatalf("token: %d %s", a.status, a.body)
	}
	if !strings.HasPrefix(tok.AccessToken, "eyJhbGciOiJSUzI1NiIsImtpZCI6InNua18") || tok.TokenType != "Bearer" || tok.ExpiresIn != 86399 || tok.Scope != "openid" {
		t.Errorf("token response differs from the seed's: %s", a.body)
	}

	a = curl(t, env+"/api/v1/organizations", "-H", "Content-Type: application/json", "-H", "Authorization: Bearer "+tok.AccessToken)
	if a.status != 200 || !strings.Contains(a.body, `"organizations":[`) {
		t.Errorf("organizations: %d %.100s", a.status, a.body)
	}
	a = curl(t, "--request", "GET", env+"/api/v1/organizations", "-H", "Content-Type: application/json", "-H", "Authorization: Bearer {access_token}")
	if a.status != 401 || !strings.Contains(a.body, `"code":16`) {
		t.Errorf("placeholder token: %d %s", a.status, a.body)
	}
	a = curl(t, env+"/api/v1/organizations", "-H", "Content-Type: application/json")
	if a.status != 401 || a.body != `{"code":16,"message":"Token empty","details":[{"@type":"type.googleapis.com/scalekit.v1.errdetails.ErrorInfo","error_code":"UNAUTHENTICATED"}]}` {
		t.Errorf("no token: %d %s", a.status, a.body)
	}
}

// The Scale seeds: curl -u "<key>:", and the header the docs compute by
// hand for live_ScaleRocks.
func TestSeedCurlScale(t *testing.T) {
	sb := newSandbox(t)
	env := sb.http.URL + "/scale"
	for _, args := range [][]string{
		{env + "/v1/projects", "-u", scaleDocsKey + ":"},
		{env + "/v1/projects", "-H", "Authorization: Basic bGl2ZV9TY2FsZVJvY2tzOg=="},
		{env + "/v1/projects", "-u", scaleLiveKey + ":"},
	} {
		a := curl(t, args...)
		if a.status != 200 || !strings.HasPrefix(a.body, `[{"type":`) {
			t.Errorf("%v: %d %.80s", args, a.status, a.body)
		}
	}
	a := curl(t, env+"/v1/projects", "-u", "{{ApiKey}}:")
	if a.status != 401 || a.body != `{"status_code":401,"error":"Invalid API key."}` {
		t.Errorf("placeholder key: %d %s", a.status, a.body)
	}
}

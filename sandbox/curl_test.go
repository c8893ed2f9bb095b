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

	"github.com/authscope/authscope/sandbox/internal/sbtest"
)

// curl runs the real curl with the seeds' arguments (-i added to see the
// status line and headers) and parses what it printed.
func curl(t *testing.T, args ...string) sbtest.Answer {
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
	return sbtest.Answer{Status: resp.StatusCode, Header: resp.Header, Body: string(body)}
}

// The Scaling seed's example, with the docs' placeholder key (refused as
// the docs say) and with the demo key (answered).
func TestSeedCurlScaling(t *testing.T) {
	sb := newSandbox(t)
	env := sb.Sandbox.URL + "/scaling"

	a := curl(t, env+"/v1/incidents", "-H", "Authorization: Bearer scl_live_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")
	want := `{"statusCode":401,"type":"not_authorized_error","code":"invalid_api_key","requestId":"` + a.RequestID(t) + `"}`
	if a.Status != 401 || a.Body != want {
		t.Errorf("placeholder key: %d %s", a.Status, a.Body)
	}

	a = curl(t, env+"/v1/incidents")
	want = `{"statusCode":401,"type":"not_authorized_error","code":"missing_authorization_header","requestId":"` + a.RequestID(t) + `"}`
	if a.Status != 401 || a.Body != want {
		t.Errorf("no header: %d %s", a.Status, a.Body)
	}

	a = curl(t, env+"/v1/incidents", "-H", "Authorization: Bearer "+sbtest.DemoScalingKey)
	if a.Status != 200 || !strings.HasPrefix(a.Body, `{"data":{"incidents":[{"id":`) {
		t.Errorf("demo key: %d %.80s", a.Status, a.Body)
	}
}

// The Scalekit seeds' two steps: the form POST for a token, then the API
// call with it; and the documented 401 without one.
func TestSeedCurlScalekit(t *testing.T) {
	sb := newSandbox(t)
	env := sb.Sandbox.URL + "/scalekit"

	a := curl(t, env+"/oauth/token", "-X", "POST",
		"-H", "Content-Type: application/x-www-form-urlencoded",
		"-d", "client_id="+sbtest.ClientID, "-d", "client_secret="+sbtest.ClientSecret, "-d", "grant_type=client_credentials")
	var tok struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
		ExpiresIn   int    `json:"expires_in"`
		Scope       string `json:"scope"`
	}
	if a.Status != 200 || json.Unmarshal([]byte(a.Body), &tok) != nil {
		t.Fatalf("token: %d %s", a.Status, a.Body)
	}
	if !strings.HasPrefix(tok.AccessToken, "eyJhbGciOiJSUzI1NiIsImtpZCI6InNua18") || tok.TokenType != "Bearer" || tok.ExpiresIn != 86399 || tok.Scope != "openid" {
		t.Errorf("token response differs from the seed's: %s", a.Body)
	}

	a = curl(t, env+"/api/v1/organizations", "-H", "Content-Type: application/json", "-H", "Authorization: Bearer "+tok.AccessToken)
	if a.Status != 200 || !strings.Contains(a.Body, `"organizations":[`) {
		t.Errorf("organizations: %d %.100s", a.Status, a.Body)
	}
	a = curl(t, "--request", "GET", env+"/api/v1/organizations", "-H", "Content-Type: application/json", "-H", "Authorization: Bearer {access_token}")
	if a.Status != 401 || !strings.Contains(a.Body, `"code":16`) {
		t.Errorf("placeholder token: %d %s", a.Status, a.Body)
	}
	a = curl(t, env+"/api/v1/organizations", "-H", "Content-Type: application/json")
	if a.Status != 401 || a.Body != `{"code":16,"message":"Token empty","details":[{"@type":"type.googleapis.com/scalekit.v1.errdetails.ErrorInfo","error_code":"UNAUTHENTICATED"}]}` {
		t.Errorf("no token: %d %s", a.Status, a.Body)
	}
}

// The Scale seeds: curl -u "<key>:", and the header the docs compute by
// hand for live_ScaleRocks.
func TestSeedCurlScale(t *testing.T) {
	sb := newSandbox(t)
	env := sb.Sandbox.URL + "/scale"
	for _, args := range [][]string{
		{env + "/v1/projects", "-u", sbtest.ScaleDocsKey + ":"},
		{env + "/v1/projects", "-H", "Authorization: Basic bGl2ZV9TY2FsZVJvY2tzOg=="},
		{env + "/v1/projects", "-u", sbtest.ScaleLiveKey + ":"},
	} {
		a := curl(t, args...)
		if a.Status != 200 || !strings.HasPrefix(a.Body, `[{"type":`) {
			t.Errorf("%v: %d %.80s", args, a.Status, a.Body)
		}
	}
	a := curl(t, env+"/v1/projects", "-u", "{{ApiKey}}:")
	if a.Status != 401 || a.Body != `{"status_code":401,"error":"Invalid API key."}` {
		t.Errorf("placeholder key: %d %s", a.Status, a.Body)
	}
}

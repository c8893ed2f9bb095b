package cli

import (
	"encoding/json"
	"net"
	"strings"
	"testing"
)

func TestHeaderAnchorByteForByte(t *testing.T) {
	code, out, errOut := runCmd(t, nil, "header", "--provider", "scale", "--key", "live_ScaleRocks")
	if code != 0 || out != "Authorization: Basic bGl2ZV9TY2FsZVJvY2tzOg==\n" || errOut != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestHeaderFromEnvironmentAndTrimmed(t *testing.T) {
	code, out, errOut := runCmd(t, map[string]string{"SCALING_API_KEY": scalingKey + "\n"}, "header", "--provider", "scaling")
	if code != 0 || out != "Authorization: Bearer "+scalingKey+"\n" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	oneLine(t, errOut, "newline")
	noSecrets(t, "stderr", errOut, scalingKey)
}

func TestHeaderJSON(t *testing.T) {
	code, out, _ := runCmd(t, nil, "header", "--provider", "scale", "--key", "live_ScaleRocks", "--json")
	var got struct{ Name, Value string }
	if code != 0 || json.Unmarshal([]byte(out), &got) != nil || got.Name != "Authorization" || got.Value != "Basic bGl2ZV9TY2FsZVJvY2tzOg==" {
		t.Fatalf("exit %d, %q", code, out)
	}
}

func TestHeaderScalekitRunsTheExchange(t *testing.T) {
	base := sandboxURL(t) + "/scalekit"
	env := map[string]string{"SCALEKIT_CLIENT_ID": "skc_sandbox_client", "SCALEKIT_CLIENT_SECRET": "sandbox_client_secret"}
	code, out, errOut := runCmd(t, env, "header", "--provider", "scalekit", "--base-url", base)
	if code != 0 || !strings.HasPrefix(out, "Authorization: Bearer eyJ") || strings.Count(out, ".") != 2 {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	env["SCALEKIT_CLIENT_SECRET"] = "not_the_secret"
	code, out, errOut = runCmd(t, env, "header", "--provider", "scalekit", "--base-url", base)
	if code != ExitHTTPError || out != "" {
		t.Fatalf("a refused exchange: exit %d, stdout %q", code, out)
	}
	oneLine(t, errOut, "invalid_client")
	noSecrets(t, "stderr", errOut, "not_the_secret")
}

func TestHeaderBadInput(t *testing.T) {
	closed := closedPort(t)
	cases := []struct {
		name string
		env  map[string]string
		args []string
		code int
		want string
	}{
		{"colon in the user-id", nil, []string{"--provider", "scale", "--key", "live_a:b"}, ExitUsage, "RFC 7617"},
		{"no key", nil, []string{"--provider", "scale", "--env", "live"}, ExitUsage, "SCALE_API_KEY"},
		{"blank key", map[string]string{"SCALE_API_KEY": " \n"}, []string{"--provider", "scale"}, ExitUsage, "SCALE_API_KEY"},
		{"unknown provider", nil, []string{"--provider", "acme", "--key", "x"}, ExitUsage, "acme"},
		{"no provider", nil, []string{"--key", "x"}, ExitUsage, "--provider"},
		{"stray argument", nil, []string{"--provider", "scale", "--key", "live_ScaleRocks", "extra"}, ExitUsage, "extra"},
		{"unknown flag", nil, []string{"--provider", "scale", "--colour"}, ExitUsage, "colour"},
		{"bad client auth", nil, []string{"--provider", "scalekit", "--client-auth", "jwt"}, ExitUsage, "client-auth"},
		{"no answer", map[string]string{"SCALEKIT_CLIENT_ID": "skc_x", "SCALEKIT_CLIENT_SECRET": "s3cr3t_value"},
			[]string{"--provider", "scalekit", "--base-url", closed}, ExitNoAnswer, "connect"},
	}
	for _, c := range cases {
		code, out, errOut := runCmd(t, c.env, append([]string{"header"}, c.args...)...)
		if code != c.code || out != "" {
			t.Errorf("%s: exit %d (want %d), stdout %q", c.name, code, c.code, out)
			continue
		}
		if lines := strings.Split(strings.TrimSpace(errOut), "\n"); !strings.Contains(lines[len(lines)-1], c.want) {
			t.Errorf("%s: stderr %q should end with a line naming %q", c.name, errOut, c.want)
		}
		if strings.Contains(errOut, "goroutine") || strings.Contains(errOut, "panic") {
			t.Errorf("%s: stack trace on stderr", c.name)
		}
	}
}

// closedPort is a loopback URL where nothing listens.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

var scalekitEnv = map[string]string{"SCALEKIT_CLIENT_ID": "skc_sandbox_client", "SCALEKIT_CLIENT_SECRET": "sandbox_client_secret"}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

func TestTokenPrintsEachStepThenTheToken(t *testing.T) {
	base := sandboxURL(t) + "/scalekit"
	for _, clientAuth := range []string{"post", "basic"} {
		t.Run(clientAuth, func(t *testing.T) {
			code, out, stderr := runCmd(t, scalekitEnv, "token", "--provider", "scalekit", "--base-url", base, "--client-auth", clientAuth)
			if code != 0 {
				t.Fatalf("exit %d: %s\n%s", code, stderr, out)
			}
			for _, want := range []string{"POST ", "Expires: ", "s left", "JWKS check: signature valid", "Timing: "} {
				if !strings.Contains(out, want) {
					t.Errorf("no %q in:\n%s", want, out)
				}
			}
			masked := lastLine(out)
			if !strings.Contains(masked, "••••") {
				t.Fatalf("the last line should be the masked token, got %q", masked)
			}
			noSecrets(t, "stdout", out, "sandbox_client_secret")
		})
	}

	code, out, _ := runCmd(t, scalekitEnv, "token", "--provider", "scalekit", "--base-url", base, "--reveal")
	token := lastLine(out)
	if code != 0 || strings.Count(token, ".") != 2 || strings.Contains(token, "•") {
		t.Fatalf("--reveal should end with the JWT, got exit %d, %q", code, token)
	}
}

func TestTokenJSONParsesAndHoldsNoSecret(t *testing.T) {
	base := sandboxURL(t) + "/scalekit"
	code, out, stderr := runCmd(t, scalekitEnv, "token", "--provider", "scalekit", "--base-url", base, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var v struct {
		Status int
		Token  struct {
			AccessToken string `json:"access_token"`
			SecondsLeft int64  `json:"seconds_left"`
		}
		Check struct{ Valid bool } `json:"jwks_check"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("not one JSON object: %v\n%s", err, out)
	}
	if v.Status != 200 || !v.Check.Valid || v.Token.SecondsLeft <= 0 || !strings.Contains(v.Token.AccessToken, "••••") {
		t.Fatalf("parsed %+v\n%s", v, out)
	}
	_, revealed, _ := runCmd(t, scalekitEnv, "token", "--provider", "scalekit", "--base-url", base, "--reveal")
	noSecrets(t, "--json", out, "sandbox_client_secret", lastLine(revealed)[:40])
}

func TestTokenRefusals(t *testing.T) {
	base := sandboxURL(t) + "/scalekit"
	env := map[string]string{"SCALEKIT_CLIENT_ID": "skc_sandbox_client", "SCALEKIT_CLIENT_SECRET": "not_the_secret"}
	code, out, _ := runCmd(t, env, "token", "--provider", "scalekit", "--base-url", base)
	if code != 1 || !strings.Contains(out, "invalid_client") {
		t.Fatalf("a wrong secret: exit %d\n%s", code, out)
	}
	noSecrets(t, "stdout", out, "not_the_secret")

	code, _, stderr := runCmd(t, nil, "token", "--provider", "scaling")
	if code != 2 {
		t.Fatalf("token for a Bearer provider: exit %d", code)
	}
	oneLine(t, stderr, "authscope header --provider scaling")
}

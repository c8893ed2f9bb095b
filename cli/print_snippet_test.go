package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRequestPrintRunsLikeRequest: every `request --print` snippet, in
// both flavours, run for real against the sandbox, gets the status
// `request` itself gets with the same flags: a key typed with stray
// whitespace, Scalekit with --client-auth basic, another provider's key.
func TestRequestPrintRunsLikeRequest(t *testing.T) {
	url := sandboxURL(t)
	cases := []struct {
		name, provider string
		flags          []string
		env            map[string]string // what the --from-env snippet reads: the same values, as typed
	}{
		{"scaling-spaced-key", "scaling", []string{"--key", " " + scalingKey + " \n"}, map[string]string{"SCALING_API_KEY": " " + scalingKey + " \n"}},
		{"scaling-scale-key", "scaling", []string{"--key", scaleKey}, map[string]string{"SCALING_API_KEY": scaleKey}},
		{"scale-spaced-key", "scale", []string{"--key", "live_ScaleRocks "}, map[string]string{"SCALE_API_KEY": "live_ScaleRocks "}},
		{"scalekit-basic", "scalekit", []string{"--client-id", " skc_sandbox_client", "--client-secret", "sandbox_client_secret\t", "--client-auth", "basic"},
			map[string]string{"SCALEKIT_CLIENT_ID": " skc_sandbox_client", "SCALEKIT_CLIENT_SECRET": "sandbox_client_secret\t", "SCALEKIT_ENVIRONMENT_URL": url + "/scalekit"}},
	}
	for _, c := range cases {
		base := []string{"request", "--provider", c.provider, "--base-url", url + "/" + c.provider}
		base = append(base, c.flags...)
		_, out, errOut := runCmd(t, nil, append(base, "--json")...)
		var run struct {
			Response struct {
				Status int `json:"status"`
			} `json:"response"`
		}
		if err := json.Unmarshal([]byte(out), &run); err != nil || run.Response.Status == 0 {
			t.Fatalf("%s: request --json: %v\n%s\n%s", c.name, err, out, errOut)
		}
		want := fmt.Sprint(run.Response.Status)
		for _, kind := range []string{"curl", "go", "python", "node", "header", "env"} {
			for _, fromEnv := range []bool{false, true} {
				args := append(append([]string{}, base...), "--print", kind)
				var env []string
				if fromEnv {
					args = append(args, "--from-env")
					for k, v := range c.env {
						env = append(env, k+"="+v)
					}
				}
				t.Run(fmt.Sprintf("%s/%s/fromenv=%v", c.name, kind, fromEnv), func(t *testing.T) {
					code, snippet, stderr := runCmd(t, nil, args...)
					if code != 0 {
						t.Fatalf("exit %d: %s", code, stderr)
					}
					if kind == "env" {
						// The exports, then the --from-env curl that reads them.
						curlArgs := append(append([]string{}, base...), "--print", "curl", "--from-env")
						_, curl, _ := runCmd(t, nil, curlArgs...)
						snippet += curl
					}
					got := runPrinted(t, kind, snippet, url+"/"+c.provider+"/"+sampleTail(c.provider), fromEnv, env)
					if got != want {
						t.Fatalf("the snippet got %s, request got %s; snippet:\n%s", got, want, snippet)
					}
				})
			}
		}
	}
}

func sampleTail(provider string) string {
	return map[string]string{"scaling": "v1/incidents?limit=10", "scale": "v1/projects", "scalekit": "api/v1/organizations?page_size=10"}[provider]
}

// runPrinted runs a printed snippet as its user would and returns the
// HTTP status it printed. The header and env kinds are used with curl
// the way their comments say.
func runPrinted(t *testing.T, kind, snippet, url string, fromEnv bool, env []string) string {
	t.Helper()
	dir := t.TempDir()
	file, argv := "snippet.sh", []string{"bash"}
	switch kind {
	case "go":
		file, argv = "main.go", []string{"go", "run"}
	case "python":
		file, argv = "snippet.py", []string{"/usr/bin/python3"}
	case "node":
		file, argv = "snippet.js", []string{"node"}
	case "header":
		if fromEnv {
			snippet = "{\n" + snippet + "} | curl -sS -i -H @- '" + url + "'\n"
		} else {
			snippet = "curl -sS -i -H '" + strings.TrimSpace(snippet) + "' '" + url + "'\n"
		}
	}
	if err := os.WriteFile(filepath.Join(dir, file), []byte(snippet), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], append(argv[1:], file)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if kind == "env" && fromEnv { // a secret the exports ask for is typed on stdin
		var secrets []string
		for _, kv := range env {
			if k, v, _ := strings.Cut(kv, "="); strings.HasSuffix(k, "_KEY") || strings.HasSuffix(k, "_SECRET") {
				secrets = append(secrets, v)
			}
		}
		cmd.Stdin = strings.NewReader(strings.Join(secrets, "\n") + "\n")
	}
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s snippet failed: %v\n%s\nsnippet:\n%s", kind, err, stderr.String(), snippet)
	}
	first, _, _ := strings.Cut(stdout.String(), "\n")
	fields := strings.Fields(first)
	switch {
	case len(fields) > 1 && strings.HasPrefix(fields[0], "HTTP/"):
		return fields[1]
	case len(fields) > 0:
		return fields[0]
	}
	return ""
}

package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const scalingInvalidKey = `{"statusCode":401,"type":"not_authorized_error","code":"invalid_api_key","requestId":"550e8400-e29b-41d4-a716-446655440000"}`

// runDecodeCmd runs `authscope decode args…` through Execute, as main does.
func runDecodeCmd(t *testing.T, stdin string, tty bool, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	sys := IO{In: strings.NewReader(stdin), Out: &out, Err: &errOut, InTTY: tty, Getenv: func(k string) string { return env[k] }}
	code = Main(context.Background(), sys, append([]string{"decode"}, args...), nil)
	return code, out.String(), errOut.String()
}

func TestDecodeCommandReadsStdin(t *testing.T) {
	for _, args := range [][]string{nil, {"-"}} {
		code, out, errOut := runDecodeCmd(t, scalingInvalidKey, false, nil, args...)
		if code != ExitOK || errOut != "" {
			t.Fatalf("args %q: exit %d, stderr %q", args, code, errOut)
		}
		for _, want := range []string{
			"Scaling API error · 401 Unauthorized",
			"invalid_api_key",
			"550e8400-e29b-41d4-a716-446655440000  (body field requestId",
			"Settings → API Access",
			"Fields:",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("args %q: output lacks %q:\n%s", args, want, out)
			}
		}
	}
}

func TestDecodeCommandReadsFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "resp.http")
	raw := "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nX-Request-Id: hdr\r\n\r\n" +
		`{"code":16,"message":"Token empty","details":[{"@type":"type.googleapis.com/scalekit.v1.errdetails.ErrorInfo","error_code":"UNAUTHENTICATED"}]}`
	if err := os.WriteFile(path, []byte(raw), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, _ := runDecodeCmd(t, "", true, nil, path, "--provider", "scalekit")
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"grpc-gateway", "16 UNAUTHENTICATED", "Token empty", "Scalekit found no token: none was sent", "hdr  (header X-Request-Id", "Headers:"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// --json is one object with stable names that scripts (jq) can rely on.
func TestDecodeCommandJSON(t *testing.T) {
	code, out, _ := runDecodeCmd(t, scalingInvalidKey, false, nil, "--json")
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	var got struct {
		Shape       string `json:"shape"`
		Recognised  bool   `json:"recognised"`
		Status      int    `json:"status"`
		Code        string `json:"code"`
		RequestID   string `json:"request_id"`
		Source      string `json:"request_id_source"`
		Meaning     string `json:"meaning"`
		Advice      string `json:"advice"`
		LikelyCause string `json:"likely_cause"`
		Fields      []struct {
			Path, Value, Meaning string
		} `json:"fields"`
		Headers []any    `json:"headers"`
		Notes   []string `json:"notes"`
	}
	var raw map[string]any
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.Shape != "scaling" || !got.Recognised || got.Status != 401 || got.Code != "invalid_api_key" ||
		got.RequestID != "550e8400-e29b-41d4-a716-446655440000" || got.Source != "body field requestId" ||
		got.Meaning == "" || got.Advice == "" || got.LikelyCause == "" || len(got.Fields) != 4 {
		t.Fatalf("%+v", got)
	}
	for _, key := range []string{"headers", "notes", "fields", "code_name", "message"} {
		if _, ok := raw[key]; !ok {
			t.Errorf("key %q missing: scripts rely on every key being present", key)
		}
	}
}

func TestDecodeCommandUnreadableInput(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.txt")
	os.WriteFile(empty, nil, 0o600)
	cases := []struct {
		name  string
		stdin string
		tty   bool
		args  []string
		want  string
	}{
		{"missing file", "", false, []string{filepath.Join(dir, "nope.txt")}, "no such file"},
		{"directory", "", false, []string{dir}, "is a directory"},
		{"empty file", "", false, []string{empty}, "is empty"},
		{"empty stdin", "", false, nil, "standard input is empty"},
		{"blank stdin", " \n\t\n", false, nil, "standard input is empty"},
		{"terminal, nothing piped", "", true, nil, "curl -si URL | authscope decode"},
		{"two files", "", false, []string{"a", "b"}, "one FILE at most"},
		{"unknown provider", scalingInvalidKey, false, []string{"--provider", "acme"}, `unknown provider "acme"`},
		{"unknown flag", scalingInvalidKey, false, []string{"--nope"}, "unknown flag --nope"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := runDecodeCmd(t, c.stdin, c.tty, nil, c.args...)
			if code != ExitUsage {
				t.Fatalf("exit %d, want %d; stderr %q", code, ExitUsage, errOut)
			}
			if out != "" || !strings.Contains(errOut, c.want) || strings.Count(errOut, "\n") != 1 {
				t.Fatalf("stdout %q, stderr %q; want one line containing %q", out, errOut, c.want)
			}
		})
	}
}

// Input it does not recognise still gets a report, and exit 0.
func TestDecodeCommandUnknownInput(t *testing.T) {
	code, out, _ := runDecodeCmd(t, "\x00\x01\x02binary", false, nil)
	if code != ExitOK || !strings.Contains(out, "Unknown input") || !strings.Contains(out, "does not recognise") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
}

// Server text reaches the terminal sanitised, and a secret from the
// environment echoed in the input is masked.
func TestDecodeCommandSanitisesAndScrubs(t *testing.T) {
	key := "scl_live_0123456789abcdef0123456789abcdef"
	input := `{"message":"bad key ` + key + ` \u001b]52;c;aGk=\u0007 \u001b[2J","code":"E\u009b1m","request_id":"r\u001b[31m1"}`
	for _, args := range [][]string{nil, {"--json"}} {
		code, out, _ := runDecodeCmd(t, input, false, map[string]string{"SCALING_API_KEY": key}, args...)
		if code != ExitOK {
			t.Fatalf("exit %d", code)
		}
		if strings.ContainsAny(out, "\x1b\x07\u009b") || strings.Contains(out, key) {
			t.Fatalf("args %q: unsafe output:\n%q", args, out)
		}
		if !strings.Contains(out, "scl_live_") {
			t.Fatalf("args %q: the masked key should keep its public prefix:\n%s", args, out)
		}
	}
}

func TestDecodeCommandHelpTeaches(t *testing.T) {
	code, out, _ := runDecodeCmd(t, "", true, nil, "--help")
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"curl -si", "authscope decode response.txt", "--json | jq", "-provider", "Exit status"} {
		if !strings.Contains(out, want) {
			t.Errorf("help lacks %q:\n%s", want, out)
		}
	}
}

// TestDecodeCommandReadsEveryLineEnding: a raw response with LF, CRLF,
// CR-only or CR CR line ends (a terminal's paste) decodes alike, from
// stdin and from a file.
func TestDecodeCommandReadsEveryLineEnding(t *testing.T) {
	lf := "HTTP/1.1 401 Unauthorized\nContent-Type: application/json\nX-Request-Id: 9b1c0d7e-0000-4000-8000-000000000001\n\n" + scalingInvalidKey + "\n"
	inputs := map[string]string{
		"LF": lf, "CRLF": strings.ReplaceAll(lf, "\n", "\r\n"),
		"CR": strings.ReplaceAll(lf, "\n", "\r"), "CR CR": strings.ReplaceAll(lf, "\n", "\r\r"),
	}
	for name, input := range inputs {
		path := filepath.Join(t.TempDir(), "resp.http")
		if err := os.WriteFile(path, []byte(input), 0o600); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{nil, {path}} {
			code, out, errOut := runDecodeCmd(t, input, false, nil, args...)
			if code != ExitOK || errOut != "" {
				t.Fatalf("%s %q: exit %d, stderr %q", name, args, code, errOut)
			}
			for _, want := range []string{"401 Unauthorized", "invalid_api_key", "2 header(s)", "550e8400-e29b-41d4-a716-446655440000"} {
				if !strings.Contains(out, want) {
					t.Fatalf("%s %q: output lacks %q:\n%s", name, args, want, out)
				}
			}
		}
	}
}

package cli

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const doctorFixtures = "../doctor/testdata/"

// runDoctorCmd runs `authscope doctor args…` with stdin, as main does.
func runDoctorCmd(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	sys := IO{In: strings.NewReader(stdin), Out: &out, Err: &errOut, Getenv: func(string) string { return "" }}
	code = Main(context.Background(), sys, append([]string{"doctor"}, args...), nil)
	return code, out.String(), errOut.String()
}

const bearerTwice = `curl 'https://api.scaling.cloud/v1/incidents?limit=10' \
  -H 'Authorization: Bearer Bearer scl_live_9Qx7RkT2mWcY4bN8pLs1Vd6Hf3Jg0Aze'`

// --json is {"provider","environment","findings":[{"severity","title",
// "evidence","fix"}],…}, most likely cause first, with no secret.
func TestDoctorJSON(t *testing.T) {
	code, out, errOut := runDoctorCmd(t, bearerTwice, "--json")
	if code != ExitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	var rep struct {
		Provider    string `json:"provider"`
		Environment string `json:"environment"`
		Findings    []map[string]any
		RequestIDs  []string `json:"request_ids"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if rep.Provider != "scaling" || rep.Environment != "production" || len(rep.Findings) == 0 {
		t.Fatalf("got %+v", rep)
	}
	for _, k := range []string{"severity", "title", "evidence", "fix"} {
		if s, _ := rep.Findings[0][k].(string); s == "" {
			t.Errorf("findings[0] lacks %q: %v", k, rep.Findings[0])
		}
	}
	if rep.Findings[0]["check"] != "scheme-twice" {
		t.Errorf("most likely cause should come first: %v", rep.Findings[0])
	}
	noSecrets(t, "doctor --json", out, "9Qx7RkT2mWcY4bN8pLs1Vd6Hf3Jg0Aze")
}

// What cannot be read exits 2 with one line, never a stack trace.
func TestDoctorUnreadableInput(t *testing.T) {
	dir := t.TempDir()
	notHAR := filepath.Join(dir, "export.har")
	_ = os.WriteFile(notHAR, []byte("<html>not a har</html>"), 0o600)
	cases := []struct {
		name, stdin string
		args        []string
		want        string
	}{
		{"unbalanced quotes", "curl -H 'Authorization: Bearer x https://api.scaling.cloud", nil, "does not parse"},
		{"no URL", "curl -H 'Accept: */*' -X GET", nil, "no URL"},
		{"empty", "\r\n", nil, "empty"},
		{"HAR not JSON", "", []string{notHAR}, "not valid JSON"},
		{"no such file", "", []string{filepath.Join(dir, "missing.har")}, "cannot read"},
		{"a directory", "", []string{dir}, "is a directory"},
		{"unknown --as", "curl https://x", []string{"--as", "nonsense"}, "choose curl"},
		{"redact and replay", "curl https://x", []string{"--redact", "--replay"}, "one at a time"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := runDoctorCmd(t, c.stdin, c.args...)
			if code != ExitUsage || out != "" {
				t.Fatalf("exit %d, stdout %q", code, out)
			}
			oneLine(t, errOut, c.want)
		})
	}
}

// The text report is safe for a terminal whatever the paste holds.
func TestDoctorReportIsTerminalSafe(t *testing.T) {
	for _, f := range []string{"jwt-escapes.txt", "windows-cmd.txt", "session.har", "cr-only.txt"} {
		code, out, errOut := runDoctorCmd(t, "", doctorFixtures+f)
		if code != ExitOK {
			t.Fatalf("%s: exit %d %s", f, code, errOut)
		}
		terminalSafe(t, f, out)
	}
}

// --redact on a HAR writes a valid HAR with the same entries and no secret.
func TestDoctorRedactHAR(t *testing.T) {
	code, out, errOut := runDoctorCmd(t, "", doctorFixtures+"session.har", "--redact")
	if code != ExitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	var har struct {
		Log struct {
			Entries []json.RawMessage `json:"entries"`
		} `json:"log"`
	}
	if err := json.Unmarshal([]byte(out), &har); err != nil || len(har.Log.Entries) != 7 {
		t.Fatalf("redacted HAR: %v, %d entries", err, len(har.Log.Entries))
	}
	noSecrets(t, "redacted HAR", out, "sk_sec_Wq8sN3xZ7vB1mK5pR9tY2uE6aa", "qL2xV9mN4bT7", "c2lnbmF0dXJlLW5vdC1jaGVja2Vk")
}

// --replay re-sends on the sandbox: before fails as the customer's did,
// each fix alone turns it into a 200.
func TestDoctorReplayOnSandbox(t *testing.T) {
	cases := []struct{ name, paste, fix string }{
		{"Bearer twice", bearerTwice, "keep one scheme word"},
		{"curl -u without colon", "curl https://api.scale.com/v1/projects -u live_7f3a9c2e4b1d8f6a0c5e9b2d7a4f1c8e", "add the colon to curl -u"},
		{"Basic without colon", "GET /v1/projects HTTP/1.1\nHost: api.scale.com\nAuthorization: Basic bGl2ZV83ZjNhOWMyZTRiMWQ4ZjZhMGM1ZTliMmQ3YTRmMWM4ZQ==\n\n", "encode \"KEY:\" with the colon"},
		{"expired Scalekit token", mustRead(t, doctorFixtures+"jwt-expired.http"), "fetch a fresh token"},
		{"no header", "curl https://api.scaling.cloud/v1/incidents", "add the Authorization header"},
		{"newline in the key", mustRead(t, doctorFixtures+"key-newline.txt"), "trim the key"},
		{"JSON token request", mustRead(t, doctorFixtures+"token-json.txt"), "send the form-encoded body"},
		{"test key on a live project", mustRead(t, doctorFixtures+"test-key-404.curlv"), "use a live_ key"},
		{"stale token in a HAR", mustRead(t, doctorFixtures+"session.har"), "fetch a fresh token"},
		{"Bearer to Scale", mustRead(t, doctorFixtures+"wrong-scheme.txt"), "use the Basic scheme"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := runDoctorCmd(t, c.paste, "--replay", "--json")
			if code != ExitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			var got struct {
				Replay struct {
					Target string
					Before struct {
						Status int
						Error  string
					}
					Fixes []struct {
						Fix   string
						After struct{ Status int }
					}
				}
			}
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatal(err)
			}
			r := got.Replay
			if r.Target != "sandbox" || (r.Before.Status < 400 && r.Before.Error == "") {
				t.Fatalf("before should fail on the sandbox: %+v", r)
			}
			for _, f := range r.Fixes {
				if f.Fix == c.fix {
					if f.After.Status != 200 {
						t.Fatalf("after %q: %d, want 200 (%+v)", c.fix, f.After.Status, r)
					}
					return
				}
			}
			t.Fatalf("no %q fix replayed: %+v", c.fix, r)
		})
	}
}

// --real sends the customer's own request to its host: here a loopback
// server standing in for the API. It needs consent (--yes without a
// terminal), a live non-GET too.
func TestDoctorReplayReal(t *testing.T) {
	base := sandboxURL(t)
	paste := "curl " + base + "/scaling/v1/incidents -H 'Authorization: Bearer Bearer scl_live_0123456789abcdef0123456789abcdef'"
	code, out, errOut := runDoctorCmd(t, paste, "--replay", "--real", "--yes")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "Replay on the real") || !strings.Contains(out, "401 invalid_api_key") || !strings.Contains(out, "  200") {
		t.Fatalf("replay table:\n%s", out)
	}
	live := "curl -X POST https://api.scale.com/v1/projects -u live_7f3a9c2e4b1d8f6a0c5e9b2d7a4f1c8e -d '{}'"
	code, out, errOut = runDoctorCmd(t, live, "--replay", "--real")
	if code != ExitUsage || out != "" {
		t.Fatalf("a live non-GET went out without --yes: exit %d\n%s", code, out)
	}
	oneLine(t, errOut, "--yes")
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The unredacted input is never written anywhere: doctor runs as the
// real binary with its home, temp, cache and working directories pointing
// at an empty folder, reading the paste from stdin, and that folder must
// hold no file with a secret from the paste afterwards.
func TestDoctorWritesNothingToDisk(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "authscope")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	root := t.TempDir()
	env := append(os.Environ(), "HOME="+root, "TMPDIR="+root, "XDG_CACHE_HOME="+root, "XDG_CONFIG_HOME="+root)
	paste := mustRead(t, doctorFixtures+"session.har")
	for _, args := range [][]string{{"doctor"}, {"doctor", "--json"}, {"doctor", "--redact"}, {"doctor", "--replay"}} {
		cmd := exec.Command(bin, args...)
		cmd.Env, cmd.Dir, cmd.Stdin = env, root, strings.NewReader(paste)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	secrets := []string{"sk_sec_Wq8sN3xZ7vB1mK5pR9tY2uE6aa", "qL2xV9mN4bT7", "c2lnbmF0dXJlLW5vdC1jaGVja2Vk"}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, s := range secrets {
			if strings.Contains(string(b), s) {
				t.Errorf("%s holds a secret from the paste", path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// --redact refuses through the command too: exit 2, one line saying
// where, and nothing on standard output — for a known secret that
// survives (the leak check) and for what only the safety net sees.
func TestDoctorRedactRefusalWritesNothing(t *testing.T) {
	var cookies []string
	for i := 0; i < 70; i++ {
		cookies = append(cookies, fmt.Sprintf("c%d=CookieValueNumber%05d", i, i))
	}
	survivor := "GET /v1/incidents HTTP/1.1\r\nHost: api.scaling.cloud\r\nCookie: " + strings.Join(cookies, "; ") +
		"\r\nX-Echo: " + base64.StdEncoding.EncodeToString([]byte("CookieValueNumber00007")) + "\r\n\r\n"
	cases := []struct{ name, paste, want string }{
		{"known secret in Base64", survivor, "would survive redaction"},
		{"only the net sees it", "curl https://api.scaling.cloud/v1/x -H 'X-Upstream: Basic dXNlcjpodW50ZXIy'", "a Basic credential at line 1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := runDoctorCmd(t, c.paste, "--redact")
			if code != ExitUsage || out != "" {
				t.Fatalf("exit %d, wrote %d bytes:\n%s", code, len(out), out)
			}
			oneLine(t, errOut, c.want)
			if !strings.Contains(errOut, "nothing was written") {
				t.Fatalf("stderr: %s", errOut)
			}
		})
	}
}

package cli

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/authscope/authscope/internal/hostile"
)

// Each hostile server, against the real request command: the right exit
// code, a clean one-line error or a decoded 401, output that holds no
// terminal control and stays bounded.
func TestHostileServers(t *testing.T) {
	cases := []struct {
		mode    hostile.Mode
		timeout string
		code    int
		want    string // on stderr for exit 3, on stdout otherwise
	}{
		{hostile.GiantBody, "20s", ExitOK, "truncated"},
		{hostile.EndlessBody, "1s", ExitNoAnswer, "timeout"},
		{hostile.Silent, "500ms", ExitNoAnswer, "timeout"},
		{hostile.SlowHeaders, "20s", ExitHTTPError, "invalid_api_key"},
		{hostile.InvalidUTF8, "5s", ExitHTTPError, "invalid_api_key"},
		{hostile.DeepJSON, "5s", ExitHTTPError, "Decoded error"},
		{hostile.BigError, "20s", ExitHTTPError, hostile.RequestID},
	}
	env := map[string]string{"SCALING_API_KEY": scalingKey}
	for _, c := range cases {
		t.Run(string(c.mode), func(t *testing.T) {
			srv, err := hostile.Start(c.mode)
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			code, out, errOut := runCmd(t, env, "request", "--provider", "scaling", "--base-url", srv.URL, "--path", "/v1/incidents", "--timeout", c.timeout)
			runtime.ReadMemStats(&after)

			if code != c.code {
				t.Fatalf("exit %d, want %d; stderr %q", code, c.code, errOut)
			}
			if c.code == ExitNoAnswer {
				oneLine(t, errOut, c.want)
			} else if !strings.Contains(out, c.want) {
				t.Fatalf("stdout lacks %q (%d bytes)", c.want, len(out))
			}
			for name, s := range map[string]string{"stdout": out, "stderr": errOut} {
				assertNoControls(t, name, s)
				if !utf8.ValidString(s) {
					t.Errorf("%s is not valid UTF-8", name)
				}
			}
			// The body cap is 10 MiB: whatever the server sends, output and
			// allocation stay within a small multiple of it.
			if len(out) > 24<<20 {
				t.Errorf("stdout is %d MiB", len(out)>>20)
			}
			t.Logf("%s: exit %d, stdout %d KiB, allocated %d MiB", c.mode, code, len(out)>>10, (after.TotalAlloc-before.TotalAlloc)>>20)
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 512<<20 {
				t.Errorf("allocated %d MiB for one request", alloc>>20)
			}
		})
	}
}

// decode on the hostile bodies themselves: recognised or reported as
// unknown, never a crash, never a control character.
func TestDecodeHostileBodies(t *testing.T) {
	dir := t.TempDir()
	bodies := map[string]string{
		"deep.json":    strings.Repeat(`{"a":`, 100_000) + "1" + strings.Repeat("}", 100_000),
		"deep-arrays":  strings.Repeat("[", 9000) + strings.Repeat("]", 9000),
		"invalid.json": `{"statusCode":401,"type":"not_authorized_error","code":"invalid_api_key","message":"` + "\xff\xfe" + hostile.Escapes + `"}`,
		"big.json":     `{"statusCode":401,"type":"not_authorized_error","code":"invalid_api_key","message":"` + strings.Repeat("x", 10<<20) + `","requestId":"` + hostile.RequestID + `"}`,
	}
	for name, body := range bodies {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		code, out, errOut := runCmd(t, nil, "decode", path)
		if code != ExitOK {
			t.Errorf("%s: exit %d (%s)", name, code, errOut)
		}
		assertNoControls(t, name, out+errOut)
		if len(out) > 64<<10 {
			t.Errorf("%s: a %d KiB report", name, len(out)>>10)
		}
	}
}

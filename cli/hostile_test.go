package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/authscope/authscope/internal/hostile"
)

// terminalSafe fails when s could drive a terminal: ESC (so no CSI, OSC,
// DCS or bare ESC), BEL, C1 controls (U+0080–U+009F, the 8-bit forms of
// the same sequences), carriage return, or bytes that are not UTF-8.
func terminalSafe(t *testing.T, where, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Errorf("%s: invalid UTF-8 reached the terminal", where)
	}
	for i, r := range s {
		if r == 0x1b || r == 0x07 || r == '\r' || (r >= 0x80 && r <= 0x9f) {
			t.Errorf("%s: control %U at byte %d: %q", where, r, i, s[max(0, i-40):min(len(s), i+40)])
			return
		}
	}
}

// hostileRun is one `authscope request` against one hostile server.
type hostileRun struct {
	name  string
	mode  hostile.Mode
	flags []string // beyond --provider, --key, --base-url and --path
	code  int
	out   []string // stdout holds each
	err   string   // for exit 3: the one stderr line names it
	max   int      // bytes of stdout+stderr allowed
}

// The body cap is 10 MiB, and a body under it is printed whole (see the
// report on BigError): output stays within the cap plus the report.
const capped = 10<<20 + 64<<10

func TestRequestAgainstHostileServers(t *testing.T) {
	runs := []hostileRun{
		{"silent", hostile.Silent, []string{"--timeout", "300ms"}, ExitNoAnswer, nil, "no answer (timeout): timed out waiting for the response", 4 << 10},
		{"endless body, timed out", hostile.EndlessBody, []string{"--timeout", "1s"}, ExitNoAnswer, nil, "no answer (timeout): timed out reading the body", 4 << 10},
		{"endless body, capped", hostile.EndlessBody, []string{"--timeout", "30s", "--max-body", "64KiB"}, ExitOK, []string{"200 OK", "(truncated at 64 KiB)"}, "", 128 << 10},
		{"giant body", hostile.GiantBody, []string{"--timeout", "30s"}, ExitOK, []string{"200 OK", "Content-Length: 1073741824", "(truncated at 10 MiB)"}, "", capped},
		{"giant body, 1 MiB cap", hostile.GiantBody, []string{"--timeout", "30s", "--max-body", "1MiB"}, ExitOK, []string{"(truncated at 1 MiB)"}, "", 2 << 20},
		{"slow headers, timed out", hostile.SlowHeaders, []string{"--timeout", "100ms"}, ExitNoAnswer, nil, "no answer (timeout): timed out", 4 << 10},
		{"slow headers", hostile.SlowHeaders, []string{"--timeout", "30s"}, ExitHTTPError, []string{"Decoded error", "invalid_api_key", hostile.RequestID}, "", 16 << 10},
		{"invalid UTF-8", hostile.InvalidUTF8, []string{"--timeout", "5s"}, ExitHTTPError, []string{"Decoded error", "invalid_api_key", "bad key \uFFFD"}, "", 16 << 10},
		{"raw escapes", hostile.RawEscapes, []string{"--timeout", "5s"}, ExitHTTPError, []string{"401 Unauthorized", "denied"}, "", 16 << 10},
		{"deep JSON", hostile.DeepJSON, []string{"--timeout", "10s"}, ExitHTTPError, []string{"Decoded error", hostile.RequestID}, "", 1 << 20},
		{"big error", hostile.BigError, []string{"--timeout", "30s"}, ExitHTTPError, []string{"Decoded error", "invalid_api_key", hostile.RequestID}, "", capped},
		{"big error, 1 MiB cap", hostile.BigError, []string{"--timeout", "30s", "--max-body", "1MiB"}, ExitHTTPError, []string{"(truncated at 1 MiB)", hostile.RequestID}, "", 2 << 20},
		{"invalid UTF-8 as JSON", hostile.InvalidUTF8, []string{"--timeout", "5s", "--json"}, ExitHTTPError, []string{`"invalid_api_key"`}, "", 32 << 10},
		{"big error as JSON", hostile.BigError, []string{"--timeout", "30s", "--json"}, ExitHTTPError, []string{`"invalid_api_key"`}, "", 2 * capped},
	}
	// Build the shared big bodies now, so that the server's one-time
	// 10 MB does not count against the command's allocations below.
	_, _ = hostile.BigErrorBody(), hostile.DeepJSONBody()
	for _, r := range runs {
		t.Run(r.name, func(t *testing.T) {
			url := hostileURL(t, r.mode)
			args := append([]string{"request", "--provider", "scaling", "--key", scalingKey, "--base-url", url, "--path", "/v1/incidents"}, r.flags...)
			asJSON := slices.Contains(r.flags, "--json")
			code, stdout, stderr, alloc := runMeasured(t, asJSON, args...)
			out, errOut := stdout.String(), stderr.String()
			t.Logf("exit %d, stdout %d B, stderr %d B, allocated %d MiB", code, stdout.n, stderr.n, alloc>>20)

			if code != r.code {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, r.code, errOut)
			}
			if r.err != "" {
				oneLine(t, errOut, r.err)
			}
			for _, want := range r.out {
				if !strings.Contains(out, want) {
					t.Errorf("stdout lacks %q; its start:\n%s", want, out[:min(len(out), 2000)])
				}
			}
			for name, sc := range map[string]*screen{"stdout": stdout, "stderr": stderr} {
				if sc.bad != "" {
					t.Errorf("%s: %s", name, sc.bad)
				}
				if strings.Contains(sc.String(), "\x1b]52") {
					t.Errorf("%s: an OSC 52 clipboard write", name)
				}
			}
			if n := stdout.n + stderr.n; n > r.max {
				t.Errorf("%d bytes of output, want at most %d", n, r.max)
			}
			if asJSON && !json.Valid([]byte(out)) {
				t.Errorf("--json output does not parse")
			}
			noSecrets(t, "output", out+errOut, scalingKey)
			// A memory bound, not a timing: whatever the server sends,
			// one request allocates a bounded multiple of the 10 MiB cap
			// (reading GiantBody's 1 GiB would blow it 5×). See the report
			// for why a 10 MB error costs this much.
			if alloc > 200<<20 && !asJSON || alloc > 400<<20 {
				t.Errorf("allocated %d MiB for one request", alloc>>20)
			}
		})
	}
}

// runMeasured runs a command as main would, its output going to screens
// rather than growing buffers, and reports the bytes the Go heap
// allocated meanwhile: the command's own, as when stdout is a terminal.
// With keepAll the screens also keep everything (for --json parsing).
func runMeasured(t *testing.T, keepAll bool, args ...string) (code int, stdout, stderr *screen, alloc uint64) {
	t.Helper()
	stdout, stderr = &screen{keepAll: keepAll}, &screen{keepAll: keepAll}
	sys := IO{In: strings.NewReader(""), Out: stdout, Err: stderr, Getenv: func(string) string { return "" }}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	code = Main(context.Background(), sys, args, nil)
	runtime.ReadMemStats(&after)
	return code, stdout, stderr, after.TotalAlloc - before.TotalAlloc
}

// hostileURL serves one hostile mode for the test's lifetime.
func hostileURL(t *testing.T, mode hostile.Mode) string {
	t.Helper()
	url, stop, err := hostile.Serve(mode)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return url
}

// GiantBody's 1 GiB never enters memory: reading stops at the cap, and
// what the whole command allocates follows the cap.
func TestGiantBodyStopsAtTheCap(t *testing.T) {
	url := hostileURL(t, hostile.GiantBody)
	code, out, errOut, alloc := runMeasured(t, false, "request", "--provider", "scaling", "--key", scalingKey, "--base-url", url, "--path", "/v1/incidents", "--timeout", "30s")
	if code != ExitOK || !strings.Contains(out.String(), "(truncated at 10 MiB)") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	t.Logf("allocated %d MiB for the 10 MiB cap against a 1 GiB body", alloc>>20)
	// About 60 MiB: the read's growth, the raw response, the printed
	// copy. Reading the 1 GiB, or all of it before cutting, is 1 GiB+.
	if alloc > 96<<20 {
		t.Fatalf("allocated %d MiB: the body was not cut at the cap", alloc>>20)
	}
	// And it scales with the cap, not with what the server offers.
	code, out, _, alloc = runMeasured(t, false, "request", "--provider", "scaling", "--key", scalingKey, "--base-url", url, "--path", "/v1/incidents", "--timeout", "30s", "--max-body", "1MiB")
	t.Logf("allocated %d MiB for a 1 MiB cap", alloc>>20)
	if code != ExitOK || !strings.Contains(out.String(), "(truncated at 1 MiB)") || alloc > 16<<20 {
		t.Fatalf("1 MiB cap: exit %d, allocated %d MiB", code, alloc>>20)
	}
}

// rawAnswer fetches what a hostile server sends, status line included,
// the way `curl -si` would save it for `authscope decode`.
func rawAnswer(t *testing.T, mode hostile.Mode) []byte {
	t.Helper()
	url, stop, err := hostile.Serve(mode)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	c, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(30 * time.Second)) // a bound against a hang, not a timing
	if _, err := io.WriteString(c, "GET /v1/incidents HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(io.LimitReader(bufio.NewReader(c), 11<<20))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// decode reads the same hostile answers from a file: a report, bounded,
// with no control in it, and the error recognised where it is one.
func TestDecodeHostileAnswers(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		mode hostile.Mode
		want []string
	}{
		{hostile.SlowHeaders, []string{"invalid_api_key", hostile.RequestID}},
		{hostile.InvalidUTF8, []string{"invalid_api_key", "bad key \uFFFD"}},
		{hostile.RawEscapes, []string{"401"}},
		{hostile.DeepJSON, []string{"401", hostile.RequestID}},
		{hostile.BigError, []string{"invalid_api_key", hostile.RequestID}},
	}
	for _, c := range cases {
		raw := rawAnswer(t, c.mode)
		for _, form := range []struct{ name, text string }{{"response", string(raw)}, {"body", bodyOf(string(raw))}} {
			path := filepath.Join(dir, string(c.mode)+"."+form.name)
			if err := os.WriteFile(path, []byte(form.text), 0o600); err != nil {
				t.Fatal(err)
			}
			for _, asJSON := range []bool{false, true} {
				args := []string{"decode", path}
				if asJSON {
					args = append(args, "--json")
				}
				name := strings.Join(args[2:], " ") + " " + string(c.mode) + " " + form.name
				code, out, errOut := runCmd(t, nil, args...)
				if code != ExitOK {
					t.Errorf("%s: exit %d (%s)", name, code, errOut)
				}
				terminalSafe(t, name, out+errOut)
				if len(out) > 64<<10 {
					t.Errorf("%s: a %d KiB report", name, len(out)>>10)
				}
				if asJSON && !json.Valid([]byte(out)) {
					t.Errorf("%s: output does not parse", name)
				}
				for _, w := range c.want {
					if form.name == "body" && (w == "401" || (w == hostile.RequestID && c.mode != hostile.BigError && c.mode != hostile.SlowHeaders)) {
						continue // a bare body has no status line or headers
					}
					if !strings.Contains(out, w) {
						t.Errorf("%s: report lacks %q:\n%s", name, w, out[:min(len(out), 3000)])
					}
				}
			}
		}
	}
}

func bodyOf(raw string) string {
	_, body, _ := strings.Cut(raw, "\r\n\r\n")
	return body
}

// screenKeep is how much of the start and of the end a screen keeps.
const screenKeep = 64 << 10

// screen stands for a terminal: it checks every write as it streams past
// (no ESC, BEL, CR or C1 control, valid UTF-8) and keeps only the first
// and last 64 KiB, so that a 10 MiB answer is not copied into the
// allocations being measured. Each write is checked on its own: the
// printer writes whole lines and whole reports, never half a rune.
type screen struct {
	n       int
	head    []byte
	tail    []byte
	all     bytes.Buffer
	keepAll bool
	bad     string // the first problem seen
}

func (s *screen) Write(p []byte) (int, error) {
	if s.bad == "" {
		s.bad = unsafeFor(p, s.n)
	}
	s.n += len(p)
	if s.keepAll {
		s.all.Write(p)
	}
	if room := screenKeep - len(s.head); room > 0 {
		s.head = append(s.head, p[:min(room, len(p))]...)
	}
	if len(p) >= screenKeep {
		s.tail = append(s.tail[:0], p[len(p)-screenKeep:]...)
	} else {
		s.tail = append(s.tail, p...)
		if over := len(s.tail) - screenKeep; over > 0 {
			s.tail = append(s.tail[:0], s.tail[over:]...)
		}
	}
	return len(p), nil
}

// String is everything when kept, else the head and tail.
func (s *screen) String() string {
	if s.keepAll {
		return s.all.String()
	}
	if s.n <= screenKeep {
		return string(s.head)
	}
	return string(s.head) + "\n[…]\n" + string(s.tail)
}

// unsafeFor names the first byte of p a terminal would act on.
func unsafeFor(p []byte, offset int) string {
	for i := 0; i < len(p); {
		r, size := utf8.DecodeRune(p[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return fmt.Sprintf("invalid UTF-8 at byte %d: %q", offset+i, around(p, i))
		case r == 0x1b || r == 0x07 || r == '\r' || (r >= 0x80 && r <= 0x9f):
			return fmt.Sprintf("control %U at byte %d: %q", r, offset+i, around(p, i))
		}
		i += size
	}
	return ""
}

func around(p []byte, i int) []byte { return p[max(0, i-40):min(len(p), i+40)] }

package decode

import (
	"net/http"
	"net/http/httputil"
	"strings"
	"testing"

	"github.com/authscope/authscope/internal/sandboxtest"
)

// withLineEnds rewrites CRLF text with other line ends: LF, CR only (a
// terminal's paste of LF text), and CR CR (a terminal's paste of CRLF
// text, what tmux's paste-buffer gives).
func withLineEnds(crlf string) map[string]string {
	lf := strings.ReplaceAll(crlf, "\r\n", "\n")
	return map[string]string{
		"CRLF":  crlf,
		"LF":    lf,
		"CR":    strings.ReplaceAll(lf, "\n", "\r"),
		"CR CR": strings.ReplaceAll(crlf, "\n", "\r"),
	}
}

// TestDecodeReadsEveryLineEnding: a real 401 from the sandbox, dumped as
// raw HTTP, decodes the same with LF, CRLF, CR-only and CR CR line ends.
func TestDecodeReadsEveryLineEnding(t *testing.T) {
	url := sandboxtest.Start(t)
	req, _ := http.NewRequest("GET", url+"/scaling/v1/incidents", nil)
	req.Header.Set("Authorization", "Bearer scl_live_ffffffffffffffffffffffffffffffff")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := httputil.DumpResponse(resp, true)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	want := Bytes(raw, "")
	if want.Status != 401 || want.Code != "invalid_api_key" || want.RequestID == "" {
		t.Fatalf("the CRLF original did not decode: %+v", want)
	}
	for name, input := range withLineEnds(string(raw)) {
		t.Run(name, func(t *testing.T) {
			d := Bytes([]byte(input), "")
			if d.Status != want.Status || d.Code != want.Code || d.RequestID != want.RequestID || d.Provider != want.Provider || d.Meaning != want.Meaning {
				t.Fatalf("%s decoded as %d %q id %q provider %q; want %d %q id %q provider %q\nnotes: %q",
					name, d.Status, d.Code, d.RequestID, d.Provider, want.Status, want.Code, want.RequestID, want.Provider, d.Notes)
			}
			if !strings.Contains(strings.Join(d.Notes, "|"), "header(s)") || strings.Contains(strings.Join(d.Notes, "|"), " 0 header(s)") {
				t.Fatalf("headers not read: %q", d.Notes)
			}
		})
	}
}

// TestCROnlyKeepsCRLFMeaning: a CR inside CRLF text is not a line end.
func TestCROnlyKeepsCRLFMeaning(t *testing.T) {
	r, ok := ParseRawResponse([]byte("HTTP/1.1 401 Unauthorized\r\nX-Note: a\rb\r\n\r\n{}"))
	if !ok || r.Header.Get("X-Note") != "a\rb" || string(r.Body) != "{}" {
		t.Fatalf("%+v", r)
	}
}

package doctor

import (
	"os"
	"strings"
	"testing"
)

// curl command lines as people paste them: multi-line with \ , Windows
// cmd ^ continuations and ^" quoting, $'…' quoting, combined short
// options, --data-urlencode, -b, --url, -G.
func TestCurlAsPasted(t *testing.T) {
	cases := []struct {
		name, paste   string
		method, url   string
		header, value string // one header to find
		body, user    string
		userNoColon   bool
	}{
		{name: "bash multi-line", paste: "curl -X POST \\\n  'https://api.scale.com/v1/projects' \\\n  -H 'Content-Type: application/json' \\\n  -d '{\"name\":\"x\"}' \\\n  -u live_ScaleRocks:",
			method: "POST", url: "https://api.scale.com/v1/projects", header: "Content-Type", value: "application/json", body: `{"name":"x"}`, user: "live_ScaleRocks:"},
		{name: "windows cmd", paste: "curl ^\"https://api.scaling.cloud/v1/incidents?limit=10^\" ^\r\n  -H ^\"authorization: Bearer scl_x^\" ^\r\n  -H ^\"x-note: 100^%^\" ^\r\n  --compressed",
			method: "GET", url: "https://api.scaling.cloud/v1/incidents?limit=10", header: "authorization", value: "Bearer scl_x"},
		{name: "dollar quote", paste: "curl $'https://api.scaling.cloud/v1/incidents' -H $'Authorization: Bearer scl_live_\\x41BC\\n'",
			method: "GET", url: "https://api.scaling.cloud/v1/incidents", header: "Authorization", value: "Bearer scl_live_ABC\n"},
		{name: "combined short options", paste: "curl -sSLXPOST -HAccept:json https://x.example/oauth/token -uskc_1:sec",
			method: "POST", url: "https://x.example/oauth/token", header: "Accept", value: "json", user: "skc_1:sec"},
		{name: "data-urlencode and -G", paste: "curl -G --data-urlencode 'q=a b&c' --url https://x.example/search",
			method: "GET", url: "https://x.example/search?q=a+b%26c"},
		{name: "form data makes a POST", paste: "curl https://acme.scalekit.dev/oauth/token -d grant_type=client_credentials --data-raw 'client_secret=a@b'",
			method: "POST", url: "https://acme.scalekit.dev/oauth/token", header: "Content-Type", value: "application/x-www-form-urlencoded", body: "grant_type=client_credentials&client_secret=a@b"},
		{name: "cookie and user without colon", paste: "curl -b 'sid=abc; x=1' -u live_ScaleRocks https://api.scale.com/v1/projects",
			method: "GET", url: "https://api.scale.com/v1/projects", header: "Cookie", value: "sid=abc; x=1", user: "live_ScaleRocks", userNoColon: true},
		{name: "prompt, pipe and double quotes", paste: "$ curl -s \"https://api.scaling.cloud/v1/incidents\" -H \"Authorization: Bearer a\\\"b\" | jq .",
			method: "GET", url: "https://api.scaling.cloud/v1/incidents", header: "Authorization", value: `Bearer a"b`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, _, err := parseCurl(c.paste)
			if err != nil {
				t.Fatal(err)
			}
			if r.Method != c.method || r.URL != c.url {
				t.Errorf("got %s %s, want %s %s", r.Method, r.URL, c.method, c.url)
			}
			if c.header != "" {
				if v, _ := r.Get(c.header); v != c.value {
					t.Errorf("%s = %q, want %q", c.header, v, c.value)
				}
			}
			if r.Body != c.body || r.User != c.user || r.UserNoColon != c.userNoColon {
				t.Errorf("body %q user %q nocolon %v; want %q %q %v", r.Body, r.User, r.UserNoColon, c.body, c.user, c.userNoColon)
			}
		})
	}
}

// What cannot be read is one line, an *InputError, never a panic.
func TestBadInputIsOneLine(t *testing.T) {
	cases := map[string]struct{ input, name, want string }{
		"unbalanced quote":        {"curl -H 'Authorization: Bearer x https://api.scaling.cloud", "", "does not parse"},
		"no URL":                  {"curl -H 'Authorization: Bearer x'", "", "no URL"},
		"option without a value":  {"curl https://x.example -H", "", "has no value"},
		"empty":                   {"  \n\r\n", "", "empty"},
		"HAR not JSON":            {"this is not json", "x.har", "not valid JSON"},
		"HAR not HAR":             {`{"hello":"world"}`, "x.har", "not a HAR"},
		"HAR truncated":           {`{"log":{"entries":[{"request":{"method":"GET"`, "", "ends early"},
		"HAR entries not array":   {`{"log":{"entries":{}}}`, "", "not an array"},
		"raw request no host":     {"GET /v1/projects HTTP/1.1\nAccept: */*\n\n", "", "no Host"},
		"curl -v without request": {"* Trying 1.2.3.4...\n> \n< HTTP/1.1 200 OK\n", "", ""},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := ExamineText(c.input, Options{Name: c.name, Now: fixedNow})
			if c.want == "" {
				return // must not panic; a report or an error are both fine
			}
			ie, ok := err.(*InputError)
			if !ok {
				t.Fatalf("err = %v (%T), want an *InputError", err, err)
			}
			if !strings.Contains(ie.Msg, c.want) || strings.Contains(ie.Msg, "\n") {
				t.Errorf("message %q: want one line containing %q", ie.Msg, c.want)
			}
		})
	}
}

// CR line ends (Windows CRLF, old Mac CR) read like LF.
func TestCRLineEnds(t *testing.T) {
	rep := examineFixture(t, "cr-only.txt")
	r := rep.Exchanges[0].Request
	if r.URL != "https://api.scale.com/v1/projects" || r.User != "live_7f3a9c2e4b1d8f6a0c5e9b2d7a4f1c8e:" {
		t.Fatalf("CR-only paste read as %s user %q", r.URL, r.User)
	}
	raw, _ := os.ReadFile("testdata/basic-no-colon.http")
	crlf := strings.ReplaceAll(string(raw), "\n", "\r\n")
	rep, err := ExamineText(crlf, Options{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := has(rep, "basic-no-colon"); !ok || rep.Exchanges[0].Response == nil || rep.Exchanges[0].Response.Status != 401 {
		t.Fatalf("CRLF raw exchange not read: %v", checks(rep))
	}
}

// Bytes that could drive a terminal never reach a finding: a JWT whose
// claims carry OSC 52 and CSI escapes is shown without them.
func TestJWTWithEscapesIsSanitised(t *testing.T) {
	rep := examineFixture(t, "jwt-escapes.txt")
	f, ok := has(rep, "jwt-xray")
	if !ok {
		t.Fatalf("no X-ray: %v", checks(rep))
	}
	for _, fd := range rep.Findings {
		if strings.ContainsAny(fd.Title+fd.Evidence+fd.Fix, "\x1b\x07\x9b") {
			t.Errorf("%s carries a control character: %q", fd.Check, fd.Evidence)
		}
	}
	if !strings.Contains(f.Evidence, `"quoted"`) {
		t.Errorf("the claim's text should survive, minus escapes: %q", f.Evidence)
	}
}

// HAR bodies in base64 and binary bodies decode or are reported, never crash.
func TestHARBase64AndBinaryBodies(t *testing.T) {
	har := `{"log":{"version":"1.2","entries":[
 {"startedDateTime":"2026-11-30T10:00:00Z","time":5,"request":{"method":"GET","url":"https://api.scaling.cloud/v1/incidents","headers":[]},
  "response":{"status":401,"headers":[{"name":"x-request-id","value":"r-1"}],"content":{"mimeType":"application/json","encoding":"base64",
  "text":"eyJzdGF0dXNDb2RlIjo0MDEsInR5cGUiOiJub3RfYXV0aG9yaXplZF9lcnJvciIsImNvZGUiOiJtaXNzaW5nX2F1dGhvcml6YXRpb25faGVhZGVyIiwicmVxdWVzdElkIjoici0xIn0="}}},
 {"startedDateTime":"2026-11-30T10:00:01Z","time":5,"request":{"method":"GET","url":"https://api.scaling.cloud/v1/x","headers":[]},
  "response":{"status":500,"headers":[],"content":{"mimeType":"application/octet-stream","encoding":"base64","text":"AAECA/8b/v8AAAAbWzJK"}}}]}}`
	rep, err := ExamineText(har, Options{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range rep.Findings {
		if f.Check == "response" && strings.Contains(f.Title, "missing_authorization_header") {
			found = true
		}
		if strings.ContainsAny(f.Title+f.Evidence+f.Fix, "\x1b\x00") {
			t.Errorf("binary body leaked control bytes into %s", f.Check)
		}
	}
	if !found {
		t.Errorf("the base64 body was not decoded: %v", rep.Findings)
	}
}

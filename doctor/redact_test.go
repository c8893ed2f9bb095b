package doctor

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authscope/authscope/authschemes"
)

// secretForms are the ways a secret could survive: as is, URL-encoded,
// JSON-escaped, Base64 and Base64url.
func secretForms(s string) []string {
	j, _ := json.Marshal(s)
	return []string{s, url.QueryEscape(s), string(j[1 : len(j)-1]),
		base64.StdEncoding.EncodeToString([]byte(s)), base64.RawURLEncoding.EncodeToString([]byte(s))}
}

// Every fixture redacts to the same format, holding no secret in any form,
// and reads back as the same requests.
func TestRedactRoundTrips(t *testing.T) {
	files := fixtureFiles(t)
	for _, file := range files {
		name := filepath.Base(file)
		if strings.HasPrefix(name, "not-") {
			continue
		}
		t.Run(name, func(t *testing.T) {
			in, _ := os.ReadFile(file)
			orig, err := Examine(bytes.NewReader(in), Options{Name: name, Now: fixedNow})
			if err != nil {
				t.Fatal(err)
			}
			out, err := Redact(in, Options{Name: name})
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range orig.Secrets {
				if len(s) < minGlobalSecret {
					continue
				}
				for _, f := range secretForms(s) {
					if bytes.Contains(out, []byte(f)) {
						t.Errorf("a secret survived (%s…)", maskKey(s))
					}
				}
				if looksLikeJWT(s) && bytes.Contains(out, []byte(s[strings.LastIndexByte(s, '.'):])) {
					t.Errorf("a JWT signature survived")
				}
			}
			again, err := Examine(bytes.NewReader(out), Options{Name: name, Now: fixedNow})
			if err != nil {
				t.Fatalf("the redacted copy no longer reads: %v", err)
			}
			if again.Input != orig.Input || len(again.Exchanges) != len(orig.Exchanges) {
				t.Fatalf("redacted copy read as %s with %d requests, want %s with %d", again.Input, len(again.Exchanges), orig.Input, len(orig.Exchanges))
			}
			for i := range orig.Exchanges {
				a, b := orig.Exchanges[i].Request, again.Exchanges[i].Request
				if a.Method != b.Method || len(a.Headers) != len(b.Headers) || !sameExceptSecrets(a.URL, b.URL) {
					t.Errorf("entry %d changed: %s %s → %s %s", i+1, a.Method, a.URL, b.Method, b.URL)
				}
			}
			if strings.Contains(string(in), "\r\n") && !strings.Contains(string(out), "\r\n") {
				t.Errorf("CRLF line ends were not kept")
			}
		})
	}
}

func sameExceptSecrets(a, b string) bool {
	ua, _ := url.Parse(a)
	ub, _ := url.Parse(b)
	return ua != nil && ub != nil && ua.Host == ub.Host && ua.Path == ub.Path
}

// A HAR stays a valid HAR with the same entries; only secret-bearing
// values change; JWTs keep header and claims and lose their signature.
func TestRedactHARInPlace(t *testing.T) {
	in, _ := os.ReadFile("testdata/session.har")
	out, err := Redact(in, Options{Name: "session.har"})
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(out) {
		t.Fatal("the redacted HAR is not valid JSON")
	}
	var a, b any
	_ = json.Unmarshal(in, &a)
	_ = json.Unmarshal(out, &b)
	changed := 0
	walkPair(t, "", a, b, &changed)
	if changed == 0 {
		t.Fatal("nothing was redacted")
	}
	rep, _ := Examine(bytes.NewReader(out), Options{Name: "x.har", Now: fixedNow})
	tok := bearerOf(&rep.Exchanges[2].Request)
	orig, _ := Examine(bytes.NewReader(in), Options{Name: "x.har", Now: fixedNow})
	origTok := bearerOf(&orig.Exchanges[2].Request)
	j, err := authschemes.DecodeJWT(tok)
	if err != nil {
		t.Fatalf("the redacted JWT no longer decodes: %v", err)
	}
	if c, _ := j.Claim("jti"); c.Value != "tkn_first" || !strings.HasSuffix(tok, "."+Redacted) {
		t.Errorf("JWT claims or signature handling wrong: jti %q", c.Value)
	}
	if strings.SplitN(tok, ".", 3)[1] != strings.SplitN(origTok, ".", 3)[1] {
		t.Errorf("the claims changed")
	}
	// The story still reads the same from the redacted copy.
	if _, ok := has(rep, "stale-token"); !ok {
		t.Errorf("the redacted HAR lost the stale-token finding: %v", checks(rep))
	}
}

// walkPair compares two decoded JSON trees: same shape, same keys, and
// only strings that carried a secret differ.
func walkPair(t *testing.T, path string, a, b any, changed *int) {
	t.Helper()
	switch av := a.(type) {
	case map[string]any:
		bv, ok := b.(map[string]any)
		if !ok || len(av) != len(bv) {
			t.Fatalf("%s: object changed shape", path)
		}
		for k := range av {
			walkPair(t, path+"."+k, av[k], bv[k], changed)
		}
	case []any:
		bv, ok := b.([]any)
		if !ok || len(av) != len(bv) {
			t.Fatalf("%s: array changed length", path)
		}
		for i := range av {
			walkPair(t, path+"[]", av[i], bv[i], changed)
		}
	case string:
		if av != b.(string) {
			*changed++
			if !strings.Contains(b.(string), Redacted) && !strings.Contains(b.(string), "••••") {
				t.Errorf("%s changed without a redaction mark: %q", path, b)
			}
		}
	default:
		if a != b {
			t.Errorf("%s: a non-string value changed", path)
		}
	}
}

// Basic credentials are decoded, masked and re-encoded: still Basic,
// still decodable, the key's prefix and last four kept, the colon kept
// as it was.
func TestRedactBasic(t *testing.T) {
	in, _ := os.ReadFile("testdata/basic-no-colon.http")
	out, err := Redact(in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	rep, _ := ExamineText(string(out), Options{Now: fixedNow})
	c, _ := readCredential(&rep.Exchanges[0].Request)
	if !c.basicOK || c.user != "live_••••••••1c8e" || c.hasColon {
		t.Errorf("Basic redacted to user %q colon %v", c.user, c.hasColon)
	}
	out, _ = Redact([]byte("curl -u live_7f3a9c2e4b1d8f6a0c5e9b2d7a4f1c8e:hunter2hunter2 https://api.scale.com/v1/projects"), Options{})
	if got := string(out); got != "curl -u live_••••••••1c8e:REDACTED https://api.scale.com/v1/projects" {
		t.Errorf("curl -u redacted to %q", got)
	}
}

// A secret that also stands in the paste in another spelling (here its
// Base64 in a form field) is masked there too, by the same model.Scrub
// every output uses: the copy holds no form of it.
func TestRedactMasksEveryFormOfASecret(t *testing.T) {
	tok := "opaque-token-0123456789"
	paste := "curl https://api.example.com/x -H 'X-Api-Key: " + tok + "' -d note=" + base64.StdEncoding.EncodeToString([]byte(tok))
	out, err := Redact([]byte(paste), Options{})
	if err != nil {
		t.Fatalf("refused: %v", err)
	}
	for _, form := range secretForms(tok) {
		if strings.Contains(string(out), form) {
			t.Errorf("the copy still holds %q: %s", form, out)
		}
	}
	if !strings.Contains(string(out), "https://api.example.com/x") {
		t.Errorf("the rest of the paste changed: %s", out)
	}
}

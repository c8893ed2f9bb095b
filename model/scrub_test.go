package model

import (
	"encoding/base64"
	"encoding/json"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// awkwardSecret holds every character that encodes differently somewhere:
// + / = & < > " % \ a space, and non-ASCII (two- and four-byte UTF-8).
const awkwardSecret = `sk+A/b=c&d<e>f"g%h\i j-é-😀-tail`

// asciiEscapeJSON is JSON with every non-alphanumeric character written as
// \uXXXX, as some encoders do (\u002b for +).
func asciiEscapeJSON(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r > 0xffff:
			r -= 0x10000
			b.WriteString(`\u` + hex4s(0xd800+(r>>10)) + `\u` + hex4s(0xdc00+(r&0x3ff)))
		default:
			b.WriteString(`\u` + hex4s(r))
		}
	}
	return b.String()
}

func hex4s(r rune) string {
	const digits = "0123456789ABCDEF"
	return string([]byte{digits[r>>12&15], digits[r>>8&15], digits[r>>4&15], digits[r&15]})
}

// secretForms is every spelling of sec the issue names, each inside a
// sentence, keyed by what it is.
func secretForms(sec, id string) map[string]string {
	goJSON, _ := json.Marshal(sec) // Go escapes & < > as \u0026 \u003c \u003e
	wrapped := sec[:7] + "\n      " + sec[7:]
	return map[string]string{
		"raw":                   sec,
		"base64 of key:":        base64.StdEncoding.EncodeToString([]byte(sec + ":")),
		"base64 raw url key:":   base64.RawURLEncoding.EncodeToString([]byte(sec + ":")),
		"base64 of id:secret":   base64.StdEncoding.EncodeToString([]byte(id + ":" + sec)),
		"base64 form-encoded":   base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id) + ":" + url.QueryEscape(sec))),
		"base64 key:password":   base64.StdEncoding.EncodeToString([]byte(sec + ":hunter2")),
		"query-escaped (+)":     url.QueryEscape(sec),
		"path-escaped (%20)":    url.PathEscape(sec),
		"lower-case percent":    regexp.MustCompile(`%[0-9A-F]{2}`).ReplaceAllStringFunc(url.QueryEscape(sec), strings.ToLower),
		"URL-encoded Base64":    url.QueryEscape(base64.StdEncoding.EncodeToString([]byte(sec + ":"))),
		"Go JSON":               string(goJSON),
		"all \\u escapes":       asciiEscapeJSON(sec),
		"HTML entities":         html.EscapeString(sec),
		"split by a line wrap":  wrapped,
		"split by ZWSP":         sec[:5] + "\u200b" + sec[5:],
		"split by a marker":     sec[:5] + "⟨U+200B⟩" + sec[5:],
		"plus decoded as space": strings.ReplaceAll(sec, "+", " "),
	}
}

func TestScrubMasksEveryForm(t *testing.T) {
	id := "skc_client+1 é"
	composite := []string{awkwardSecret, id + ":" + awkwardSecret, url.QueryEscape(id) + ":" + url.QueryEscape(awkwardSecret)}
	for name, form := range secretForms(awkwardSecret, id) {
		in := "before «" + form + "» after"
		got := Scrub(in, composite...)
		if strings.Contains(got, form) {
			t.Errorf("%s: left in clear: %q", name, got)
		}
		if !strings.Contains(got, MaskRune) || !strings.HasPrefix(got, "before «") || !strings.HasSuffix(got, "» after") {
			t.Errorf("%s: want a mask between the untouched words, got %q", name, got)
			continue
		}
		// The whole span is masked, not its start: no 6 bytes of the
		// form remain between the words (the mask keeps at most a
		// 4-character tail).
		middle := strings.TrimSuffix(strings.TrimPrefix(got, "before «"), "» after")
		span := len(form)
		if name == "base64 key:password" {
			span = len(awkwardSecret) / 3 * 4 // the Base64 quanta of the secret alone; the rest encodes ":hunter2"
		}
		for i := 0; i+6 <= span; i++ {
			if w := form[i : i+6]; strings.Contains(middle, w) {
				t.Errorf("%s: %q of the secret is still in clear at byte %d of the span: %q", name, w, i, middle)
				break
			}
		}
	}
}

func TestScrubLeavesOtherTextAlone(t *testing.T) {
	in := `{"error":"invalid_client","note":"a%2Bb \u0026 c","long":"` + strings.Repeat("x", 1000) + `"}`
	if got := Scrub(in, "sandbox_client_secret", "scl_live_0123456789abcdef0123456789abcdef"); got != in {
		t.Fatalf("Scrub changed text without a secret:\n%q", got)
	}
	if got := Scrub("ab", "ab"); got != "ab" {
		t.Fatalf("a 2-byte secret is too short to look for, got %q", got)
	}
}

func TestScrubKeepsTheBasicMaskStable(t *testing.T) {
	got := Scrub("Authorization: Basic bGl2ZV9TY2FsZVJvY2tzOg==", "live_ScaleRocks")
	if got != "Authorization: Basic "+Mask("bGl2ZV9TY2FsZVJvY2tzOg==") {
		t.Fatalf("got %q", got)
	}
}

func TestSanitizeShowsInvisibleCharacters(t *testing.T) {
	for in, want := range map[string]string{
		"req_\u202Eabc":         "req_⟨U+202E⟩abc",
		"\ufeffid":              "⟨U+FEFF⟩id",
		"a\u200bb\u2066c\u2069": "a⟨U+200B⟩b⟨U+2066⟩c⟨U+2069⟩",
		"tag\U000E0041":         "tag⟨U+E0041⟩",
		"plain é ü 日本":          "plain é ü 日本",
	} {
		if got := Sanitize(in); got != want {
			t.Errorf("Sanitize(%q) = %q, want %q", in, got, want)
		}
	}
	if got := CleanID(" 3f6c\u202E1a2e\u200b-8d4b\ufeff "); got != "3f6c1a2e-8d4b" {
		t.Errorf("CleanID = %q", got)
	}
}

func BenchmarkScrub10MiB(b *testing.B) {
	body := strings.Repeat(`{"message":"Invalid API key provided. \u0026 %2B"}`, (10<<20)/50)
	secrets := []string{"scl_live_0123456789abcdef0123456789abcdef", "sandbox_client_secret", "skc_sandbox_client:sandbox_client_secret"}
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		Scrub(body, secrets...)
	}
}

// A server can split a secret with an invisible character that it then
// escapes (JSON \u200b, URL %E2%80%8B, HTML &#8203;, a soft hyphen): the
// secret is still there for anyone who decodes the text.
func TestScrubFindsASecretSplitByAnEscapedInvisible(t *testing.T) {
	secret := "sk_secret_abcdefghijklmnop1234"
	for _, split := range []string{`\u200b`, `\u00ad`, `\u200B`, "%E2%80%8B", "&#8203;", "&#x200b;", `\ufeff`} {
		text := `{"split":"sk_secret_abcde` + split + `fghijklmnop1234"}`
		got := Scrub(text, secret)
		if strings.Contains(got, "fghijklmnop1234") || !strings.Contains(got, MaskRune) {
			t.Errorf("split by %s: %s", split, got)
		}
	}
}

// A one-line rendering turns a line break inside an echoed secret into
// one space; the secret is still whole for a reader.
func TestScrubFindsASecretSplitByAFlattenedLineBreak(t *testing.T) {
	secret := "scl_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0"
	got := Scrub("401 invalid_api_key: key scl_live_9f8e7d6c5b 4a39281706f5e4d3c2b1a0", secret)
	if strings.Contains(got, "4a39281706f5e4d3c2b1a0") {
		t.Errorf("flattened split not masked: %s", got)
	}
	// A secret holding a space and a '+' is still found as written.
	spaced := "s3cr+t/=&<> zäöü-€-long-enough"
	if got := Scrub("x "+spaced+" y", spaced); strings.Contains(got, "zäöü") {
		t.Errorf("a secret with a space is no longer found: %s", got)
	}
}

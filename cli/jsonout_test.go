package cli

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/authscope/authscope/model"
)

// rewriteJSONStrings' fast path (a string with no escape, left alone by
// fix, copied as it came) writes exactly what decoding and re-encoding
// every string does, for strings of every awkward kind, with a fix that
// changes nothing and with the masking one.
func TestRewriteJSONStringsFastPathMatchesReencoding(t *testing.T) {
	secret := "s3cr3t+/=&<>\"%\\é-key"
	plain := "plainSecretValue123" // no character JSON escapes: the fast path's case
	values := map[string]any{
		"plain": "hello", "html": "<b>&amp;</b>", "quote": `a "quoted" \ word`, "ctl": "tab\there\nnl\x01",
		"c1": "next\u0085line", "sep": "a\u2028b\u2029c", "bidi": "x\u202ey", "zw": "a\u200bb", "emoji": "🔑 key",
		"invalid": "bad\xffutf8", "secret": secret, "inside": "Bearer " + secret + " trailing", "b64": model.Scrub("x", secret),
		"list": []string{"one", secret, "<three>"}, "é-key": "value", "bare": "token " + plain,
	}
	var enc bytes.Buffer
	e := json.NewEncoder(&enc)
	e.SetIndent("", "  ")
	if err := e.Encode(values); err != nil {
		t.Fatal(err)
	}
	for name, fix := range map[string]func(string) string{
		"identity": func(s string) string { return s },
		"masking":  model.ScrubFunc(secret, plain),
	} {
		got, err := rewriteJSONStrings(enc.Bytes(), fix)
		if err != nil {
			t.Fatal(err)
		}
		want := reencodeEveryString(t, enc.Bytes(), fix)
		if !bytes.Equal(got, want) {
			t.Errorf("%s: fast path differs\n got %s\nwant %s", name, got, want)
		}
		if name == "masking" && (strings.Contains(string(got), "s3cr3t") || strings.Contains(string(got), plain)) {
			t.Errorf("the secret is in the output: %s", got)
		}
	}
}

// reencodeEveryString is rewriteJSONStrings without its fast path: every
// string decoded, fixed and encoded again.
func reencodeEveryString(t *testing.T, in []byte, fix func(string) string) []byte {
	var out bytes.Buffer
	for len(in) > 0 {
		start := bytes.IndexByte(in, '"')
		if start < 0 {
			out.Write(in)
			break
		}
		out.Write(in[:start])
		end := start + 1
		for in[end] != '"' {
			if in[end] == '\\' {
				end++
			}
			end++
		}
		var s string
		if err := json.Unmarshal(in[start:end+1], &s); err != nil {
			t.Fatal(err)
		}
		writeJSONString(&out, fix(s))
		in = in[end+1:]
	}
	return out.Bytes()
}

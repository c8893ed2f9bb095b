package snippets

import (
	"go/format"
	"strings"
	"testing"

	"github.com/authscope/authscope/internal/sandboxtest"
	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
)

// TestGoSnippetsAreGofmtClean: a Go snippet is pasted into real code, so
// it must come out as gofmt would write it, for every sample.
func TestGoSnippetsAreGofmtClean(t *testing.T) {
	for _, p := range model.Providers {
		target := sandboxtest.Target(t, p, "http://127.0.0.1:8787")
		for _, s := range p.Samples {
			for _, flavour := range []Flavour{SecretInline, SecretFromEnv} {
				text, err := Write(Go, requests.NewOutgoing(target, ""), s, flavour, "")
				if err != nil {
					continue // what-ifs that alter the secret have no snippet
				}
				formatted, err := format.Source([]byte(text.Reveal()))
				if err != nil {
					t.Fatalf("%s/%s: not valid Go: %v\n%s", p.ID, s.Name, err, text.Reveal())
				}
				if string(formatted) != text.Reveal() {
					t.Errorf("%s/%s/%s is not gofmt-clean:\n%s", p.ID, s.Name, flavourName(flavour), text.Reveal())
				}
			}
		}
	}
}

func TestSnippetRefusals(t *testing.T) {
	scaling, _ := model.Lookup("scaling")
	prod := model.Target{Provider: scaling, Env: scaling.Environments[1], BaseURL: "https://api.scaling.cloud",
		Creds: map[string]string{"key": "scl_live_0123456789abcdef0123456789abcdef"}}
	rateLimit, _ := scaling.Sample("rate-limit")
	if _, err := Write(Curl, requests.NewOutgoing(prod, ""), rateLimit, SecretInline, ""); err == nil || !strings.Contains(err.Error(), "sandbox") {
		t.Fatalf("a sandbox-only sample against production: %v", err)
	}
	wrongKey, _ := scaling.Sample("wrong-key")
	if _, err := Write(Curl, requests.NewOutgoing(prod, ""), wrongKey, SecretFromEnv, ""); err == nil {
		t.Fatal("wrong-key has no snippet: it alters the secret")
	}
	if _, err := ParseKind("perl"); err == nil || !strings.Contains(err.Error(), "curl, env, go") {
		t.Fatalf("ParseKind(perl) = %v", err)
	}
}

func TestWrongSecretKeepsTheFormatAndGivesNothingAway(t *testing.T) {
	scaling, _ := model.Lookup("scaling")
	f := scaling.SecretField()
	key := "scl_live_0123456789abcdef0123456789abcdef"
	wrong := requests.WrongSecret(key, f.Format)
	if wrong == key || !strings.HasPrefix(wrong, "scl_live_") || len(wrong) != len(key) {
		t.Fatalf("requests.WrongSecret = %q", wrong)
	}
	for _, r := range wrong[len("scl_live_"):] {
		if !f.Format.Charset.Allows(r) {
			t.Fatalf("requests.WrongSecret = %q leaves the %s charset", wrong, f.Format.Charset)
		}
	}
	other := requests.WrongSecret("scl_live_ffffffffffffffffffffffffffffffff", f.Format)
	if other != wrong {
		t.Fatalf("the wrong key depends on the real one: %q vs %q", other, wrong)
	}
	if requests.WrongSecret(wrong, f.Format) == wrong {
		t.Fatal("requests.WrongSecret returned its input")
	}
}

func TestTamperSignatureBreaksOnlyTheSignature(t *testing.T) {
	jwt := "aGVhZGVy.Y2xhaW1z.AAAAsig"
	got, err := requests.TamperSignature(jwt)
	if err != nil || got == jwt || !strings.HasPrefix(got, "aGVhZGVy.Y2xhaW1z.") || len(got) != len(jwt) {
		t.Fatalf("requests.TamperSignature = %q, %v", got, err)
	}
	if _, err := requests.TamperSignature("not-a-jwt"); err == nil {
		t.Fatal("a token without three parts was accepted")
	}
}

// TestSandboxSnippetsSayTheyLiveWithAuthscope: a snippet aimed at the
// sandbox says it works only while authscope runs; one aimed at a real
// API does not.
func TestSandboxSnippetsSayTheyLiveWithAuthscope(t *testing.T) {
	for _, p := range model.Providers {
		sandboxed := requests.NewOutgoing(sandboxtest.Target(t, p, "http://127.0.0.1:8787"), "")
		real := sandboxed
		real.Target.Env = p.Environments[len(p.Environments)-1]
		real.Target.BaseURL = "https://api.example.com"
		// A development server of the user's own on this machine is not
		// authscope's sandbox: it outlives authscope.
		local := real
		local.Target.BaseURL = "https://127.0.0.1:9443"
		for _, kind := range []Kind{Curl, Env, Go, Python, Node} {
			for _, c := range []struct {
				out  requests.Outgoing
				want bool
			}{{sandboxed, true}, {real, false}, {local, false}} {
				text, err := Write(kind, c.out, p.Samples[0], SecretFromEnv, "")
				if err != nil {
					t.Fatal(err)
				}
				if got := strings.Contains(text.Reveal(), "works only while authscope runs"); got != c.want {
					t.Errorf("%s/%s aimed at %s: note %v, want %v\n%s", p.ID, kind, c.out.Target.BaseURL, got, c.want, text.Reveal())
				}
			}
		}
	}
}

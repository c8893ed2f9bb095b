package authschemes

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/authscope/authscope/model"
)

func mustProvider(t testing.TB, id string) model.Provider {
	t.Helper()
	p, err := model.Lookup(id)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func mustEnv(t testing.TB, p model.Provider, id string) model.Environment {
	t.Helper()
	env, err := p.Env(id)
	if err != nil {
		t.Fatal(err)
	}
	return env
}

// The anchor from Scale's documentation, byte for byte.
func TestBasicAnchor(t *testing.T) {
	p := mustProvider(t, "scale")
	res, err := Build(p, mustEnv(t, p, "live"), Credentials{"key": "live_ScaleRocks"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"live_ScaleRocks", "live_ScaleRocks:", "bGl2ZV9TY2FsZVJvY2tzOg==", "Authorization: Basic bGl2ZV9TY2FsZVJvY2tzOg=="}
	got := []string{res.Steps[0].Input.Reveal()}
	for _, s := range res.Steps {
		got = append(got, s.Output.Reveal())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("steps:\n%q\nwant\n%q", got, want)
	}
	if h := res.Header.Name + ": " + res.Header.Value.Reveal(); h != want[3] {
		t.Fatalf("header %q", h)
	}
	if res.Mode != "live" || len(res.Warnings) != 0 {
		t.Fatalf("mode %q warnings %v", res.Mode, res.Warnings)
	}
	for _, s := range res.Steps {
		if s.Explain == "" || s.Title == "" {
			t.Errorf("step %+v lacks a title or explanation", s)
		}
		if strings.Contains(s.Output.Masked(), "ScaleRocks") || strings.Contains(s.Output.Masked(), "bGl2ZV9TY2FsZVJvY2tzOg") {
			t.Errorf("step %q leaks when masked: %q", s.Title, s.Output.Masked())
		}
	}
}

func TestBasicRefusesColonAndControls(t *testing.T) {
	for _, user := range []string{"live_a:b", ":", "abc\x00", "ab\x7f"} {
		if _, _, err := BasicSteps(user, ""); err == nil {
			t.Errorf("BasicSteps(%q) built a header", user)
		}
	}
	_, _, err := BasicSteps("live_a:b", "")
	if err == nil || !strings.Contains(err.Error(), "RFC 7617") {
		t.Fatalf("the ':' error should cite RFC 7617: %v", err)
	}
	if _, _, err := BasicSteps("", ""); err == nil {
		t.Fatal("empty user-id built a header")
	}
}

func TestBasicRoundTripsAnyUserAndPassword(t *testing.T) {
	for _, c := range [][2]string{{"test_0123456789abcdef0123456789abcdef", ""}, {"ünï", "pässword"}, {"u", "p:a:ss"}} {
		_, h, err := BasicSteps(c[0], c[1])
		if err != nil {
			t.Fatal(err)
		}
		enc := strings.TrimPrefix(h.Value.Reveal(), "Basic ")
		b, err := base64.StdEncoding.DecodeString(enc)
		if err != nil || string(b) != c[0]+":"+c[1] {
			t.Errorf("%q decodes to %q (%v)", enc, b, err)
		}
	}
}

func TestBuildTrimsAndSaysSo(t *testing.T) {
	p := mustProvider(t, "scale")
	res, err := Build(p, mustEnv(t, p, "sandbox"), Credentials{"key": "live_ScaleRocks\n"})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Header.Value.Reveal(); got != "Basic bGl2ZV9TY2FsZVJvY2tzOg==" {
		t.Fatalf("header %q: the newline was encoded", got)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0].Message, "newline") {
		t.Fatalf("warnings %+v", res.Warnings)
	}
	if res.Steps[0].Title == "" || res.Steps[0].Output.Reveal() != "live_ScaleRocks" {
		t.Fatalf("first step should show the trim: %+v", res.Steps[0])
	}
}

func TestBuildRefusesEmptyAndOAuth2(t *testing.T) {
	for _, id := range []string{"scale", "scaling"} {
		p := mustProvider(t, id)
		for _, key := range []string{"", "  \n"} {
			_, err := Build(p, mustEnv(t, p, "sandbox"), Credentials{"key": key})
			if err == nil || !strings.Contains(err.Error(), p.SecretField().EnvVar) {
				t.Errorf("%s with key %q: %v (want an error naming the variable)", id, key, err)
			}
		}
	}
	p := mustProvider(t, "scalekit")
	if _, err := Build(p, mustEnv(t, p, "sandbox"), Credentials{"client_id": "skc_x", "client_secret": "s"}); err == nil || !strings.Contains(err.Error(), "token") {
		t.Fatalf("OAuth2 Build: %v", err)
	}
}

func TestKeyMode(t *testing.T) {
	for key, want := range map[string]string{"live_ScaleRocks": "live", "test_abc": "test", "scl_live_x": "", "": ""} {
		if got := KeyMode(key); got != want {
			t.Errorf("KeyMode(%q) = %q, want %q", key, got, want)
		}
	}
}

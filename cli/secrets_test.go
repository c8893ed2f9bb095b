package cli

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/authscope/authscope/internal/hostile"
	"github.com/authscope/authscope/model"
)

// A JWT-shaped string: how an access token would show if one leaked.
var jwtShape = regexp.MustCompile(`eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{16,}`)

type credSet struct {
	provider  string
	good, bad map[string]string // environment variables
}

var credSets = []credSet{
	{"scaling", map[string]string{"SCALING_API_KEY": scalingKey}, map[string]string{"SCALING_API_KEY": "scl_live_ffffffffffffffffffffffffffffffff"}},
	{"scale", map[string]string{"SCALE_API_KEY": scaleKey}, map[string]string{"SCALE_API_KEY": "live_ffffffffffffffffffffffffffffffff"}},
	{"scalekit", map[string]string{"SCALEKIT_CLIENT_ID": "skc_sandbox_client", "SCALEKIT_CLIENT_SECRET": "sandbox_client_secret"},
		map[string]string{"SCALEKIT_CLIENT_ID": "skc_sandbox_client", "SCALEKIT_CLIENT_SECRET": "wrong_client_secret_value"}},
}

// secretsOf lists every secret a credential set can put on the wire: the
// secret fields' values and, for Basic, the Base64 of "key:".
func secretsOf(t *testing.T, providerID string, env map[string]string) []string {
	p, err := model.Lookup(providerID)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range p.Fields {
		if v := env[f.EnvVar]; f.Secret && v != "" {
			out = append(out, v)
			if p.Scheme == model.SchemeBasic {
				out = append(out, base64.StdEncoding.EncodeToString([]byte(v+":")))
			}
		}
	}
	return out
}

// Every command × provider × failure mode: no secret on stdout or stderr,
// except where the user asked for it (header's stdout, --reveal, an
// inline snippet).
func TestNoSecretLeaksAcrossCommandsProvidersAndFailures(t *testing.T) {
	sandbox := sandboxURL(t)
	echo := echoServer(t)
	silent := hostileURL(t, hostile.Silent)
	closed := closedPort(t)

	type mode struct {
		name  string
		base  func(p model.Provider) string
		bad   bool
		extra []string
		code  int // what a command that sends exits with
	}
	modes := []mode{
		{"2xx", func(p model.Provider) string { return sandbox + p.SandboxPath }, false, nil, ExitOK},
		{"4xx", func(p model.Provider) string { return sandbox + p.SandboxPath }, true, nil, ExitHTTPError},
		{"5xx echoing the request", func(model.Provider) string { return echo }, false, nil, ExitHTTPError},
		{"timeout", func(model.Provider) string { return silent }, false, []string{"--timeout", "300ms"}, ExitNoAnswer},
		{"refused", func(model.Provider) string { return closed }, false, nil, ExitNoAnswer},
	}
	commands := [][]string{
		{"request"}, {"request", "--json"}, {"request", "--bundle"}, {"request", "--print", "curl", "--from-env"},
		{"request", "--sample", "wrong-scheme"}, {"token"}, {"token", "--json"}, {"header"},
	}
	for _, cs := range credSets {
		for _, m := range modes {
			env := cs.good
			if m.bad {
				env = cs.bad
			}
			p, _ := model.Lookup(cs.provider)
			secrets := secretsOf(t, cs.provider, env)
			for _, cmd := range commands {
				if cmd[0] == "token" && p.Scheme != model.SchemeOAuth2 {
					continue
				}
				args := append(append(append([]string{}, cmd...), "--provider", cs.provider, "--base-url", m.base(p)), m.extra...)
				name := cs.provider + " " + m.name + ": " + strings.Join(cmd, " ")
				code, out, errOut := runCmd(t, env, args...)
				want := m.code
				switch {
				case cmd[len(cmd)-1] == "--from-env", cmd[0] == "header" && p.Scheme != model.SchemeOAuth2:
					want = ExitOK // nothing is sent
				case cmd[len(cmd)-1] == "wrong-scheme" && want == ExitOK:
					want = ExitHTTPError
				}
				if code != want {
					t.Errorf("%s: exit %d, want %d (%s)", name, code, want, strings.TrimSpace(errOut))
				}
				noSecrets(t, name+" stderr", errOut, secrets...)
				if jwtShape.MatchString(errOut) {
					t.Errorf("%s: an access token on stderr", name)
				}
				if cmd[0] == "header" {
					continue // its stdout is the secret, by design
				}
				noSecrets(t, name+" stdout", out, secrets...)
				if jwtShape.MatchString(out) {
					t.Errorf("%s: an access token on stdout:\n%s", name, out)
				}
			}
		}
	}
}

// The check above can fail: with --reveal the same run shows the secret.
func TestRevealShowsWhatTheMatrixHides(t *testing.T) {
	base := sandboxURL(t) + "/scaling"
	code, out, _ := runCmd(t, map[string]string{"SCALING_API_KEY": scalingKey}, "request", "--provider", "scaling", "--base-url", base, "--reveal")
	if code != 0 || !strings.Contains(out, scalingKey) {
		t.Fatalf("exit %d; --reveal should print the key:\n%s", code, out)
	}
}

func TestNoSecretInHelpOrBadUsage(t *testing.T) {
	env := map[string]string{}
	var secrets []string
	for _, cs := range credSets {
		for k, v := range cs.good {
			env[k] = v
		}
		secrets = append(secrets, secretsOf(t, cs.provider, cs.good)...)
	}
	for _, c := range constructors {
		name := c.name
		for _, args := range [][]string{
			{name, "--help"},
			{name, "--no-such-flag", "--key", scaleKey},
			{name, "--key=" + scaleKey, "--provider", "nope"},
			{name, "--client-secret", "sandbox_client_secret", "--timeout", "forever"},
		} {
			code, out, errOut := runCmd(t, env, args...)
			if args[1] == "--help" && (code != 0 || !strings.Contains(out, "Example")) {
				t.Errorf("%s --help: exit %d, no examples", name, code)
			}
			if args[1] != "--help" && code != ExitUsage {
				t.Errorf("%v: exit %d, want 2", args, code)
			}
			noSecrets(t, strings.Join(args, " ")+" stdout", out, secrets...)
			noSecrets(t, strings.Join(args, " ")+" stderr", errOut, secrets...)
		}
	}
}

// A panic anywhere in a command ends as one line without the secret or a
// stack trace, whatever the panic carried.
func TestRecoveredPanicLeaksNothing(t *testing.T) {
	var out, errOut bytes.Buffer
	sys := IO{In: strings.NewReader(""), Out: &out, Err: &errOut, InTTY: true, OutTTY: true, Getenv: func(string) string { return scalingKey }}
	boom := func(context.Context, ExploreOptions) error {
		panic(errors.New("failed with key " + scalingKey + " and " + scaleKey))
	}
	code := Main(context.Background(), sys, []string{"--provider", "scaling"}, boom)
	if code != ExitUsage || strings.Count(errOut.String(), "\n") != 1 || strings.Contains(errOut.String(), "goroutine") {
		t.Fatalf("exit %d, stderr %q", code, errOut.String())
	}
	noSecrets(t, "panic output", out.String()+errOut.String(), scalingKey, scaleKey)
}

// An error that echoes a credential is scrubbed even when the command
// never said it was secret.
func TestErrorsEchoingACredentialAreScrubbed(t *testing.T) {
	var errOut bytes.Buffer
	sys := IO{In: strings.NewReader(""), Out: io.Discard, Err: &errOut, Getenv: func(k string) string {
		if k == "SCALEKIT_CLIENT_SECRET" {
			return "sandbox_client_secret"
		}
		return ""
	}}
	args := []string{"request", "--key", scaleKey}
	report(sys, "authscope request", args, errors.New("bad value "+args[2]+" and sandbox_client_secret"))
	noSecrets(t, "stderr", errOut.String(), scaleKey, "sandbox_client_secret")
	if !strings.Contains(errOut.String(), model.Mask(scaleKey)) {
		t.Fatalf("the masked key should stand in: %q", errOut.String())
	}
}

// echoServer answers 500 with everything the request carried, as a broken
// proxy might: the secrets come back in the body and a header.
func echoServer(t *testing.T) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<16))
		w.Header().Set("X-Echo-Authorization", r.Header.Get("Authorization"))
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = io.WriteString(w, `{"message":"upstream failed","authorization":"`+r.Header.Get("Authorization")+`","form":"`+string(body)+`"}`)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

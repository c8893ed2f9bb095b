package cli

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/authscope/authscope/internal/hostile"
)

// Awkward secrets: every character that encodes differently somewhere
// (+ / = & < > " % \ and a space) and non-ASCII.
const (
	awkwardScalingKey = `scl_live_A+b/C=d&e<f>g"h%i\jé0123456789abcde`
	awkwardScaleKey   = `live_p+q/r=s&t<u>v"w%x\yü0123456789abcdef`
	awkwardClientID   = `skc_trust+client/é`
	awkwardSecret     = `s3cr+t/=&<>"%\ zäöü-€-0123456789`
	refusedSecret     = `refuse+me/=&<>"%\ ñ-0123456789ab`
	awkwardPathKey    = `pk+Q/w=e&r<t>y"u%i\o ß-9876543210`
)

// leakCheck fails when text holds any spelling of any secret: every form
// hostile.SecretForms makes, and either half of the secret (a wrapped
// line).
func leakCheck(t *testing.T, where, text string, id string, secrets ...string) {
	t.Helper()
	for _, sec := range secrets {
		forms := hostile.SecretForms(sec, id)
		a, b := hostile.Halves(sec)
		forms["first half"], forms["second half"] = a, b
		for name, form := range forms {
			if i := strings.Index(text, form); i >= 0 {
				t.Errorf("%s: the secret %.10s… shows as %s at byte %d: …%s…", where, sec, name, i, text[max(0, i-60):min(len(text), i+len(form)+60)])
			}
		}
	}
}

// bearerTokens are the access tokens the recorder saw sent, so that their
// echoes are checked too.
func bearerTokens(rec *hostile.Recorder) []string {
	var out []string
	for _, r := range rec.Requests() {
		if a := r.Header.Get("Authorization"); strings.HasPrefix(a, "Bearer ") {
			out = append(out, strings.TrimPrefix(a, "Bearer "))
		}
	}
	return out
}

// Every command × output mode against a server that echoes every
// credential it gets in every spelling, in headers, bodies, JWT claims
// and error_description.
func TestEchoedSecretsNeverShow(t *testing.T) {
	type echoCase struct {
		name     string
		env      []string
		args     []string
		code     int
		id       string
		secrets  []string
		tokenToo bool // the server also echoes the access token it issued
	}
	var cases []echoCase
	modes := map[string][]string{"text": nil, "json": {"--json"}, "bundle": {"--bundle"}}
	for mode, extra := range modes {
		cases = append(cases,
			echoCase{"request scaling " + mode, []string{"SCALING_API_KEY=" + awkwardScalingKey},
				append([]string{"request", "--provider", "scaling", "--path", "/v1/incidents"}, extra...), ExitHTTPError, "", []string{awkwardScalingKey}, false},
			echoCase{"request scaling key in --path " + mode, []string{"SCALING_API_KEY=" + awkwardScalingKey},
				append([]string{"request", "--provider", "scaling", "--path", "/v1/incidents?limit=1&api_key=" + url.QueryEscape(awkwardPathKey)}, extra...), ExitHTTPError, "", []string{awkwardScalingKey, awkwardPathKey}, false},
			echoCase{"request scale " + mode, []string{"SCALE_API_KEY=" + awkwardScaleKey},
				append([]string{"request", "--provider", "scale", "--path", "/v1/projects"}, extra...), ExitHTTPError, "", []string{awkwardScaleKey}, false},
		)
		for _, auth := range []string{"post", "basic"} {
			cases = append(cases,
				echoCase{"request scalekit " + auth + " " + mode, []string{"SCALEKIT_CLIENT_ID=" + awkwardClientID, "SCALEKIT_CLIENT_SECRET=" + awkwardSecret},
					append([]string{"request", "--provider", "scalekit", "--client-auth", auth}, extra...), ExitHTTPError, awkwardClientID, []string{awkwardSecret}, true},
				echoCase{"request scalekit refused " + auth + " " + mode, []string{"SCALEKIT_CLIENT_ID=" + awkwardClientID, "SCALEKIT_CLIENT_SECRET=" + refusedSecret},
					append([]string{"request", "--provider", "scalekit", "--client-auth", auth}, extra...), ExitHTTPError, awkwardClientID, []string{refusedSecret}, false},
			)
			if mode == "bundle" {
				continue
			}
			cases = append(cases,
				echoCase{"token " + auth + " " + mode, []string{"SCALEKIT_CLIENT_ID=" + awkwardClientID, "SCALEKIT_CLIENT_SECRET=" + awkwardSecret},
					append([]string{"token", "--provider", "scalekit", "--client-auth", auth}, extra...), ExitOK, awkwardClientID, []string{awkwardSecret}, true},
				echoCase{"token refused " + auth + " " + mode, []string{"SCALEKIT_CLIENT_ID=" + awkwardClientID, "SCALEKIT_CLIENT_SECRET=" + refusedSecret},
					append([]string{"token", "--provider", "scalekit", "--client-auth", auth}, extra...), ExitHTTPError, awkwardClientID, []string{refusedSecret}, false},
			)
		}
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			rec := hostile.NewRecorder(&hostile.Echo{})
			defer rec.Close()
			args := append(append([]string{}, c.args...), "--base-url", rec.URL, "--timeout", "20s")
			run := runBinary(t, c.env, args...)
			if run.code != c.code {
				t.Fatalf("exit %d, want %d\nstderr: %s", run.code, c.code, run.stderr)
			}
			if len(rec.Requests()) == 0 {
				t.Fatal("the echo server got no request")
			}
			secrets := c.secrets
			if c.tokenToo {
				tokens := bearerTokens(rec)
				if len(tokens) == 0 && strings.HasPrefix(c.name, "request") {
					t.Fatal("no access token was sent to the API")
				}
				secrets = append(secrets, tokens...)
			}
			leakCheck(t, c.name, run.all(), c.id, secrets...)
			if !strings.Contains(run.stdout, "•") {
				t.Errorf("no mask in the output: nothing was shown?\n%s", run.stdout)
			}
			if strings.Contains(c.name, "json") {
				var v map[string]any
				if err := json.Unmarshal([]byte(run.stdout), &v); err != nil {
					t.Fatalf("--json: %v\n%s", err, run.stdout)
				}
			}
		})
	}
}

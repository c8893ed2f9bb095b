package requests

import (
	"context"
	"strings"
	"testing"

	"github.com/authscope/authscope/authschemes"
	"github.com/authscope/authscope/decode"
	"github.com/authscope/authscope/internal/sandboxtest"
	"github.com/authscope/authscope/model"
)

// TestDiagnosisUsesThePreSendFindings sends credentials the pre-send
// checks warn about to the real sandbox and checks the likely cause of
// the refusal names that finding, and never claims a well-formed header.
func TestDiagnosisUsesThePreSendFindings(t *testing.T) {
	url := sandboxtest.Start(t)
	scaling, _ := model.Lookup("scaling")
	scale, _ := model.Lookup("scale")
	cases := []struct {
		name   string
		p      model.Provider
		key    string
		want   []string
		status int
	}{
		{"Bearer pasted before a Scaling key", scaling, "Bearer " + scaling.Demos[0].Values["key"], []string{`"Bearer Bearer …"`, "paste only the key"}, 401},
		{"a Scale key sent to Scaling", scaling, scale.Demos[0].Values["key"], []string{"a Scale AI key, not a Scaling one"}, 401},
		{"Bearer pasted before a Scale key", scale, "Bearer " + scale.Demos[0].Values["key"], []string{`"Bearer " prefix`, "part of the key", "HTTP Basic"}, 401},
		{"a Scaling key sent to Scale", scale, scaling.Demos[0].Values["key"], []string{"a Scaling key, not a Scale AI one"}, 401},
		{"a zero-width space inside a Scaling key", scaling, "scl_live_0123456789abcdef\u200b0123456789abcdef", []string{"U+200B at position 26", "went out as part of it"}, 401},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			target := sandboxtest.Target(t, c.p, url)
			target.Creds = map[string]string{"key": c.key}
			if len(authschemes.Check(c.p, target.Env, target.Creds)) == 0 {
				t.Fatal("the pre-send checks found nothing: the case tests nothing")
			}
			run, err := SendSample(context.Background(), target, c.p.Samples[0], SampleOptions{})
			if err != nil || run.Status() != c.status {
				t.Fatalf("status %d, err %v", run.Status(), err)
			}
			d := decode.Decode(decode.Input{Provider: c.p.ID, Status: run.Result.Status, Header: run.Result.Header, Body: run.Result.Body})
			decode.Diagnose(&d, SentOf(run, "", decode.FrontCLI))
			for _, want := range c.want {
				if !strings.Contains(d.LikelyCause, want) {
					t.Errorf("likely cause %q lacks %q", d.LikelyCause, want)
				}
			}
			if strings.Contains(d.LikelyCause, "well formed") {
				t.Errorf("likely cause claims a well-formed header: %q", d.LikelyCause)
			}
		})
	}
}

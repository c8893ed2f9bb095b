package requests

import (
	"context"
	"strings"
	"testing"

	"github.com/authscope/authscope/authschemes"
	"github.com/authscope/authscope/model"
)

// TestDiagnosisUsesThePreSendFindings sends credentials the pre-send
// checks warn about to the real sandbox and checks the likely cause of
// the refusal names that finding, and never claims a well-formed header.
func TestDiagnosisUsesThePreSendFindings(t *testing.T) {
	url := startSandbox(t)
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
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			target := sandboxTarget(t, c.p, url)
			target.Creds = map[string]string{"key": c.key}
			if len(authschemes.Check(c.p, target.Env, target.Creds)) == 0 {
				t.Fatal("the pre-send checks found nothing: the case tests nothing")
			}
			run, err := SendSample(context.Background(), target, c.p.Samples[0], SampleOptions{})
			if err != nil || run.Status() != c.status {
				t.Fatalf("status %d, err %v", run.Status(), err)
			}
			d := Decode(DecodeInput{Provider: c.p.ID, Status: run.Result.Status, Header: run.Result.Header, Body: run.Result.Body})
			Diagnose(&d, SentOf(run, "", FrontCLI))
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

// TestDiagnosisClaimsOnlyWhatItSaw: the same answers pasted (no request
// seen) get a cause that claims nothing about the request.
func TestDiagnosisClaimsOnlyWhatItSaw(t *testing.T) {
	pasted := "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n\r\n" +
		`{"statusCode":401,"type":"not_authorized_error","code":"invalid_api_key","requestId":"550e8400-e29b-41d4-a716-446655440000"}`
	d := DecodeBytes([]byte(pasted), "")
	Diagnose(&d, Sent{Provider: d.Provider})
	if d.LikelyCause == "" || strings.Contains(d.LikelyCause, "well formed") || strings.Contains(d.LikelyCause, "was sent") {
		t.Fatalf("a pasted answer got %q", d.LikelyCause)
	}
	d = DecodeBytes([]byte(pasted), "")
	Diagnose(&d, Sent{Seen: true, Provider: "scaling", AuthScheme: "Bearer"})
	if !strings.Contains(d.LikelyCause, "well formed") {
		t.Fatalf("a request seen with a Bearer header got %q", d.LikelyCause)
	}
}

// TestAdviceNamesTheFlagOrTheKey: the CLI names --client-auth, the
// explorer the key a.
func TestAdviceNamesTheFlagOrTheKey(t *testing.T) {
	body := `{"error":"invalid_client","error_description":"client authentication failed"}`
	for _, c := range []struct {
		sent Sent
		want string
	}{
		{Sent{ClientAuth: "post", Front: FrontCLI}, "--client-auth basic"},
		{Sent{ClientAuth: "basic", Front: FrontCLI}, "--client-auth post"},
		{Sent{ClientAuth: "post", Front: FrontExplorer}, "press a"},
		{Sent{ClientAuth: "basic", Front: FrontExplorer}, "press a"},
	} {
		d := Decode(DecodeInput{Provider: "scalekit", Status: 401, Body: []byte(body)})
		Diagnose(&d, c.sent)
		if !strings.Contains(d.LikelyCause, c.want) {
			t.Errorf("%+v: %q lacks %q", c.sent, d.LikelyCause, c.want)
		}
		if c.sent.Front == FrontExplorer && strings.Contains(d.LikelyCause, "--") {
			t.Errorf("the explorer's advice names a flag: %q", d.LikelyCause)
		}
	}
	expired := Decode(DecodeInput{Provider: "scalekit", Status: 401, Body: []byte(`{"code":16,"message":"Token expired"}`)})
	Diagnose(&expired, Sent{Front: FrontExplorer})
	if !strings.Contains(expired.LikelyCause, "press r") {
		t.Errorf("expired token in the explorer: %q", expired.LikelyCause)
	}
}

// TestTestKeyOnLiveIsNamed: a Scale test key against the live
// environment (staged against the sandbox with --base-url) is named as
// the cause of the 404.
func TestTestKeyOnLiveIsNamed(t *testing.T) {
	d := Decode(DecodeInput{Provider: "scale", Status: 404, Body: []byte(`{"status_code":404,"error":"Project not found"}`)})
	Diagnose(&d, Sent{Seen: true, Provider: "scale", AuthScheme: "Basic", KeyMode: "test", EnvMode: "live"})
	if !strings.Contains(d.LikelyCause, "test key against live") {
		t.Fatalf("%q", d.LikelyCause)
	}
}

package decode

import (
	"strings"
	"testing"
)

// TestDiagnosisClaimsOnlyWhatItSaw: the same answers pasted (no request
// seen) get a cause that claims nothing about the request.
func TestDiagnosisClaimsOnlyWhatItSaw(t *testing.T) {
	pasted := "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n\r\n" +
		`{"statusCode":401,"type":"not_authorized_error","code":"invalid_api_key","requestId":"550e8400-e29b-41d4-a716-446655440000"}`
	d := Bytes([]byte(pasted), "")
	Diagnose(&d, Sent{Provider: d.Provider})
	if d.LikelyCause == "" || strings.Contains(d.LikelyCause, "well formed") || strings.Contains(d.LikelyCause, "was sent") {
		t.Fatalf("a pasted answer got %q", d.LikelyCause)
	}
	d = Bytes([]byte(pasted), "")
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
		d := Decode(Input{Provider: "scalekit", Status: 401, Body: []byte(body)})
		Diagnose(&d, c.sent)
		if !strings.Contains(d.LikelyCause, c.want) {
			t.Errorf("%+v: %q lacks %q", c.sent, d.LikelyCause, c.want)
		}
		if c.sent.Front == FrontExplorer && strings.Contains(d.LikelyCause, "--") {
			t.Errorf("the explorer's advice names a flag: %q", d.LikelyCause)
		}
	}
	expired := Decode(Input{Provider: "scalekit", Status: 401, Body: []byte(`{"code":16,"message":"Token expired"}`)})
	Diagnose(&expired, Sent{Front: FrontExplorer})
	if !strings.Contains(expired.LikelyCause, "press r") {
		t.Errorf("expired token in the explorer: %q", expired.LikelyCause)
	}
}

// TestTestKeyOnLiveIsNamed: a Scale test key against the live
// environment (staged against the sandbox with --base-url) is named as
// the cause of the 404.
func TestTestKeyOnLiveIsNamed(t *testing.T) {
	d := Decode(Input{Provider: "scale", Status: 404, Body: []byte(`{"status_code":404,"error":"Project not found"}`)})
	Diagnose(&d, Sent{Seen: true, Provider: "scale", AuthScheme: "Basic", KeyMode: "test", EnvMode: "live"})
	if !strings.Contains(d.LikelyCause, "test key against live") {
		t.Fatalf("%q", d.LikelyCause)
	}
}

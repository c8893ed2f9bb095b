package model

import (
	"strings"
	"testing"
)

func TestTargetSecretsIncludeTheBasicPair(t *testing.T) {
	p := Provider{Fields: []Field{{ID: "client_id"}, {ID: "client_secret", Secret: true}}}
	tg := Target{Provider: p, Creds: map[string]string{"client_id": "skc_a+b", "client_secret": " s&cret/= "}}
	got := strings.Join(tg.Secrets(), "\n")
	for _, want := range []string{" s&cret/= ", "s&cret/=", "skc_a+b:s&cret/=", "skc_a%2Bb:s%26cret%2F%3D"} {
		if !strings.Contains("\n"+got+"\n", "\n"+want+"\n") {
			t.Errorf("Secrets() lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "skc_a+b\n") {
		t.Errorf("the client id alone is not a secret:\n%s", got)
	}
}

func TestRedactUserinfo(t *testing.T) {
	for in, want := range map[string]string{
		"https://admin:hunter2@bad host:99999/x": "https://…@bad host:99999/x",
		"https://a:p@ss/word@host/path":          "https://…@host/path",
		"https://host/path?q=a@b":                "https://host/path?q=a@b",
		"user:pass@host":                         "…@host",
		"https://plain.example":                  "https://plain.example",
	} {
		if got := RedactUserinfo(in); got != want {
			t.Errorf("RedactUserinfo(%q) = %q, want %q", in, got, want)
		}
	}
	if _, err := CheckBaseURL("https://admin:hunter2@bad host:99999/x"); err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("CheckBaseURL error shows the password: %v", err)
	}
}

func TestQuerySecrets(t *testing.T) {
	got := QuerySecrets("/v1/x?limit=10&api_key=k%2B1%2F2345&access_token=tok_abcdef&name=bob")
	want := []string{"k%2B1%2F2345", "k+1/2345", "tok_abcdef"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("QuerySecrets = %q, want %q", got, want)
	}
	if QuerySecrets("/v1/x") != nil {
		t.Fatal("no query, no secrets")
	}
}

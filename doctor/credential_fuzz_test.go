package doctor

import (
	"strings"
	"testing"
	"time"
)

// FuzzExamineCredential: whatever is pasted, reading it as a credential
// never panics and never shows the paste's secret in a finding.
func FuzzExamineCredential(f *testing.F) {
	for _, s := range []string{
		"eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL2Euc2NhbGVraXQuZGV2In0.c2ln",
		"eyJhbGciOiJub25lIn0.e30.",
		"eyJ.e.e", "eyJhbGciOiJIUzI1NiJ9..", "Authorization: Bearer Bearer x",
		"Basic Og==", "Basic ::::", "Basic bGl2ZV86", "scl_live_\u200b", "skc_\nx",
		`{"keys":[{"kty":"RSA","n":"","e":""}]}`, `{"keys":[null]}`, `{"access_token":5}`,
		`{"issuer":1,"jwks_uri":{}}`, `{"id_token":"eyJ.e.e","token_type":"x"}`,
	} {
		f.Add(s)
	}
	now := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, in string) {
		rep, err := ExamineText(in, Options{Now: func() time.Time { return now }})
		if err != nil || rep.Input != KindCredential {
			return
		}
		for _, fd := range rep.Findings {
			for _, s := range rep.Secrets {
				if len(s) >= 16 && strings.Contains(fd.Title+fd.Evidence+fd.Fix, s) {
					t.Fatalf("finding %s shows a secret", fd.Check)
				}
			}
		}
	})
}

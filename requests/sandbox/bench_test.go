package sandbox

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkTokenEndpoint is one RS256 token per op, through the handler
// (no network): tokens/s = 1e9 / ns/op, summed over GOMAXPROCS by
// RunParallel. bench/sandbox.sh measures the same over HTTP with wrk.
func BenchmarkTokenEndpoint(b *testing.B) {
	s := New(Options{})
	defer s.Close()
	s.keys.load() // key generation is a one-off, not part of the rate
	b.ResetTimer()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:8787/scalekit/oauth/token", strings.NewReader(tokenForm))
			req.Header.Set("Content-Type", formType)
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("token: %d %s", rec.Code, rec.Body)
			}
		}
	})
}

// BenchmarkIncidents is the authorised default incident list, the request
// the wrk comparison in bench/sandbox.sh uses.
func BenchmarkIncidents(b *testing.B) {
	s := New(Options{})
	defer s.Close()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest(http.MethodGet, "http://127.0.0.1:8787/scaling/v1/incidents", nil)
			req.Header.Set("Authorization", scalingBearer)
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("incidents: %d", rec.Code)
			}
		}
	})
}

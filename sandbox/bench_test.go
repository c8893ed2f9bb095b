package sandbox

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/authscope/authscope/sandbox/internal/sbtest"
)

// BenchmarkIncidents is the authorised default incident list, the request
// the wrk comparison in bench/sandbox.sh uses.
func BenchmarkIncidents(b *testing.B) {
	s := New(Options{})
	defer s.Close()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest(http.MethodGet, "http://127.0.0.1:8787/scaling/v1/incidents", nil)
			req.Header.Set("Authorization", sbtest.ScalingBearer)
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("incidents: %d", rec.Code)
			}
		}
	})
}

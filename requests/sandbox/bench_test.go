package sandbox

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
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

// BenchmarkGRPCListOrganization is one authorised gRPC ListOrganization
// (page_size 10) through the handler, no network; bench/grpc.sh measures
// the same over h2c against a bare connect-go handler.
func BenchmarkGRPCListOrganization(b *testing.B) {
	s := New(Options{})
	defer s.Close()
	keys, _ := s.keys.load()
	token, err := keys.issue("http://127.0.0.1:8787/scalekit", clientID, time.Now(), time.Hour)
	if err != nil {
		b.Fatal(err)
	}
	body := frame(2, []byte{0x08, 0x0a}) // page_size: 10
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:8787/scalekit"+listProcedure, bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/grpc")
			req.Header.Set("Authorization", "Bearer "+token)
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			if st := rec.Result().Trailer.Get("Grpc-Status"); rec.Code != http.StatusOK || (st != "0" && st != "") {
				b.Fatalf("list: %d grpc-status %q", rec.Code, st)
			}
		}
	})
}

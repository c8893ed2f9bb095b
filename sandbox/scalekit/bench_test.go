package scalekit

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/authscope/authscope/sandbox/internal/sbtest"
	"github.com/authscope/authscope/sandbox/wire"
)

// benchService is Scalekit alone behind wire.Serve, as the real server
// wraps it, driven through the handler with no network.
type benchService struct {
	svc *Service
	mux *http.ServeMux
}

func newBenchService() *benchService {
	mux := http.NewServeMux()
	return &benchService{svc: New(wire.Env{Mux: mux, Now: time.Now}, wire.BasePath("scalekit")), mux: mux}
}

func (b *benchService) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	wire.Serve(w, r, b.mux, nil)
}

// BenchmarkTokenEndpoint is one RS256 token per op, through the handler
// (no network): tokens/s = 1e9 / ns/op, summed over GOMAXPROCS by
// RunParallel. bench/sandbox.sh measures the same over HTTP with wrk.
func BenchmarkTokenEndpoint(b *testing.B) {
	s := newBenchService()
	s.svc.keys.load() // key generation is a one-off, not part of the rate
	b.ResetTimer()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:8787/scalekit/oauth/token", strings.NewReader(sbtest.TokenForm))
			req.Header.Set("Content-Type", sbtest.FormType)
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("token: %d %s", rec.Code, rec.Body)
			}
		}
	})
}

// BenchmarkGRPCListOrganization is one authorised gRPC ListOrganization
// (page_size 10) through the handler, no network; bench/grpc.sh measures
// the same over h2c against a bare connect-go handler.
func BenchmarkGRPCListOrganization(b *testing.B) {
	s := newBenchService()
	keys, _ := s.svc.keys.load()
	token, err := keys.issue("http://127.0.0.1:8787/scalekit", sbtest.ClientID, time.Now(), time.Hour)
	if err != nil {
		b.Fatal(err)
	}
	body := []byte{0, 0, 0, 0, 2, 0x08, 0x0a} // one gRPC frame: page_size 10
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:8787/scalekit/scalekit.v1.organizations.OrganizationService/ListOrganization", bytes.NewReader(body))
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

// BenchmarkTokenEndpointM2M is BenchmarkTokenEndpoint for an
// organization's M2M client (its secret checked against the client's
// hashed secrets, the token with oid, aud and scopes); bench/sandbox.sh
// measures the same over HTTP.
func BenchmarkTokenEndpointM2M(b *testing.B) {
	s := newBenchService()
	s.svc.keys.load()
	c, secret, problem := s.svc.dir.addClient(m2mClient{OrgID: "org_59615193906282635", Name: "bench", Scopes: []string{"invoices:read"},
		Audience: []string{"https://api.acme.example"}, Expiry: 86400}, time.Now())
	if problem != "" {
		b.Fatal(problem)
	}
	form := "grant_type=client_credentials&client_id=" + c.ID + "&client_secret=" + secret
	b.ResetTimer()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:8787/scalekit/oauth/token", strings.NewReader(form))
			req.Header.Set("Content-Type", sbtest.FormType)
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("token: %d %s", rec.Code, rec.Body)
			}
		}
	})
}

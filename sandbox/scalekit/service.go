// Package scalekit is the sandbox's Scalekit: the OAuth token endpoint
// (client credentials), real RS256 JWTs with their JWKS and discovery
// document, organizations over the REST gateway and over the gRPC face
// the SDKs speak (connect-go, scalekitpb), errors in the grpc-gateway
// shape with ErrorInfo details.
package scalekit

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb"
	"github.com/authscope/authscope/sandbox/wire"
)

// Service serves Scalekit under its base path (and its gRPC face at the
// root over TLS), from one store shared by both faces.
type Service struct {
	mux  *http.ServeMux
	base string
	now  func() time.Time
	logf func(format string, args ...any)
	keys signingKeys
	orgs *orgStore // organizations, shared by the REST and gRPC faces
	dir  *dirStore // connections, domains, users, sessions and SSO grants
	grpc *grpcFace // the gRPC face
}

// New routes Scalekit on env.Mux under base.
func New(env wire.Env, base string) *Service {
	scalekitpb.Init() // the protobuf descriptors, registered on first use
	s := &Service{mux: env.Mux, base: base, now: env.Now, logf: env.Logf, orgs: newOrgStore(), dir: newDirStore()}
	if s.logf == nil {
		s.logf = func(string, ...any) {} // no log asked for (tests mount it bare)
	}
	s.orgs.dropped = s.dir.dropOrg
	s.routeScalekit(base)
	return s
}

// IsGRPC reports whether the request speaks gRPC (or gRPC-Web) by its
// content type.
func IsGRPC(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("Content-Type"), "application/grpc")
}

// ServeUnimplemented answers a gRPC call to a service or method the
// sandbox does not serve with UNIMPLEMENTED (12), trailers-only.
func (s *Service) ServeUnimplemented(w http.ResponseWriter, r *http.Request) {
	s.grpcUnimplemented(w, r)
}

// GRPCServices names the gRPC services the face serves
// ("scalekit.v1.users.UserService", …), sorted, for banners and docs.
func (s *Service) GRPCServices() []string {
	var names []string
	for prefix := range s.grpc.handlers {
		names = append(names, strings.Trim(prefix, "/"))
	}
	slices.Sort(names)
	return names
}

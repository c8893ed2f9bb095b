package scalekit

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb/clients/clientsconnect"
	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb/connections/connectionsconnect"
	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb/directories/directoriesconnect"
	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb/domains/domainsconnect"
	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb/errdetails"
	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb/organizations/organizationsconnect"
	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb/roles/rolesconnect"
	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb/sessions/sessionsconnect"
	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb/tokens/tokensconnect"
	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb/users/usersconnect"
	"github.com/authscope/authscope/sandbox/wire"
)

// grpcMaxMessage caps one decoded gRPC message, below the 64 KiB body cap
// so that a larger frame is refused by its length prefix with
// RESOURCE_EXHAUSTED before it is read.
const grpcMaxMessage = 32 << 10

// The gRPC face of Scalekit: connect-go serves gRPC (HTTP/1.1 with
// trailers, h2c and HTTP/2 over TLS), gRPC-Web and Connect from one
// handler. It is mounted under /scalekit, where the Go and Node SDKs send
// it, and at the root over TLS, where grpcio (the Python SDK) sends it.

// callInfo is what the gRPC handlers need from the HTTP request.
type callInfo struct {
	requestID string // the X-Request-Id ServeHTTP put on the response
	issuer    string // the sandbox's /scalekit URL as the client reached it
	whatIf    string
}

type callInfoKey struct{}

func callOf(ctx context.Context) callInfo {
	info, _ := ctx.Value(callInfoKey{}).(callInfo)
	return info
}

// grpcError is a gRPC status carrying Scalekit's ErrorInfo detail, with
// the error code and the request id, in grpc-status-details-bin.
func grpcError(ctx context.Context, code connect.Code, message, errorCode string, violations ...fieldViolation) error {
	err := connect.NewError(code, errors.New(message))
	info := &errdetails.ErrorInfo{ErrorCode: errorCode, RequestInfo: &errdetails.RequestInfo{RequestId: callOf(ctx).requestID}}
	if len(violations) > 0 {
		info.ValidationErrorInfo = &errdetails.ValidationErrorInfo{}
		for _, v := range violations {
			info.ValidationErrorInfo.FieldViolations = append(info.ValidationErrorInfo.FieldViolations,
				&errdetails.ValidationErrorInfo_FieldViolation{Field: v.Field, Description: v.Description})
		}
	}
	if detail, derr := connect.NewErrorDetail(info); derr == nil {
		err.AddDetail(detail)
	}
	return err
}

// authInterceptor checks the Bearer token on every call as the REST face
// does; a missing, bad or expired token is UNAUTHENTICATED (16), which is
// what makes the SDKs fetch a token and retry.
func (s *Service) authInterceptor() connect.UnaryInterceptorFunc {
	return func(next connect.UnaryFunc) connect.UnaryFunc {
		return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
			token, ok := strings.CutPrefix(req.Header().Get("Authorization"), "Bearer ")
			if !ok || strings.TrimSpace(token) == "" {
				return nil, grpcError(ctx, connect.CodeUnauthenticated, "Token empty", "UNAUTHENTICATED")
			}
			if problem := s.managementToken(token, callOf(ctx).issuer); problem != "" {
				return nil, grpcError(ctx, connect.CodeUnauthenticated, problem, "UNAUTHENTICATED")
			}
			if callOf(ctx).whatIf == string(model.WhatIfRateLimit) {
				return nil, grpcError(ctx, connect.CodeResourceExhausted, "Too many requests", "RESOURCE_EXHAUSTED")
			}
			return next(ctx, req)
		}
	}
}

// handlerOptions are what every service of the face is built with.
func (s *Service) handlerOptions() []connect.HandlerOption {
	return []connect.HandlerOption{connect.WithInterceptors(s.authInterceptor()), connect.WithReadMaxBytes(grpcMaxMessage), connect.WithRecover(s.recovered)}
}

// recovered answers a handler's panic as INTERNAL with a status the SDKs
// can read, where the stream would otherwise be reset with none. The
// panic's value is not logged: it could hold a request's secret.
func (s *Service) recovered(_ context.Context, spec connect.Spec, _ http.Header, _ any) error {
	s.logf("scalekit: a handler failed on %s (a sandbox bug; please report it)", spec.Procedure)
	return connect.NewError(connect.CodeInternal, errors.New("the sandbox failed on this call: a bug in authscope's sandbox, please report it"))
}

// grpcFace is the connect handlers with what every call needs put in
// their context; unknown methods get UNIMPLEMENTED in the caller's protocol.
type grpcFace struct {
	s        *Service
	handlers map[string]http.Handler // by service path prefix, "/scalekit.v1.x.XService/"
	known    map[string]bool         // procedure paths served
	errors   *connect.ErrorWriter
}

// servedService is one service of the face: its handler and the
// descriptor that lists the methods its .proto declares.
type servedService struct {
	prefix  string
	handler http.Handler
	desc    protoreflect.ServiceDescriptor
}

func (s *Service) newGRPCFace() *grpcFace {
	opts := s.handlerOptions()
	g := &grpcFace{s: s, handlers: map[string]http.Handler{}, known: map[string]bool{}, errors: connect.NewErrorWriter(opts...)}
	for _, svc := range s.grpcServices(opts) {
		g.handlers[svc.prefix] = svc.handler
		methods := svc.desc.Methods()
		for i := range methods.Len() {
			g.known[svc.prefix+string(methods.Get(i).Name())] = true
		}
	}
	return g
}

// grpcServices is every service the face serves.
func (s *Service) grpcServices(opts []connect.HandlerOption) []servedService {
	return []servedService{
		served(organizationsconnect.NewOrganizationServiceHandler(&orgService{s: s}, opts...)),
		served(connectionsconnect.NewConnectionServiceHandler(&connService{s: s}, opts...)),
		served(domainsconnect.NewDomainServiceHandler(&domainService{s: s}, opts...)),
		served(usersconnect.NewUserServiceHandler(&userService{s: s}, opts...)),
		served(rolesconnect.NewRolesServiceHandler(&rolesService{s: s}, opts...)),
		served(clientsconnect.NewClientServiceHandler(&clientService{s: s}, opts...)),
		served(sessionsconnect.NewSessionServiceHandler(&sessionService{s: s}, opts...)),
		served(directoriesconnect.NewDirectoryServiceHandler(&directoryService{s: s}, opts...)),
		served(tokensconnect.NewApiTokenServiceHandler(&apiTokenService{s: s}, opts...)),
	}
}

// served is a service as its generated handler constructor mounts it,
// with its descriptor read from the registry by the name in its prefix
// ("/scalekit.v1.users.UserService/").
func served(prefix string, h http.Handler) servedService {
	d, err := protoregistry.GlobalFiles.FindDescriptorByName(protoreflect.FullName(strings.Trim(prefix, "/")))
	if err != nil {
		panic("scalekit: no descriptor for " + prefix + ": " + err.Error())
	}
	return servedService{prefix: prefix, handler: h, desc: d.(protoreflect.ServiceDescriptor)}
}

// serve answers one call whose path, with any /scalekit prefix removed,
// is procedure.
func (g *grpcFace) serve(w http.ResponseWriter, r *http.Request, procedure string) {
	ctx := context.WithValue(r.Context(), callInfoKey{}, callInfo{
		requestID: wire.RequestID(w), issuer: wire.BaseURL(r, g.s.base), whatIf: r.Header.Get(wire.WhatIfHeader),
	})
	if !g.known[procedure] {
		g.s.grpcUnimplemented(w, r.WithContext(ctx))
		return
	}
	r2 := r.Clone(ctx)
	r2.URL.Path = procedure
	r2.URL.RawPath = ""
	g.handlers[procedure[:strings.LastIndexByte(procedure, '/')+1]].ServeHTTP(w, r2)
	g.logStatus(w, r.Proto, procedure)
}

// logStatus adds the gRPC status to the request log: the HTTP status of a
// gRPC answer is 200 whatever happened.
func (g *grpcFace) logStatus(w http.ResponseWriter, proto, procedure string) {
	if g.s.logf == nil {
		return
	}
	h := w.Header()
	code, message := h.Get("Grpc-Status"), h.Get("Grpc-Message")
	if code == "" { // not trailers-only: the status went out as a trailer
		code, message = h.Get(http.TrailerPrefix+"Grpc-Status"), h.Get(http.TrailerPrefix+"Grpc-Message")
	}
	if code == "" {
		return // not a gRPC answer (Connect or a refused content type)
	}
	if unescaped, err := url.PathUnescape(message); err == nil {
		message = unescaped
	}
	line := fmt.Sprintf("gRPC %s %s grpc-status %s", proto, model.Sanitize(procedure), code)
	if message != "" {
		line += " " + model.Sanitize(message)
	}
	g.s.logf("%s", line)
}

// grpcUnimplemented answers a gRPC call to a service or method the
// sandbox does not serve with UNIMPLEMENTED (12), trailers-only.
func (s *Service) grpcUnimplemented(w http.ResponseWriter, r *http.Request) {
	err := grpcError(r.Context(), connect.CodeUnimplemented,
		"the sandbox does not serve "+model.Sanitize(r.URL.Path), "UNIMPLEMENTED")
	s.grpc.errors.Write(w, r, err)
	s.grpc.logStatus(w, r.Proto, r.URL.Path)
}

func (s *Service) routeScalekitGRPC(base string) {
	s.grpc = s.newGRPCFace()
	for prefix := range s.grpc.handlers {
		s.mux.HandleFunc(base+prefix, func(w http.ResponseWriter, r *http.Request) {
			s.grpc.serve(w, r, strings.TrimPrefix(r.URL.Path, base))
		})
		// At the root only over TLS, where grpcio always calls: without TLS
		// the root belongs to the index and its 404s.
		s.mux.HandleFunc(prefix, func(w http.ResponseWriter, r *http.Request) {
			if r.TLS == nil {
				wire.ServeUnknown(w, r)
				return
			}
			s.grpc.serve(w, r, r.URL.Path)
		})
	}
}

package scalekit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"connectrpc.com/connect"
	connpb "github.com/authscope/authscope/sandbox/scalekit/scalekitpb/connections"
	dompb "github.com/authscope/authscope/sandbox/scalekit/scalekitpb/domains"
	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb/errdetails"
	"github.com/authscope/authscope/sandbox/wire"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// The REST face of the services beyond organizations, as grpc-gateway
// serves them: each route fills the request message from the path, the
// query and the JSON body, calls the same method the gRPC face calls, and
// writes the answer with the proto field names, or the error in the
// gateway's shape with its ErrorInfo.

var restJSON = protojson.MarshalOptions{UseProtoNames: true, EmitUnpopulated: true}

var restRead = protojson.UnmarshalOptions{DiscardUnknown: true}

// restCtx is the context a REST call runs in: the same call info the gRPC
// face puts there.
func (s *Service) restCtx(w http.ResponseWriter, r *http.Request) context.Context {
	return context.WithValue(r.Context(), callInfoKey{}, callInfo{requestID: wire.RequestID(w), issuer: wire.BaseURL(r, s.base)})
}

// readBody decodes a JSON body into msg (an empty body leaves it as is);
// false after answering with the error.
func readBody(w http.ResponseWriter, r *http.Request, msg proto.Message) bool {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		if wire.TooLarge(err) {
			grpcFail(w, grpcResourceExhausted, "request body too large", "RESOURCE_EXHAUSTED")
			return false
		}
		grpcFail(w, grpcInvalidArgument, "the body could not be read", "INVALID_ARGUMENT")
		return false
	}
	if len(strings.TrimSpace(string(b))) == 0 {
		return true
	}
	if err := restRead.Unmarshal(b, msg); err != nil {
		grpcFail(w, grpcInvalidArgument, "invalid JSON body", "INVALID_ARGUMENT")
		return false
	}
	return true
}

// restAnswer writes a gRPC method's result over REST.
func restAnswer[T any, PT interface {
	*T
	proto.Message
}](w http.ResponseWriter, status int, res *connect.Response[T], err error) {
	if err != nil {
		restError(w, err)
		return
	}
	b, merr := restJSON.Marshal(PT(res.Msg))
	var compact bytes.Buffer
	if merr != nil || json.Compact(&compact, b) != nil { // protojson varies its spacing on purpose: make it stable
		grpcFail(w, grpcInternal, "could not encode the answer", "INTERNAL")
		return
	}
	wire.Write(w, status, wire.JSONBare, compact.Bytes())
}

// restToggle answers PATCH {id}:enable and {id}:disable: the request is
// made from the id before the colon, the verb after it picks the call, any
// other verb is not found.
func restToggle[Req, Res any, PRes interface {
	*Res
	proto.Message
}](s *Service, enable, disable func(context.Context, *connect.Request[Req]) (*connect.Response[Res], error), build func(r *http.Request, id string) *Req) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, verb, _ := strings.Cut(r.PathValue("id"), ":")
		var call func(context.Context, *connect.Request[Req]) (*connect.Response[Res], error)
		switch verb {
		case "enable":
			call = enable
		case "disable":
			call = disable
		default:
			grpcFail(w, grpcNotFound, "Not Found", "")
			return
		}
		res, err := call(s.restCtx(w, r), connect.NewRequest(build(r, id)))
		restAnswer[Res, PRes](w, http.StatusOK, res, err)
	}
}

// restError turns a connect error into the gateway's error body.
func restError(w http.ResponseWriter, err error) {
	var ce *connect.Error
	if !errors.As(err, &ce) {
		grpcFail(w, grpcInternal, err.Error(), "INTERNAL")
		return
	}
	code, errorCode := int(ce.Code()), ""
	var violations []fieldViolation
	for _, d := range ce.Details() {
		v, derr := d.Value()
		if info, ok := v.(*errdetails.ErrorInfo); derr == nil && ok {
			errorCode = info.GetErrorCode()
			for _, f := range info.GetValidationErrorInfo().GetFieldViolations() {
				violations = append(violations, fieldViolation{Field: f.GetField(), Description: f.GetDescription()})
			}
		}
	}
	grpcFail(w, code, ce.Message(), errorCode, violations...)
}

// routeSSORest mounts the Connections and Domains REST routes.
func (s *Service) routeSSORest(base string) {
	conns, doms := &connService{s: s}, &domainService{s: s}
	methods := func(m map[string]http.HandlerFunc) http.Handler {
		for k, h := range m {
			m[k] = s.scalekitAuth(h)
		}
		return wire.Methods{Handlers: m, Refuse: grpcMethodNotAllowed}
	}
	org := base + "/api/v1/organizations/{organization_id}"
	s.mux.Handle(base+"/api/v1/connections", methods(map[string]http.HandlerFunc{
		http.MethodGet: func(w http.ResponseWriter, r *http.Request) {
			q := r.URL.Query()
			req := &connpb.ListConnectionsRequest{}
			if v := q.Get("organization_id"); v != "" {
				req.OrganizationId = &v
			}
			if v := q.Get("domain"); v != "" {
				req.Domain = &v
			}
			res, err := conns.ListConnections(s.restCtx(w, r), connect.NewRequest(req))
			restAnswer(w, http.StatusOK, res, err)
		},
	}))
	s.mux.Handle(org+"/connections", methods(map[string]http.HandlerFunc{
		http.MethodPost: func(w http.ResponseWriter, r *http.Request) {
			in := &connpb.CreateConnection{}
			if !readBody(w, r, in) {
				return
			}
			res, err := conns.CreateConnection(s.restCtx(w, r), connect.NewRequest(&connpb.CreateConnectionRequest{
				OrganizationId: r.PathValue("organization_id"), Connection: in}))
			restAnswer(w, http.StatusOK, res, err)
		},
	}))
	s.mux.Handle(org+"/connections/{id}", methods(map[string]http.HandlerFunc{
		http.MethodGet: func(w http.ResponseWriter, r *http.Request) {
			res, err := conns.GetConnection(s.restCtx(w, r), connect.NewRequest(&connpb.GetConnectionRequest{
				OrganizationId: r.PathValue("organization_id"), Id: r.PathValue("id")}))
			restAnswer(w, http.StatusOK, res, err)
		},
		http.MethodDelete: func(w http.ResponseWriter, r *http.Request) {
			res, err := conns.DeleteConnection(s.restCtx(w, r), connect.NewRequest(&connpb.DeleteConnectionRequest{
				OrganizationId: r.PathValue("organization_id"), Id: r.PathValue("id")}))
			restAnswer(w, http.StatusOK, res, err)
		},
		http.MethodPatch: restToggle(s, conns.EnableConnection, conns.DisableConnection, func(r *http.Request, id string) *connpb.ToggleConnectionRequest {
			return &connpb.ToggleConnectionRequest{OrganizationId: r.PathValue("organization_id"), Id: id}
		}),
	}))
	s.mux.Handle(org+"/domains", methods(map[string]http.HandlerFunc{
		http.MethodGet: func(w http.ResponseWriter, r *http.Request) {
			q := r.URL.Query()
			req := &dompb.ListDomainRequest{Identities: &dompb.ListDomainRequest_OrganizationId{OrganizationId: r.PathValue("organization_id")}}
			for name, dst := range map[string]**wrapperspb.Int32Value{"page_size": &req.PageSize, "page_number": &req.PageNumber} {
				if raw := q.Get(name); raw != "" {
					n, err := strconv.ParseInt(raw, 10, 32)
					if err != nil {
						grpcFail(w, grpcInvalidArgument, "invalid "+name, "INVALID_ARGUMENT", fieldViolation{Field: name, Description: "value must be a number"})
						return
					}
					*dst = wrapperspb.Int32(int32(n))
				}
			}
			if raw := q.Get("domain_type"); raw != "" {
				req.DomainType = dompb.DomainType(dompb.DomainType_value[raw])
			}
			res, err := doms.ListDomains(s.restCtx(w, r), connect.NewRequest(req))
			restAnswer(w, http.StatusOK, res, err)
		},
		http.MethodPost: func(w http.ResponseWriter, r *http.Request) {
			in := &dompb.CreateDomain{}
			if !readBody(w, r, in) {
				return
			}
			res, err := doms.CreateDomain(s.restCtx(w, r), connect.NewRequest(&dompb.CreateDomainRequest{
				Identities: &dompb.CreateDomainRequest_OrganizationId{OrganizationId: r.PathValue("organization_id")}, Domain: in}))
			restAnswer(w, http.StatusOK, res, err)
		},
	}))
	s.mux.Handle(org+"/domains/{id}", methods(map[string]http.HandlerFunc{
		http.MethodGet: func(w http.ResponseWriter, r *http.Request) {
			res, err := doms.GetDomain(s.restCtx(w, r), connect.NewRequest(&dompb.GetDomainRequest{
				Identities: &dompb.GetDomainRequest_OrganizationId{OrganizationId: r.PathValue("organization_id")}, Id: r.PathValue("id")}))
			restAnswer(w, http.StatusOK, res, err)
		},
		http.MethodDelete: func(w http.ResponseWriter, r *http.Request) {
			res, err := doms.DeleteDomain(s.restCtx(w, r), connect.NewRequest(&dompb.DeleteDomainRequest{
				Identities: &dompb.DeleteDomainRequest_OrganizationId{OrganizationId: r.PathValue("organization_id")}, Id: r.PathValue("id")}))
			restAnswer(w, http.StatusOK, res, err)
		},
	}))
}

// wireMethods routes by method; the others get the gateway's 405.
func wireMethods(m map[string]http.HandlerFunc) http.Handler {
	return wire.Methods{Handlers: m, Refuse: grpcMethodNotAllowed}
}

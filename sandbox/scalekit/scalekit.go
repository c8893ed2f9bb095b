package scalekit

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/sandbox/wire"
)

// gRPC status codes the Scalekit gateway answers with, and the HTTP status
// grpc-gateway maps each to.
const (
	grpcInvalidArgument    = 3
	grpcNotFound           = 5
	grpcAlreadyExists      = 6
	grpcResourceExhausted  = 8
	grpcFailedPrecondition = 9
	grpcUnimplemented      = 12
	grpcInternal           = 13
	grpcUnauthenticated    = 16
)

var grpcHTTPStatus = map[int]int{
	1: 499, 2: http.StatusInternalServerError, grpcInvalidArgument: http.StatusBadRequest, 4: http.StatusGatewayTimeout,
	grpcNotFound: http.StatusNotFound, grpcAlreadyExists: http.StatusConflict, 7: http.StatusForbidden,
	grpcResourceExhausted: http.StatusTooManyRequests, grpcFailedPrecondition: http.StatusBadRequest, 10: http.StatusConflict,
	11:                http.StatusBadRequest,
	grpcUnimplemented: http.StatusMethodNotAllowed, // the gateway's own answer to a wrong method
	grpcInternal:      http.StatusInternalServerError, 14: http.StatusServiceUnavailable, 15: http.StatusInternalServerError,
	grpcUnauthenticated: http.StatusUnauthorized,
}

const errorInfoType = "type.googleapis.com/scalekit.v1.errdetails.ErrorInfo"

type fieldViolation struct {
	Field       string `json:"field"`
	Description string `json:"description"`
}

type validationErrorInfo struct {
	FieldViolations []fieldViolation `json:"field_violations"`
}

type errorInfo struct {
	Type       string               `json:"@type"`
	ErrorCode  string               `json:"error_code"`
	Validation *validationErrorInfo `json:"validation_error_info,omitempty"`
}

// grpcStatus is the grpc-gateway error body.
type grpcStatus struct {
	Code    int         `json:"code"`
	Message string      `json:"message"`
	Details []errorInfo `json:"details"`
}

// grpcFail answers with Scalekit's ErrorInfo detail; errorCode "" leaves
// details empty, as the gateway's own routing errors do.
func grpcFail(w http.ResponseWriter, code int, message, errorCode string, violations ...fieldViolation) {
	st := grpcStatus{Code: code, Message: message, Details: []errorInfo{}}
	if errorCode != "" {
		info := errorInfo{Type: errorInfoType, ErrorCode: errorCode}
		if len(violations) > 0 {
			info.Validation = &validationErrorInfo{FieldViolations: violations}
		}
		st.Details = append(st.Details, info)
	}
	wire.Write(w, grpcHTTPStatus[code], wire.JSONBare, wire.Encode(st))
}

func (s *Service) routeScalekit(base string) {
	tokenOnly := wire.Methods{Handlers: map[string]http.HandlerFunc{http.MethodPost: s.serveToken},
		Refuse: func(w http.ResponseWriter, r *http.Request, allow string) {
			tokenFail(w, http.StatusMethodNotAllowed, "invalid_request", "the token endpoint accepts "+allow+" only")
		}}
	get := func(h http.HandlerFunc) http.Handler {
		return wire.Methods{Handlers: map[string]http.HandlerFunc{http.MethodGet: h}, Refuse: grpcMethodNotAllowed}
	}
	s.mux.Handle(base+"/oauth/token", tokenOnly)
	s.mux.Handle(base+"/oauth/authorize", wire.Methods{Handlers: map[string]http.HandlerFunc{http.MethodGet: s.serveAuthorize},
		Refuse: func(w http.ResponseWriter, r *http.Request, allow string) {
			writePage(w, http.StatusMethodNotAllowed, pageData{Title: "Sign-in request refused", Error: "the authorization endpoint accepts " + allow + " only"})
		}})
	s.mux.Handle(base+"/oidc/logout", wire.Methods{Handlers: map[string]http.HandlerFunc{http.MethodGet: s.serveLogout},
		Refuse: func(w http.ResponseWriter, r *http.Request, allow string) {
			writePage(w, http.StatusMethodNotAllowed, pageData{Title: "Sign-out request refused", Error: "the logout endpoint accepts " + allow + " only"})
		}})
	s.mux.Handle(base+"/keys", get(s.serveJWKS))
	s.mux.Handle(base+"/.well-known/openid-configuration", get(s.serveDiscovery))
	s.mux.Handle(base+"/api/v1/organizations", wire.Methods{Handlers: map[string]http.HandlerFunc{
		http.MethodGet: s.scalekitAuth(s.listOrganizations), http.MethodPost: s.scalekitAuth(s.createOrganizationREST),
	}, Refuse: grpcMethodNotAllowed})
	s.mux.Handle(base+"/api/v1/organizations/{id}", get(s.scalekitAuth(s.getOrganization)))
	s.routeSSORest(base)
	s.routePeopleREST(base)
	s.routeScalekitGRPC(base)
	s.mux.HandleFunc(base+"/", func(w http.ResponseWriter, r *http.Request) {
		if IsGRPC(r) { // a service or method the gRPC face does not serve
			s.grpcUnimplemented(w, r)
			return
		}
		grpcFail(w, grpcNotFound, "Not Found", "")
	})
}

func grpcMethodNotAllowed(w http.ResponseWriter, r *http.Request, allow string) {
	grpcFail(w, grpcUnimplemented, "Method Not Allowed", "")
}

func (s *Service) serveJWKS(w http.ResponseWriter, r *http.Request) {
	keys, err := s.keys.load()
	if err != nil {
		grpcFail(w, grpcInternal, "signing key unavailable", "INTERNAL")
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	wire.Write(w, http.StatusOK, wire.JSONBare, keys.jwks)
}

type discovery struct {
	Issuer                 string   `json:"issuer"`
	AuthorizationEndpoint  string   `json:"authorization_endpoint"`
	TokenEndpoint          string   `json:"token_endpoint"`
	JWKSURI                string   `json:"jwks_uri"`
	EndSessionEndpoint     string   `json:"end_session_endpoint"`
	ResponseTypes          []string `json:"response_types_supported"`
	ResponseModes          []string `json:"response_modes_supported"`
	SubjectTypes           []string `json:"subject_types_supported"`
	SigningAlgs            []string `json:"id_token_signing_alg_values_supported"`
	Scopes                 []string `json:"scopes_supported"`
	Claims                 []string `json:"claims_supported"`
	GrantTypes             []string `json:"grant_types_supported"`
	TokenEndpointAuthMeths []string `json:"token_endpoint_auth_methods_supported"`
	CodeChallengeMethods   []string `json:"code_challenge_methods_supported"`
}

// serveDiscovery lists exactly what the sandbox serves: no userinfo or
// introspection endpoint, S256 only, the claims its ID tokens carry.
func (s *Service) serveDiscovery(w http.ResponseWriter, r *http.Request) {
	iss := wire.BaseURL(r, s.base)
	p, _ := model.Lookup("scalekit")
	wire.Write(w, http.StatusOK, wire.JSONBare, wire.Encode(discovery{
		Issuer: iss, AuthorizationEndpoint: iss + "/oauth/authorize", TokenEndpoint: iss + p.TokenPath, JWKSURI: iss + p.JWKSPath,
		EndSessionEndpoint: iss + "/oidc/logout",
		ResponseTypes:      []string{"code"}, ResponseModes: []string{"query"}, SubjectTypes: []string{"public"}, SigningAlgs: []string{"RS256"},
		Scopes:                 allowedUserScopes,
		Claims:                 []string{"iss", "sub", "aud", "exp", "iat", "nonce", "amr", "azp", "at_hash", "c_hash", "sid", "oid", "email", "email_verified", "name", "given_name", "family_name", "identities"},
		GrantTypes:             []string{"authorization_code", "client_credentials", "refresh_token"},
		TokenEndpointAuthMeths: []string{"client_secret_post", "client_secret_basic"},
		CodeChallengeMethods:   []string{"S256"},
	}))
}

// scalekitAuth checks the access token with the environment's own public
// key, the way the API behind the gateway does.
func (s *Service) scalekitAuth(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || strings.TrimSpace(token) == "" {
			grpcFail(w, grpcUnauthenticated, "Token empty", "UNAUTHENTICATED")
			return
		}
		if problem := s.managementToken(token, wire.BaseURL(r, s.base)); problem != "" {
			grpcFail(w, grpcUnauthenticated, problem, "UNAUTHENTICATED")
			return
		}
		if r.Header.Get(wire.WhatIfHeader) == string(model.WhatIfRateLimit) {
			w.Header().Set("Retry-After", strconv.Itoa(wire.RetryAfterSeconds))
			grpcFail(w, grpcResourceExhausted, "Too many requests", "RESOURCE_EXHAUSTED")
			return
		}
		next(w, r)
	}
}

type orgList struct {
	NextPageToken string         `json:"next_page_token"`
	TotalSize     int            `json:"total_size"`
	Organizations []organization `json:"organizations"`
	PrevPageToken string         `json:"prev_page_token"`
}

func (s *Service) listOrganizations(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	size := 0
	if raw := q.Get("page_size"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil {
			n = -1
		}
		size = n
	}
	var keep func(organization) bool
	if ext := q.Get("external_id"); ext != "" {
		keep = func(o organization) bool { return o.ExternalID == ext }
	}
	page, problem := pageOrganizations(s.orgs.matching(keep), size, q.Get("page_token"))
	if problem != nil {
		grpcFail(w, grpcInvalidArgument, problem.message, "INVALID_ARGUMENT", problem.violation)
		return
	}
	wire.Write(w, http.StatusOK, wire.JSONBare, wire.Encode(page))
}

// pageProblem is a paging request Scalekit refuses.
type pageProblem struct {
	message   string
	violation fieldViolation
}

// pageOrganizations cuts one page out of matching: size 0 means 10,
// otherwise 1..100 (the SDKs' own tests list with 1 against the real
// API); token is a next or prev token from an earlier page. Both faces
// page the same way.
func pageOrganizations(matching []organization, size int, token string) (orgList, *pageProblem) {
	w, problem := pageWindow(len(matching), size, token)
	if problem != nil {
		return orgList{}, problem
	}
	return orgList{TotalSize: len(matching), Organizations: matching[w.start:w.end:w.end], NextPageToken: w.next, PrevPageToken: w.prev}, nil
}

// window is one page of a list: [start, end) and the tokens around it.
type window struct {
	start, end int
	next, prev string
}

// pageWindow is the paging every Scalekit list shares: page_size 0 means
// 10, otherwise 1..100; page tokens are offsets, checked against total.
func pageWindow(total, size int, token string) (window, *pageProblem) {
	if size == 0 {
		size = 10
	}
	if size < 1 || size > 100 {
		return window{}, &pageProblem{"invalid page_size: must be between 1 and 100",
			fieldViolation{Field: "page_size", Description: "value must be between 1 and 100"}}
	}
	offset := 0
	if token != "" {
		n, ok := decodePageToken(token, total)
		if !ok {
			return window{}, &pageProblem{"invalid page token",
				fieldViolation{Field: "page_token", Description: "pass the next_page_token or prev_page_token of a previous response"}}
		}
		offset = n
	}
	w := window{start: offset, end: min(offset+size, total)}
	if w.end < total {
		w.next = encodePageToken(w.end)
	}
	if offset > 0 {
		w.prev = encodePageToken(max(offset-size, 0))
	}
	return w, nil
}

func encodePageToken(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("page:" + strconv.Itoa(offset)))
}

func decodePageToken(raw string, total int) (int, bool) {
	b, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil {
		return 0, false
	}
	n, ok := strings.CutPrefix(string(b), "page:")
	offset, err := strconv.Atoi(n)
	if !ok || err != nil || offset < 0 || offset > total {
		return 0, false
	}
	return offset, true
}

// writeOrganization answers with {"organization": o}, as creating and
// getting one over REST do.
func writeOrganization(w http.ResponseWriter, status int, o organization) {
	wire.Write(w, status, wire.JSONBare, wire.Encode(struct {
		Organization organization `json:"organization"`
	}{o}))
}

func (s *Service) getOrganization(w http.ResponseWriter, r *http.Request) {
	o, ok := s.orgs.get(orgRef{id: r.PathValue("id")})
	if !ok {
		grpcFail(w, grpcNotFound, "organization not found", "NOT_FOUND")
		return
	}
	writeOrganization(w, http.StatusOK, o)
}

package scalekit

import (
	"context"
	"strings"

	"connectrpc.com/connect"
	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb/tokens"
	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb/tokens/tokensconnect"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// ---- API tokens: scalekit.v1.tokens.ApiTokenService

type apiTokenService struct {
	tokensconnect.UnimplementedApiTokenServiceHandler
	s *Service
}

// maxTokenArg bounds what ValidateToken and InvalidateToken take: a token
// value (apiTokenPrefix and 43 characters) or an id, never more.
const maxTokenArg = 200

// apiTokenArg checks a token given by value or id.
func apiTokenArg(ctx context.Context, v string) error {
	if v == "" || len(v) > maxTokenArg || badText(v) || strings.ContainsAny(v, " /") {
		return invalid(ctx, fieldViolation{Field: "token", Description: "value must be a token or its id (apit_…), at most 200 characters"})
	}
	return nil
}

// apiTokenToProto is a token as Scalekit shows it after creation: its id
// and last four characters, never its value. The organization's external
// id and the user's are read now, so they follow later changes.
func (s *Service) apiTokenToProto(t apiToken) *tokens.Token {
	out := &tokens.Token{TokenId: t.ID, OrganizationId: t.OrgID, CustomClaims: t.CustomClaims, CreatedAt: timestamppb.New(t.Created), TokenSuffix: t.Suffix}
	if o, ok := s.orgs.get(orgRef{id: t.OrgID}); ok {
		out.OrganizationExternalId = o.ExternalID
	}
	if t.Description != "" {
		out.Description = &t.Description
	}
	if !t.Expiry.IsZero() {
		out.Expiry = timestamppb.New(t.Expiry)
	}
	if t.UserID != "" {
		out.UserId = &t.UserID
		if u, ok := s.dir.user(t.UserID); ok {
			out.Email = &u.Email
			if u.ExternalID != "" {
				out.UserExternalId = &u.ExternalID
			}
			if m, ok := u.membershipIn(t.OrgID); ok {
				out.Roles = m.Roles
			}
		}
	}
	return out
}

func (a *apiTokenService) CreateToken(ctx context.Context, req *connect.Request[tokens.CreateTokenRequest]) (*connect.Response[tokens.CreateTokenResponse], error) {
	in := req.Msg.GetToken()
	orgID, err := a.s.orgIDOf(ctx, in.GetOrganizationId(), "")
	if err != nil {
		return nil, err
	}
	if bad := checkID(in.GetUserId()); bad != "" {
		return nil, invalid(ctx, fieldViolation{Field: "token.user_id", Description: bad})
	}
	if len(in.GetCustomClaims()) > maxCustomClaims {
		return nil, invalid(ctx, fieldViolation{Field: "token.custom_claims", Description: "at most 20 custom claims"})
	}
	for k, v := range in.GetCustomClaims() {
		// Scalekit refuses an empty claim value (its Go SDK's UpdateToken notes).
		if k == "" || v == "" || len(k) > 100 || len(v) > 1000 || badText(k) || badText(v) {
			return nil, invalid(ctx, fieldViolation{Field: "token.custom_claims", Description: "keys are 1 to 100 characters, values 1 to 1000"})
		}
	}
	if err := checkText(ctx, "token.description", in.GetDescription(), 500); err != nil {
		return nil, err
	}
	t := apiToken{OrgID: orgID, UserID: in.GetUserId(), Description: in.GetDescription(), CustomClaims: in.GetCustomClaims()}
	if in.GetExpiry() != nil {
		if err := in.GetExpiry().CheckValid(); err != nil || !in.GetExpiry().AsTime().After(a.s.now()) {
			return nil, invalid(ctx, fieldViolation{Field: "token.expiry", Description: "value must be a time in the future"})
		}
		t.Expiry = in.GetExpiry().AsTime().UTC()
	}
	made, value, problem := a.s.dir.addAPIToken(t, a.s.now())
	if problem != "" {
		return nil, grpcError(ctx, connect.CodeFailedPrecondition, problem, "FAILED_PRECONDITION")
	}
	return connect.NewResponse(&tokens.CreateTokenResponse{Token: value, TokenId: made.ID, TokenInfo: a.s.apiTokenToProto(made)}), nil
}

// ValidateToken takes the token's value or its id, as both SDKs document;
// an unknown, invalidated or expired token is NOT_FOUND, which both map
// to their token-validation failure.
func (a *apiTokenService) ValidateToken(ctx context.Context, req *connect.Request[tokens.ValidateTokenRequest]) (*connect.Response[tokens.ValidateTokenResponse], error) {
	if err := apiTokenArg(ctx, req.Msg.GetToken()); err != nil {
		return nil, err
	}
	t, ok := a.s.dir.validAPIToken(req.Msg.GetToken(), a.s.now())
	if !ok {
		return nil, grpcError(ctx, connect.CodeNotFound, "token not found, invalidated or expired", "NOT_FOUND")
	}
	return connect.NewResponse(&tokens.ValidateTokenResponse{TokenInfo: a.s.apiTokenToProto(t)}), nil
}

// InvalidateToken is idempotent: a token already gone is success (Scalekit's
// Go SDK's TestInvalidateTokenIdempotent).
func (a *apiTokenService) InvalidateToken(ctx context.Context, req *connect.Request[tokens.InvalidateTokenRequest]) (*connect.Response[emptypb.Empty], error) {
	if err := apiTokenArg(ctx, req.Msg.GetToken()); err != nil {
		return nil, err
	}
	a.s.dir.removeAPIToken(req.Msg.GetToken())
	return connect.NewResponse(&emptypb.Empty{}), nil
}

func (a *apiTokenService) ListTokens(ctx context.Context, req *connect.Request[tokens.ListTokensRequest]) (*connect.Response[tokens.ListTokensResponse], error) {
	orgID, err := a.s.orgIDOf(ctx, req.Msg.GetOrganizationId(), "")
	if err != nil {
		return nil, err
	}
	if bad := checkID(req.Msg.GetUserId()); bad != "" {
		return nil, invalid(ctx, fieldViolation{Field: "user_id", Description: bad})
	}
	// Scalekit's SDKs document 30 as this list's largest page, not 100;
	// 0, not sent, is the default.
	if req.Msg.GetPageSize() < 0 || req.Msg.GetPageSize() > 30 {
		return nil, invalid(ctx, fieldViolation{Field: "page_size", Description: "value must be between 1 and 30"})
	}
	all := a.s.dir.apiTokensOf(orgID, req.Msg.GetUserId())
	w, problem := pageWindow(len(all), int(req.Msg.GetPageSize()), req.Msg.GetPageToken())
	if problem != nil {
		return nil, invalid(ctx, problem.violation)
	}
	out := &tokens.ListTokensResponse{TotalCount: int32(len(all)), NextPageToken: w.next, PrevPageToken: w.prev}
	for _, t := range all[w.start:w.end] {
		out.Tokens = append(out.Tokens, a.s.apiTokenToProto(t))
	}
	return connect.NewResponse(out), nil
}

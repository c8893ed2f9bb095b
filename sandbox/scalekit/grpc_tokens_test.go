package scalekit_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb/tokens"
	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb/tokens/tokensconnect"
	"google.golang.org/protobuf/types/known/timestamppb"
)

const grace = "usr_59615193906282646" // a member of the sandbox organization

func newTokens(t *testing.T) (*people, tokensconnect.ApiTokenServiceClient) {
	p := newPeople(t)
	return p, tokensconnect.NewApiTokenServiceClient(p.http, p.url+"/scalekit", connect.WithGRPC())
}

// An API token's value is shown once; validating by value or id gives the
// same token, with its suffix and never its value, until invalidated.
func TestGRPCAPITokens(t *testing.T) {
	p, tk := newTokens(t)
	ctx := context.Background()
	made, err := tk.CreateToken(ctx, req(p, &tokens.CreateTokenRequest{Token: &tokens.CreateToken{OrganizationId: model.SandboxOrgID, UserId: grace,
		Description: "ci", CustomClaims: map[string]string{"team": "eng"}}}))
	if err != nil {
		t.Fatal(err)
	}
	m := made.Msg
	if !strings.HasPrefix(m.TokenId, "apit_") || m.Token == "" || m.TokenInfo.GetTokenId() != m.TokenId || m.TokenInfo.GetUserId() != grace ||
		m.TokenInfo.GetEmail() == "" || len(m.TokenInfo.Roles) == 0 || m.TokenInfo.CustomClaims["team"] != "eng" || !strings.HasSuffix(m.Token, m.TokenInfo.TokenSuffix) {
		t.Fatalf("CreateToken: %v", m)
	}
	for _, by := range []string{m.Token, m.TokenId} {
		got, err := tk.ValidateToken(ctx, req(p, &tokens.ValidateTokenRequest{Token: by}))
		if err != nil || got.Msg.TokenInfo.GetTokenId() != m.TokenId || got.Msg.TokenInfo.GetOrganizationId() != model.SandboxOrgID {
			t.Errorf("ValidateToken: %v %v", got, err)
		}
		if got != nil && strings.Contains(got.Msg.String(), m.Token) {
			t.Error("ValidateToken shows the token's value")
		}
	}
	_, err = tk.ValidateToken(ctx, req(p, &tokens.ValidateTokenRequest{Token: m.Token + "x"}))
	wantCode(t, "a wrong token", err, connect.CodeNotFound, "NOT_FOUND")
	_, err = tk.ValidateToken(ctx, req(p, &tokens.ValidateTokenRequest{Token: strings.Repeat("a", 201)}))
	wantCode(t, "an overlong token", err, connect.CodeInvalidArgument, "INVALID_ARGUMENT")

	if _, err := tk.InvalidateToken(ctx, req(p, &tokens.InvalidateTokenRequest{Token: m.Token})); err != nil {
		t.Fatal(err)
	}
	_, err = tk.ValidateToken(ctx, req(p, &tokens.ValidateTokenRequest{Token: m.TokenId}))
	wantCode(t, "an invalidated token", err, connect.CodeNotFound, "NOT_FOUND")
	if _, err := tk.InvalidateToken(ctx, req(p, &tokens.InvalidateTokenRequest{Token: m.Token})); err != nil {
		t.Errorf("invalidating twice: %v", err)
	}
	_, err = tk.InvalidateToken(ctx, req(p, &tokens.InvalidateTokenRequest{}))
	wantCode(t, "invalidating no token", err, connect.CodeInvalidArgument, "INVALID_ARGUMENT")
}

func TestGRPCCreateTokenRefusals(t *testing.T) {
	p, tk := newTokens(t)
	ctx := context.Background()
	for name, c := range map[string]struct {
		in   *tokens.CreateToken
		code connect.Code
	}{
		"no organization":                {&tokens.CreateToken{}, connect.CodeInvalidArgument},
		"an unknown organization":        {&tokens.CreateToken{OrganizationId: "org_404"}, connect.CodeNotFound},
		"a malformed user id":            {&tokens.CreateToken{OrganizationId: model.SandboxOrgID, UserId: "usr_1/.."}, connect.CodeInvalidArgument},
		"a user of another organization": {&tokens.CreateToken{OrganizationId: "org_59615204871953291", UserId: grace}, connect.CodeFailedPrecondition},
		"an empty claim value":           {&tokens.CreateToken{OrganizationId: model.SandboxOrgID, CustomClaims: map[string]string{"env": ""}}, connect.CodeInvalidArgument},
		"an expiry in the past":          {&tokens.CreateToken{OrganizationId: model.SandboxOrgID, Expiry: timestamppb.New(time.Now().Add(-time.Hour))}, connect.CodeInvalidArgument},
	} {
		if _, err := tk.CreateToken(ctx, req(p, &tokens.CreateTokenRequest{Token: c.in})); connect.CodeOf(err) != c.code || errorInfoOf(t, err) == nil {
			t.Errorf("%s: %v, want %v", name, err, c.code)
		}
	}
	// The management API's own auth: no bearer, no token.
	if _, err := tk.CreateToken(ctx, connect.NewRequest(&tokens.CreateTokenRequest{Token: &tokens.CreateToken{OrganizationId: model.SandboxOrgID}})); connect.CodeOf(err) != connect.CodeUnauthenticated {
		t.Errorf("without a bearer token: %v", err)
	}
	// The cap: 50 per organization, then a one-line refusal.
	for i := 0; i < 60; i++ {
		_, err := tk.CreateToken(ctx, req(p, &tokens.CreateTokenRequest{Token: &tokens.CreateToken{OrganizationId: model.SandboxOrgID}}))
		if err != nil {
			wantCode(t, "a token past the cap", err, connect.CodeFailedPrecondition, "FAILED_PRECONDITION")
			if i != 50 {
				t.Errorf("refused after %d, want 50", i)
			}
			return
		}
	}
	t.Error("no cap on API tokens")
}

// ListTokens pages the organization's tokens, or one user's.
func TestGRPCListTokens(t *testing.T) {
	p, tk := newTokens(t)
	ctx := context.Background()
	var ids []string
	for i, user := range []string{"", grace, ""} {
		made, err := tk.CreateToken(ctx, req(p, &tokens.CreateTokenRequest{Token: &tokens.CreateToken{OrganizationId: model.SandboxOrgID, UserId: user,
			Expiry: timestamppb.New(time.Now().Add(time.Duration(i+1) * time.Hour))}}))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, made.Msg.TokenId)
	}
	page1, err := tk.ListTokens(ctx, req(p, &tokens.ListTokensRequest{OrganizationId: model.SandboxOrgID, PageSize: 2}))
	if err != nil || len(page1.Msg.Tokens) != 2 || page1.Msg.TotalCount != 3 || page1.Msg.NextPageToken == "" || page1.Msg.Tokens[0].TokenId != ids[0] {
		t.Fatalf("ListTokens page 1: %v %v", page1, err)
	}
	page2, err := tk.ListTokens(ctx, req(p, &tokens.ListTokensRequest{OrganizationId: model.SandboxOrgID, PageSize: 2, PageToken: page1.Msg.NextPageToken}))
	if err != nil || len(page2.Msg.Tokens) != 1 || page2.Msg.Tokens[0].TokenId != ids[2] {
		t.Errorf("ListTokens page 2: %v %v", page2, err)
	}
	graces, err := tk.ListTokens(ctx, req(p, &tokens.ListTokensRequest{OrganizationId: model.SandboxOrgID, UserId: ptr(grace)}))
	if err != nil || len(graces.Msg.Tokens) != 1 || graces.Msg.Tokens[0].TokenId != ids[1] {
		t.Errorf("ListTokens of a user: %v %v", graces, err)
	}
	if other, err := tk.ListTokens(ctx, req(p, &tokens.ListTokensRequest{OrganizationId: "org_59615204871953291"})); err != nil || len(other.Msg.Tokens) != 0 {
		t.Errorf("another organization's tokens: %v %v", other, err)
	}
	_, err = tk.ListTokens(ctx, req(p, &tokens.ListTokensRequest{OrganizationId: model.SandboxOrgID, PageSize: 31}))
	wantCode(t, "a page too large", err, connect.CodeInvalidArgument, "INVALID_ARGUMENT")
}

package scalekit_test

import (
	"context"
	"strings"
	"testing"

	"connectrpc.com/connect"
	"github.com/authscope/authscope/model"
	dirpb "github.com/authscope/authscope/sandbox/scalekit/scalekitpb/directories"
)

// CreateDirectory adds an enabled directory, listed after the seeded one;
// DeleteDirectory refuses it until it is disabled, as Scalekit does.
func TestGRPCCreateAndDeleteDirectory(t *testing.T) {
	p := newPeople(t)
	ctx := context.Background()
	made, err := p.dirs.CreateDirectory(ctx, req(p, &dirpb.CreateDirectoryRequest{OrganizationId: model.SandboxOrgID,
		Directory: &dirpb.CreateDirectory{DirectoryType: dirpb.DirectoryType_SCIM, DirectoryProvider: dirpb.DirectoryProvider_GOOGLE}}))
	if err != nil {
		t.Fatal(err)
	}
	d := made.Msg.Directory
	if !strings.HasPrefix(d.Id, "dir_") || !d.Enabled || d.OrganizationId != model.SandboxOrgID || d.DirectoryProvider != dirpb.DirectoryProvider_GOOGLE ||
		d.DirectoryType != dirpb.DirectoryType_SCIM || d.TotalUsers != 0 {
		t.Fatalf("CreateDirectory: %v", d)
	}
	if list, err := p.dirs.ListDirectories(ctx, req(p, &dirpb.ListDirectoriesRequest{OrganizationId: model.SandboxOrgID})); err != nil || len(list.Msg.Directories) != 2 || list.Msg.Directories[1].Id != d.Id {
		t.Errorf("ListDirectories: %v %v", list, err)
	}
	_, err = p.dirs.DeleteDirectory(ctx, req(p, &dirpb.DeleteDirectoryRequest{OrganizationId: model.SandboxOrgID, Id: d.Id}))
	wantCode(t, "deleting an enabled directory", err, connect.CodeInvalidArgument, "INVALID_ARGUMENT")
	if msg := connect.NewError(connect.CodeOf(err), err).Message(); !strings.Contains(msg, "directory is enabled") || !strings.Contains(msg, "disable") {
		t.Errorf("its message %q lacks Scalekit's words", msg)
	}
	if _, err := p.dirs.DisableDirectory(ctx, req(p, &dirpb.ToggleDirectoryRequest{OrganizationId: model.SandboxOrgID, Id: d.Id})); err != nil {
		t.Fatal(err)
	}
	if _, err := p.dirs.DeleteDirectory(ctx, req(p, &dirpb.DeleteDirectoryRequest{OrganizationId: model.SandboxOrgID, Id: d.Id})); err != nil {
		t.Fatal(err)
	}
	_, err = p.dirs.GetDirectory(ctx, req(p, &dirpb.GetDirectoryRequest{OrganizationId: model.SandboxOrgID, Id: d.Id}))
	wantCode(t, "a deleted directory", err, connect.CodeNotFound, "NOT_FOUND")
	_, err = p.dirs.DeleteDirectory(ctx, req(p, &dirpb.DeleteDirectoryRequest{OrganizationId: model.SandboxOrgID, Id: d.Id}))
	wantCode(t, "deleting it again", err, connect.CodeNotFound, "NOT_FOUND")
	_, err = p.dirs.DeleteDirectory(ctx, req(p, &dirpb.DeleteDirectoryRequest{OrganizationId: model.SandboxOrgID, Id: "dir_1/../x"}))
	wantCode(t, "a malformed directory id", err, connect.CodeInvalidArgument, "INVALID_ARGUMENT")

	_, err = p.dirs.CreateDirectory(ctx, req(p, &dirpb.CreateDirectoryRequest{OrganizationId: model.SandboxOrgID, Directory: &dirpb.CreateDirectory{}}))
	wantCode(t, "a directory with no type", err, connect.CodeInvalidArgument, "INVALID_ARGUMENT")
	_, err = p.dirs.CreateDirectory(ctx, req(p, &dirpb.CreateDirectoryRequest{OrganizationId: "org_404", Directory: &dirpb.CreateDirectory{DirectoryType: dirpb.DirectoryType_SCIM}}))
	wantCode(t, "an unknown organization", err, connect.CodeNotFound, "NOT_FOUND")
	// The cap: the seeded directory and four more, then a one-line refusal.
	for i := 0; i < 10; i++ {
		_, err := p.dirs.CreateDirectory(ctx, req(p, &dirpb.CreateDirectoryRequest{OrganizationId: model.SandboxOrgID, Directory: &dirpb.CreateDirectory{DirectoryType: dirpb.DirectoryType_LDAP}}))
		if err != nil {
			wantCode(t, "a directory past the cap", err, connect.CodeFailedPrecondition, "FAILED_PRECONDITION")
			if i != 4 {
				t.Errorf("refused after %d more, want 4", i)
			}
			break
		}
		if i == 9 {
			t.Error("no cap on directories")
		}
	}
}

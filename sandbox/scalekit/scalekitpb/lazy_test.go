package scalekitpb_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb"
)

// The generated packages register nothing at start-up (generate.sh turns
// protoc-gen-go's init funcs into Init), and Init registers every file
// and service the proto/ tree declares. A regeneration that skipped the
// rewrite would register at start-up again and fail the first half.
func TestDescriptorsAreRegisteredByInitNotAtStartUp(t *testing.T) {
	var files []string
	err := filepath.WalkDir("proto", func(path string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(path, ".proto") {
			files = append(files, strings.TrimPrefix(filepath.ToSlash(path), "proto/"))
		}
		return err
	})
	if err != nil || len(files) < 10 {
		t.Fatalf("found %d .proto files under proto/ (%v)", len(files), err)
	}
	for _, f := range files {
		if _, err := protoregistry.GlobalFiles.FindFileByPath(f); err == nil {
			t.Errorf("%s is registered before Init: its init func came back", f)
		}
	}
	scalekitpb.Init()
	scalekitpb.Init() // twice is harmless
	services := 0
	for _, f := range files {
		fd, err := protoregistry.GlobalFiles.FindFileByPath(f)
		if err != nil {
			t.Errorf("%s is not registered after Init: %v", f, err)
			continue
		}
		for i := 0; i < fd.Services().Len(); i++ {
			sd := fd.Services().Get(i)
			if _, err := protoregistry.GlobalFiles.FindDescriptorByName(sd.FullName()); err != nil {
				t.Errorf("service %s: %v", sd.FullName(), err)
			}
			services++
		}
		for i := 0; i < fd.Messages().Len(); i++ {
			md := fd.Messages().Get(i)
			if _, err := protoregistry.GlobalTypes.FindMessageByName(md.FullName()); err != nil {
				t.Errorf("message %s has no Go type: %v", md.FullName(), err)
			}
			checkFieldsResolve(t, md)
		}
	}
	if services < 8 {
		t.Errorf("%d services registered, want the 8 the sandbox serves", services)
	}
}

// checkFieldsResolve fails on a message field whose type never resolved
// (a placeholder): a dependency Init did not register.
func checkFieldsResolve(t *testing.T, md protoreflect.MessageDescriptor) {
	for i := 0; i < md.Fields().Len(); i++ {
		if m := md.Fields().Get(i).Message(); m != nil && m.IsPlaceholder() {
			t.Errorf("%s: field %s has an unresolved type %s", md.FullName(), md.Fields().Get(i).Name(), m.FullName())
		}
	}
}

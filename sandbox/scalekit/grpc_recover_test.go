package scalekit

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"connectrpc.com/connect"

	"github.com/authscope/authscope/sandbox/internal/sbtest"
	userpb "github.com/authscope/authscope/sandbox/scalekit/scalekitpb/users"
	"github.com/authscope/authscope/sandbox/wire"
)

// A handler built with the face's options that panics answers INTERNAL
// with a status the SDKs can read, and the log names the procedure but
// not the panic's value (it could hold a request's secret).
func TestAHandlerPanicIsInternalWithAStatus(t *testing.T) {
	var mu sync.Mutex
	var logged []string
	mux := http.NewServeMux()
	s := New(wire.Env{Mux: mux, Now: sbtest.FixedNow.Local, Logf: func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		logged = append(logged, fmt.Sprintf(format, args...))
	}}, wire.BasePath("scalekit"))
	const procedure = "/scalekit.v1.users.UserService/GetUser"
	panicking := connect.NewUnaryHandler(procedure, func(context.Context, *connect.Request[userpb.GetUserRequest]) (*connect.Response[userpb.GetUserResponse], error) {
		var m map[string]int
		m["the secret s3cr3t"]++ // a nil map: the kind of bug the Update handlers had
		return nil, nil
	}, s.handlerOptions()...)
	srv := httptest.NewServer(panicking)
	defer srv.Close()

	token, err := s.keys.issue(srv.URL, sbtest.ClientID, sbtest.FixedNow, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	client := connect.NewClient[userpb.GetUserRequest, userpb.GetUserResponse](srv.Client(), srv.URL+procedure)
	req := connect.NewRequest(&userpb.GetUserRequest{})
	req.Header().Set("Authorization", "Bearer "+token)
	_, err = client.CallUnary(context.Background(), req)
	var ce *connect.Error
	if !errors.As(err, &ce) || ce.Code() != connect.CodeInternal || !strings.Contains(ce.Message(), "the sandbox failed on this call") {
		t.Fatalf("a panicking handler answered %v, want INTERNAL with the sandbox's message", err)
	}
	mu.Lock()
	defer mu.Unlock()
	all := strings.Join(logged, "\n")
	if !strings.Contains(all, "a handler failed on "+procedure) || strings.Contains(all, "s3cr3t") {
		t.Errorf("log %q: want the procedure named and nothing of the panic's value", all)
	}
}

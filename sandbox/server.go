package sandbox

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/sandbox/scale"
	"github.com/authscope/authscope/sandbox/scalekit"
	"github.com/authscope/authscope/sandbox/scaling"
	"github.com/authscope/authscope/sandbox/wire"
)

// DefaultAddr is where Start listens when Options.Addr is empty: loopback,
// on a free port.
const DefaultAddr = "127.0.0.1:0"

// StableAddr is `authscope sandbox`'s default address, which the
// explorer's in-process sandbox also takes when it is free, so a snippet
// copied in one session still points at a sandbox in the next.
const StableAddr = "127.0.0.1:8787"

// Options configures a sandbox.
type Options struct {
	Addr             string                           // Start only; DefaultAddr when empty
	AllowNonLoopback bool                             // Start only; otherwise a non-loopback Addr is refused
	Logf             func(format string, args ...any) // one line per request (method, path, status); nil = silent
	TLS              bool                             // Start only: serve HTTPS (HTTP/2 and 1.1) with a certificate from a CA made at start
}

// Server is the sandbox: an http.Handler serving every provider under its
// SandboxPath. It is safe for concurrent use.
type Server struct {
	opts     Options
	mux      *http.ServeMux
	scaling  *scaling.Service
	scalekit *scalekit.Service
	scale    *scale.Service
	ca       *sandboxCA // Start with Options.TLS only

	listener     net.Listener
	http         *http.Server
	shutdownOnce sync.Once
	shutdownErr  error

	clock func() time.Time // time.Now; tests move it to expire tokens
}

func (s *Server) now() time.Time {
	if s.clock != nil {
		return s.clock()
	}
	return time.Now()
}

// New builds the handler. Nothing slow happens here: the RSA key is
// generated on the first token or JWKS request.
func New(opts Options) *Server {
	s := &Server{opts: opts, mux: http.NewServeMux()}
	s.mux.HandleFunc("/{$}", serveIndex)
	s.mux.HandleFunc("/", s.serveRootUnknown)
	env := wire.Env{Mux: s.mux, Now: s.now, Logf: opts.Logf}
	s.scaling = scaling.New(env, wire.BasePath("scaling"))
	s.scalekit = scalekit.New(env, wire.BasePath("scalekit"))
	s.scale = scale.New(env, wire.BasePath("scale"))
	return s
}

// ServeHTTP gives every response an X-Request-Id and bounds the body
// before the provider's handler sees the request (wire.Serve).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	wire.Serve(w, r, s.mux, s.opts.Logf)
}

func serveIndex(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintf(w, "authscope sandbox\n\nbase URLs:\n")
	for _, p := range model.Providers {
		fmt.Fprintf(w, "  %-9s %s%s\n", p.ID, wire.BaseURL(r, ""), p.SandboxPath)
	}
}

// serveRootUnknown is the root's 404; a gRPC call over TLS (grpcio's
// way, at the root) to a service not served gets UNIMPLEMENTED instead.
func (s *Server) serveRootUnknown(w http.ResponseWriter, r *http.Request) {
	if r.TLS != nil && scalekit.IsGRPC(r) {
		s.scalekit.ServeUnimplemented(w, r)
		return
	}
	wire.ServeUnknown(w, r)
}

// Start listens on opts.Addr (loopback unless opts.AllowNonLoopback) and
// serves in a goroutine until Close, or until ctx is cancelled.
func Start(ctx context.Context, opts Options) (*Server, error) {
	if opts.Addr == "" {
		opts.Addr = DefaultAddr
	}
	if err := CheckAddr(opts.Addr, opts.AllowNonLoopback); err != nil {
		return nil, err
	}
	l, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	if tcp, ok := l.Addr().(*net.TCPAddr); ok && !opts.AllowNonLoopback && !tcp.IP.IsLoopback() {
		l.Close() // "localhost" resolved somewhere else
		return nil, fmt.Errorf("sandbox: %s resolved to %s, which is not a loopback address", opts.Addr, tcp.IP)
	}
	s := New(opts)
	s.listener = l
	s.http = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		Protocols:         serverProtocols(opts.TLS),
		HTTP2:             http2Limits,
	}
	if opts.TLS {
		ca, err := newSandboxCA(time.Now())
		if err != nil {
			l.Close()
			return nil, fmt.Errorf("sandbox: making the TLS certificate authority: %w", err)
		}
		s.ca = ca
		s.http.TLSConfig = ca.serverConfig()
		go s.http.ServeTLS(l, "", "")
	} else {
		go s.http.Serve(l)
	}
	context.AfterFunc(ctx, func() { s.Close() })
	return s, nil
}

// CheckAddr refuses a listen address that is not loopback unless allowed:
// the sandbox accepts published demo credentials, so exposing it to a
// network must be a deliberate choice.
func CheckAddr(addr string, allowNonLoopback bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("sandbox: %q is not host:port (e.g. 127.0.0.1:8787)", addr)
	}
	if allowNonLoopback || model.IsLoopback(host) {
		return nil
	}
	shown := host
	if shown == "" {
		shown = "every interface"
	}
	return fmt.Errorf("sandbox: refusing to listen on %s: not a loopback address, and the sandbox accepts published demo credentials (allow it explicitly to expose it)", shown)
}

// URL is the server's base address, http://127.0.0.1:PORT, without a
// provider path; empty for a Server that was not started.
func (s *Server) URL() string {
	if s.listener == nil {
		return ""
	}
	if s.ca != nil {
		return "https://" + s.listener.Addr().String()
	}
	return "http://" + s.listener.Addr().String()
}

// Shutdown stops accepting connections and waits for requests in flight
// (and callbacks being delivered) until ctx ends. Later calls wait for the
// first to finish and return its result.
func (s *Server) Shutdown(ctx context.Context) error {
	s.shutdownOnce.Do(func() {
		if s.http != nil {
			s.shutdownErr = s.http.Shutdown(ctx)
			if errors.Is(s.shutdownErr, context.DeadlineExceeded) || errors.Is(s.shutdownErr, context.Canceled) {
				s.shutdownErr = s.http.Close()
			}
		}
		s.scale.Stop()
	})
	return s.shutdownErr
}

// Close shuts down, giving requests in flight two seconds.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	return s.Shutdown(ctx)
}

// The sandbox-only switches, named where clients of the sandbox (the
// sender, the what-if catalogue) can reach them without importing a
// provider package.
const (
	WhatIfHeader      = wire.WhatIfHeader
	RetryAfterSeconds = wire.RetryAfterSeconds
	TTLField          = scalekit.TTLField
	DefaultTokenTTL   = scalekit.DefaultTokenTTL
)

// GRPCServices names the Scalekit gRPC services the sandbox serves.
func (s *Server) GRPCServices() []string { return s.scalekit.GRPCServices() }

package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
	"github.com/authscope/authscope/sandbox"
)

const sandboxUsage = `
authscope sandbox — serve the built-in sandbox until interrupted (Ctrl-C).

One loopback server answers as all three providers do, byte for byte where
their docs show the bytes: Scaling under /scaling, Scalekit under /scalekit
(real RS256 tokens, JWKS, discovery), Scale AI under /scale (live and test
data kept apart). It accepts only the published demo credentials, which it
prints, and puts an X-Request-Id on every answer.

Scalekit's official SDKs call gRPC (scalekit.v1: organizations, users,
roles, M2M clients, sessions, directories, connections, domains): it is
served under /scalekit over HTTP/1.1 and h2c,
and, with --tls, at the root over HTTP/2 with TLS, the way the Python SDK
(grpcio) calls it. --tls makes a certificate authority at start (its key
never leaves memory), writes its certificate to a new file in a directory
of your own ($XDG_RUNTIME_DIR/authscope, else your cache directory's
authscope/sandbox; 0700, refused if another user owns it or can write to
it) or to --ca-cert, and prints the environment variables that make each
SDK and curl trust it (curl reads CURL_CA_BUNDLE, not SSL_CERT_FILE).

Usage:
  authscope sandbox [--addr 127.0.0.1:8787] [--allow-remote] [--quiet]
                    [--tls [--ca-cert PATH]]

Examples:
  authscope sandbox
  authscope sandbox --addr 127.0.0.1:0          # any free port
  authscope sandbox --tls
  authscope sandbox --tls --ca-cert ./sandbox-ca.pem
  authscope request --provider scaling --base-url http://127.0.0.1:8787/scaling --sample wrong-key
  curl -i http://127.0.0.1:8787/scale/v1/projects -u 'live_ScaleRocks:'

Sandbox-only switches (real providers never see them):
  header  X-Authscope-Whatif: rate-limit    an authorised request gets 429 with Retry-After
  form    authscope_ttl=SECONDS (1..86400)  a short-lived Scalekit token, to watch it expire

Other commands start their own sandbox on a free port when --env is sandbox
(the default); run this one to point curl, an SDK or a second terminal at it.
It listens on loopback only: --allow-remote is needed for any other address,
and exposes a server that accepts public credentials to that network.
`

func init() {
	addCommand("sandbox", newSandboxCmd)
	StartSandbox = startSharedSandbox
}

// sandboxFlags are the sandbox command's options.
type sandboxFlags struct {
	addr, caCert            string
	allowRemote, quiet, tls bool
}

func newSandboxCmd(io IO) *cobra.Command {
	var f sandboxFlags
	cmd := newCommand("serve the offline sandbox for every provider until interrupted", sandboxUsage)
	fs := cmd.Flags()
	fs.StringVar(&f.addr, "addr", "127.0.0.1:8787", "listen on this host:port (port 0 picks a free one)")
	fs.BoolVar(&f.allowRemote, "allow-remote", false, "allow a non-loopback --addr (anyone who can reach it can use the demo credentials)")
	fs.BoolVar(&f.quiet, "quiet", false, "do not log each request on stderr")
	fs.BoolVar(&f.tls, "tls", false, "serve HTTPS (HTTP/2 and 1.1) with a certificate from a CA made at start; gRPC also at the root")
	fs.StringVar(&f.caCert, "ca-cert", "", "with --tls: write the CA's certificate (PEM) here instead of a new file in a per-user directory")
	cmd.Args = noArgs
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		if !f.tls && cmd.Flags().Changed("ca-cert") {
			return Usagef("--ca-cert is for --tls only")
		}
		return runSandbox(cmd.Context(), io, f)
	}
	return cmd
}

func runSandbox(ctx context.Context, io IO, f sandboxFlags) error {
	if err := sandbox.CheckAddr(f.addr, f.allowRemote); err != nil {
		if strings.Contains(err.Error(), "not host:port") {
			return Usagef("--addr %q is not host:port, e.g. 127.0.0.1:8787", f.addr)
		}
		return Usagef("--addr %s is not a loopback address; the sandbox accepts published demo credentials, so pass --allow-remote to expose it on purpose", f.addr)
	}
	opts := sandbox.Options{Addr: f.addr, AllowNonLoopback: f.allowRemote, TLS: f.tls}
	if !f.quiet {
		var mu sync.Mutex // requests are served concurrently; keep lines whole
		opts.Logf = func(format string, args ...any) {
			mu.Lock()
			defer mu.Unlock()
			fmt.Fprintf(io.Err, "%s %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
		}
	}
	srv, err := sandbox.Start(ctx, opts)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return Usagef("%s is already in use (another sandbox?); pick another with --addr 127.0.0.1:0", f.addr)
		}
		return Usagef("%v", err)
	}
	caPath := ""
	if f.tls {
		// A fresh file in a private place: whoever could plant or swap it
		// would choose what every SDK in this shell trusts.
		if caPath, err = sandbox.WriteCACert(f.caCert, srv.CACertPEM()); err != nil {
			srv.Close()
			return Usagef("CA certificate: %v", err)
		}
		if f.caCert == "" {
			defer os.Remove(caPath) // made for this run only
		}
	}
	printSandboxBanner(io.Out, srv.URL(), f.allowRemote && !model.IsLoopback(hostOf(f.addr)), caPath)
	printSDKBanner(io.Out, srv.URL(), f.tls, caPath, srv.GRPCServices())
	<-ctx.Done()
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err = srv.Shutdown(shutdown)
	fmt.Fprintln(io.Err, "sandbox stopped")
	return err
}

// printSDKBanner says where the official SDKs find the gRPC face and, with
// TLS, how to make each trust the sandbox's CA.
func printSDKBanner(w io.Writer, url string, withTLS bool, caPath string, services []string) {
	short := make([]string, len(services))
	for i, name := range services {
		short[i] = name[strings.LastIndex(name, ".")+1:]
	}
	fmt.Fprintf(w, "\nOfficial SDKs (Scalekit gRPC, scalekit.v1: %s)\n", strings.Join(short, ", "))
	transport := "h2c or HTTP/1.1"
	if withTLS {
		transport = "HTTP/2 or HTTP/1.1 over TLS"
	}
	fmt.Fprintf(w, "  env URL   %s/scalekit   (Node, Go: gRPC under /scalekit, %s)\n", url, transport)
	if !withTLS {
		fmt.Fprintf(w, "  Python (grpcio) needs TLS and calls the root: run with --tls\n")
		return
	}
	fmt.Fprintf(w, "  gRPC at the root over TLS (Python grpcio): %s\n", url)
	fmt.Fprintf(w, "\nCA certificate written to %s (yours alone, removed at exit unless named with --ca-cert); make the SDKs and curl trust it:\n", caPath)
	for _, name := range caVariables {
		fmt.Fprintf(w, "  export %s=%s\n", name, shellQuote(caPath))
	}
	fmt.Fprintf(w, "  (curl reads CURL_CA_BUNDLE, or pass --cacert %s; curl with OpenSSL 3 ignores SSL_CERT_FILE)\n", shellQuote(caPath))
}

// caVariables are the variables that point each client at a CA file:
// Go and OpenSSL-based tools, Node, grpcio, Python requests, and curl.
var caVariables = []string{"SSL_CERT_FILE", "NODE_EXTRA_CA_CERTS", "GRPC_DEFAULT_SSL_ROOTS_FILE_PATH", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"}

// shellQuote makes a path safe to paste into a POSIX shell.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+:") == "" {
		return s
	}
	return requests.ShellQuote(s)
}

func hostOf(addr string) string {
	if i := strings.LastIndex(addr, ":"); i >= 0 {
		return addr[:i]
	}
	return addr
}

// printSandboxBanner lists base URLs, demo credentials and ready-made
// requests, all from the provider table. The demo credentials are public
// (DESIGN.md), so they are printed as they are: copying them is the point.
func printSandboxBanner(w io.Writer, url string, remote bool, caPath string) {
	where := "loopback only"
	if remote {
		where = "REACHABLE FROM THE NETWORK (--allow-remote)"
	}
	fmt.Fprintf(w, "authscope sandbox on %s (%s); Ctrl-C stops it\n\nBase URLs\n", url, where)
	for _, p := range model.Providers {
		fmt.Fprintf(w, "  %-9s %-36s %s\n", p.Name, url+p.SandboxPath, p.Scheme.Label())
	}
	fmt.Fprintf(w, "\nDemo credentials\n")
	for _, p := range model.Providers {
		name := p.Name
		for _, d := range p.Demos {
			for _, f := range p.Fields {
				note := ""
				if len(p.Demos) > 1 {
					note = "  (" + d.Label + ")"
				}
				fmt.Fprintf(w, "  %-9s %-14s %s%s\n", name, f.Label, d.Values[f.ID], note)
				name = ""
			}
		}
	}
	fmt.Fprintf(w, "\nTry\n")
	for _, line := range sandboxExamples(url) {
		if caPath != "" && strings.HasPrefix(line, "curl ") {
			line = "curl --cacert " + shellQuote(caPath) + line[len("curl"):]
		}
		fmt.Fprintf(w, "  %s\n", line)
	}
	fmt.Fprintf(w, "\nSandbox-only: header %q → 429 with Retry-After; token form field %s=SECONDS → a short-lived token.\n",
		sandbox.WhatIfHeader+": rate-limit", sandbox.TTLField)
}

// sandboxExamples are one curl per provider with its first demo
// credential, and the authscope command that does the same.
func sandboxExamples(url string) []string {
	demo := func(providerID, field string) string {
		p, _ := model.Lookup(providerID)
		return p.Demos[0].Values[field]
	}
	scaling, scalekit, scale := url+"/scaling", url+"/scalekit", url+"/scale"
	return []string{
		fmt.Sprintf("curl -i '%s/v1/incidents?limit=10' -H 'Authorization: Bearer %s'", scaling, demo("scaling", "key")),
		fmt.Sprintf("curl -i %s/oauth/token -d grant_type=client_credentials -d client_id=%s -d client_secret=%s",
			scalekit, demo("scalekit", "client_id"), demo("scalekit", "client_secret")),
		fmt.Sprintf(`curl -i %s/api/v1/organizations -H "$(authscope header --provider scalekit --base-url %s)"`, scalekit, scalekit),
		fmt.Sprintf("curl -i %s/v1/projects -u '%s:'", scale, demo("scale", "key")),
		fmt.Sprintf("authscope request --provider scaling --base-url %s --sample wrong-key", scaling),
	}
}

// shared is the in-process sandbox the other commands and the explorer
// use: one per process, started on first need, closed when the last user
// calls stop.
var shared struct {
	mu    sync.Mutex
	srv   *sandbox.Server
	users int
}

func startSharedSandbox(ctx context.Context) (string, func(), error) {
	if err := ctx.Err(); err != nil {
		return "", func() {}, err
	}
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.srv == nil {
		// Its lifetime is the users', not one caller's context.
		srv, err := sandbox.Start(context.Background(), sandbox.Options{Addr: sandbox.DefaultAddr})
		if err != nil {
			return "", func() {}, err
		}
		shared.srv = srv
	}
	shared.users++
	srv := shared.srv
	stop := sync.OnceFunc(func() {
		shared.mu.Lock()
		defer shared.mu.Unlock()
		if shared.users--; shared.users == 0 && shared.srv == srv {
			srv.Close()
			shared.srv = nil
		}
	})
	return srv.URL(), stop, nil
}

// Command grpcload drives gRPC ListOrganization (page_size 10) over h2c
// with a connect-go client in gRPC mode, the way the Node SDK calls it, for
// bench/grpc.sh.
//
//	grpcload -base URL -token-url URL -save FILE     fetch one answer, save its bytes
//	grpcload -base URL -token-url URL -compare FILE  check the answer equals FILE
//	grpcload -base URL -token-url URL -duration 10s  calls per second
//
// -token-url is the sandbox's /scalekit/oauth/token; the token it gives is
// sent to every target (the reference ignores it).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/proto"

	orgpb "github.com/authscope/authscope/sandbox/scalekit/scalekitpb/organizations"
	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb/organizations/organizationsconnect"
)

func main() {
	scalekitpb.Init() // descriptors are registered on first use (generate.sh)
	base := flag.String("base", "", "gRPC base URL (the sandbox's …/scalekit, or the reference's root)")
	tokenURL := flag.String("token-url", "", "token endpoint for the demo client")
	save := flag.String("save", "", "write one answer's bytes to this file and exit")
	compare := flag.String("compare", "", "exit 1 unless one answer's bytes equal this file")
	duration := flag.Duration("duration", 10*time.Second, "how long to call")
	workers := flag.Int("workers", 32, "concurrent callers")
	conns := flag.Int("conns", 4, "HTTP/2 connections the callers share")
	flag.Parse()
	if err := run(*base, *tokenURL, *save, *compare, *duration, *workers, *conns); err != nil {
		fmt.Fprintln(os.Stderr, "grpcload:", err)
		os.Exit(1)
	}
}

func fetchToken(tokenURL string) (string, error) {
	res, err := http.PostForm(tokenURL, url.Values{"grant_type": {"client_credentials"},
		"client_id": {"skc_sandbox_client"}, "client_secret": {"sandbox_client_secret"}})
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil || body.AccessToken == "" {
		return "", fmt.Errorf("token endpoint: status %d", res.StatusCode)
	}
	return body.AccessToken, nil
}

func run(base, tokenURL, save, compare string, duration time.Duration, workers, conns int) error {
	token, err := fetchToken(tokenURL)
	if err != nil {
		return err
	}
	clients := make([]organizationsconnect.OrganizationServiceClient, conns)
	for i := range clients {
		p := new(http.Protocols)
		p.SetUnencryptedHTTP2(true) // one transport, one connection: h2c with prior knowledge
		httpClient := &http.Client{Transport: &http.Transport{Protocols: p}}
		clients[i] = organizationsconnect.NewOrganizationServiceClient(httpClient, base, connect.WithGRPC())
	}
	call := func(ctx context.Context, c organizationsconnect.OrganizationServiceClient) (*orgpb.ListOrganizationsResponse, error) {
		req := connect.NewRequest(&orgpb.ListOrganizationsRequest{PageSize: 10})
		req.Header().Set("Authorization", "Bearer "+token)
		res, err := c.ListOrganization(ctx, req)
		if err != nil {
			return nil, err
		}
		return res.Msg, nil
	}
	ctx := context.Background()
	if save != "" || compare != "" {
		msg, err := call(ctx, clients[0])
		if err != nil {
			return err
		}
		raw, err := proto.MarshalOptions{Deterministic: true}.Marshal(msg)
		if err != nil {
			return err
		}
		if save != "" {
			return os.WriteFile(save, raw, 0o644)
		}
		want, err := os.ReadFile(compare)
		if err != nil {
			return err
		}
		if !bytes.Equal(raw, want) {
			return fmt.Errorf("the answer from %s differs from %s", base, compare)
		}
		return nil
	}
	var done, failed atomic.Int64
	deadline := time.Now().Add(duration)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := clients[w%conns]
			for time.Now().Before(deadline) {
				if _, err := call(ctx, c); err != nil {
					failed.Add(1)
					continue
				}
				done.Add(1)
			}
		}()
	}
	start := time.Now()
	wg.Wait()
	elapsed := time.Since(start)
	if failed.Load() > 0 {
		return fmt.Errorf("%d calls failed", failed.Load())
	}
	fmt.Printf("calls %d in %.2fs = %.0f calls/s\n", done.Load(), elapsed.Seconds(), float64(done.Load())/elapsed.Seconds())
	return nil
}

package requests

import (
	"context"
	"io"
	"net/http"
	"time"
)

// SandboxHeader is the response header authscope's sandbox puts on every
// answer, so that a sandbox reached by --base-url (`authscope sandbox`
// in another terminal) can be told from a real API.
const SandboxHeader = "X-Authscope-Sandbox"

// maxSandboxProbe bounds the question; a sandbox answers at once.
const maxSandboxProbe = 3 * time.Second

// IsSandboxServer asks the server at baseURL whether it is authscope's
// sandbox: one GET without credentials, no redirect followed, answered
// with SandboxHeader: 1. Anything else, an error included, is "no": the
// demo credentials then stay home.
func IsSandboxServer(ctx context.Context, baseURL string, timeout time.Duration) bool {
	if timeout <= 0 || timeout > maxSandboxProbe {
		timeout = maxSandboxProbe
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, baseURL+"/", nil)
	if err != nil {
		return false
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	return resp.Header.Get(SandboxHeader) == "1"
}

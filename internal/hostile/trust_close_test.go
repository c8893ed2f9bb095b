package hostile

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"
)

// A client that gives up on a drip frees the server: Close returns at
// once instead of waiting on a handler writing to no one.
func TestSlowChainCloseIsPrompt(t *testing.T) {
	rec := NewRecorder(SlowChain(true))
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", rec.URL+"/keys", nil)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	start := time.Now()
	rec.Close()
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("Close took %s", d)
	}
}

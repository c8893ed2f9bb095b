package requests

import (
	"io"
	"log"
	"testing"

	hostileserver "github.com/authscope/authscope/internal/hostile"
)

// silentURL is a server that reads the request and never answers,
// stopped with the test.
func silentURL(t *testing.T) string {
	t.Helper()
	url, stop, err := hostileserver.Serve(hostileserver.Silent)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return url
}

// discardLog silences the TLS server's "bad certificate" log line.
func discardLog() *log.Logger { return log.New(io.Discard, "", 0) }

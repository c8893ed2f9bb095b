package wire

import (
	"net/http"
	"sync"
	"time"

	"github.com/authscope/authscope/model"
)

// Serve is what every sandbox request goes through before its provider:
// an X-Request-Id on the response, the body bounded to MaxBody, and one
// log line (method, path, status, time, request id) when logf is set.
func Serve(w http.ResponseWriter, r *http.Request, next http.Handler, logf func(format string, args ...any)) {
	w.Header()["X-Request-Id"] = []string{NewRequestID()}
	w.Header()["X-Authscope-Sandbox"] = []string{"1"} // lets authscope --base-url recognise a sandbox and use the demo credentials
	if r.Body != nil && r.Body != http.NoBody {
		limit := int64(MaxBody)
		if v, ok := largeBodies.Load(r.URL.Path); ok {
			limit = v.(int64)
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
	}
	if logf == nil {
		next.ServeHTTP(w, r)
		return
	}
	start := time.Now()
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	next.ServeHTTP(rec, r)
	// The path only: a query could carry a secret someone pasted there.
	logf("%s %s → %d (%s, request id %s)", r.Method, model.Sanitize(r.URL.Path), rec.status,
		time.Since(start).Round(time.Microsecond), w.Header().Get("X-Request-Id"))
}

// largeBodies are the paths whose handlers read more than MaxBody (a file
// upload that streams and keeps nothing), each with its own bound.
var largeBodies sync.Map // path → int64

// AllowLargeBody lets requests to exactly path carry up to limit bytes;
// the handler must stream the body, not hold it.
func AllowLargeBody(path string, limit int64) { largeBodies.Store(path, limit) }

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// Flush passes through: gRPC answers flush before their trailers.
func (r *statusRecorder) Flush() { http.NewResponseController(r.ResponseWriter).Flush() }

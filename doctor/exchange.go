package doctor

import (
	"net/http"
	"strings"
	"time"
)

// Kind is the format a paste was recognised as.
type Kind string

const (
	KindCurl     Kind = "curl"
	KindVerbose  Kind = "curl-v"
	KindHAR      Kind = "har"
	KindRaw      Kind = "raw-http"
	KindResponse Kind = "response" // a raw response or an error body: what `decode` takes
)

// Label names the kind of input for a person: "curl -v output".
func (k Kind) Label() string {
	switch k {
	case KindCurl:
		return "curl command line"
	case KindVerbose:
		return "curl -v output"
	case KindHAR:
		return "HAR file"
	case KindRaw:
		return "raw HTTP request"
	case KindCredential:
		return "credential"
	}
	return "response or error body"
}

// Header is one request header as pasted (untrusted, possibly secret).
type Header struct {
	Name  string
	Value string
}

// Request is one request as the customer sent (or was about to send) it.
type Request struct {
	Method  string
	URL     string
	Headers []Header
	Body    string

	// From a curl command line: -u as given, and whether it had a colon
	// (without one curl prompts for a password).
	User        string
	UserGiven   bool
	UserNoColon bool
	// Unexpanded shell variables ($TOKEN) the credential came from.
	ShellVars []string
	// Shell constructs left as written: process substitution <(…) and
	// anything else the expander cannot take.
	NotExpanded []string
	// From a curl command line: -F parts as given ("name=value"), and
	// the proxy's -x URL and -U user:password, which curl sends to the
	// proxy, not the API, but which are secrets in the paste all the same.
	Form      []string
	Proxy     string
	ProxyUser string
}

// Get returns the first header of that name (case-insensitive).
func (r *Request) Get(name string) (string, bool) {
	for _, h := range r.Headers {
		if strings.EqualFold(h.Name, name) {
			return h.Value, true
		}
	}
	return "", false
}

// Response is what came back, when the paste holds it.
type Response struct {
	Status int
	Reason string
	Header http.Header
	Body   []byte
	Pasted bool // Body is the whole paste (a raw response or a bare body), decoded as `decode` does
}

// Exchange is one request with its response, if any, and when it
// started by the client's clock (HAR startedDateTime), if known.
type Exchange struct {
	Index    int // 0-based position in the input
	Request  Request
	Response *Response
	Started  time.Time
	Duration time.Duration // HAR "time": how long the whole exchange took
}

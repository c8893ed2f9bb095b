package hostile

// Servers that test trust rather than bounds: a recorder that keeps every
// request it got (to prove a secret never reached it), redirects, echoes
// of every spelling of a secret, a chain that answers the token at once
// and drips the rest, and request ids with bidi controls. They use
// net/http (httptest binds 127.0.0.1 only) because what they send is
// valid HTTP; the point is what it says.

import (
	"encoding/base64"
	"encoding/json"
	"html"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"
)

// discardLog keeps a client hanging up mid-drip out of test output.
var discardLog = log.New(io.Discard, "", 0)

// Recorded is one request a Recorder got.
type Recorded struct {
	Method, Host, URL string
	Header            http.Header
	Body              string
}

// Text is the whole request as one string, for "does it hold X" checks.
func (r Recorded) Text() string {
	var b strings.Builder
	b.WriteString(r.Method + " " + r.URL + " Host: " + r.Host + "\n")
	for name, vs := range r.Header {
		b.WriteString(name + ": " + strings.Join(vs, ", ") + "\n")
	}
	return b.String() + r.Body
}

// Recorder is a loopback server that records every request, then lets h
// answer it.
type Recorder struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []Recorded
}

// NewRecorder serves h on http://127.0.0.1:PORT.
func NewRecorder(h http.Handler) *Recorder { return newRecorder(h, false) }

// NewTLSRecorder serves h on https://127.0.0.1:PORT with httptest's
// certificate (Certificate() gives it, to trust through SSL_CERT_FILE).
func NewTLSRecorder(h http.Handler) *Recorder { return newRecorder(h, true) }

func newRecorder(h http.Handler, tls bool) *Recorder {
	rec := &Recorder{}
	wrapped := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, maxRequest))
		rec.mu.Lock()
		rec.reqs = append(rec.reqs, Recorded{Method: r.Method, Host: r.Host, URL: r.URL.String(), Header: r.Header.Clone(), Body: string(body)})
		rec.mu.Unlock()
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		h.ServeHTTP(w, r)
	})
	rec.Server = httptest.NewUnstartedServer(wrapped)
	rec.Server.Config.ErrorLog = discardLog
	if tls {
		rec.Server.StartTLS()
	} else {
		rec.Server.Start()
	}
	return rec
}

// Close hangs up on every client first, so a handler dripping to one
// that is gone ends now, then stops the server.
func (r *Recorder) Close() {
	r.Server.CloseClientConnections()
	r.Server.Close()
}

// Requests is every request so far.
func (r *Recorder) Requests() []Recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Recorded(nil), r.reqs...)
}

// Redirect answers status with Location: to, for any request.
func Redirect(status int, to string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", to)
		w.WriteHeader(status)
	})
}

// OK answers 200 with a small JSON body.
func OK() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"data":[]}`)
	})
}

// SecretForms is every spelling of a secret a server can give back: raw,
// Base64 of "secret:" and of "id:secret" (RFC 6749 form-encoded too),
// URL-encoded with %2B and + for a space, lower-case hex, JSON-escaped
// as Go writes it (\u0026) and with every symbol as \uXXXX (\u002b), as
// HTML entities. Keys name the form. id may be "".
func SecretForms(secret, id string) map[string]string {
	goJSON, _ := json.Marshal(secret)
	forms := map[string]string{
		"raw":                secret,
		"base64 secret:":     base64.StdEncoding.EncodeToString([]byte(secret + ":")),
		"base64url secret:":  base64.RawURLEncoding.EncodeToString([]byte(secret + ":")),
		"query-escaped":      url.QueryEscape(secret),
		"path-escaped":       url.PathEscape(secret),
		"lower-case escapes": lowerEscapes(url.QueryEscape(secret)),
		"Go JSON":            strings.Trim(string(goJSON), `"`),
		"u-escapes":          uEscapes(secret),
		"HTML entities":      html.EscapeString(secret),
	}
	if id != "" {
		forms["base64 id:secret"] = base64.StdEncoding.EncodeToString([]byte(id + ":" + secret))
		forms["base64 form-encoded id:secret"] = base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id) + ":" + url.QueryEscape(secret)))
	}
	return forms
}

// Halves are the two halves of a secret, as a server that wraps long
// lines would split it; neither may show.
func Halves(secret string) (string, string) {
	r := []rune(secret)
	return string(r[:len(r)/2]), string(r[len(r)/2:])
}

func lowerEscapes(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			b.WriteString("%" + strings.ToLower(s[i+1:i+3]))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// uEscapes writes every rune that is not a letter or digit as \uXXXX
// (surrogate pairs above U+FFFF).
func uEscapes(s string) string {
	const hex = "0123456789abcdef"
	u := func(r rune) string {
		return `\u` + string([]byte{hex[r>>12&15], hex[r>>8&15], hex[r>>4&15], hex[r&15]})
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'):
			b.WriteRune(r)
		case r > 0xffff:
			r -= 0x10000
			b.WriteString(u(0xd800+r>>10) + u(0xdc00+r&0x3ff))
		default:
			b.WriteString(u(r))
		}
	}
	return b.String()
}

// Echo is a server that gives back every credential it receives, in
// every spelling: in headers, in a JSON error body (message and
// error_description, a field wrapped across lines) and, on the token
// endpoint, in the claims of the access token it issues. Paths:
// {base}/oauth/token (200 with a JWT, or 401 invalid_client when the
// client secret starts with "refuse"), {base}/keys (an empty key set),
// anything else: 401 with the echo.
type Echo struct {
	mu     sync.Mutex
	seen   []string // credentials received so far, with the client id
	client string
}

func (e *Echo) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxRequest))
	secrets, id := credentialsIn(r, string(body))
	e.mu.Lock()
	e.seen = append(e.seen, secrets...)
	if id != "" {
		e.client = id
	}
	all, client := append([]string(nil), e.seen...), e.client
	e.mu.Unlock()

	h := w.Header()
	h.Set("X-Request-Id", RequestID)
	for _, sec := range all {
		for name, form := range SecretForms(sec, client) {
			h.Add("X-Echo-"+headerName(name), form)
		}
	}
	if a := r.Header.Get("Authorization"); a != "" {
		quoted := strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(a) // RFC 9110 quoted-string
		h.Set("WWW-Authenticate", `Bearer realm="echo", error_description="you sent `+quoted+`"`)
	}
	switch {
	case strings.HasSuffix(r.URL.Path, "/keys"):
		h.Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"keys":[]}`)
	case strings.HasSuffix(r.URL.Path, "/oauth/token") && !anyPrefix(secrets, "refuse"):
		h.Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"access_token":"`+echoJWT(all, client)+`","token_type":"Bearer","expires_in":3600,"scope":"`+echoText(all, client)+`"}`)
	default:
		h.Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		text := echoText(all, client)
		_, _ = io.WriteString(w, `{"statusCode":401,"type":"not_authorized_error","code":"invalid_api_key","error":"invalid_client",`+
			`"message":"`+text+`","error_description":"`+text+`","wrapped":`+wrapped(all)+`,"requestId":"`+RequestID+`"}`)
	}
}

// credentialsIn finds what a request authenticates with: a Bearer token,
// the user (and password) of Basic, the form's client_secret, a query
// parameter named like a key or token; and the client id.
func credentialsIn(r *http.Request, body string) (secrets []string, id string) {
	a := r.Header.Get("Authorization")
	switch {
	case strings.HasPrefix(a, "Bearer "):
		secrets = append(secrets, strings.TrimPrefix(a, "Bearer "))
	case strings.HasPrefix(a, "Basic "):
		raw, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(a, "Basic "))
		user, pass, _ := strings.Cut(string(raw), ":")
		if pass == "" {
			secrets = append(secrets, user)
		} else {
			id, _ = url.QueryUnescape(user)
			p, _ := url.QueryUnescape(pass)
			secrets = append(secrets, p)
		}
	}
	for name, vs := range r.URL.Query() {
		if strings.Contains(strings.ToLower(name), "key") || strings.Contains(strings.ToLower(name), "token") {
			secrets = append(secrets, vs...)
		}
	}
	if form, err := url.ParseQuery(body); err == nil && form.Get("client_secret") != "" {
		secrets = append(secrets, form.Get("client_secret"))
		id = form.Get("client_id")
	}
	return secrets, id
}

// echoText is every JSON-safe spelling of every secret, for inside a JSON
// string: a JSON reader decodes the escaped ones back to the raw secret.
func echoText(secrets []string, id string) string {
	var parts []string
	for _, sec := range secrets {
		for name, form := range SecretForms(sec, id) {
			if strings.ContainsAny(form, `"\`) && name != "Go JSON" && name != "u-escapes" {
				continue // not valid inside a JSON string; the escaped forms decode to it
			}
			parts = append(parts, name+"="+form)
		}
	}
	return strings.Join(parts, " | ")
}

// wrapped is a JSON string holding each secret split across a line.
func wrapped(secrets []string) string {
	var parts []string
	for _, sec := range secrets {
		a, b := Halves(sec)
		parts = append(parts, a+"\n        "+b)
	}
	out, _ := json.Marshal(strings.Join(parts, "\n"))
	return string(out)
}

// echoJWT is an unsigned-looking RS256 JWT whose claims hold the secrets
// (its signature is junk: the JWKS check fails, as it should).
func echoJWT(secrets []string, id string) string {
	enc := base64.RawURLEncoding
	head := enc.EncodeToString([]byte(`{"alg":"RS256","kid":"snk_echo","typ":"JWT"}`))
	now := time.Now().Unix()
	claims := map[string]any{"iss": "echo", "sub": id, "client_id": id, "iat": now, "nbf": now, "exp": now + 3600, "echo": secrets}
	for _, sec := range secrets {
		for name, form := range SecretForms(sec, id) {
			claims["echo "+name] = form
		}
	}
	body, _ := json.Marshal(claims)
	return head + "." + enc.EncodeToString(body) + "." + enc.EncodeToString([]byte("junk-signature"))
}

func headerName(form string) string {
	var b strings.Builder
	for _, r := range form {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	return b.String()
}

func anyPrefix(list []string, prefix string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}

// SlowChain is an OAuth2 provider that answers the token request at once
// and drips everything else (JWKS, API requests) a byte every 100 ms,
// for ever: only the command's one deadline can end it. With dripKeys
// false the JWKS answers at once and only the API request drips.
func SlowChain(dripKeys bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/oauth/token"):
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"access_token":"`+echoJWT(nil, "skc_slow")+`","token_type":"Bearer","expires_in":3600}`)
			return
		case strings.HasSuffix(r.URL.Path, "/keys") && !dripKeys:
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"keys":[]}`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		flusher, _ := w.(http.Flusher)
		for {
			if _, err := io.WriteString(w, " "); err != nil {
				return
			}
			if flusher != nil {
				flusher.Flush()
			}
			select {
			case <-r.Context().Done():
				return
			case <-time.After(100 * time.Millisecond):
			}
		}
	})
}

// BidiRequestID is the request id BidiIDs answers with: it reads
// "req_7f3a…" but holds a right-to-left override, a zero-width space
// and a BOM.
const BidiRequestID = "req_\u202e7f3a\u200b9c2e\ufeff-11d4"

// BidiCleanID is BidiRequestID without its invisible characters: the id
// to copy.
const BidiCleanID = "req_7f3a9c2e-11d4"

// BidiIDs answers a Scaling 401 whose request id (body and header) holds
// bidi and zero-width characters, and a message with an isolate.
func BidiIDs() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Request-Id", BidiRequestID)
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, `{"statusCode":401,"type":"not_authorized_error","code":"invalid_api_key","message":"key \u2066gnorw\u2069 rejected","requestId":"`+BidiRequestID+`"}`)
	})
}

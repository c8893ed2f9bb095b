// Package wire holds what every provider of the sandbox answers with: the
// response writer, request ids, the body limit, method routing, the
// sandbox-only what-if switch and the demo credentials read from the model
// table. Provider packages (scaling, scalekit, scale) import it; it imports
// only model, so nothing here can reach up into a provider.
package wire

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
)

// Content types as the providers send them: Express-style APIs (Scaling,
// Scale) add the charset, grpc-gateway and the OAuth endpoints do not.
const (
	JSONUTF8 = "application/json; charset=utf-8"
	JSONBare = "application/json"
)

// Write sends a complete response. Content-Length is set so that every
// answer, errors included, is one unchunked write.
func Write(w http.ResponseWriter, status int, contentType string, body []byte) {
	h := w.Header()
	h["Content-Type"] = []string{contentType}
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	w.WriteHeader(status)
	w.Write(body)
}

// Encode marshals v compactly, without a trailing newline and without
// escaping <, > and & (the providers do not, and bodies must match).
func Encode(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic("sandbox: encoding a fixed response type: " + err.Error()) // a programming error, caught by the tests
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// NewRequestID returns a random UUID version 4 (RFC 9562 §5.4).
func NewRequestID() string {
	var u [16]byte
	rand.Read(u[:])
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	var s [36]byte
	hex.Encode(s[0:8], u[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], u[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], u[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], u[8:10])
	s[23] = '-'
	hex.Encode(s[24:], u[10:])
	return string(s[:])
}

// SecretEqual compares a presented credential with a known one in
// constant time. Hashing first also hides the known secret's length.
func SecretEqual(presented, known string) bool {
	a, b := sha256.Sum256([]byte(presented)), sha256.Sum256([]byte(known))
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}

// TooLarge reports whether err came from the body limit the server set (MaxBody).
func TooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}

// RandomDigits returns n decimal digits, the first not zero, the way
// Scalekit ids (org_…, snk_…, tkn_…) look.
func RandomDigits(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	for i := range b {
		b[i] = '0' + b[i]%10
	}
	if b[0] == '0' {
		b[0] = '1'
	}
	return string(b)
}

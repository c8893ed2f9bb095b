// Package decode reads what a server answered and says what it means: the
// error decoder (decode*.go: JSON shapes, problem+json, gRPC status,
// WWW-Authenticate challenges, text and HTML bodies, request ids,
// Retry-After), its catalogue of documented codes as tables
// (errcatalog*.go), the diagnosis of the likely cause (diagnose.go, with
// front.go saying each fix in the command line's or the explorer's words)
// and the parser for a pasted raw HTTP response (rawhttp.go).
//
// It imports only model: it never sends anything, so `decode`, `doctor`,
// `request` and the explorer all use it the same way. What authscope itself
// sent reaches the diagnosis as a Sent value, built by requests.SentOf.
package decode

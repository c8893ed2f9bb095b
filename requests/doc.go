// Package requests sends what authscope builds.
//
// The sender (send*.go, trace*.go) turns a model.HTTPRequest into a real
// net/http request, times each phase with net/http/httptrace, bounds the
// body, enforces a timeout and keeps the raw exchange for display.
// Prepare (prepare*.go) stages a catalogue sample with its what-if;
// RunExchange and FetchToken (exchange*.go) run the OAuth2 client
// credentials exchange through the same sender and cache the token in
// memory only. SentOf (sent.go) tells the diagnosis in decode/ what was
// sent, and Bundle (bundle*.go) writes a redacted support report. The
// sandbox below this package serves every provider on loopback.
//
// The error decoder lives in decode/ (imported here, never importing
// this package); snippets in snippets/, above this package.
//
// Nothing here prints: front ends (cli/, ui/) decide how to show a Result,
// masking secrets unless asked not to.
package requests

// Version is authscope's version, shown in the User-Agent and the support
// bundle. Release builds may set it with
//
//	go build -ldflags "-X github.com/authscope/authscope/requests.Version=v1.2.3"
//
// and otherwise it is read from the build information Go embeds (the
// module's version, and the VCS revision): see CurrentBuild. It stays
// "dev" only when nothing is known (go test, go run without VCS).
var Version = "dev"

// Package snippets writes a staged request down for someone to run: the
// Authorization header line, curl, export lines, Go, Python and Node
// (snippet*.go), inline or reading the secret from the environment.
//
// It sits above requests: a snippet carries exactly what requests.Prepare
// and requests.NewOutgoing would send (the trimmed credential, the client
// authentication, the what-if's mode and headers), so what is copied is
// what authscope itself sent. Nothing below imports it.
package snippets

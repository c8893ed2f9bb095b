package doctor

import "github.com/authscope/authscope/model"

// Identify reads the provider and environment from a URL's host (and,
// on loopback, the sandbox's path prefix), as the doctor reads a pasted
// request: `authscope request URL` and the explorer's editor use it.
// keyHint tells Scale's live from test; providerHint is assumed when the
// host says nothing.
func Identify(rawURL, keyHint, providerHint string) Place {
	return identify(rawURL, keyHint, providerHint)
}

// HTTP is the pasted request as the sender's request, its credential
// headers marked secret (Host and Content-Length are the sender's): what
// the explorer's editor opens from a paste.
func (r Request) HTTP() model.HTTPRequest { return toHTTP(r) }

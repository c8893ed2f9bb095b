// Package doctor examines what a customer pastes into a support ticket —
// a curl command line, the output of `curl -v`, a HAR file, a raw HTTP
// request (with or without its response) or a bare error body — and says
// what is wrong with it: ranked findings, a redacted copy safe for a
// ticket, and a replay of each proposed fix.
//
// Where things live:
//   - input.go     Examine, the one entry point (used by `authscope doctor`;
//     the explorer's decode screen should call it on pasted text too)
//   - detect.go    which kind of input a paste is
//   - curl.go      curl command lines (parsed by mvdan.cc/sh/v3/syntax),
//     cmdline.go   Windows cmd `^` continuations and escapes
//   - verbose.go   `curl -v` output; rawhttp.go raw requests
//   - har.go       HAR 1.2, streamed entry by entry
//   - check*.go    the findings per request; jwt.go the token X-ray;
//     sequence.go  the order of events across a HAR
//   - redact*.go   --redact, per input format
//   - replay.go    --replay
//
// It imports model, authschemes, decode and requests and is imported by none of
// them: it is a front-end-neutral layer like requests, used by cli/ and ui/.
package doctor

package model

import (
	"regexp"
	"sync"
)

// LazyRegexp compiles expr on first use. Every package is linked into
// every command, so a pattern compiled at start-up is paid for by
// commands that never match it: `token` spent a fifth of a millisecond,
// cold, compiling the credential recogniser's.
func LazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}

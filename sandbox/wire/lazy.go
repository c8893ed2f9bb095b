package wire

import (
	"regexp"
	"sync"
)

// Pattern is a regular expression compiled on first use. Every authscope
// command links the sandbox; its patterns must not cost start-up time to
// commands that never serve a request.
type Pattern struct {
	src  string
	once sync.Once
	re   *regexp.Regexp
}

// NewPattern is a Pattern for src, which must compile.
func NewPattern(src string) *Pattern { return &Pattern{src: src} }

// MatchString reports whether s matches.
func (p *Pattern) MatchString(s string) bool {
	p.once.Do(func() { p.re = regexp.MustCompile(p.src) })
	return p.re.MatchString(s)
}

package doctor

import (
	"regexp"
	"sync"
)

// harHead: a JSON object whose first member is "log" (every HAR writer
// puts it first; it is the only member HAR 1.2 has at the top).
var harHead = lazyRegexp(`^\{\s*"log"\s*:`)

// verboseRequest: a "> GET /path HTTP/1.1" line, as curl -v prints it.
var verboseRequest = lazyRegexp(`(?m)^> [A-Z]{3,10} \S+ HTTP/[0-9.]+\s*$`)

// lazyRegexp compiles expr on first use: the doctor's patterns are
// linked into every command and the explorer, whose start-up should not
// pay for them.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}

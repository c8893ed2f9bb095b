package doctor

import "github.com/authscope/authscope/model"

// harHead: a JSON object whose first member is "log" (every HAR writer
// puts it first; it is the only member HAR 1.2 has at the top).
var harHead = model.LazyRegexp(`^\{\s*"log"\s*:`)

// verboseRequest: a "> GET /path HTTP/1.1" line, as curl -v prints it.
var verboseRequest = model.LazyRegexp(`(?m)^> [A-Z]{3,10} \S+ HTTP/[0-9.]+\s*$`)

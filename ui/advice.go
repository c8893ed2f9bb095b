package ui

import "strings"

// flagKeys maps the command-line flags the diagnosis names to the key
// that does the same in the explorer: here, a person presses a key,
// they do not retype a command.
var flagKeys = []struct{ flag, key string }{
	// Most specific first.
	{"try --client-auth basic", "press a to try HTTP Basic client auth"},
	{"try --client-auth post", "press a to try client_secret_post"},
	{"(--client-auth basic)", "(press a on the steps)"},
	{"(--client-auth post)", "(press a on the steps)"},
	{"--client-auth basic", "a on the steps (client auth basic)"},
	{"--client-auth post", "a on the steps (client auth post)"},
	{"pass --provider to say which API answered", "pick the provider first (esc to the picker), then press d, so decode knows which API answered"},
	{"(--env sandbox)", "(pick Sandbox in the picker)"},
	{"a longer --timeout helps", "a longer timeout (authscope request --timeout) helps"},
	{"--reveal", "ctrl+r"},
}

// explorerAdvice rewrites advice written for the command line so it
// names the explorer's key instead of the flag.
func explorerAdvice(s string) string {
	for _, fk := range flagKeys {
		s = strings.ReplaceAll(s, fk.flag, fk.key)
	}
	return s
}

package decode

// Front is where a diagnosis is read: the command line names the flag
// that does something, the explorer the key.
type Front int

const (
	FrontCLI      Front = iota // "try --client-auth basic"
	FrontExplorer              // "press a for HTTP Basic client auth"
)

// action is one thing to do, in each front end's words.
type action struct{ cli, explorer string }

var (
	actClientAuthBasic = action{"try --client-auth basic", "try HTTP Basic client auth (press a)"}
	actClientAuthPost  = action{"try --client-auth post", "try client_secret_post (press a)"}
	actNewToken        = action{"fetch a new one (authscope token)", "fetch a new one (press r on the steps)"}
)

// say is the action in the words of the front the diagnosis is read in.
func (s Sent) say(a action) string {
	if s.Front == FrontExplorer {
		return a.explorer
	}
	return a.cli
}

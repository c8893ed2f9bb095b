package ui

import (
	"context"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"

	"github.com/authscope/authscope/decode"
	"github.com/authscope/authscope/doctor"
	"github.com/authscope/authscope/model"
)

// readAs is how a paste is read: the provider the user chose to assume
// ("" reads it neutrally, by what it holds), and whether the issuer's
// published keys may be fetched (one unauthenticated GET, asked for).
type readAs struct {
	provider string
	fetch    bool
}

// next cycles the assumed provider: none, then each provider in turn.
func (r readAs) next() readAs {
	ids := append([]string{""}, model.ProviderIDs()...)
	for i, id := range ids {
		if id == r.provider {
			r.provider = ids[(i+1)%len(ids)]
			return r
		}
	}
	r.provider = ""
	return r
}

// readAsKeys are the keys of a screen that shows a paste.
type readAsKeys struct {
	Provider, FetchKeys key.Binding
}

func newReadAsKeys() readAsKeys {
	return readAsKeys{
		Provider:  key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "read as another provider")),
		FetchKeys: key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "verify with the issuer's published keys (one GET)")),
	}
}

// pasteTargeter is a screen about a paste: the status line shows the
// paste's provider and environment (none when it names none), not the
// last one visited.
type pasteTargeter interface {
	pasteTarget() model.Target
}

// targetOf is the provider and environment a report names.
func targetOf(provider, env string) model.Target {
	p, err := model.Lookup(provider)
	if err != nil {
		return model.Target{}
	}
	t := model.Target{Provider: p}
	if e, err := p.Env(env); err == nil {
		t.Env = e
	} else {
		t.Env = model.Environment{ID: env}
	}
	return t
}

// keysTimeout bounds a fetch of an issuer's keys from the explorer.
const keysTimeout = 10 * time.Second

// credentialOptions are the explorer's: the sandbox's keys for a loopback
// issuer always, a provider's published keys only after the key asking
// for them.
func credentialOptions(read readAs) doctor.CredentialOptions {
	return doctor.CredentialOptions{Keys: func(iss string) ([]byte, string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), keysTimeout)
		defer cancel()
		return doctor.IssuerKeys(ctx, iss, read.fetch, keysTimeout)
	}}
}

// decodePasted decodes a pasted answer by what it holds; a provider is
// used only when the paste names one (detected) or the user chose one
// (assumed). The line says which.
func decodePasted(input string, read readAs) (model.DecodedError, string) {
	dec := decode.Bytes([]byte(input), "")
	provider, from := dec.Provider, ""
	switch {
	case provider != "":
		from = "detected from the body's shape (" + providerName(provider) + ")"
	case read.provider != "":
		dec = decode.Bytes([]byte(input), read.provider)
		provider = read.provider
		from = "assumed: " + providerName(provider) + " (p switches)"
	default:
		from = "no provider: nothing in the paste names one, so the causes claim none (p assumes one)"
	}
	decode.Diagnose(&dec, decode.Sent{Front: decode.FrontExplorer, Provider: provider})
	if dec.Provider == "" {
		dec.Provider = provider
	}
	return dec, from
}

func providerName(id string) string {
	if p, err := model.Lookup(id); err == nil {
		return p.Name
	}
	return id
}

// foldDoubledBreaks undoes an unbracketed CRLF paste typed into the text
// area: tmux paste-buffer without -p sends CR CR, each CR an Enter, so
// every line is followed by an empty one. When no line break stands
// alone, each run of breaks is halved.
func foldDoubledBreaks(s string) string {
	if !strings.Contains(s, "\n\n") {
		return s
	}
	i := 0
	for i < len(s) {
		if s[i] != '\n' {
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] == '\n' {
			j++
		}
		if (j-i)%2 != 0 && j != len(s) {
			return s // a single break: typed as it is
		}
		i = j
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] != '\n' {
			b.WriteByte(s[i])
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] == '\n' {
			j++
		}
		b.WriteString(strings.Repeat("\n", (j-i+1)/2))
		i = j
	}
	return b.String()
}

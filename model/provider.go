package model

import (
	"fmt"
	"strings"
)

// Scheme is how a provider wants its credentials on the wire.
type Scheme string

const (
	SchemeBasic  Scheme = "basic"  // RFC 7617, key as user name, empty password
	SchemeBearer Scheme = "bearer" // RFC 6750, the API key is the token
	SchemeOAuth2 Scheme = "oauth2" // RFC 6749 §4.4 client credentials, then Bearer
)

// Label is the scheme as people say it.
func (s Scheme) Label() string {
	switch s {
	case SchemeBasic:
		return "HTTP Basic"
	case SchemeBearer:
		return "Bearer API key"
	case SchemeOAuth2:
		return "OAuth2 client credentials"
	}
	return string(s)
}

// Field is one credential a provider needs.
type Field struct {
	ID     string // "key", "client_id", "client_secret"
	Label  string
	EnvVar string // read from the environment when set
	Flag   string // command-line flag, without dashes
	Secret bool   // masked everywhere but `header` and --reveal
	Hint   string // the expected format, shown beside the input
	Format KeyFormat
}

// KeyFormat describes a well-formed value so checks can say exactly what
// is off. The zero value checks nothing.
type KeyFormat struct {
	Prefixes   []string // one must match
	BodyLen    int      // characters after the prefix; 0 = any
	Charset    Charset  // of the body after the prefix
	Exceptions []string // documented values accepted as they are (the docs' live_ScaleRocks)
}

// Charset names the characters a key body may hold.
type Charset string

const (
	CharsetAny      Charset = ""
	CharsetAlnum    Charset = "alphanumeric"
	CharsetHexLower Charset = "lowercase hex"
)

// Allows reports whether r belongs to the charset.
func (c Charset) Allows(r rune) bool {
	switch c {
	case CharsetAlnum:
		return r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
	case CharsetHexLower:
		return r >= '0' && r <= '9' || r >= 'a' && r <= 'f'
	}
	return true
}

// Environment is where requests go.
type Environment struct {
	ID      string
	Label   string
	BaseURL string // may hold {subdomain}; empty for custom and sandbox
	Param   EnvParam
	Sandbox bool   // served by authscope's loopback sandbox
	KeyMode string // Scale: "live" or "test", the key prefix this environment expects
	Costly  bool   // requests are done by people and cost money: confirm non-GET
	Note    string
}

// EnvParam is what an environment needs before it has a base URL.
type EnvParam string

const (
	ParamNone      EnvParam = ""
	ParamSubdomain EnvParam = "subdomain" // https://{subdomain}.scalekit.dev
	ParamURL       EnvParam = "url"       // any https URL (a custom domain)
)

// WhatIf is a deliberate mistake a sample makes, to show its error.
type WhatIf string

const (
	WhatIfNone          WhatIf = ""
	WhatIfNoHeader      WhatIf = "no-header"      // send no Authorization at all
	WhatIfWrongScheme   WhatIf = "wrong-scheme"   // right credential, wrong scheme word
	WhatIfWrongKey      WhatIf = "wrong-key"      // a well-formed but wrong secret
	WhatIfBadSignature  WhatIf = "bad-signature"  // a token whose signature does not verify
	WhatIfExpiredToken  WhatIf = "expired-token"  // a token past its exp
	WhatIfTestKeyOnLive WhatIf = "test-key-live"  // Scale: a test key asks for a live-only project
	WhatIfRateLimit     WhatIf = "rate-limit"     // the server answers 429 with Retry-After
	WhatIfNotFound      WhatIf = "not-found"      // an unknown resource
	WhatIfInvalidParam  WhatIf = "invalid-params" // a parameter out of range
)

// Sample is a request from the catalogue.
type Sample struct {
	Name        string // --sample NAME
	Title       string
	Method      string
	Path        string // below the environment's base URL, with query
	Body        string // JSON, for non-GET samples
	WhatIf      WhatIf
	Expect      int    // the documented status it gets
	Explain     string // what it teaches
	SandboxOnly bool   // cannot be staged against a real server
}

// IsWhatIf reports whether the sample makes a deliberate mistake.
func (s Sample) IsWhatIf() bool { return s.WhatIf != WhatIfNone }

// Demo is a credential set the sandbox accepts.
type Demo struct {
	Label  string
	Values map[string]string // Field.ID → value
}

// Provider is everything authscope knows about one API. Adding a provider
// is adding one of these to Providers (and its handlers to the sandbox).
type Provider struct {
	ID           string
	Name         string
	Scheme       Scheme
	Docs         string
	Fields       []Field
	Environments []Environment // sandbox first
	Samples      []Sample      // the first is the default
	Demos        []Demo        // the first is offered first
	SandboxPath  string        // base path under the sandbox address
	ErrorShape   string        // the decoder shape its API errors use
	EnvURLVar    string        // an environment variable holding the base URL (Scalekit)

	// OAuth2 only.
	TokenPath     string
	JWKSPath      string
	DiscoveryPath string
}

// Field returns the field with the given id.
func (p Provider) Field(id string) (Field, bool) {
	for _, f := range p.Fields {
		if f.ID == id {
			return f, true
		}
	}
	return Field{}, false
}

// SecretField is the field whose value goes into the header (the key, or
// the client secret for OAuth2).
func (p Provider) SecretField() Field {
	for _, f := range p.Fields {
		if f.Secret {
			return f
		}
	}
	return Field{}
}

// Env returns the environment with the given id, or a one-line error that
// lists the valid ones.
func (p Provider) Env(id string) (Environment, error) {
	for _, e := range p.Environments {
		if e.ID == id {
			return e, nil
		}
	}
	return Environment{}, fmt.Errorf("unknown environment %q for %s; choose one of: %s", id, p.ID, strings.Join(p.EnvIDs(), ", "))
}

// EnvIDs lists the environment ids in order.
func (p Provider) EnvIDs() []string {
	ids := make([]string, len(p.Environments))
	for i, e := range p.Environments {
		ids[i] = e.ID
	}
	return ids
}

// Sample returns the catalogue entry with the given name.
func (p Provider) Sample(name string) (Sample, error) {
	for _, s := range p.Samples {
		if s.Name == name {
			return s, nil
		}
	}
	names := make([]string, len(p.Samples))
	for i, s := range p.Samples {
		names[i] = s.Name
	}
	return Sample{}, fmt.Errorf("unknown sample %q for %s; choose one of: %s", name, p.ID, strings.Join(names, ", "))
}

// Lookup finds a provider by id (case-insensitive).
func Lookup(id string) (Provider, error) {
	for _, p := range Providers {
		if strings.EqualFold(p.ID, id) {
			return p, nil
		}
	}
	return Provider{}, fmt.Errorf("unknown provider %q; choose one of: %s", id, strings.Join(ProviderIDs(), ", "))
}

// ProviderIDs lists the provider ids in table order.
func ProviderIDs() []string {
	ids := make([]string, len(Providers))
	for i, p := range Providers {
		ids[i] = p.ID
	}
	return ids
}

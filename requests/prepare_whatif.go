package requests

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/authscope/authscope/model"
)

// WhatIfHeader is the sandbox's switch header; real providers never see it.
const WhatIfHeader = "X-Authscope-Whatif"

// AuthMode is how the credential goes into Authorization for one sample.
type AuthMode int

const (
	AuthNone   AuthMode = iota // no Authorization header
	AuthBearer                 // "Bearer <credential>"
	AuthBasic                  // "Basic base64(<key>:)"
	AuthBare                   // the credential alone, no scheme word
)

// ModeFor reads the mode from the provider's scheme and the sample's
// what-if; no provider is named here, the table says it all.
func ModeFor(p model.Provider, s model.Sample) AuthMode {
	normal := AuthBearer
	if p.Scheme == model.SchemeBasic {
		normal = AuthBasic
	}
	switch s.WhatIf {
	case model.WhatIfNoHeader:
		return AuthNone
	case model.WhatIfWrongScheme:
		if normal == AuthBasic {
			return AuthBearer // Scale: the key as a Bearer token instead of Basic
		}
		return AuthBare // Bearer providers: the credential without "Bearer "
	}
	return normal
}

// IsSandbox reports whether the target is authscope's sandbox: the
// sandbox environment, or a loopback base URL (an `authscope sandbox`
// started by hand and reached with --base-url). Real providers are never
// on loopback, so the sandbox switches cannot reach them.
func IsSandbox(t model.Target) bool {
	if t.Env.Sandbox {
		return true
	}
	u, err := url.Parse(t.BaseURL)
	return err == nil && u.Host != "" && model.IsLoopback(u.Hostname())
}

// CheckSample refuses a sample that cannot be staged against this target,
// with one line that says why and what to do instead.
func CheckSample(t model.Target, s model.Sample) error {
	if s.SandboxOnly && !IsSandbox(t) {
		return fmt.Errorf("the %s sample needs the sandbox (--env sandbox): it is staged with a switch only the sandbox knows, never sent to %s", s.Name, t.Provider.Name)
	}
	if s.WhatIf == model.WhatIfBadSignature && t.Provider.Scheme != model.SchemeOAuth2 {
		return fmt.Errorf("the %s sample needs a signed token; %s uses %s", s.Name, t.Provider.Name, t.Provider.Scheme.Label())
	}
	return nil
}

// StagedCreds are the credentials a sample sends: a copy of the target's,
// with the secret altered for wrong-key and a test key for test-key-live.
func StagedCreds(t model.Target, s model.Sample) (map[string]string, error) {
	creds := make(map[string]string, len(t.Creds))
	for k, v := range t.Creds {
		creds[k] = v
	}
	f := t.Provider.SecretField()
	switch s.WhatIf {
	case model.WhatIfWrongKey:
		creds[f.ID] = WrongSecret(creds[f.ID], f.Format)
	case model.WhatIfTestKeyOnLive:
		key, err := testKey(t)
		if err != nil {
			return nil, err
		}
		creds[f.ID] = key
	}
	return creds, nil
}

// testKey is a key for the provider's test mode: the one given if it is
// already a test key, else (in the sandbox) the demo test key.
func testKey(t model.Target) (string, error) {
	f := t.Provider.SecretField()
	prefix := ""
	for _, env := range t.Provider.Environments {
		if env.KeyMode == "test" {
			prefix = env.KeyMode + "_"
		}
	}
	if prefix == "" {
		return "", fmt.Errorf("%s has no test keys", t.Provider.Name)
	}
	if strings.HasPrefix(t.Creds[f.ID], prefix) {
		return t.Creds[f.ID], nil
	}
	if IsSandbox(t) {
		for _, d := range t.Provider.Demos {
			if v := d.Values[f.ID]; strings.HasPrefix(v, prefix) {
				return v, nil
			}
		}
	}
	return "", fmt.Errorf("this sample needs a test key: pass --%s %s… or set $%s to one", f.Flag, prefix, f.EnvVar)
}

// WrongSecret is a well-formed secret that is not the given one: the same
// public prefix and length, the body replaced by a fixed filler from the
// key's alphabet. The filler does not depend on the real secret, so the
// wrong key gives nothing of the right one away.
func WrongSecret(secret string, format model.KeyFormat) string {
	prefix := ""
	for _, p := range format.Prefixes {
		if strings.HasPrefix(secret, p) {
			prefix = p
		}
	}
	n := len(secret) - len(prefix)
	if n <= 0 {
		n = format.BodyLen
	}
	if n <= 0 {
		n = 16
	}
	for _, filler := range []string{"f00dfeed", "0badc0de"} {
		wrong := prefix + strings.Repeat(filler, n/len(filler)+1)[:n]
		if wrong != secret {
			return wrong
		}
	}
	return prefix + strings.Repeat("0", n)
}

// TamperSignature changes the first character of a JWT's signature, so
// the token still parses but no longer verifies. (The last character may
// carry only padding bits, which a decoder can ignore.)
func TamperSignature(jwt string) (string, error) {
	dot := strings.LastIndexByte(jwt, '.')
	if dot < 0 || dot == len(jwt)-1 || strings.Count(jwt, ".") != 2 {
		return "", fmt.Errorf("the token is not a signed JWT (header.claims.signature)")
	}
	flipped := byte('A')
	if jwt[dot+1] == 'A' {
		flipped = 'B'
	}
	return jwt[:dot+1] + string(flipped) + jwt[dot+2:], nil
}

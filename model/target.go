package model

import (
	"net/url"
	"strings"
)

// Target is a resolved place to send requests: a provider, one of its
// environments, the base URL it resolved to, and the credentials with
// where each came from (a flag, an environment variable, the demo set).
type Target struct {
	Provider Provider
	Env      Environment
	BaseURL  string            // no trailing slash; for the sandbox, sandbox URL + Provider.SandboxPath
	Creds    map[string]string // Field.ID → value, exactly as given (checks say what is off)
	Sources  map[string]string // Field.ID → "flag --key", "env SCALE_API_KEY", "demo"
}

// Secrets lists every secret the credentials make, for Scrub: each
// secret value as given and trimmed, and for a provider with an id and a
// secret the "id:secret" pair HTTP Basic encodes (raw, and form-encoded
// as RFC 6749 §2.3.1 sends it), so its Base64 is masked wherever a
// server echoes it.
func (t Target) Secrets() []string {
	var out []string
	add := func(v string) {
		for _, s := range []string{v, strings.TrimSpace(v)} {
			if s != "" && !contains(out, s) {
				out = append(out, s)
			}
		}
	}
	var ids []string
	for _, f := range t.Provider.Fields {
		v := t.Creds[f.ID]
		switch {
		case v == "":
		case f.Secret:
			add(v)
		default:
			ids = append(ids, strings.TrimSpace(v))
		}
	}
	for _, id := range ids {
		for _, f := range t.Provider.Fields {
			if v := strings.TrimSpace(t.Creds[f.ID]); f.Secret && v != "" {
				add(id + ":" + v)
				add(url.QueryEscape(id) + ":" + url.QueryEscape(v))
			}
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// RedactUserinfo removes the user name and password from a URL that may
// not parse (so url.URL.Redacted cannot help): whatever stands between
// "scheme://" and the last '@' before the query becomes "…@". A password
// may hold an unescaped '/', so the last '@' is looked for past the first
// slash too: an error message may lose a path, never show a password.
func RedactUserinfo(raw string) string {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		scheme, rest = "", raw
	}
	authority := rest
	if i := strings.IndexAny(rest, "?#"); i >= 0 {
		authority = rest[:i]
	}
	at := strings.LastIndex(authority, "@")
	if at < 0 {
		return raw
	}
	if ok {
		scheme += "://"
	}
	return scheme + "…@" + rest[at+1:]
}

// secretParams are query parameter names whose values are credentials
// (api_key, access_token, client_secret, X-Amz-Signature, password…).
var secretParams = []string{"key", "token", "secret", "password", "passwd", "auth", "signature", "sig", "credential"}

// QuerySecrets lists the values of credential-like query parameters in a
// path or URL ("/v1/x?api_key=…"), as given and decoded, so that a key
// the user put in --path is masked like any other secret.
func QuerySecrets(pathOrURL string) []string {
	_, query, ok := strings.Cut(pathOrURL, "?")
	if !ok {
		return nil
	}
	query, _, _ = strings.Cut(query, "#")
	var out []string
	for _, pair := range strings.Split(query, "&") {
		name, value, _ := strings.Cut(pair, "=")
		lower := strings.ToLower(name)
		for _, p := range secretParams {
			if strings.Contains(lower, p) && len(value) >= minSecret {
				out = append(out, value)
				if dec, err := url.QueryUnescape(value); err == nil && dec != value {
					out = append(out, dec)
				}
				break
			}
		}
	}
	return out
}

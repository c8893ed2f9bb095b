package doctor

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"sort"
	"strings"

	"github.com/authscope/authscope/model"
)

// shellRefOnly is a value that is only a shell variable or command
// substitution ("$TOKEN", "Bearer ${TOKEN}", "$(…)"): the paste does not
// hold the secret, so there is nothing to mask.
var shellRefOnly = model.LazyRegexp(`^(?:(?i:bearer|basic)\s+)?(?:\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|\$\(…\))$`)

// maskKey hides a credential for evidence and --redact with model.Mask,
// the one masking every output uses (public prefix, bullets, last four
// when long enough): trimmed first, so a pasted space does not hide the
// prefix, and an empty credential is named rather than drawn as nothing.
func maskKey(s string) string {
	t := strings.TrimSpace(s)
	if t == "" {
		return "(empty)"
	}
	return model.Mask(t)
}

// secretParams are form, query and JSON fields that hold secrets.
var secretParams = map[string]bool{
	"client_secret": true, "client_assertion": true, "password": true, "passwd": true, "refresh_token": true,
	"access_token": true, "id_token": true, "token": true, "api_key": true, "apikey": true, "api-key": true,
	"key": true, "code": true, "secret": true, "code_verifier": true, "assertion": true, "private_key": true,
	"secret_key": true, "access_key": true, "session_token": true, "auth_token": true, "jwt": true,
	"signature": true, "sig": true, "x-amz-signature": true, "x-amz-credential": true, "x-amz-security-token": true,
	"x-goog-signature": true, "x-goog-credential": true, "subject_token": true, "actor_token": true,
}

// responseSecrets are the fields of a response body that hold secrets
// (a token response, an echo of what was sent); "code" there is an
// error code, not a secret.
var responseSecrets = map[string]bool{
	"access_token": true, "refresh_token": true, "id_token": true, "client_secret": true, "api_key": true,
	"apikey": true, "password": true, "secret": true, "token": true, "private_key": true, "secret_key": true,
	"session_token": true, "auth_token": true, "client_assertion": true, "signature": true,
}

// secretHeader reports whether a header's value is a credential: the
// set model.IsSecretHeader holds, which the sender also keeps at its
// origin on a redirect.
func secretHeader(name string) bool { return model.IsSecretHeader(name) }

// collectSecrets lists every secret value in the parsed input, in every
// form it was sent: the scrubbing list for output and the leak list
// --redact is checked against.
func collectSecrets(xs []Exchange) []string {
	set := map[string]bool{}
	add := func(v string) {
		v = strings.TrimSpace(v)
		if len(v) >= 4 && !shellRefOnly().MatchString(v) {
			set[v] = true
		}
	}
	for i := range xs {
		r := &xs[i].Request
		if r.UserGiven {
			user, pass, _ := strings.Cut(r.User, ":")
			add(user)
			add(pass)
			add(r.User)
		}
		for _, h := range r.Headers {
			if secretHeader(h.Name) {
				addHeaderSecrets(h.Name, h.Value, add)
			}
		}
		addParamSecrets(r.Body, add)
		formSecrets(r.Form, add)
		proxySecrets(r, add)
		if u, err := url.Parse(r.URL); err == nil {
			for k, vs := range u.Query() {
				if secretParams[strings.ToLower(k)] {
					for _, v := range vs {
						add(v)
					}
				}
			}
			if pw, ok := u.User.Password(); ok {
				add(pw)
			}
		}
		if resp := xs[i].Response; resp != nil {
			for name, vs := range resp.Header {
				if secretHeader(name) {
					for _, v := range vs {
						addHeaderSecrets(name, v, add)
					}
				}
			}
			addFieldSecrets(string(resp.Body), responseSecrets, add)
		}
	}
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	// Longest first, so a token is replaced before a shorter secret inside it.
	sort.Slice(out, func(i, j int) bool { return len(out[i]) > len(out[j]) || len(out[i]) == len(out[j]) && out[i] < out[j] })
	return out
}

func addHeaderSecrets(name, value string, add func(string)) {
	switch strings.ToLower(name) {
	case "cookie":
		for _, part := range strings.Split(value, ";") {
			_, v, _ := strings.Cut(part, "=")
			add(v)
		}
		return
	case "set-cookie":
		for _, line := range strings.Split(value, "\n") { // HAR joins several Set-Cookie with a newline
			first, _, _ := strings.Cut(line, ";")
			_, v, _ := strings.Cut(first, "=")
			add(v)
		}
		return
	}
	add(value)
	word, cred, ok := strings.Cut(strings.TrimSpace(value), " ")
	if !ok {
		return
	}
	add(cred)
	if strings.EqualFold(word, "Basic") {
		if dec, err := base64.StdEncoding.DecodeString(strings.TrimSpace(cred)); err == nil {
			user, pass, _ := strings.Cut(string(dec), ":")
			add(user)
			add(pass)
		}
	}
	if _, again, ok := strings.Cut(strings.TrimSpace(cred), " "); ok {
		add(again) // "Bearer Bearer TOKEN"
	}
}

// addParamSecrets finds secret fields in a form or JSON request body.
func addParamSecrets(body string, add func(string)) { addFieldSecrets(body, secretParams, add) }

// addFieldSecrets finds the named fields in a form or JSON body, at any
// depth of a JSON document (objects in objects, arrays of objects).
func addFieldSecrets(body string, names map[string]bool, add func(string)) {
	if len(strings.TrimSpace(body)) > maxKeptBody {
		return
	}
	walkFieldSecrets(body, names, add)
}

// walkFieldSecrets is addFieldSecrets without the size bound, for the
// redaction, which must see every body it writes back.
func walkFieldSecrets(body string, names map[string]bool, add func(string)) {
	body = strings.TrimSpace(body)
	if body == "" {
		return
	}
	if body[0] == '{' || body[0] == '[' {
		var v any
		if json.Unmarshal([]byte(body), &v) == nil {
			walkJSON(v, names, add)
		}
		return
	}
	if i := strings.IndexByte(body, '='); i < 0 || strings.TrimRight(body[i:], "=") == "" {
		return // no field: a token, a Base64 blob (= only as its padding)
	}
	if q, err := url.ParseQuery(body); err == nil {
		for k, vs := range q {
			if len(k) <= 64 && names[strings.ToLower(k)] {
				for _, v := range vs {
					add(v)
				}
			}
		}
	}
}

// walkJSON calls add with every string (or number) held under a named
// key, however deep; a named key holding an object or array gives up
// all the strings inside it.
func walkJSON(v any, names map[string]bool, add func(string)) {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			if names[strings.ToLower(k)] {
				allStrings(x, add)
				continue
			}
			walkJSON(x, names, add)
		}
	case []any:
		for _, x := range t {
			walkJSON(x, names, add)
		}
	}
}

func allStrings(v any, add func(string)) {
	switch t := v.(type) {
	case string:
		add(t)
	case map[string]any:
		for _, x := range t {
			allStrings(x, add)
		}
	case []any:
		for _, x := range t {
			allStrings(x, add)
		}
	}
}

// formSecrets finds secret parts of curl -F: "name=value" with a secret
// name (a value read from a file, @file or <file, is not in the paste).
func formSecrets(parts []string, add func(string)) {
	for _, p := range parts {
		name, v, ok := strings.Cut(p, "=")
		if !ok || !secretParams[strings.ToLower(strings.TrimSpace(name))] || strings.HasPrefix(v, "@") || strings.HasPrefix(v, "<") {
			continue
		}
		if i := strings.Index(v, ";type="); i >= 0 {
			v = v[:i]
		}
		add(strings.Trim(v, `"`))
	}
}

// proxySecrets finds the proxy's password: -U user:password and the
// userinfo of -x's URL.
func proxySecrets(r *Request, add func(string)) {
	if _, pw, ok := strings.Cut(r.ProxyUser, ":"); ok {
		add(pw)
	}
	if u, err := url.Parse(r.Proxy); err == nil && u.User != nil {
		if pw, ok := u.User.Password(); ok {
			add(pw)
		}
	}
}

func sortStrings(s []string) []string { sort.Strings(s); return s }

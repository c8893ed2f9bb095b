package doctor

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/authscope/authscope/authschemes"
	"github.com/authscope/authscope/decode"
	"github.com/authscope/authscope/model"
)

// KindCredential is a paste read as a credential itself (J8): a token, an
// Authorization line, a key, a client id and secret, a token response, a
// JWKS or a discovery document. Report.Kind says which.
const KindCredential Kind = "credential"

// CredentialOptions tune what ExamineCredential may check a credential
// against. Nothing here reaches the network by itself: Keys does, and
// the front end decides what it may fetch.
type CredentialOptions struct {
	ClientID string    // aud is checked against it when given
	At       time.Time // judge the token's times at this moment (--at); zero: Options.Now
	JWKS     []byte    // keys given with --jwks (a file's or a URL's content)
	JWKSFrom string    // where JWKS came from, for the evidence
	// Keys fetches the JWKS of the issuer iss (its /keys), or says why
	// not with ErrNotFetched: the front end allows the sandbox on
	// loopback always, a provider's published keys only when asked.
	Keys   func(iss string) ([]byte, string, error)
	Reveal bool // show the secret parts unmasked (--reveal)
}

// ErrNotFetched is Keys' answer when fetching the issuer's keys is not
// allowed: the finding says how to allow it.
type ErrNotFetched struct{ Why string }

func (e *ErrNotFetched) Error() string { return e.Why }

// CredentialParts are the credential's parts, decoded and masked, for
// --json and the explorer.
type CredentialParts struct {
	Value     string      `json:"value,omitempty"` // masked unless --reveal
	Scheme    string      `json:"scheme,omitempty"`
	JWT       *JWTParts   `json:"jwt,omitempty"`
	IDToken   *JWTParts   `json:"id_token,omitempty"` // a token response's id_token
	Basic     *BasicParts `json:"basic,omitempty"`
	ClientID  string      `json:"client_id,omitempty"`
	Secret    string      `json:"client_secret,omitempty"`
	Fields    []Field     `json:"fields,omitempty"` // a token response's or discovery document's members
	Keys      []KeyLine   `json:"keys,omitempty"`
	KeysTotal int         `json:"keys_total,omitempty"`
}

// NamedJWT is one of the credential's decoded JWTs and its title.
type NamedJWT struct {
	Name  string // "JWT" or "ID token"
	Parts *JWTParts
}

// JWTs are the decoded JWTs in the order they are shown: the JWT, then
// a token response's ID token; those absent are left out.
func (p *CredentialParts) JWTs() []NamedJWT {
	var out []NamedJWT
	for _, j := range []NamedJWT{{"JWT", p.JWT}, {"ID token", p.IDToken}} {
		if j.Parts != nil {
			out = append(out, j)
		}
	}
	return out
}

// JWTParts is a decoded JWT: header and claims explained.
type JWTParts struct {
	Use       string              `json:"use"` // "access token", "ID token", "unknown"
	Header    []authschemes.Claim `json:"header"`
	Claims    []authschemes.Claim `json:"claims"`
	Signature string              `json:"signature"` // "verified", "not verified", "invalid"
}

// BasicParts is a Basic credential split.
type BasicParts struct {
	User     string `json:"user"`
	Password string `json:"password"`
	Colon    bool   `json:"colon"`
}

// Field is one member of a JSON document, shown.
type Field struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// KeyLine is one key of a JWKS.
type KeyLine struct {
	Kid  string `json:"kid"`
	Kty  string `json:"kty"`
	Alg  string `json:"alg,omitempty"`
	Use  string `json:"use,omitempty"`
	Size string `json:"size,omitempty"`
}

// credentialState is one ExamineCredential.
type credentialState struct {
	c        decode.Credential
	opts     Options
	rep      *Report
	findings []Finding
	secrets  []string
	at       time.Time
	atName   string
	place    Place
	from     string // where the provider/environment came from
}

func (s *credentialState) add(f Finding) { s.findings = append(s.findings, f) }

// maxScrubbed bounds a secret put on the scrubbing list: longer values
// (a 1 MB "token") are never shown but masked, and scrubbing every output
// for a megabyte in all its spellings would cost seconds.
const maxScrubbed = 64 << 10

func (s *credentialState) secret(v string) {
	if v = strings.TrimSpace(v); v != "" && len(v) <= maxScrubbed {
		s.secrets = append(s.secrets, v)
	}
}

// mask hides a secret unless --reveal.
func (s *credentialState) mask(v string) string {
	if s.opts.Credential.Reveal {
		return model.Sanitize(v)
	}
	return maskKey(v)
}

// ExamineCredential reads one pasted credential: what it is and why, whose
// (provider and environment, and from what), its parts decoded and
// masked, and what is wrong with it, most serious first.
func ExamineCredential(c decode.Credential, opts Options) *Report {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &credentialState{c: c, opts: opts}
	s.at, s.atName = opts.Now(), "this machine's clock (now)"
	if !opts.Credential.At.IsZero() {
		s.at, s.atName = opts.Credential.At, "--at "+stamp(opts.Credential.At)
	}
	s.rep = &Report{Input: KindCredential, Kind: string(c.Kind), Findings: []Finding{}, Requests: []RequestLine{}, RequestIDs: []string{},
		Credential: &CredentialParts{}}
	s.secret(c.Value)
	s.secret(c.Secret)
	s.placeFromPrefix()
	if !s.place.Known && opts.Provider != "" {
		// Assumed before the checks, so a key is held to that provider's
		// format; a token's iss still wins when it names one.
		if p, err := model.Lookup(opts.Provider); err == nil {
			s.setPlace(p, opts.Env, "assumed: --provider "+opts.Provider+" (nothing in the paste names a provider)")
		}
	}
	switch c.Kind {
	case decode.CredJWT:
		s.jwt(c.Value, "")
	case decode.CredAuthorization, decode.CredBearer, decode.CredBasic, decode.CredAPIKey:
		s.authorization()
	case decode.CredClientPair:
		s.clientPair()
	case decode.CredTokenResponse:
		s.tokenResponse()
	case decode.CredJWKS:
		s.jwks()
	case decode.CredDiscovery:
		s.discovery()
	}
	s.finish()
	return s.rep
}

// placeFromPrefix: a key's prefix names its provider (and Scale's mode).
func (s *credentialState) placeFromPrefix() {
	v := strings.TrimSpace(s.c.Value)
	if s.c.Kind == decode.CredClientPair {
		v = s.c.ClientID
	}
	if s.c.Kind == decode.CredBasic || s.c.Kind == decode.CredAuthorization && strings.EqualFold(s.c.Scheme, "basic") {
		if u, _, _, ok := basicSplit(v); ok {
			v = u
		}
	}
	id := s.c.Provider
	if id == "" {
		for _, p := range model.Providers {
			for _, f := range p.Fields {
				for _, pre := range f.Format.Prefixes {
					if strings.HasPrefix(v, pre) {
						id = p.ID
					}
				}
			}
		}
	}
	p, err := model.Lookup(id)
	if err != nil {
		return
	}
	env := ""
	switch {
	case strings.HasPrefix(v, "scl_live_"):
		env = "production"
	case strings.HasPrefix(v, "live_"):
		env = "live"
	case strings.HasPrefix(v, "test_"):
		env = "test"
	}
	s.setPlace(p, env, "detected from the key prefix "+prefixOf(v))
}

func prefixOf(v string) string {
	for _, pre := range []string{"scl_live_", "live_", "test_", "skc_"} {
		if strings.HasPrefix(v, pre) {
			return pre
		}
	}
	return ""
}

// demoNote says when a credential is one of the sandbox's demo ones: it
// works there, and nowhere else.
func (s *credentialState) demoNote(v string) {
	for _, p := range model.Providers {
		for _, d := range p.Demos {
			for _, dv := range d.Values {
				if v != "" && v == dv {
					s.add(Finding{Check: "demo-credential", Severity: SevInfo, weight: wContext - 1,
						Title:    "This is the sandbox's demo credential (" + p.Name + ", " + d.Label + "): it works against the built-in sandbox",
						Evidence: "the value is the one authscope's sandbox shows on its credentials screen",
						Fix:      "For the real API, use a key from the " + p.Name + " dashboard."})
					return
				}
			}
		}
	}
}

func (s *credentialState) setPlace(p model.Provider, env, from string) {
	pl := Place{Provider: p, Known: true}
	if e, err := p.Env(env); err == nil {
		pl.Env = e
	}
	s.place, s.from = pl, from
}

// finish settles the provider and environment (the paste's, else the one
// given with --provider/--env, said to be assumed), checks a mismatch
// with what was given, and ranks the findings.
func (s *credentialState) finish() {
	given := s.opts.Provider
	if s.place.Known {
		if given != "" && given != s.place.Provider.ID {
			s.add(Finding{Check: "provider-mismatch", Severity: SevError, weight: wEnv,
				Title:    fmt.Sprintf("A %s credential, read as %s (--provider, or p in the explorer)", s.place.Provider.Name, providerLabel(given)),
				Evidence: s.from,
				Fix:      "Use a " + providerLabel(given) + " credential, or the API this one belongs to."})
		}
		if e := s.opts.Env; e != "" && s.place.Env.ID != "" && e != s.place.Env.ID && (given == "" || given == s.place.Provider.ID) {
			s.add(Finding{Check: "env-mismatch", Severity: SevError, weight: wEnv,
				Title:    fmt.Sprintf("A %s credential, and --env says %s: it does not work there", s.place.Env.ID, e),
				Evidence: s.from,
				Fix:      "Credentials work only in the environment that issued them: get one from " + e + ", or call " + s.place.Env.ID + "."})
		}
	}
	if s.place.Known {
		s.rep.Provider, s.rep.Environment = s.place.Provider.ID, s.place.Env.ID
		s.rep.ProviderFrom = s.from
	} else {
		s.rep.ProviderFrom = "none: nothing in the paste names a provider"
	}
	s.rep.ReadAs = "Read as " + s.c.Kind.Label() + ": " + s.c.Why
	if s.c.LineEnds != "" {
		s.rep.Notes = append(s.rep.Notes, "line ends read as "+s.c.LineEnds+"; decoded like LF")
	}
	s.rep.Findings = rank(s.findings)
	s.rep.Secrets = s.secrets
}

func providerLabel(id string) string {
	if p, err := model.Lookup(id); err == nil {
		return p.Name
	}
	return id
}

// authorization: a header line, a Bearer/Basic value or a bare key, put
// through the checks doctor runs on a request's Authorization header.
func (s *credentialState) authorization() {
	c := s.c
	value := strings.TrimSpace(c.Value)
	parts := s.rep.Credential
	parts.Scheme = c.Scheme
	parts.Value = s.mask(value)
	scheme := c.Scheme
	if c.Kind == decode.CredAPIKey {
		scheme = ""
	}
	if c.SchemeWords > 1 {
		s.add(Finding{Check: "scheme-twice", Severity: SevError, weight: wSyntax,
			Title:    fmt.Sprintf("%q is written %d times: the server reads the second %q as the credential", c.Scheme, c.SchemeWords, c.Scheme),
			Evidence: strings.TrimSpace(strings.Repeat(c.Scheme+" ", c.SchemeWords)) + " " + s.mask(value),
			Fix:      "Keep one \"" + c.Scheme + " \": the variable or setting that holds the token already includes the scheme."})
	}
	if q := strings.Trim(value, `"'`); q != value {
		s.add(Finding{Check: "quoted", Severity: SevError, weight: wSyntax,
			Title:    "The credential is wrapped in quotes: they are sent as part of it",
			Evidence: "the value starts or ends with a quote: " + s.mask(value),
			Fix:      "Drop the quotes: in a shell, quote the whole header (-H \"Authorization: Bearer $TOKEN\"), not the token."})
		value = q
	}
	if strings.EqualFold(scheme, "basic") {
		s.basic(value)
		return
	}
	if looksLikeJWT(value) || strings.HasPrefix(value, "eyJ") && strings.Count(value, ".") >= 2 {
		if c.Kind == decode.CredAuthorization && scheme == "" {
			s.add(Finding{Check: "no-scheme", Severity: SevError, weight: wSyntax,
				Title:    "The Authorization header has no scheme word: the token stands alone",
				Evidence: c.HeaderName + ": " + s.mask(value),
				Fix:      "Put \"Bearer \" before the token: Authorization: Bearer <token>."})
		}
		s.jwt(value, "bearer")
		return
	}
	s.key(value, scheme)
}

// key checks a bare key or a Bearer value against its provider's format.
func (s *credentialState) key(value, scheme string) {
	if !s.place.Known {
		s.add(Finding{Check: "opaque-token", Severity: SevInfo, weight: wContext,
			Title:    "An opaque credential: no known key prefix and not a JWT",
			Evidence: "value " + s.mask(value) + fmt.Sprintf(" (%d characters)", len([]rune(value))),
			Fix:      "Pass --provider scaling|scalekit|scale to check it against a provider's key format."})
		if pos, r, ok := authschemes.OddCharacter(value); ok {
			s.add(Finding{Check: "credential-shape", Severity: SevWarning, weight: wShape,
				Title:    fmt.Sprintf("The credential contains %s at position %d", describeRuneName(r), pos),
				Evidence: "value " + s.mask(value), Fix: "Credentials are plain ASCII: copy it again from where it was issued."})
		}
		return
	}
	p := s.place.Provider
	if strings.HasPrefix(value, "skc_") {
		s.add(Finding{Check: "client-id-as-key", Severity: SevWarning, weight: wShape,
			Title:    "A Scalekit client id: it names the client, it is not a secret and not a token",
			Evidence: "value " + model.Sanitize(value),
			Fix:      "Exchange the client id and secret for a token (authscope token --provider scalekit) and send Authorization: Bearer <access_token>."})
		return
	}
	switch {
	case scheme != "" && p.Scheme == model.SchemeBasic && strings.EqualFold(scheme, "bearer"):
		s.add(Finding{Check: "wrong-scheme", Severity: SevError, weight: wSyntax,
			Title:    p.Name + " expects HTTP Basic, this is Bearer",
			Evidence: scheme + " " + s.mask(value), Fix: fixFor(p)})
	case scheme != "" && p.Scheme != model.SchemeBasic && strings.EqualFold(scheme, "basic"):
		s.add(Finding{Check: "wrong-scheme", Severity: SevError, weight: wSyntax,
			Title:    p.Name + " expects Bearer, this is Basic",
			Evidence: scheme + " " + s.mask(value), Fix: fixFor(p)})
	case scheme == "" && s.c.Kind == decode.CredAuthorization:
		s.add(Finding{Check: "no-scheme", Severity: SevError, weight: wSyntax,
			Title:    "The Authorization header has no scheme word: the key stands alone",
			Evidence: s.c.HeaderName + ": " + s.mask(value), Fix: fixFor(p)})
	}
	for _, w := range authschemes.Check(p, s.place.Env, authschemes.Credentials{p.SecretField().ID: value}) {
		s.add(Finding{Check: "credential-shape", Severity: w.Severity.String(), weight: wShape,
			Title: w.Message, Evidence: "key " + s.mask(value), Fix: w.Fix})
	}
	s.demoNote(value)
	if len(s.findings) == 0 || len(s.findings) == 1 && s.findings[0].Check == "demo-credential" {
		s.add(Finding{Check: "key-shape-ok", Severity: SevInfo, weight: wContext,
			Title:    "A well-formed " + p.Name + " key" + envSuffix(s.place.Env.ID),
			Evidence: "key " + s.mask(value) + " — prefix, length and characters fit " + p.SecretField().Hint,
			Fix:      fixFor(p)})
	}
}

func envSuffix(env string) string {
	if env == "" {
		return ""
	}
	return " (" + env + ")"
}

func describeRuneName(r rune) string {
	switch {
	case r == ' ':
		return "a space"
	case r == '\t':
		return "a tab"
	case r < 0x20 || r == 0x7f:
		return fmt.Sprintf("a control character (U+%04X)", r)
	case model.IsInvisible(r):
		return "an invisible character " + model.Visible(r)
	}
	return fmt.Sprintf("a non-ASCII character (U+%04X)", r)
}

// basicSplit decodes a Basic credential into user-id and password.
func basicSplit(v string) (user, pass string, colon, ok bool) {
	b, err := base64.StdEncoding.DecodeString(strings.Trim(strings.TrimSpace(v), `"'`))
	if err != nil {
		return "", "", false, false
	}
	user, pass, colon = strings.Cut(string(b), ":")
	return user, pass, colon, true
}

// basic splits a Basic credential and checks it: Base64, the colon, Scale's
// key as user name with an empty password, the mode, another provider's key.
func (s *credentialState) basic(value string) {
	b, err := base64.StdEncoding.DecodeString(value)
	if err != nil {
		s.add(Finding{Check: "basic-not-base64", Severity: SevError, weight: wSyntax,
			Title:    "The Basic credential is not Base64: the key was pasted without encoding it",
			Evidence: "Basic " + s.mask(value),
			Fix:      "Send base64(\"KEY:\") — or let curl do it: curl -u KEY: …"})
		return
	}
	decoded := string(b)
	user, pass, colon := strings.Cut(decoded, ":")
	s.secret(decoded)
	s.secret(user)
	s.secret(pass)
	s.rep.Credential.Basic = &BasicParts{User: s.mask(user), Password: s.maskOrEmpty(pass), Colon: colon}
	if !colon {
		s.add(Finding{Check: "basic-no-colon", Severity: SevError, weight: wSyntax,
			Title:    "The Basic credential decodes to a user id with no ':' — the password separator is missing",
			Evidence: "Basic decodes to " + s.mask(user) + " (no ':'); RFC 7617 sends user-id ':' password",
			Fix:      "Encode \"KEY:\" with the trailing colon: printf %s 'KEY:' | base64, or curl -u KEY:."})
	}
	p := s.place.Provider
	switch {
	case !s.place.Known:
		s.add(Finding{Check: "basic-split", Severity: SevInfo, weight: wContext,
			Title:    "HTTP Basic: user " + s.mask(user) + ", password " + s.maskOrEmpty(pass),
			Evidence: "Basic decodes to user-id ':' password",
			Fix:      "Pass --provider to check the user id against a provider's key format."})
		return
	case p.Scheme != model.SchemeBasic && p.ID != "scalekit":
		s.add(Finding{Check: "wrong-scheme", Severity: SevError, weight: wSyntax,
			Title:    "A " + p.Name + " key inside HTTP Basic: " + p.Name + " expects " + p.Scheme.Label(),
			Evidence: "Basic decodes to " + s.mask(user) + ":" + s.maskOrEmpty(pass),
			Fix:      fixFor(p)})
		return
	case p.ID == "scalekit":
		s.add(Finding{Check: "basic-client-auth", Severity: SevInfo, weight: wContext,
			Title:    "A Scalekit client id and secret in HTTP Basic: client auth for POST /oauth/token only",
			Evidence: "user " + model.Sanitize(user) + ", password " + s.maskOrEmpty(pass),
			Fix:      "Use it on the token endpoint (authscope token --client-auth basic); API calls take Authorization: Bearer <access_token>."})
		return
	}
	if pass != "" {
		s.add(Finding{Check: "basic-scale-password", Severity: SevWarning, weight: wShape,
			Title:    "A password after the Scale key: Scale expects the key as user name and an empty password",
			Evidence: "Basic decodes to " + s.mask(user) + ":" + s.mask(pass),
			Fix:      "Encode \"KEY:\" with nothing after the colon: curl -u KEY: …"})
	}
	for _, w := range authschemes.Check(p, s.place.Env, authschemes.Credentials{p.SecretField().ID: user}) {
		s.add(Finding{Check: "credential-shape", Severity: w.Severity.String(), weight: wShape,
			Title: w.Message, Evidence: "Basic user id " + s.mask(user), Fix: w.Fix})
	}
	s.demoNote(user)
	if len(s.findings) == 0 || len(s.findings) == 1 && s.findings[0].Check == "demo-credential" {
		s.add(Finding{Check: "basic-ok", Severity: SevInfo, weight: wContext,
			Title:    "A well-formed Scale AI Basic credential, " + s.place.Env.ID + " mode (from the key prefix)",
			Evidence: "Basic decodes to " + s.mask(user) + ": — the key as user name, an empty password",
			Fix:      "Nothing to fix in the credential; " + s.place.Env.ID + " keys see " + s.place.Env.ID + " data only."})
	}
}

func (s *credentialState) maskOrEmpty(v string) string {
	if v == "" {
		return "(empty)"
	}
	return s.mask(v)
}

// clientPair checks a client id and secret.
func (s *credentialState) clientPair() {
	c := s.c
	parts := s.rep.Credential
	parts.ClientID, parts.Secret = model.Sanitize(c.ClientID), s.mask(c.Secret)
	p, err := model.Lookup("scalekit")
	if err != nil {
		return
	}
	if !strings.HasPrefix(c.ClientID, "skc_") {
		s.add(Finding{Check: "client-id-shape", Severity: SevWarning, weight: wShape,
			Title:    "The client id does not start with skc_: not a Scalekit client id",
			Evidence: "client id " + model.Sanitize(oneLine(c.ClientID, 60)),
			Fix:      "Copy the client id from the Scalekit dashboard (API Config), skc_…"})
	} else if s.place.Known {
		s.from = "detected from the client id prefix skc_"
	}
	for _, w := range authschemes.Check(p, model.Environment{}, authschemes.Credentials{"client_id": c.ClientID, "client_secret": c.Secret}) {
		s.add(Finding{Check: "credential-shape", Severity: w.Severity.String(), weight: wShape,
			Title: w.Message, Evidence: w.Field + " " + s.mask(c.Secret), Fix: w.Fix})
	}
	if c.Secret == c.ClientID {
		s.add(Finding{Check: "secret-is-id", Severity: SevError, weight: wShape,
			Title: "The secret is the client id", Evidence: "client id and secret are the same value",
			Fix: "Copy the client secret (shown once when it is created) or create a new one."})
	}
	s.add(Finding{Check: "client-pair", Severity: SevInfo, weight: wContext,
		Title:    "A client id and secret: exchange them for a token at POST {env}/oauth/token",
		Evidence: "client id " + model.Sanitize(oneLine(c.ClientID, 60)) + ", secret " + s.mask(c.Secret),
		Fix:      "authscope token --provider scalekit --env ENV (secret from SCALEKIT_CLIENT_SECRET, not a flag)."})
}

// tokenResponse reads {"access_token": …}: the fields, the access token
// X-rayed, the ID token too.
func (s *credentialState) tokenResponse() {
	var top map[string]json.RawMessage
	_ = json.Unmarshal(s.c.JSON, &top)
	str := func(k string) string {
		var v string
		_ = json.Unmarshal(top[k], &v)
		return v
	}
	at, id, rt := str("access_token"), str("id_token"), str("refresh_token")
	for _, v := range []string{at, id, rt} {
		s.secret(v)
	}
	for _, k := range sortedKeys(top) {
		v := string(top[k])
		var sv string
		if json.Unmarshal(top[k], &sv) == nil {
			v = sv
		}
		if responseSecrets[k] && v != "" {
			v = s.mask(v)
		}
		s.rep.Credential.Fields = append(s.rep.Credential.Fields, Field{Name: model.Sanitize(k), Value: model.Sanitize(oneLine(v, 120))})
	}
	if tt := str("token_type"); tt != "" && !strings.EqualFold(tt, "bearer") {
		s.add(Finding{Check: "token-type", Severity: SevWarning, weight: wShape,
			Title: "token_type is " + model.Sanitize(tt) + ", not Bearer", Evidence: "token_type " + model.Sanitize(tt),
			Fix: "Send the access token as Authorization: Bearer <access_token> unless the API documents another scheme."})
	}
	if at != "" {
		if strings.HasPrefix(at, "eyJ") {
			s.jwt(at, "access_token")
		} else {
			s.add(Finding{Check: "token-not-jwt", Severity: SevInfo, weight: wContext,
				Title: "The access_token is opaque (not a JWT): only the issuer can read it", Evidence: "access_token " + s.mask(at),
				Fix: "Send it as Authorization: Bearer <access_token>."})
		}
	}
	if id != "" {
		s.jwt(id, "id_token")
	}
}

func sortedKeys(m map[string]json.RawMessage) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return sortStrings(ks)
}

// maxJWKSKeys bounds the keys listed; the rest are counted.
const maxJWKSKeys = 50

// jwks lists the keys with kid, type, size and use, and checks them.
func (s *credentialState) jwks() {
	var set struct {
		Keys []map[string]json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(s.c.JSON, &set); err != nil {
		s.add(Finding{Check: "jwks-unreadable", Severity: SevError, weight: wSyntax,
			Title: "The JWKS cannot be read: its keys are not JSON objects", Evidence: model.Sanitize(oneLine(err.Error(), 120)),
			Fix: "Fetch it again from {env}/keys (or the discovery document's jwks_uri)."})
		return
	}
	s.rep.Credential.KeysTotal = len(set.Keys)
	kids := map[string]int{}
	var unknown, private, small, noKid []string
	for i, k := range set.Keys {
		str := func(n string) string {
			var v string
			_ = json.Unmarshal(k[n], &v)
			return model.Sanitize(oneLine(v, 60))
		}
		line := KeyLine{Kid: str("kid"), Kty: str("kty"), Alg: str("alg"), Use: str("use")}
		var modulus string
		_ = json.Unmarshal(k["n"], &modulus)
		switch line.Kty {
		case "RSA":
			if n, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(modulus, "=")); err == nil {
				line.Size = fmt.Sprintf("%d bits", len(n)*8)
				if len(n)*8 < 2048 {
					small = append(small, line.Kid)
				}
			}
		case "EC", "OKP":
			line.Size = str("crv")
		case "oct":
			line.Size = "symmetric"
		default:
			unknown = append(unknown, fmt.Sprintf("%q (key %d)", line.Kty, i+1))
		}
		if _, ok := k["d"]; ok || line.Kty == "oct" {
			private = append(private, fmt.Sprintf("key %d (kid %s)", i+1, line.Kid))
		}
		if line.Kid == "" {
			noKid = append(noKid, fmt.Sprint(i+1))
		}
		kids[line.Kid]++
		if i < maxJWKSKeys {
			s.rep.Credential.Keys = append(s.rep.Credential.Keys, line)
		}
	}
	if len(private) > 0 {
		s.add(Finding{Check: "jwks-private", Severity: SevError, weight: wSyntax,
			Title:    "The JWKS holds private or symmetric key material: whoever has it can mint tokens",
			Evidence: strings.Join(firstN(private, 5), ", ") + ` has "d" or kty "oct"`,
			Fix:      "Rotate that key now; publish only public keys (n, e for RSA)."})
	}
	if len(set.Keys) == 0 {
		s.add(Finding{Check: "jwks-empty", Severity: SevError, weight: wShape,
			Title: "The JWKS has no keys: no token can be verified", Evidence: `"keys": []`,
			Fix: "Check the URL: {env}/keys lists the environment's signing keys."})
	}
	if len(set.Keys) > 100 {
		s.add(Finding{Check: "jwks-many", Severity: SevWarning, weight: wShape,
			Title:    fmt.Sprintf("The JWKS holds %d keys: a verifier tries them by kid, most cap the set", len(set.Keys)),
			Evidence: fmt.Sprintf("%d keys; the first %d are listed", len(set.Keys), maxJWKSKeys),
			Fix:      "An issuer publishes a few keys (current and next): check where this set came from."})
	}
	if len(unknown) > 0 {
		s.add(Finding{Check: "jwks-unknown-kty", Severity: SevWarning, weight: wShape,
			Title:    "A key of an unknown type: verifiers skip it",
			Evidence: "kty " + strings.Join(firstN(unknown, 5), ", "),
			Fix:      "Key types are RSA, EC, OKP (and oct, which must never be published)."})
	}
	if len(noKid) > 0 && len(set.Keys) > 1 {
		s.add(Finding{Check: "jwks-no-kid", Severity: SevWarning, weight: wShape,
			Title:    "Keys without kid in a set of several: a token cannot say which key signed it",
			Evidence: "keys " + strings.Join(firstN(noKid, 10), ", ") + " have no kid",
			Fix:      "Give every key a kid and put it in the token header."})
	}
	for kid, n := range kids {
		if n > 1 && kid != "" {
			s.add(Finding{Check: "jwks-duplicate-kid", Severity: SevWarning, weight: wShape,
				Title: fmt.Sprintf("kid %s appears %d times", kid, n), Evidence: "kid " + kid,
				Fix: "Each key needs its own kid; verifiers pick the first match."})
		}
	}
	if len(small) > 0 {
		s.add(Finding{Check: "jwks-small-rsa", Severity: SevWarning, weight: wShape,
			Title: "RSA keys under 2048 bits", Evidence: "kid " + strings.Join(firstN(small, 5), ", "),
			Fix: "Use 2048-bit RSA or larger."})
	}
	s.add(Finding{Check: "jwks-keys", Severity: SevInfo, weight: wContext,
		Title:    fmt.Sprintf("A JWKS with %d key(s)", len(set.Keys)),
		Evidence: keysSummary(s.rep.Credential.Keys),
		Fix:      "Verify a token against it: authscope decode TOKEN.txt --jwks FILE"})
	if kidsScalekit(s.rep.Credential.Keys) {
		if p, err := model.Lookup("scalekit"); err == nil && !s.place.Known {
			s.setPlace(p, "", "detected from the key ids (snk_…)")
		}
	}
}

func kidsScalekit(ks []KeyLine) bool {
	for _, k := range ks {
		if strings.HasPrefix(k.Kid, "snk_") {
			return true
		}
	}
	return false
}

func keysSummary(ks []KeyLine) string {
	var out []string
	for _, k := range firstN(ks, 5) {
		out = append(out, strings.TrimSpace(fmt.Sprintf("kid %s: %s %s %s %s", orDash(k.Kid), k.Kty, k.Size, k.Alg, k.Use)))
	}
	return strings.Join(out, "; ")
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func firstN[T any](s []T, n int) []T {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// discovery lists the OpenID configuration and checks its endpoints
// against its issuer and the environment.
func (s *credentialState) discovery() {
	var top map[string]json.RawMessage
	_ = json.Unmarshal(s.c.JSON, &top)
	var iss string
	_ = json.Unmarshal(top["issuer"], &iss)
	s.placeFromIssuer(iss)
	isu, _ := url.Parse(iss)
	for _, k := range []string{"issuer", "authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri", "end_session_endpoint", "revocation_endpoint", "introspection_endpoint"} {
		var v string
		if json.Unmarshal(top[k], &v) != nil || v == "" {
			if k == "jwks_uri" || k == "token_endpoint" {
				s.add(Finding{Check: "discovery-missing", Severity: SevWarning, weight: wShape,
					Title: "The discovery document has no " + k, Evidence: "members: " + strings.Join(firstN(sortedKeys(top), 12), ", "),
					Fix: "Fetch it again from {env}/.well-known/openid-configuration."})
			}
			continue
		}
		s.rep.Credential.Fields = append(s.rep.Credential.Fields, Field{Name: k, Value: model.Sanitize(oneLine(v, 120))})
		u, err := url.Parse(v)
		if err != nil || isu == nil {
			continue
		}
		if u.Scheme == "http" && !model.IsLoopback(u.Hostname()) {
			s.add(Finding{Check: "discovery-http", Severity: SevError, weight: wShape,
				Title: k + " is plain http: tokens and secrets would cross the network in clear", Evidence: k + " " + model.Sanitize(v),
				Fix: "Every endpoint must be https (loopback excepted)."})
		}
		if k != "issuer" && !strings.EqualFold(u.Host, isu.Host) {
			s.add(Finding{Check: "discovery-origin", Severity: SevWarning, weight: wEnv,
				Title:    k + " is on another host than the issuer",
				Evidence: k + " " + model.Sanitize(u.Host) + ", issuer " + model.Sanitize(isu.Host),
				Fix:      "An environment serves its endpoints under its own URL: check the document was not edited or proxied."})
		}
	}
	var algs []string
	_ = json.Unmarshal(top["id_token_signing_alg_values_supported"], &algs)
	for _, a := range algs {
		if strings.EqualFold(a, "none") || strings.HasPrefix(strings.ToUpper(a), "HS") {
			s.add(Finding{Check: "discovery-alg", Severity: SevWarning, weight: wShape,
				Title: "The issuer offers alg " + model.Sanitize(a) + " for ID tokens", Evidence: "id_token_signing_alg_values_supported " + model.Sanitize(strings.Join(algs, ", ")),
				Fix: "Accept only RS256 (or another public-key alg) from this issuer."})
		}
	}
	s.add(Finding{Check: "discovery", Severity: SevInfo, weight: wContext,
		Title: "An OpenID discovery document for " + model.Sanitize(iss), Evidence: fmt.Sprintf("%d members", len(top)),
		Fix: "Its jwks_uri verifies the issuer's tokens: authscope decode TOKEN.txt --jwks URL"})
}

// placeFromIssuer reads the provider and environment from a token's (or
// a discovery document's) iss.
func (s *credentialState) placeFromIssuer(iss string) {
	if iss == "" {
		return
	}
	pl := identify(iss, "", "")
	if !pl.Known {
		return
	}
	detail := model.Sanitize(pl.Detail)
	if pl.Env.Sandbox {
		detail = "the built-in sandbox on " + model.Sanitize(pl.Host)
	}
	s.place, s.from = pl, "detected from iss "+model.Sanitize(oneLine(iss, 80))+" ("+detail+")"
}

// credentialExchanges stands a pasted credential in a request's headers,
// so --redact replaces it as it replaces one sent: a JWT keeps header and
// claims, a key its prefix and last four, Basic is decoded, masked and
// re-encoded.
func credentialExchanges(data []byte) []Exchange {
	c, ok := decode.RecogniseCredential(data)
	if !ok {
		return nil
	}
	v := strings.TrimSpace(c.Value)
	var hs []Header
	switch c.Kind {
	case decode.CredBasic, decode.CredAuthorization, decode.CredBearer:
		if c.Scheme == "" {
			c.Scheme = "Bearer"
		}
		hs = append(hs, Header{Name: "Authorization", Value: c.Scheme + " " + v})
	case decode.CredJWT, decode.CredAPIKey:
		hs = append(hs, Header{Name: "Authorization", Value: "Bearer " + v})
	case decode.CredClientPair:
		hs = append(hs, Header{Name: "X-Client-Secret", Value: c.Secret})
	case decode.CredTokenResponse:
		var top map[string]json.RawMessage
		_ = json.Unmarshal(c.JSON, &top)
		for _, k := range []string{"access_token", "id_token", "refresh_token"} {
			var t string
			if json.Unmarshal(top[k], &t) == nil && t != "" {
				hs = append(hs, Header{Name: "X-" + k, Value: "Bearer " + t})
			}
		}
	}
	if len(hs) == 0 {
		return nil
	}
	return []Exchange{{Request: Request{Headers: hs}}}
}

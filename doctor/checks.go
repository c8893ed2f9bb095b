package doctor

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"

	"github.com/authscope/authscope/authschemes"
	"github.com/authscope/authscope/model"
)

// Weights order findings of one severity: a mistake in the request is a
// more likely cause than the symptom the server reported.
const (
	wSyntax   = 90 // the header cannot work as written
	wShape    = 70 // the credential is malformed or for elsewhere
	wTime     = 60 // the token's times
	wEnv      = 55 // the token or key is for another environment
	wSequence = 50 // order of events across a session
	wResponse = 40 // what the server said
	wContext  = 10 // worth knowing
)

// credential is the Authorization the request carried, taken apart.
type credential struct {
	source   string // "Authorization header" or "curl -u"
	scheme   string // the first word as sent; "" when there is none
	value    string // what follows the scheme word, untrimmed
	user     string // Basic: the user-id (for Scale, the key)
	hasColon bool   // Basic: the decoded pair had a ':'
	basicOK  bool   // Basic: the value decoded as Base64
}

// readCredential finds the credential: -u wins, as in curl.
func readCredential(r *Request) (credential, bool) {
	if r.UserGiven {
		user, _, colon := strings.Cut(r.User, ":")
		return credential{source: "curl -u", scheme: "Basic", user: user, hasColon: colon, basicOK: true, value: r.User}, true
	}
	v, ok := r.Get("Authorization")
	if !ok {
		return credential{}, false
	}
	c := credential{source: "Authorization header"}
	word, rest, found := strings.Cut(v, " ")
	if found && isSchemeWord(word) {
		c.scheme, c.value = word, rest
	} else {
		c.value = v
	}
	if strings.EqualFold(c.scheme, "Basic") {
		decoded, err := base64.StdEncoding.DecodeString(strings.TrimSpace(c.value))
		if err == nil {
			c.basicOK = true
			c.user, _, c.hasColon = strings.Cut(string(decoded), ":")
		}
	}
	return c, true
}

func isSchemeWord(w string) bool {
	switch strings.ToLower(w) {
	case "bearer", "basic", "token", "digest", "apikey", "api-key", "negotiate":
		return true
	}
	return false
}

// key is the credential the provider's checks look at: the Basic user-id
// or the Bearer token, as sent.
func (c credential) key() string {
	if strings.EqualFold(c.scheme, "Basic") {
		return c.user
	}
	return c.value
}

// core is the credential itself: trimmed, without a scheme word pasted
// twice ("Bearer Bearer KEY" → KEY).
func (c credential) core() string {
	k := strings.TrimSpace(c.key())
	if w, rest, ok := strings.Cut(k, " "); ok && isSchemeWord(w) {
		return strings.TrimSpace(rest)
	}
	return k
}

// checkRequest runs every per-request check on one exchange.
func (d *diagnosis) checkRequest(x *Exchange) {
	r := &x.Request
	cred, hasCred := readCredential(r)
	pl := identify(r.URL, strings.TrimSpace(cred.key()), d.opts.Provider)
	if d.opts.Env != "" && pl.Known {
		// Scale reads live or test from the key, not the host: only the
		// customer can say which they meant, and a mismatch is the finding.
		if env, err := pl.Provider.Env(d.opts.Env); err == nil {
			pl.Env = env
		} else if !d.envNoted {
			d.envNoted = true
			d.report.Notes = append(d.report.Notes, "--env ignored: "+err.Error())
		}
	}
	d.place(pl)
	add := func(f Finding) { f.Entries = d.entry(x); d.findings = append(d.findings, f) }

	for _, v := range r.ShellVars {
		add(Finding{Check: "shell-variable", Severity: SevWarning, weight: wContext,
			Title:    "The command reads " + v + ", whose value is not in the paste",
			Evidence: "the command line uses " + v + "; if it is unset or empty in the customer's shell, curl sends an empty credential",
			Fix:      "Ask the customer to run `printf %s \"" + v + "\" | wc -c` to see that it is set, without sharing it."})
	}
	for _, v := range r.NotExpanded {
		add(Finding{Check: "not-expanded", Severity: SevWarning, weight: wContext,
			Title:    "Not expanded: " + v,
			Evidence: "the shell would run or expand this before curl starts; doctor runs nothing from a paste, so what it stands for is not known",
			Fix:      "Ask the customer for what it expands to (the file's content, the command's output), without the secrets."})
	}
	before := len(d.findings)
	if isTokenURL(r.URL) && strings.EqualFold(r.Method, "POST") {
		d.checkTokenRequest(x, pl, add)
	} else if pl.Known {
		d.checkAuthorization(x, pl, cred, hasCred, add)
	}
	explained := false
	for _, f := range d.findings[before:] {
		explained = explained || f.weight >= wEnv && f.Severity != SevInfo
	}
	d.checkResponse(x, pl, cred, explained, add)
}

func (d *diagnosis) checkAuthorization(x *Exchange, pl Place, cred credential, hasCred bool, add func(Finding)) {
	r := &x.Request
	p := pl.Provider
	want := "Bearer"
	if p.Scheme == model.SchemeBasic {
		want = "Basic"
	}
	if !hasCred {
		add(Finding{Check: "no-authorization", Severity: SevError, weight: wSyntax, repair: repairAddAuth(p),
			Title:    "No Authorization header: " + p.Name + " answers 401 to every request without one",
			Evidence: r.Method + " " + shortURL(r.URL) + " carries no Authorization header and no curl -u",
			Fix:      fixFor(p)})
		return
	}
	if cred.source == "curl -u" && !cred.hasColon {
		add(Finding{Check: "curl-u-no-colon", Severity: SevWarning, weight: wSyntax, repair: repairUserColon(),
			Title:    "curl -u KEY without a colon: curl stops and prompts for a password",
			Evidence: "-u " + maskKey(cred.user) + " has no ':'; in a script the prompt hangs or reads the next input line as the password",
			Fix:      "Write -u " + maskKey(cred.user) + ": — the trailing colon gives the empty password Scale expects."})
	}
	if cred.scheme == "" {
		add(Finding{Check: "no-scheme", Severity: SevError, weight: wSyntax, repair: repairScheme(want),
			Title:    "The Authorization header has no scheme word: the credential stands alone",
			Evidence: "Authorization: " + maskKey(cred.value),
			Fix:      "Put \"" + want + " \" before the credential: Authorization: " + want + " <credential>."})
	}
	if word, _, ok := strings.Cut(strings.TrimSpace(cred.value), " "); ok && isSchemeWord(word) {
		add(Finding{Check: "scheme-twice", Severity: SevError, weight: wSyntax, repair: repairSchemeTwice(),
			Title:    fmt.Sprintf("%q is pasted twice: the server reads %q as the credential", cred.scheme+" "+word, word+" …"),
			Evidence: "Authorization: " + cred.scheme + " " + word + " " + maskKey(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(cred.value), word))),
			Fix:      "Keep one \"" + cred.scheme + " \": the variable or setting that holds the token already includes the scheme."})
		return
	}
	if cred.scheme != "" && !strings.EqualFold(cred.scheme, want) {
		add(Finding{Check: "wrong-scheme", Severity: SevError, weight: wSyntax, repair: repairScheme(want),
			Title:    fmt.Sprintf("%s expects %s, the request sends %s", p.Name, p.Scheme.Label(), cred.scheme),
			Evidence: "Authorization: " + cred.scheme + " " + maskKey(cred.value),
			Fix:      fixFor(p)})
	} else if cred.scheme != "" && cred.scheme != want {
		add(Finding{Check: "scheme-case", Severity: SevInfo, weight: wContext,
			Title:    fmt.Sprintf("The scheme is written %q; most servers accept any case, some proxies do not", cred.scheme),
			Evidence: "Authorization: " + cred.scheme + " …", Fix: "Write it as \"" + want + "\"."})
	}
	if strings.EqualFold(cred.scheme, "Basic") && cred.source != "curl -u" {
		switch {
		case !cred.basicOK:
			add(Finding{Check: "basic-not-base64", Severity: SevError, weight: wSyntax,
				Title:    "The Basic credential is not Base64: the key was pasted without encoding it",
				Evidence: "Authorization: Basic " + maskKey(cred.value),
				Fix:      "Send base64(\"KEY:\") — or let curl do it: curl -u KEY: …"})
			return
		case !cred.hasColon:
			add(Finding{Check: "basic-no-colon", Severity: SevError, weight: wSyntax, repair: repairBasicColon(),
				Title:    "The Basic credential decodes to a key with no ':' — the password separator is missing",
				Evidence: "Basic decodes to " + maskKey(cred.user) + " (no ':'); RFC 7617 sends user-id ':' password",
				Fix:      "Encode \"KEY:\" with the trailing colon: printf %s 'KEY:' | base64, or curl -u KEY:."})
		}
	}
	key := cred.key()
	if shellRefOnly().MatchString(strings.TrimSpace(key)) {
		return // the value is not in the paste; the shell-variable finding says so
	}
	if strings.EqualFold(cred.scheme, "Bearer") && looksLikeJWT(strings.TrimSpace(key)) {
		d.checkJWT(x, pl, strings.TrimSpace(key), add)
		return
	}
	if p.Scheme == model.SchemeOAuth2 {
		if strings.TrimSpace(key) != "" && !looksLikeJWT(strings.TrimSpace(key)) && strings.EqualFold(cred.scheme, "Bearer") {
			add(Finding{Check: "token-not-jwt", Severity: SevWarning, weight: wShape,
				Title:    "The Bearer token is not a JWT: Scalekit access tokens are RS256 JWTs (eyJ…)",
				Evidence: "Authorization: Bearer " + maskKey(strings.TrimSpace(key)),
				Fix:      "Send the access_token from POST /oauth/token, not the client secret or client id."})
		}
		return
	}
	for _, w := range authschemes.Check(p, pl.Env, authschemes.Credentials{p.SecretField().ID: key}) {
		add(Finding{Check: "credential-shape", Severity: w.Severity.String(), weight: wShape, repair: repairTrim(w),
			Title: w.Message, Evidence: cred.source + ": " + maskKey(strings.TrimSpace(key)), Fix: w.Fix})
	}
}

// checkTokenRequest looks at a POST to the token endpoint: form body,
// grant type, client id shape and the secret's whitespace.
func (d *diagnosis) checkTokenRequest(x *Exchange, pl Place, add func(Finding)) {
	r := &x.Request
	ct, _ := r.Get("Content-Type")
	if strings.Contains(strings.ToLower(ct), "json") {
		add(Finding{Check: "token-json-body", Severity: SevError, weight: wSyntax, repair: repairFormBody(),
			Title:    "The token request is JSON: the token endpoint reads a form-encoded body",
			Evidence: "Content-Type: " + ct,
			Fix:      "Send application/x-www-form-urlencoded: curl -d grant_type=client_credentials -d client_id=… -d client_secret=…"})
		return
	}
	form, err := url.ParseQuery(r.Body)
	if err != nil {
		return
	}
	if _, basic := r.Get("Authorization"); form.Get("grant_type") == "" && !basic {
		add(Finding{Check: "token-no-grant", Severity: SevError, weight: wSyntax,
			Title: "The token request has no grant_type", Evidence: "form fields: " + strings.Join(keys(form), ", "),
			Fix: "Add grant_type=client_credentials."})
	}
	p, err := model.Lookup("scalekit")
	if err != nil {
		return
	}
	creds := authschemes.Credentials{}
	for _, f := range p.Fields {
		if v, ok := form[f.ID]; ok && len(v) > 0 {
			creds[f.ID] = v[0]
		}
	}
	for _, w := range authschemes.Check(p, pl.Env, creds) {
		add(Finding{Check: "credential-shape", Severity: w.Severity.String(), weight: wShape,
			Title: w.Message, Evidence: "token request form field " + w.Field, Fix: w.Fix})
	}
}

func keys(v url.Values) []string {
	var out []string
	for k := range v {
		out = append(out, k)
	}
	return out
}

func fixFor(p model.Provider) string {
	switch p.Scheme {
	case model.SchemeBasic:
		return "Send Authorization: Basic base64(\"KEY:\") — curl -u KEY: does it for you."
	case model.SchemeOAuth2:
		return "Fetch a token (POST /oauth/token, client credentials) and send Authorization: Bearer <access_token>."
	}
	return "Send Authorization: Bearer <key> (" + p.SecretField().Hint + ")."
}

// shortURL drops the query, which may hold secrets, and caps the length.
func shortURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unreadable URL)"
	}
	s := u.Scheme + "://" + u.Host + u.Path
	if u.RawQuery != "" {
		s += "?…"
	}
	if len(s) > 120 {
		s = s[:119] + "…"
	}
	return model.Sanitize(s)
}

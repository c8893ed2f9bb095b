package doctor

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/authscope/authscope/authschemes"
	"github.com/authscope/authscope/decode"
	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
)

// ReplayOptions say where --replay sends.
type ReplayOptions struct {
	SandboxURL string // the running sandbox (no provider path); used unless Real
	Real       bool   // send to the host in the paste, with the customer's credential
	Send       requests.Options
	Entry      int // the request to replay, 1-based; 0 picks one (ReplayTarget)
}

// Outcome is what one replayed request got.
type Outcome struct {
	Status    int    `json:"status,omitempty"`
	Code      string `json:"code,omitempty"`
	RequestID string `json:"request_id,omitempty"`
	Error     string `json:"error,omitempty"` // not sent, or no answer
	// Redirects are the hops followed (each saying what stayed behind)
	// and FinalURL, query dropped, where the answer came from when a
	// hop moved it.
	Redirects []requests.Redirect `json:"redirects,omitempty"`
	FinalURL  string              `json:"final_url,omitempty"`
}

// ReplayRow is one fix applied alone, with the request before and after.
type ReplayRow struct {
	Fix    string  `json:"fix"`
	Before Outcome `json:"before"`
	After  Outcome `json:"after"`
}

// ReplayResult is a whole replay.
type ReplayResult struct {
	Target string `json:"target"` // "sandbox" or "real"
	Entry  int    `json:"entry"`
	// Candidates is how many requests the input holds (a HAR may hold
	// many; --entry N picks another), Why how this one was chosen.
	Candidates int         `json:"candidates"`
	Why        string      `json:"why"`
	Method     string      `json:"method"`
	URL        string      `json:"url"` // where it was sent, query dropped
	Before     Outcome     `json:"before"`
	Rows       []ReplayRow `json:"fixes"`
}

// replayEnv is what a repair may need: fresh credentials, in the sandbox.
type replayEnv struct {
	ctx   context.Context
	opts  ReplayOptions
	place Place
}

// ReplayTarget picks the request --replay re-sends: the first failed
// request that a finding proposes a fix for, else the first failed one,
// else the first.
func ReplayTarget(rep *Report) (int, error) {
	i, _, err := ReplayEntry(rep, 0)
	return i, err
}

// ReplayEntry is the request to replay (0-based) and why it was chosen:
// entry (1-based) when the caller names one, else ReplayTarget's pick.
func ReplayEntry(rep *Report, entry int) (int, string, error) {
	if len(rep.Exchanges) == 0 || rep.Exchanges[0].Request.URL == "" {
		return 0, "", errors.New("nothing to replay: the input holds no request (only a response)")
	}
	if entry != 0 {
		if entry < 1 || entry > len(rep.Exchanges) {
			return 0, "", fmt.Errorf("--entry %d: the input holds %d request(s); give 1 to %d", entry, len(rep.Exchanges), len(rep.Exchanges))
		}
		if rep.Exchanges[entry-1].Request.URL == "" {
			return 0, "", fmt.Errorf("--entry %d holds no request URL", entry)
		}
		return entry - 1, "asked for", nil
	}
	for _, f := range rep.Findings {
		if f.repair != nil && len(f.Entries) > 0 {
			return f.Entries[0] - 1, "the first request a finding proposes a fix for", nil
		}
	}
	for i, x := range rep.Exchanges {
		if x.Response != nil && x.Response.Status >= 400 {
			return i, "the first failed request", nil
		}
	}
	return 0, "the first request", nil
}

// Replay re-sends one request as it was, then once per proposed fix,
// each applied alone. In the sandbox the customer's credential is
// swapped for the sandbox's demo one with the same mistakes, so that
// "before" fails for the customer's reason and "after" shows the fix.
func Replay(ctx context.Context, rep *Report, ro ReplayOptions) (*ReplayResult, error) {
	i, why, err := ReplayEntry(rep, ro.Entry)
	if err != nil {
		return nil, err
	}
	x := rep.Exchanges[i]
	cred, _ := readCredential(&x.Request)
	pl := identify(x.Request.URL, strings.TrimSpace(cred.key()), rep.Provider)
	env := &replayEnv{ctx: ctx, opts: ro, place: pl}
	base := x.Request
	res := &ReplayResult{Target: "real", Entry: i + 1, Candidates: len(rep.Exchanges), Why: why, Method: base.Method}
	if !ro.Real {
		if !pl.Known {
			return nil, errors.New("cannot replay on the sandbox: the request's provider is not known (pass --provider)")
		}
		res.Target = "sandbox"
		if base, err = transplant(base, pl, ro.SandboxURL); err != nil {
			return nil, err
		}
	} else if _, err := model.CheckBaseURL(base.URL); err != nil {
		return nil, err
	}
	res.URL = shortURL(base.URL)
	res.Before = env.send(base)
	seen := map[string]bool{}
	for _, f := range rep.Findings {
		if f.repair == nil || seen[f.repair.Name] || len(f.Entries) > 0 && !containsInt(f.Entries, i+1) {
			continue
		}
		seen[f.repair.Name] = true
		row := ReplayRow{Fix: f.repair.Name, Before: res.Before}
		fixed, err := f.repair.Apply(base, env)
		if err != nil {
			row.After = Outcome{Error: "not applied: " + err.Error()}
		} else {
			row.After = env.send(fixed)
		}
		res.Rows = append(res.Rows, row)
	}
	return res, nil
}

// send sends one request and reads status, code and request id.
func (env *replayEnv) send(r Request) Outcome {
	if r.UserGiven && r.UserNoColon {
		return Outcome{Error: "not sent: curl -u without a colon stops to prompt for a password"}
	}
	for _, h := range r.Headers {
		if strings.ContainsAny(h.Value, "\r\n") {
			return Outcome{Error: "not sent: the " + h.Name + " header holds a line break, which ends a header on the wire"}
		}
	}
	req := toHTTP(r)
	opts := env.opts.Send
	// A pasted token request carries the client secret in its body: no
	// redirect is followed, wherever it points (as the exchange does).
	opts.NoRedirect = isTokenURL(r.URL) || strings.Contains(r.Body, "grant_type=") || strings.Contains(r.Body, `"grant_type"`)
	out, err := requests.Send(env.ctx, req, opts)
	if err != nil {
		o := Outcome{Error: model.Sanitize(err.Error())}
		var re *requests.RedirectError
		if errors.As(err, &re) {
			o.Redirects = sanitizeHops(re.Hops)
			if re.Reason == "token" {
				o.Error = model.Sanitize(fmt.Sprintf("not followed: %d redirect to %s; the request carries the client secret, which stays at the origin you named", re.Status, shortURL(re.To)))
			}
		}
		return o
	}
	d := decode.Decode(decode.Input{Provider: env.place.Provider.ID, Status: out.Status, Header: out.Header, Body: out.Body})
	o := Outcome{Status: out.Status, RequestID: d.RequestID, Redirects: sanitizeHops(out.Redirects)}
	if len(out.Redirects) > 0 {
		o.FinalURL = model.Sanitize(shortURL(out.URL))
	}
	if out.Status >= 400 {
		o.Code = d.Code
	}
	if o.RequestID == "" {
		o.RequestID = out.RequestID()
	}
	o.Code, o.RequestID = model.Sanitize(o.Code), model.Sanitize(o.RequestID)
	return o
}

// toHTTP turns a pasted request into the sender's, the credential marked
// secret. Host and Content-Length are the sender's to set.
func toHTTP(r Request) model.HTTPRequest {
	req := model.HTTPRequest{Method: r.Method, URL: r.URL, Body: model.Plain(r.Body)}
	if bodyHoldsSecret(r.Body) {
		req.Body = model.SecretText(r.Body) // stays at its origin on a redirect
	}
	for _, h := range r.Headers {
		switch strings.ToLower(h.Name) {
		case "host", "content-length", "connection", "accept-encoding":
			continue
		}
		v := model.Plain(h.Value)
		if secretHeader(h.Name) || len(findKeys([]byte(h.Value))) > 0 {
			v = model.SecretText(h.Value)
		}
		req.Headers = append(req.Headers, model.Header{Name: h.Name, Value: v})
	}
	if r.UserGiven {
		enc := base64.StdEncoding.EncodeToString([]byte(r.User))
		req = req.WithHeader("Authorization", model.Concat(model.Plain("Basic "), model.SecretText(enc)))
	}
	return req
}

// transplant points the request at the sandbox and, where the key has the
// provider's shape, swaps it for the demo key, keeping every mistake
// around it (whitespace, scheme words, a missing colon).
func transplant(r Request, pl Place, sandboxURL string) (Request, error) {
	if sandboxURL == "" {
		return r, errors.New("no sandbox to replay on")
	}
	u, err := url.Parse(r.URL)
	if err != nil {
		return r, err
	}
	path := u.Path
	if pl.Env.Sandbox {
		path = strings.TrimPrefix(path, pl.Provider.SandboxPath)
	}
	nu := strings.TrimRight(sandboxURL, "/") + pl.Provider.SandboxPath + path
	if u.RawQuery != "" {
		nu += "?" + u.RawQuery
	}
	r.URL = nu
	r.Headers = append([]Header(nil), r.Headers...)
	if len(pl.Provider.Demos) == 0 {
		return r, nil
	}
	if pl.Provider.Scheme == model.SchemeOAuth2 {
		if isTokenURL(r.URL) {
			r.Body = swapFields(r.Body, pl.Provider.Demos[0].Values)
		}
		return r, nil
	}
	cred, ok := readCredential(&r)
	key := cred.core()
	if !ok || key == "" || !fitsFormat(pl.Provider, key) {
		return r, nil
	}
	demo := pl.Provider.Demos[0].Values[pl.Provider.SecretField().ID]
	for _, d := range pl.Provider.Demos {
		if authschemes.KeyMode(d.Values["key"]) == authschemes.KeyMode(key) && authschemes.KeyMode(key) != "" {
			demo = d.Values["key"]
			break
		}
	}
	switch {
	case r.UserGiven:
		r.User = strings.Replace(r.User, key, demo, 1)
	case strings.EqualFold(cred.scheme, "Basic") && cred.basicOK:
		dec, _ := base64.StdEncoding.DecodeString(strings.TrimSpace(cred.value))
		swapped := strings.Replace(string(dec), key, demo, 1)
		r = setAuth(r, cred.scheme+" "+base64.StdEncoding.EncodeToString([]byte(swapped)))
	default:
		v, _ := r.Get("Authorization")
		r = setAuth(r, strings.Replace(v, key, demo, 1))
	}
	return r, nil
}

// fitsFormat: the key has the provider's prefix, length and characters.
func fitsFormat(p model.Provider, key string) bool {
	for _, w := range authschemes.Check(p, p.Environments[0], authschemes.Credentials{p.SecretField().ID: key}) {
		if w.Severity != model.SeverityInfo {
			return false
		}
	}
	return true
}

// goodAuthorization is a working header for the provider: the sandbox's
// demo credential. Against the real API there is none to invent.
func (env *replayEnv) goodAuthorization(p model.Provider) (string, error) {
	if env.opts.Real {
		return "", errors.New("the customer's credential is not in the paste")
	}
	if p.Scheme == model.SchemeOAuth2 {
		tok, err := env.freshToken()
		return "Bearer " + tok, err
	}
	key := p.Demos[0].Values[p.SecretField().ID]
	if p.Scheme == model.SchemeBasic {
		return "Basic " + base64.StdEncoding.EncodeToString([]byte(key+":")), nil
	}
	return "Bearer " + key, nil
}

// freshToken runs the client-credentials exchange on the sandbox with its
// demo client.
func (env *replayEnv) freshToken() (string, error) {
	if env.opts.Real {
		return "", errors.New("a fresh token needs the customer's client secret, which is not in the paste")
	}
	p, err := model.Lookup("scalekit")
	if err != nil {
		return "", err
	}
	sb, _ := p.Env("sandbox")
	t := model.Target{Provider: p, Env: sb, BaseURL: strings.TrimRight(env.opts.SandboxURL, "/") + p.SandboxPath, Creds: p.Demos[0].Values}
	tok, err := requests.FetchToken(env.ctx, t, authschemes.ClientSecretPost, env.opts.Send)
	if err != nil {
		return "", fmt.Errorf("fetching a sandbox token: %v", err)
	}
	return tok, nil
}

func containsInt(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// swapFields replaces the values of the given fields in a form or JSON
// body, keeping its format (and so its mistakes).
func swapFields(body string, values map[string]string) string {
	t := strings.TrimSpace(body)
	if strings.HasPrefix(t, "{") {
		var m map[string]any
		if json.Unmarshal([]byte(t), &m) != nil {
			return body
		}
		for k, v := range values {
			if _, ok := m[k]; ok {
				m[k] = v
			}
		}
		b, _ := json.Marshal(m)
		return string(b)
	}
	q, err := url.ParseQuery(t)
	if err != nil {
		return body
	}
	for k, v := range values {
		if q.Has(k) {
			q.Set(k, v)
		}
	}
	return q.Encode()
}

// bodyHoldsSecret: a secret field (form, JSON, multipart) or a key or
// token anywhere in the body.
func bodyHoldsSecret(body string) bool {
	found := false
	addParamSecrets(body, func(string) { found = true })
	return found || len(findKeys([]byte(body))) > 0
}

// sanitizeHops makes the hops' URLs safe to show: a Location is the
// server's bytes, and the query may hold secrets.
func sanitizeHops(hops []requests.Redirect) []requests.Redirect {
	out := make([]requests.Redirect, len(hops))
	for i, h := range hops {
		h.From, h.To = model.Sanitize(shortURL(h.From)), model.Sanitize(shortURL(h.To))
		out[i] = h
	}
	return out
}

package doctor

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/authscope/authscope/model"
)

// Repair is a fix --replay can apply to a request.
type Repair struct {
	Name  string
	Apply func(r Request, env *replayEnv) (Request, error)
}

// setAuth returns r with its Authorization replaced.
func setAuth(r Request, v string) Request {
	out := r
	out.Headers = nil
	for _, h := range r.Headers {
		if !strings.EqualFold(h.Name, "Authorization") {
			out.Headers = append(out.Headers, h)
		}
	}
	out.Headers = append(out.Headers, Header{Name: "Authorization", Value: v})
	return out
}

func repairAddAuth(p model.Provider) *Repair {
	return &Repair{Name: "add the Authorization header", Apply: func(r Request, env *replayEnv) (Request, error) {
		v, err := env.goodAuthorization(p)
		if err != nil {
			return r, err
		}
		return setAuth(r, v), nil
	}}
}

func repairUserColon() *Repair {
	return &Repair{Name: "add the colon to curl -u", Apply: func(r Request, _ *replayEnv) (Request, error) {
		r.User += ":"
		r.UserNoColon = false
		return r, nil
	}}
}

func repairScheme(want string) *Repair {
	return &Repair{Name: "use the " + want + " scheme", Apply: func(r Request, _ *replayEnv) (Request, error) {
		c, ok := readCredential(&r)
		if !ok {
			return r, errors.New("no credential")
		}
		key := strings.TrimSpace(c.key())
		if want == "Basic" {
			return setAuth(r, "Basic "+base64.StdEncoding.EncodeToString([]byte(key+":"))), nil
		}
		return setAuth(r, "Bearer "+key), nil
	}}
}

func repairSchemeTwice() *Repair {
	return &Repair{Name: "keep one scheme word", Apply: func(r Request, _ *replayEnv) (Request, error) {
		c, _ := readCredential(&r)
		_, rest, _ := strings.Cut(strings.TrimSpace(c.value), " ")
		return setAuth(r, c.scheme+" "+strings.TrimSpace(rest)), nil
	}}
}

func repairBasicColon() *Repair {
	return &Repair{Name: "encode \"KEY:\" with the colon", Apply: func(r Request, _ *replayEnv) (Request, error) {
		c, _ := readCredential(&r)
		return setAuth(r, "Basic "+base64.StdEncoding.EncodeToString([]byte(c.user+":"))), nil
	}}
}

// repairTrim applies only to whitespace findings: the fix is to trim.
func repairTrim(w model.Warning) *Repair {
	m := strings.ToLower(w.Message)
	if !strings.Contains(m, "newline") && !strings.Contains(m, "whitespace") && !strings.Contains(m, "space") {
		return nil
	}
	return &Repair{Name: "trim the key", Apply: func(r Request, _ *replayEnv) (Request, error) {
		if r.UserGiven {
			user, pass, colon := strings.Cut(r.User, ":")
			r.User = strings.TrimSpace(user)
			if colon {
				r.User += ":" + pass
			}
			return r, nil
		}
		c, _ := readCredential(&r)
		key := strings.TrimSpace(c.key())
		if strings.EqualFold(c.scheme, "Basic") {
			pass := ""
			if c.hasColon {
				pass = ":"
			}
			return setAuth(r, "Basic "+base64.StdEncoding.EncodeToString([]byte(key+pass))), nil
		}
		return setAuth(r, c.scheme+" "+key), nil
	}}
}

func repairFreshToken() *Repair {
	return &Repair{Name: "fetch a fresh token", Apply: func(r Request, env *replayEnv) (Request, error) {
		tok, err := env.freshToken()
		if err != nil {
			return r, err
		}
		return setAuth(r, "Bearer "+tok), nil
	}}
}

// repairFormBody sends a JSON token request as the form it should be.
func repairFormBody() *Repair {
	return &Repair{Name: "send the form-encoded body", Apply: func(r Request, _ *replayEnv) (Request, error) {
		var m map[string]any
		if err := json.Unmarshal([]byte(r.Body), &m); err != nil {
			return r, errors.New("the body is not a JSON object")
		}
		q := url.Values{}
		for k, v := range m {
			q.Set(k, fmt.Sprint(v))
		}
		r.Body = q.Encode()
		r.Headers = withoutHeaders(r.Headers, "Content-Type", "Accept")
		r.Headers = append(r.Headers, Header{Name: "Content-Type", Value: "application/x-www-form-urlencoded"})
		return r, nil
	}}
}

// repairLiveKey uses a live key where a test key met a live-only resource:
// in the sandbox, its live demo key.
func repairLiveKey(p model.Provider) *Repair {
	return &Repair{Name: "use a live_ key", Apply: func(r Request, env *replayEnv) (Request, error) {
		if env.opts.Real {
			return r, errors.New("the customer's live key is not in the paste")
		}
		for _, d := range p.Demos {
			if k := d.Values["key"]; strings.HasPrefix(k, "live_") && len(k) > 20 {
				r.UserGiven = false
				return setAuth(r, "Basic "+base64.StdEncoding.EncodeToString([]byte(k+":"))), nil
			}
		}
		return r, errors.New("no live demo key")
	}}
}

func withoutHeaders(hs []Header, names ...string) []Header {
	var out []Header
	for _, h := range hs {
		drop := false
		for _, n := range names {
			drop = drop || strings.EqualFold(h.Name, n)
		}
		if !drop {
			out = append(out, h)
		}
	}
	return out
}

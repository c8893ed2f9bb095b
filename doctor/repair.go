package doctor

import (
	"encoding/base64"
	"errors"
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

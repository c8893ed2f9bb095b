// Package authschemes turns credentials into an Authorization header as an
// ordered list of explained steps: HTTP Basic (RFC 7617), Bearer API keys
// (RFC 6750) and the OAuth2 client-credentials exchange (RFC 6749 §4.4).
//
// Every secret-bearing part of a step is marked as secret in its model.Text,
// so any renderer can mask it. Nothing here prints, sends or draws: the
// exchange itself is sent by package requests and shown by ui and cli.
package authschemes

import (
	"fmt"
	"strings"

	"github.com/authscope/authscope/model"
)

// Credentials maps a provider's model.Field.ID to the value as entered.
type Credentials = map[string]string

// Result is a built header with the steps that led to it.
type Result struct {
	Steps    []model.Step
	Header   model.Header
	Warnings []model.Warning
	Mode     string // Scale: "live" or "test", from the key's prefix; "" otherwise
}

// Build turns Basic or Bearer credentials into their header. Values are
// trimmed of surrounding whitespace (Check says so); everything else that
// is off about a key is a warning, not an error, because support sessions
// must be able to reproduce a bad key. OAuth2 needs a token exchange first.
func Build(p model.Provider, env model.Environment, creds Credentials) (Result, error) {
	warnings := Check(p, env, creds)
	field := p.SecretField()
	raw := creds[field.ID]
	key := strings.TrimSpace(raw)
	if key == "" {
		return Result{Warnings: warnings}, fmt.Errorf("no %s: pass --%s or set %s", field.Label, field.Flag, field.EnvVar)
	}

	var (
		steps  []model.Step
		header model.Header
		err    error
	)
	switch p.Scheme {
	case model.SchemeBasic:
		steps, header, err = BasicSteps(key, "")
	case model.SchemeBearer:
		steps, header, err = BearerSteps(key)
	case model.SchemeOAuth2:
		return Result{Warnings: warnings}, fmt.Errorf("%s uses OAuth2 client credentials: the header carries a token from the exchange (authscope token --provider %s)", p.Name, p.ID)
	default:
		return Result{Warnings: warnings}, fmt.Errorf("provider %s has an unknown scheme %q", p.ID, p.Scheme)
	}
	if err != nil {
		return Result{Warnings: warnings}, err
	}
	if key != raw {
		steps = append([]model.Step{{
			Title:   "Trim the " + strings.ToLower(field.Label),
			Input:   model.SecretText(raw),
			Output:  model.SecretText(key),
			Explain: "Surrounding spaces and newlines are never part of a key; they were removed before encoding.",
		}}, steps...)
	}
	return Result{Steps: steps, Header: header, Warnings: warnings, Mode: KeyMode(key)}, nil
}

// KeyMode is Scale's mode as its key prefix gives it: "live", "test" or "".
func KeyMode(key string) string {
	switch {
	case strings.HasPrefix(key, "live_"):
		return "live"
	case strings.HasPrefix(key, "test_"):
		return "test"
	}
	return ""
}

// authorization renders a header as its step output: "Authorization: <value>".
func authorization(h model.Header) model.Text {
	return model.Concat(model.Plain(h.Name+": "), h.Value)
}

package authschemes

import (
	"errors"
	"fmt"
	"strings"

	"github.com/authscope/authscope/model"
)

// BearerHeader is "Authorization: Bearer <token>" with the token secret.
func BearerHeader(token string) model.Header {
	return model.Header{Name: "Authorization", Value: model.Concat(model.Plain("Bearer "), model.SecretText(token))}
}

// BearerSteps builds a Bearer header from an API key or access token. A
// token outside RFC 6750's b64token syntax still builds (the step says what
// is off), except for control characters, which would break the header.
func BearerSteps(token string) ([]model.Step, model.Header, error) {
	if token == "" {
		return nil, model.Header{}, errors.New("the token is empty")
	}
	if strings.IndexFunc(token, isControl) >= 0 {
		return nil, model.Header{}, errors.New("the token contains a control character (a newline or tab inside it?), which cannot go into an HTTP header")
	}
	syntax := "It is valid b64token syntax (RFC 6750 §2.1)."
	if problem := B64TokenProblem(token); problem != "" {
		syntax = "It is not valid b64token syntax (RFC 6750 §2.1): " + problem + "."
	}
	header := BearerHeader(token)
	steps := []model.Step{
		{Title: "The token", Input: model.SecretText(token), Output: model.SecretText(token),
			Explain: "Bearer means whoever holds the token gets access; it is sent as it is, with no encoding. " + syntax},
		{Title: "Authorization header", Input: model.SecretText(token), Output: authorization(header),
			Explain: "The scheme name \"Bearer\", one space, then the token (RFC 6750 §2.1)."},
	}
	return steps, header, nil
}

// B64TokenProblem says what keeps token from matching RFC 6750's b64token,
// 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=", or "" if
// nothing does. It names positions and kinds of characters, never the token.
func B64TokenProblem(token string) string {
	if token == "" {
		return "it is empty"
	}
	body := strings.TrimRight(token, "=")
	if body == "" {
		return "it is only '=' padding"
	}
	for i, r := range []rune(body) {
		if !isB64TokenRune(r) {
			if r == '=' {
				return fmt.Sprintf("'=' at position %d; padding may only come at the end", i+1)
			}
			return fmt.Sprintf("%s at position %d", describeRune(r), i+1)
		}
	}
	return ""
}

func isB64TokenRune(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return true
	}
	return strings.ContainsRune("-._~+/", r)
}

// describeRune names a character without echoing a secret's letters or
// digits; punctuation and invisible characters are named exactly, because
// that is what the user has to find and delete.
func describeRune(r rune) string {
	switch {
	case r == ' ':
		return "a space"
	case r == '\t':
		return "a tab"
	case r == '\n':
		return "a newline"
	case r == '\r':
		return "a carriage return"
	case r == 0xa0:
		return "a non-breaking space (U+00A0)"
	case r == 0x200b || r == 0xfeff:
		return fmt.Sprintf("an invisible zero-width character (U+%04X)", r)
	case r < 0x20 || r == 0x7f:
		return fmt.Sprintf("a control character (U+%04X)", r)
	case r >= 'a' && r <= 'z':
		return "a lowercase letter"
	case r >= 'A' && r <= 'Z':
		return "an uppercase letter"
	case r >= '0' && r <= '9':
		return "a digit"
	case r > 0x7e:
		return fmt.Sprintf("a non-ASCII character (U+%04X)", r)
	}
	return fmt.Sprintf("%q", r)
}

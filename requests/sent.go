package requests

import (
	"fmt"
	"strings"

	"github.com/authscope/authscope/authschemes"
	"github.com/authscope/authscope/decode"
	"github.com/authscope/authscope/model"
)

// SentOf is what the diagnosis knows about a run authscope sent itself:
// that the request was seen, the scheme word of its Authorization header,
// the client authentication, the what-if, the key's mode against the
// environment's, and what the pre-send checks find in the credential as
// it went out (a pasted scheme word, another provider's key). When the
// token request was refused, that request is the one described.
func SentOf(run *SampleRun, auth authschemes.ClientAuth, front decode.Front) decode.Sent {
	t := run.Target
	out := NewOutgoing(t, auth)
	s := decode.Sent{Seen: true, Front: front, Provider: t.Provider.ID, WhatIf: run.Sample.WhatIf, EnvMode: t.Env.KeyMode}
	req := run.Request
	if t.Provider.Scheme == model.SchemeOAuth2 {
		s.ClientAuth = string(out.ClientAuth)
		if run.Result == nil && run.Exchange != nil && run.Exchange.TokenError != nil {
			req = run.Exchange.Request
		}
	}
	s.AuthScheme = SchemeWord(req)
	key := out.Credential()
	if t.Env.KeyMode != "" || hasModes(t.Provider) {
		s.KeyMode = authschemes.KeyMode(key)
	}
	if pos, r, ok := authschemes.OddCharacter(key); ok {
		s.OddCharacter = fmt.Sprintf("U+%04X at position %d", r, pos)
	}
	s.PastedScheme, _ = authschemes.PastedScheme(key)
	if s.PastedScheme == "" && !fitsOwnFormat(t.Provider, key) {
		s.OtherProvider = authschemes.OwnerOf(key, t.Provider.ID)
	}
	return s
}

// SchemeWord is the first word of the request's Authorization header
// ("" when none was sent). It may be a bare key: the diagnosis never
// repeats a word it does not know.
func SchemeWord(req model.HTTPRequest) string {
	v, ok := req.Header("Authorization")
	if !ok {
		return ""
	}
	word, _, _ := strings.Cut(v.Reveal(), " ")
	return word
}

func hasModes(p model.Provider) bool {
	for _, env := range p.Environments {
		if env.KeyMode != "" {
			return true
		}
	}
	return false
}

// fitsOwnFormat reports whether the key starts with one of the provider's
// own prefixes (or is a documented exception such as live_ScaleRocks).
func fitsOwnFormat(p model.Provider, key string) bool {
	f := p.SecretField().Format
	if len(f.Prefixes) == 0 {
		return true
	}
	for _, ok := range f.Exceptions {
		if key == ok {
			return true
		}
	}
	for _, prefix := range f.Prefixes {
		if strings.HasPrefix(key, prefix) {
			return true
		}
	}
	return false
}

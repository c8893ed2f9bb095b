package authschemes

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/authscope/authscope/model"
)

// Seeds live in testdata/fuzz/<Target>; these add the shapes each target
// must at least survive.

func FuzzDecodeJWT(f *testing.F) {
	enc := base64.RawURLEncoding.EncodeToString
	f.Add(enc([]byte(`{"alg":"RS256","kid":"snk_1"}`)) + "." + enc([]byte(`{"exp":1795488044,"scopes":["openid"]}`)) + ".c2ln")
	f.Add(enc([]byte(`{"alg":"none"}`)) + "." + enc([]byte(`{}`)) + ".")
	f.Add("a.b")
	f.Fuzz(func(t *testing.T, raw string) {
		j, err := DecodeJWT(raw)
		if err != nil {
			return
		}
		if strings.EqualFold(j.Alg, "none") || j.Alg == "" {
			t.Fatalf("accepted alg %q", j.Alg)
		}
		if strings.Count(j.Raw, ".") != 2 {
			t.Fatalf("accepted %d parts", strings.Count(j.Raw, ".")+1)
		}
	})
}

func FuzzParseTokenResponse(f *testing.F) {
	f.Add(200, []byte(`{"access_token":"t","token_type":"Bearer","expires_in":86399,"scope":"openid"}`))
	f.Add(401, []byte(`{"error":"invalid_client","error_description":"x"}`))
	f.Add(401, []byte(`<html>401</html>`))
	f.Add(200, []byte(`{"access_token":"t","expires_in":1e400}`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		tok, te, err := ParseTokenResponse(status, http.Header{}, body, time.Unix(0, 0))
		n := 0
		for _, set := range []bool{tok != nil, te != nil, err != nil} {
			if set {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("want exactly one of token, token error, error: %v %v %v", tok, te, err)
		}
		if tok != nil && (tok.AccessToken == "" || tok.ExpiresIn < 0) {
			t.Fatalf("bad token %+v", tok)
		}
	})
}

func FuzzCheck(f *testing.F) {
	f.Add("scaling", "production", "scl_live_0123456789abcdef0123456789abcdef\n")
	f.Add("scale", "live", "test_0123456789abcdef0123456789abcdef")
	f.Add("scale", "test", "Bearer live_ScaleRocks")
	f.Add("scalekit", "sandbox", " skc_\u00a0x")
	f.Fuzz(func(t *testing.T, providerID, envID, key string) {
		p, err := model.Lookup(providerID)
		if err != nil {
			return
		}
		env, err := p.Env(envID)
		if err != nil {
			env = p.Environments[0]
		}
		creds := Credentials{}
		for _, fl := range p.Fields {
			creds[fl.ID] = key
		}
		for _, w := range Check(p, env, creds) {
			if w.Message == "" || w.Fix == "" {
				t.Fatalf("empty warning %+v", w)
			}
			if trimmed := strings.TrimSpace(key); len(trimmed) >= 12 && strings.Contains(w.Message+w.Fix, trimmed) {
				t.Fatalf("warning echoes the key: %q", w.Message)
			}
		}
		res, err := Build(p, env, creds)
		if err == nil && p.Scheme == model.SchemeBasic {
			enc := strings.TrimPrefix(res.Header.Value.Reveal(), "Basic ")
			b, derr := base64.StdEncoding.DecodeString(enc)
			if derr != nil || string(b) != strings.TrimSpace(key)+":" {
				t.Fatalf("Basic header %q does not decode to the key", enc)
			}
		}
	})
}

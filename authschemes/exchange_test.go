package authschemes

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// exchangeFor builds an Exchange the way the sender does, from a request
// and a raw response, without the network (requests tests the wire).
func exchangeFor(t *testing.T, status int, body string) Exchange {
	p := mustProvider(t, "scalekit")
	req, err := TokenRequest(p, testIssuer, demoClient, ClientSecretPost)
	if err != nil {
		t.Fatal(err)
	}
	x := Exchange{Request: req, Status: status,
		RawResponse: "HTTP/1.1 " + http.StatusText(status) + "\r\nContent-Type: application/json\r\n\r\n" + body}
	tok, te, err := ParseTokenResponse(status, nil, []byte(body), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	x.Token, x.TokenError = tok, te
	if tok != nil {
		if x.JWT, err = DecodeJWT(tok.AccessToken); err != nil {
			t.Fatal(err)
		}
	}
	return x
}

func TestExchangeStepsMaskTheTokenEverywhere(t *testing.T) {
	now := time.Now()
	raw := signed(t, now, time.Hour, func(c map[string]any) { c["note"] = "\x1b]52;c;aGk=\x07evil" })
	x := exchangeFor(t, 200, `{"access_token":"`+raw+`","token_type":"Bearer","expires_in":3599,"scope":"openid"}`)
	v := VerifyJWKS(raw, jwksFor(t, "snk_1", &rsaKey(t).PublicKey), testIssuer, now)
	x.Verification = &v

	steps := ExchangeSteps(x)
	var titles []string
	for _, s := range steps {
		titles = append(titles, s.Title)
		for _, text := range []string{s.Input.Masked(), s.Output.Masked()} {
			if strings.Contains(text, raw) || strings.Contains(text, strings.Split(raw, ".")[2]) || strings.Contains(text, "sandbox_client_secret") {
				t.Errorf("step %q shows a secret when masked", s.Title)
			}
			if strings.ContainsAny(text, "\x1b\x07") {
				t.Errorf("step %q passes terminal escapes through: %q", s.Title, text)
			}
		}
	}
	want := "Form body,Token request,Raw response,Parsed token,JWT header,JWT claims,JWKS check,Authorization header"
	if strings.Join(titles, ",") != want {
		t.Fatalf("steps %v", titles)
	}
	last := steps[len(steps)-1].Output.Reveal()
	if last != "Authorization: Bearer "+raw {
		t.Fatalf("last step %q", last)
	}
	if !strings.Contains(steps[6].Output.Reveal(), "signature valid") {
		t.Fatalf("JWKS step %q", steps[6].Output.Reveal())
	}
}

func TestExchangeStepsForATokenError(t *testing.T) {
	x := exchangeFor(t, 401, `{"error":"invalid_client","error_description":"Client authentication failed"}`)
	steps := ExchangeSteps(x)
	last := steps[len(steps)-1]
	if last.Title != "Token error" || !strings.Contains(last.Output.Reveal(), "invalid_client") || !strings.Contains(last.Explain, "HTTP Basic") {
		t.Fatalf("last step %+v", last)
	}
}

func TestMarkSecrets(t *testing.T) {
	got := markSecrets("a TOK b TOK", "TOK")
	if got.Reveal() != "a TOK b TOK" || strings.Contains(got.Masked(), "TOK") || len(got.Secrets()) != 2 {
		t.Fatalf("%+v", got)
	}
}

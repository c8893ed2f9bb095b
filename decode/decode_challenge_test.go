package decode

import (
	"reflect"
	"testing"
)

func TestParseChallenges(t *testing.T) {
	cases := []struct {
		header string
		want   []challenge
	}{
		{`Bearer`, []challenge{{Scheme: "Bearer"}}},
		{`Bearer realm="example"`, []challenge{{Scheme: "Bearer", Params: []authParam{{"realm", "example"}}}}},
		{`Bearer realm="example", error="invalid_token", error_description="The access token expired"`,
			[]challenge{{Scheme: "Bearer", Params: []authParam{{"realm", "example"}, {"error", "invalid_token"}, {"error_description", "The access token expired"}}}}},
		// Token values, odd spacing, upper-case names, empty list elements.
		{`Bearer  ERROR = invalid_request ,, scope="a b"`,
			[]challenge{{Scheme: "Bearer", Params: []authParam{{"error", "invalid_request"}, {"scope", "a b"}}}}},
		// Escapes inside a quoted string; a comma inside quotes is not a separator.
		{`Bearer error_description="say \"hi\", then \\ leave"`,
			[]challenge{{Scheme: "Bearer", Params: []authParam{{"error_description", `say "hi", then \ leave`}}}}},
		// Several challenges in one header (RFC 9110 §11.6.1's example).
		{`Newauth realm="apps", type=1, title="Login to \"apps\"", Basic realm="simple"`,
			[]challenge{
				{Scheme: "Newauth", Params: []authParam{{"realm", "apps"}, {"type", "1"}, {"title", `Login to "apps"`}}},
				{Scheme: "Basic", Params: []authParam{{"realm", "simple"}}},
			}},
		{`Basic realm="scalekit", charset="UTF-8", Bearer`,
			[]challenge{{Scheme: "Basic", Params: []authParam{{"realm", "scalekit"}, {"charset", "UTF-8"}}}, {Scheme: "Bearer"}}},
		{`Basic, Bearer error="invalid_token"`,
			[]challenge{{Scheme: "Basic"}, {Scheme: "Bearer", Params: []authParam{{"error", "invalid_token"}}}}},
		// token68 credentials.
		{`Negotiate YIIBhwYGKwYBBQUCoIIBezCCAXeg==`, []challenge{{Scheme: "Negotiate", Token68: "YIIBhwYGKwYBBQUCoIIBezCCAXeg=="}}},
		{`Negotiate abc, Bearer`, []challenge{{Scheme: "Negotiate"}, {Scheme: "abc"}, {Scheme: "Bearer"}}},
		// Broken input degrades, never fails.
		{`Bearer error="unterminated`, []challenge{{Scheme: "Bearer", Params: []authParam{{"error", "unterminated"}}}}},
		// "name=" alone is token68 by the grammar (base64 padding).
		{`Bearer error=`, []challenge{{Scheme: "Bearer", Token68: "error="}}},
		{`Bearer error=, realm="r"`, []challenge{{Scheme: "Bearer", Params: []authParam{{"error", ""}, {"realm", "r"}}}}},
		{`, ,`, nil},
		{``, nil},
		{`"quoted" Bearer`, []challenge{{Scheme: "quoted"}, {Scheme: "Bearer"}}},
	}
	for _, c := range cases {
		got := parseChallenges(c.header)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s\n got %+v\nwant %+v", c.header, got, c.want)
		}
	}
}

// RFC 6750 §3.1: no error code when the request had no credentials; each
// code otherwise has its meaning.
func TestDecodeBearerChallengeCodes(t *testing.T) {
	for code, want := range bearerErrors {
		d := Decode(Input{Status: 401, Header: map[string][]string{"Www-Authenticate": {`Bearer realm="r", error="` + code + `"`}}})
		if d.Shape != "bearer-challenge" || d.Code != code || d.Meaning != want.Meaning || d.Advice == "" {
			t.Errorf("%s: %+v", code, d)
		}
	}
	d := Decode(Input{Status: 401, Header: map[string][]string{"Www-Authenticate": {`Bearer realm="r"`}}})
	if d.Code != "" || d.Meaning != noCredentialsChallenge.Meaning {
		t.Errorf("no-credentials challenge: %+v", d)
	}
	// A specific body shape wins; the challenge is still listed.
	d = Decode(Input{Status: 401, Header: map[string][]string{"Www-Authenticate": {`Bearer error="invalid_token"`}},
		Body: []byte(`{"code":16,"message":"Token expired"}`)})
	if d.Shape != "grpc-gateway" || !hasHeaderRow(d, "WWW-Authenticate Bearer error") {
		t.Errorf("body shape should win, challenge kept: %+v", d)
	}
}

func BenchmarkParseChallenges(b *testing.B) {
	h := `Bearer realm="example", error="invalid_token", error_description="The access token expired", scope="a b c"`
	for b.Loop() {
		parseChallenges(h)
	}
}

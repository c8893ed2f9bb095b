package snippets

import (
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/authscope/authscope/authschemes"
	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
)

// hostile is a credential full of what breaks naive quoting in each
// language: quotes, $(…), backticks, backslashes, percent signs, ${VAR}.
// ASCII only: header values are Latin-1 to Python and Node, and real
// credentials are ASCII; the body carries the non-ASCII text.
const hostile = `it's "q" $(echo pwned) ` + "`echo tick`" + ` \n\\ ${HOME} %s %d`

// echoServer answers the token endpoint with a token that encodes the
// client id and secret it received, and every other request with the
// Authorization header, method and body it received.
func echoServer(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/oauth/token") {
			r.ParseForm()
			id, secret := r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
			if user, pass, ok := r.BasicAuth(); ok { // client_secret_basic: form-encoded parts (RFC 6749 §2.3.1)
				id, _ = url.QueryUnescape(user)
				secret, _ = url.QueryUnescape(pass)
			}
			token := base64.RawURLEncoding.EncodeToString([]byte(id + "|" + secret))
			fmt.Fprintf(w, `{"access_token":%q,"token_type":"Bearer","expires_in":60}`, token)
			return
		}
		body, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "auth=%s\nmethod=%s\nbody=%s\n", r.Header.Get("Authorization"), r.Method, body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestSnippetsQuoteHostileValues runs every code snippet, both flavours,
// with a credential and a body that break naive quoting, and checks the
// server received them byte for byte.
func TestSnippetsQuoteHostileValues(t *testing.T) {
	srv := echoServer(t)
	run := runners(t)
	sample := model.Sample{Name: "custom", Title: "Echo", Method: "POST", Path: "/echo?a=1&b='2'", Body: "{\"name\":\"it's \\\"x\\\" $(y) ü \u2028\"}"}
	for _, p := range model.Providers {
		target := hostileTarget(p, srv.URL)
		want := "auth=" + expectedAuthorization(p)
		for _, kind := range []Kind{Curl, Go, Python, Node} {
			r, ok := run[kind]
			if !ok {
				continue
			}
			for _, c := range flavoursAndClientAuths(p) {
				flavour := c.flavour
				t.Run(fmt.Sprintf("%s/%s/%s%s", p.ID, kind, flavourName(flavour), c.suffix), func(t *testing.T) {
					text, err := Write(kind, requests.NewOutgoing(target, c.auth), sample, flavour, "")
					if err != nil {
						t.Fatal(err)
					}
					var env []string
					if flavour == SecretFromEnv {
						env = envFor(target)
					}
					out := r.run(t, text.Reveal(), env...)
					for _, line := range []string{want, "method=POST", "body=" + sample.Body} {
						if !strings.Contains(out, line+"\n") {
							t.Fatalf("the server did not receive %q; output:\n%s\nsnippet:\n%s", line, out, text.Reveal())
						}
					}
				})
			}
		}
	}
}

func hostileTarget(p model.Provider, base string) model.Target {
	creds := map[string]string{}
	for _, f := range p.Fields {
		creds[f.ID] = f.ID + ":" + hostile
		if f.ID == "key" || f.Secret {
			creds[f.ID] = hostile // a Basic user name cannot hold ":" (RFC 7617)
		}
	}
	return model.Target{Provider: p, Env: model.Environment{ID: "custom", Label: "Custom"}, BaseURL: base, Creds: creds}
}

func expectedAuthorization(p model.Provider) string {
	switch p.Scheme {
	case model.SchemeBasic:
		return "Basic " + base64.StdEncoding.EncodeToString([]byte(hostile+":"))
	case model.SchemeOAuth2:
		return "Bearer " + base64.RawURLEncoding.EncodeToString([]byte("client_id:"+hostile+"|"+hostile))
	}
	return "Bearer " + hostile
}

// envFor is the child environment the env flavour reads.
func envFor(t model.Target) []string {
	var env []string
	if t.Provider.EnvURLVar != "" {
		env = append(env, t.Provider.EnvURLVar+"="+t.BaseURL)
	}
	for _, f := range t.Provider.Fields {
		env = append(env, f.EnvVar+"="+t.Creds[f.ID])
	}
	return env
}

// snippetCase is one way to write a snippet: the flavour, and for OAuth2
// providers the client authentication.
type snippetCase struct {
	flavour Flavour
	auth    authschemes.ClientAuth
	suffix  string // for the subtest name
}

// flavoursAndClientAuths lists both flavours, and for OAuth2 providers
// each with client_secret_post and client_secret_basic.
func flavoursAndClientAuths(p model.Provider) []snippetCase {
	var out []snippetCase
	for _, fl := range []Flavour{SecretInline, SecretFromEnv} {
		out = append(out, snippetCase{flavour: fl, auth: authschemes.ClientSecretPost})
		if p.Scheme == model.SchemeOAuth2 {
			out = append(out, snippetCase{flavour: fl, auth: authschemes.ClientSecretBasic, suffix: "/client-auth-basic"})
		}
	}
	return out
}

func flavourName(f Flavour) string {
	if f == SecretFromEnv {
		return "env"
	}
	return "inline"
}

// TestClientSecretsWithAwkwardCharactersReachTheServer: a Scalekit client
// secret holding `+ / = & < > " % \` and non-ASCII reaches the token
// endpoint byte for byte from every snippet, with client_secret_post and
// client_secret_basic (form-encoded before Basic, RFC 6749 §2.3.1).
func TestClientSecretsWithAwkwardCharactersReachTheServer(t *testing.T) {
	srv := echoServer(t)
	run := runners(t)
	p, _ := model.Lookup("scalekit")
	const id, secret = "skc_+/=&<>", `s3cr+t/=&<>"%\ ü`
	target := model.Target{Provider: p, Env: model.Environment{ID: "custom"}, BaseURL: srv.URL, Creds: map[string]string{"client_id": id, "client_secret": secret}}
	want := "auth=Bearer " + base64.RawURLEncoding.EncodeToString([]byte(id+"|"+secret)) + "\n"
	sample := model.Sample{Name: "custom", Method: "GET", Path: "/echo"}
	for _, kind := range []Kind{Curl, Go, Python, Node} {
		r, ok := run[kind]
		if !ok {
			continue
		}
		for _, c := range flavoursAndClientAuths(p) {
			t.Run(fmt.Sprintf("%s/%s%s", kind, flavourName(c.flavour), c.suffix), func(t *testing.T) {
				text, err := Write(kind, requests.NewOutgoing(target, c.auth), sample, c.flavour, "")
				if err != nil {
					t.Fatal(err)
				}
				var env []string
				if c.flavour == SecretFromEnv {
					env = envFor(target)
				}
				if out := r.run(t, text.Reveal(), env...); !strings.Contains(out, want) {
					t.Fatalf("the server did not get the id and secret as typed; output:\n%s\nsnippet:\n%s", out, text.Reveal())
				}
			})
		}
	}
}

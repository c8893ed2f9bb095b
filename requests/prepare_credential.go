package requests

import (
	"strings"

	"github.com/authscope/authscope/authschemes"
	"github.com/authscope/authscope/model"
)

// Outgoing is the credential that goes out, computed once from what was
// entered: every value trimmed of surrounding whitespace (the checks say
// so), the findings of the pre-send checks, the client authentication
// chosen for an OAuth2 exchange, and the base URL. The sender (Staged,
// Prepare, the exchange), every snippet, the bundle and the explorer
// read this one value: when each re-derived it from the raw input, the
// copies drifted from what was sent (a key with a trailing space got 200
// from authscope and 401 from its curl).
type Outgoing struct {
	Target     model.Target           // the target with Creds as sent (trimmed) and BaseURL without a trailing slash
	ClientAuth authschemes.ClientAuth // OAuth2: post (client_secret_post) or basic (client_secret_basic)
	Findings   []model.Warning        // authschemes.Check on the values as entered
}

// NewOutgoing computes the outgoing credential from the target as
// entered. An empty auth is client_secret_post, as every SDK sends it.
func NewOutgoing(t model.Target, auth authschemes.ClientAuth) Outgoing {
	findings := authschemes.Check(t.Provider, t.Env, t.Creds)
	t.Creds = trimmedCreds(t.Creds)
	t.BaseURL = strings.TrimRight(t.BaseURL, "/")
	if auth == "" {
		auth = authschemes.ClientSecretPost
	}
	return Outgoing{Target: t, ClientAuth: auth, Findings: findings}
}

// Credential is the value of the field that goes into the header (the
// key; for OAuth2 the client secret), as sent.
func (o Outgoing) Credential() string {
	return o.Target.Creds[o.Target.Provider.SecretField().ID]
}

// trimmedCreds is a copy of creds with each value trimmed, exactly as
// authschemes.Build and authschemes.TokenRequest trim them.
func trimmedCreds(creds map[string]string) map[string]string {
	out := make(map[string]string, len(creds))
	for k, v := range creds {
		out[k] = strings.TrimSpace(v)
	}
	return out
}

package authschemes

import (
	"errors"
	"fmt"
	"strings"

	"github.com/authscope/authscope/model"
)

// AuthorizeSteps explains everything before the browser leaves: the
// proof key, state and nonce, the listener and the URL parameter by
// parameter.
func AuthorizeSteps(a AuthRequest, port int, fixedPort bool) []model.Step {
	portWhy := fmt.Sprintf("authscope listens on 127.0.0.1:%d, a port the system picked; RFC 8252 §7.3 has servers accept any port on a loopback redirect URI. Register http://127.0.0.1/callback (any port), or fix one with --redirect-port to register it exactly.", port)
	if fixedPort {
		portWhy = fmt.Sprintf("authscope listens on 127.0.0.1:%d, the port you fixed, so the redirect URI is the one registered in the dashboard exactly (RFC 8252 §7.3).", port)
	}
	var lines []string
	for _, p := range a.Params() {
		lines = append(lines, fmt.Sprintf("%s=%s\n    %s (%s)", p.Name, p.Value, p.Explain, p.RFC))
	}
	return []model.Step{
		{Title: "PKCE verifier", Output: model.SecretText(a.PKCE.Verifier),
			Explain: "32 random bytes, base64url: a one-time secret that never leaves authscope until the code exchange (RFC 7636 §4.1)."},
		{Title: "S256 challenge", Input: model.SecretText(a.PKCE.Verifier), Output: model.Plain(a.PKCE.Challenge),
			Explain: "BASE64URL(SHA256(verifier)): the authorization URL carries only this hash, so a stolen code is useless without the verifier (RFC 7636 §4.2). plain is never sent: " + ErrPlainPKCE.Error() + "."},
		{Title: "state and nonce", Output: model.Plain("state=" + a.State + "\nnonce=" + a.Nonce),
			Explain: "state must come back unchanged on the callback (CSRF protection, RFC 6749 §10.12); nonce must come back inside the ID token (replay protection, OIDC Core §3.1.2.1)."},
		{Title: "Loopback listener", Output: model.Plain(a.RedirectURI), Explain: portWhy + " It accepts exactly one callback, then closes."},
		{Title: "Authorization URL", Output: model.Plain(strings.Join(lines, "\n")),
			Explain: "GET " + a.Endpoint + " in the user's browser (RFC 6749 §4.1.1); the server signs the user in through their organization's identity provider and redirects to redirect_uri with code and state."},
	}
}

// CallbackStep explains the callback: what arrived and whether state held.
func CallbackStep(c Callback, wantState string, err error) model.Step {
	var out model.Text
	if c.Code != "" {
		out = model.Concat(model.Plain("code="), model.SecretText(c.Code), model.Plain("\n"))
	}
	out = model.Concat(out, model.Plain(model.Sanitize("state="+c.State)))
	if c.Error != "" {
		out = model.Concat(out, model.Plain(model.Sanitize("\nerror="+c.Error)))
		if c.ErrorDescription != "" {
			out = model.Concat(out, model.Plain(model.Sanitize("\nerror_description="+c.ErrorDescription)))
		}
	}
	if c.Issuer != "" {
		out = model.Concat(out, model.Plain(model.Sanitize("\niss="+c.Issuer)))
	}
	why := "The browser came back to the listener with a one-time code and the state; the state is ours (" + wantState + "), so this is the answer to this sign-in (RFC 6749 §4.1.2)."
	var ce *CallbackError
	if err != nil {
		why = err.Error()
		if asCallbackError(err, &ce) {
			why = ce.Meaning + " Fix: " + ce.Fix
		}
	}
	return model.Step{Title: "Callback", Output: out, Explain: model.Sanitize(why)}
}

func asCallbackError(err error, out **CallbackError) bool { return errors.As(err, out) }

// LogoutStep explains the logout URL.
func LogoutStep(u model.Text) model.Step {
	return model.Step{Title: "Logout URL", Output: u,
		Explain: "Open it to end the session at Scalekit (OIDC RP-initiated logout): id_token_hint says whose session, post_logout_redirect_uri where to land, state comes back. Forgetting the tokens locally does not end it."}
}

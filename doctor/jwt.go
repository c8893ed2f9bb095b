package doctor

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/authscope/authscope/authschemes"
	"github.com/authscope/authscope/model"
)

// clockLeeway is the skew servers usually tolerate; beyond it, clocks
// that disagree are named as the cause.
const clockLeeway = 60 * time.Second

func looksLikeJWT(s string) bool {
	return strings.HasPrefix(s, "eyJ") && strings.Count(s, ".") == 2
}

// checkJWT is the token X-ray: header and claims, iat/nbf/exp against the
// local clock and the response's Date (naming clock skew as such), the
// issuer against the environment the request went to, aud and scopes.
func (d *diagnosis) checkJWT(x *Exchange, pl Place, token string, add func(Finding)) {
	j, err := authschemes.DecodeJWT(token)
	if err != nil {
		add(Finding{Check: "jwt-unreadable", Severity: SevError, weight: wShape,
			Title:    "The Bearer token looks like a JWT but cannot be read: " + model.Sanitize(err.Error()),
			Evidence: "Authorization: Bearer " + maskKey(token),
			Fix:      "Copy the whole access_token again: a JWT is three base64url parts joined by dots."})
		return
	}
	add(Finding{Check: "jwt-xray", Severity: SevInfo, weight: wContext,
		Title: "The Bearer token is a JWT (decoded, not verified)", Evidence: jwtSummary(j),
		Fix: "authscope token --provider scalekit shows a fresh token's claims for comparison."})

	now := d.opts.Now()
	server, hasServer := responseDate(x.Response)
	client := x.Started
	if hasServer && !client.IsZero() {
		if skew := client.Sub(server); skew > clockLeeway || skew < -clockLeeway {
			add(Finding{Check: "clock-skew", Severity: SevWarning, weight: wTime,
				Title:    "Clock skew: the client's clock is " + aheadBehind(skew) + " the server's",
				Evidence: "request started " + stamp(client) + " by the client's clock; the response's Date says " + stamp(server),
				Fix:      "Sync the client's clock (NTP): token lifetimes are checked against the server's clock, not the client's."})
		}
	}
	// The moment the token was used: the server's Date, else when the
	// client started the request (a HAR's startedDateTime), else now — an
	// old HAR read today must not call a then-valid token expired.
	at, atName := now, "this machine's clock (now)"
	switch {
	case hasServer:
		at, atName = server, "the response's Date header"
	case !client.IsZero():
		at, atName = client, "when the request started (the client's clock)"
	}
	if j.ExpiresAt != nil && !at.Before(*j.ExpiresAt) {
		title, weight := "The token had expired when it was sent: exp is "+ago(at.Sub(*j.ExpiresAt))+" before "+atName, wTime
		if !hasServer && client.IsZero() {
			// Without the response, "now" may be long after the paste was made.
			title, weight = "The token has expired: exp is "+ago(at.Sub(*j.ExpiresAt))+" before "+atName, wResponse
		}
		add(Finding{Check: "jwt-expired", Severity: SevError, weight: weight, repair: repairFreshToken(),
			Title:    title,
			Evidence: "exp " + stamp(*j.ExpiresAt) + ", " + atName + " " + stamp(at),
			Fix:      "Fetch a new token before exp (cache it for expires_in less a minute), and refresh on 401."})
	} else if j.ExpiresAt != nil && at != now && !now.Before(*j.ExpiresAt) && !d.multi {
		add(Finding{Check: "jwt-expired-since", Severity: SevInfo, weight: wContext,
			Title:    "The token was valid when sent and has expired since",
			Evidence: "exp " + stamp(*j.ExpiresAt) + ", " + atName + " " + stamp(at) + ", now " + stamp(now),
			Fix:      "Nothing to fix for the request itself; a replay needs a fresh token."})
	}
	if j.NotBefore != nil && at.Before(*j.NotBefore) {
		skew := j.NotBefore.Sub(at)
		add(Finding{Check: "jwt-not-yet-valid", Severity: SevError, weight: wTime,
			Title:    "Clock skew: the token is not valid yet — nbf is " + skew.Round(time.Second).String() + " after " + atName,
			Evidence: "nbf " + stamp(*j.NotBefore) + ", " + atName + " " + stamp(at),
			Fix:      "The issuer's clock is ahead of the API server's (or this one's): sync clocks with NTP, or wait " + skew.Round(time.Second).String() + "."})
	} else if j.IssuedAt != nil && j.IssuedAt.Sub(at) > clockLeeway {
		add(Finding{Check: "clock-skew", Severity: SevWarning, weight: wTime,
			Title:    "Clock skew: the token was issued " + j.IssuedAt.Sub(at).Round(time.Second).String() + " after " + atName,
			Evidence: "iat " + stamp(*j.IssuedAt) + ", " + atName + " " + stamp(at),
			Fix:      "The issuer's clock and the server's disagree: sync clocks with NTP."})
	}
	d.checkIssuer(x, pl, j, add)
	checkAudience(x, j, add)
}

// checkIssuer: a Scalekit token's iss is the environment URL it came
// from; a development token sent to production (or another subdomain)
// fails with 401 however fresh it is.
func (d *diagnosis) checkIssuer(x *Exchange, pl Place, j *authschemes.JWT, add func(Finding)) {
	iss, ok := j.Claim("iss")
	if !ok {
		return
	}
	iu, err := url.Parse(iss.Value)
	ru, err2 := url.Parse(x.Request.URL)
	if err != nil || err2 != nil || iu.Host == "" || strings.EqualFold(iu.Host, ru.Host) {
		return
	}
	issPlace := identify(iss.Value, "", "")
	title := "The token was issued by another host than the one it was sent to"
	if issPlace.Known && pl.Known && issPlace.Provider.ID == pl.Provider.ID && issPlace.Env.ID != pl.Env.ID {
		title = fmt.Sprintf("A %s token used on %s", issPlace.Env.ID, pl.Env.ID)
	}
	add(Finding{Check: "jwt-iss-env", Severity: SevError, weight: wEnv,
		Title:    title,
		Evidence: "iss " + model.Sanitize(iss.Value) + ", request to " + model.Sanitize(ru.Host),
		Fix:      "Fetch the token from the same environment you call: POST https://" + model.Sanitize(ru.Host) + "/oauth/token with that environment's client id and secret."})
}

func checkAudience(x *Exchange, j *authschemes.JWT, add func(Finding)) {
	ru, err := url.Parse(x.Request.URL)
	if err != nil {
		return
	}
	if aud, ok := j.Claim("aud"); ok && !strings.Contains(aud.Value, ru.Host) {
		add(Finding{Check: "jwt-aud", Severity: SevWarning, weight: wEnv,
			Title:    "The token's audience does not name the API it was sent to",
			Evidence: "aud " + model.Sanitize(oneLine(aud.Value, 120)) + ", request to " + model.Sanitize(ru.Host),
			Fix:      "Ask for a token for this API's audience, or drop the audience setting on the client."})
	}
	scopes, ok := j.Claim("scopes")
	if !ok {
		scopes, ok = j.Claim("scope")
	}
	if ok && x.Response != nil && x.Response.Status == http.StatusForbidden {
		add(Finding{Check: "jwt-scopes", Severity: SevWarning, weight: wEnv,
			Title:    "403 with a valid token: the token's scopes may not cover this call",
			Evidence: "scopes " + model.Sanitize(oneLine(scopes.Value, 120)),
			Fix:      "Grant the API client the permission this endpoint needs, then fetch a new token."})
	}
}

func jwtSummary(j *authschemes.JWT) string {
	var parts []string
	for _, c := range j.Header {
		parts = append(parts, c.Name+"="+oneLine(c.Value, 40))
	}
	for _, c := range j.Claims {
		v := oneLine(c.Value, 60)
		if c.Time != nil {
			v = stamp(*c.Time)
		}
		parts = append(parts, c.Name+"="+v)
	}
	return model.Sanitize(strings.Join(parts, ", "))
}

// responseDate is the server's clock when it answered.
func responseDate(r *Response) (time.Time, bool) {
	if r == nil || r.Header == nil {
		return time.Time{}, false
	}
	t, err := http.ParseTime(r.Header.Get("Date"))
	return t, err == nil
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05Z") }

func ago(d time.Duration) string {
	if d < time.Minute {
		return d.Round(time.Second).String()
	}
	return d.Round(time.Minute).String()
}

func aheadBehind(skew time.Duration) string {
	if skew > 0 {
		return skew.Round(time.Second).String() + " ahead of"
	}
	return (-skew).Round(time.Second).String() + " behind"
}

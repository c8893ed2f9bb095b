package ui

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/authscope/authscope/internal/hostile"
)

// keyInLocation is a hostile server that answers the first request with a
// redirect whose Location holds the key it was sent, path-escaped in the
// path and query-escaped in the query, and then echoes on the landing page
// (same origin, so the sender follows with Authorization). The explorer
// shows that URL in the wire view's request line, its redirect hops and
// the "from" of the response.
type keyInLocation struct{ hostile.Echo }

func (h *keyInLocation) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/landing/") {
		h.Echo.ServeHTTP(w, r)
		return
	}
	key := credentialOf(r.Header.Get("Authorization"))
	w.Header().Set("Location", "/landing/"+url.PathEscape(key)+"?api_key="+url.QueryEscape(key))
	w.WriteHeader(http.StatusFound)
}

// credentialOf is the key in an Authorization value: after "Bearer ", or
// the user of a Basic pair.
func credentialOf(auth string) string {
	if word, cred, ok := strings.Cut(auth, " "); ok && strings.EqualFold(word, "Basic") {
		pair, _ := base64.StdEncoding.DecodeString(cred)
		user, _, _ := strings.Cut(string(pair), ":")
		return user
	} else if ok {
		return cred
	}
	return auth
}

func TestExplorerMasksAKeyInARedirect(t *testing.T) {
	for _, c := range []struct{ provider, envVar, key string }{
		{"scaling", "SCALING_API_KEY", echoScalingKey},
		{"scale", "SCALE_API_KEY", echoScaleKey},
	} {
		t.Run(c.provider, func(t *testing.T) {
			e := startEchoWith(t, &keyInLocation{}, Options{Provider: c.provider, Env: "sandbox"}, map[string]string{c.envVar: c.key})
			e.d.waitFor("Credentials")
			e.d.keys("enter")
			e.d.waitFor("Steps", "Authorization:")
			e.d.keys("enter")
			e.d.waitFor("Requests")
			e.d.tm.Send(retargetMsg{url: e.rec.URL})
			e.d.keys("enter")
			e.answerScreens()
			reqs := e.rec.Requests()
			if len(reqs) < 2 || !strings.HasPrefix(reqs[len(reqs)-1].URL, "/landing/") {
				t.Fatalf("the redirect was not followed: %d requests", len(reqs))
			}
			e.check("", c.key)
		})
	}
}

package doctor

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// raceWindow: two token requests this close, with no use of the first
// token between them, are two refreshes racing.
const raceWindow = time.Second

type tokenFetch struct {
	entry      int
	start, end time.Time
	token      string
}

// checkSequence reads a HAR as a story: tokens fetched, tokens used, and
// the first 401.
func (d *diagnosis) checkSequence(xs []Exchange) {
	var fetches []tokenFetch
	lastUse := map[string]int{} // token → last entry that sent it
	first401 := -1
	for i := range xs {
		x := &xs[i]
		if isTokenURL(x.Request.URL) && x.Response != nil && x.Response.Status == 200 {
			if tok := accessToken(x.Response.Body); tok != "" {
				fetches = append(fetches, tokenFetch{entry: i, start: x.Started, end: x.Started.Add(x.Duration), token: tok})
			}
			continue
		}
		bearer := bearerOf(&x.Request)
		if x.Response != nil && x.Response.Status == 401 {
			if first401 < 0 {
				first401 = i
			}
			d.checkStale(xs, i, bearer, fetches)
		}
		if bearer != "" {
			lastUse[bearer] = i
		}
	}
	for k := 1; k < len(fetches); k++ {
		a, b := fetches[k-1], fetches[k]
		usedBetween := false
		for tok, e := range lastUse {
			if tok == a.token && e > a.entry && e < b.entry {
				usedBetween = true
			}
		}
		if !usedBetween && !a.start.IsZero() && b.start.Sub(a.end) < raceWindow {
			d.findings = append(d.findings, Finding{Check: "racing-refresh", Severity: SevWarning, weight: wSequence,
				Entries:  []int{a.entry + 1, b.entry + 1},
				Title:    "Two token refreshes raced: a second token was fetched before the first was used",
				Evidence: fmt.Sprintf("entries %d and %d both fetched a token, %s apart (the first took %s)", a.entry+1, b.entry+1, b.start.Sub(a.start).Round(time.Millisecond), a.end.Sub(a.start).Round(time.Millisecond)),
				Fix:      "Refresh behind one lock (single-flight): concurrent callers wait for the refresh in flight and share its token."})
		}
	}
	if first401 >= 0 {
		x := &xs[first401]
		ev := fmt.Sprintf("entry %d, %s %s", first401+1, x.Request.Method, shortURL(x.Request.URL))
		if !x.Started.IsZero() {
			ev += " at " + stamp(x.Started)
		}
		ok := 0
		for i := 0; i < first401; i++ {
			if xs[i].Response != nil && xs[i].Response.Status < 400 && xs[i].Response.Status > 0 {
				ok++
			}
		}
		ev += fmt.Sprintf("; %d request(s) succeeded before it", ok)
		if b := bearerOf(&x.Request); b != "" {
			for i := first401 - 1; i >= 0; i-- {
				if bearerOf(&xs[i].Request) == b && xs[i].Response != nil && xs[i].Response.Status < 400 {
					ev += fmt.Sprintf("; the same token worked at entry %d", i+1)
					break
				}
			}
		}
		d.findings = append(d.findings, Finding{Check: "first-401", Severity: SevInfo, weight: wSequence,
			Entries: []int{first401 + 1}, Title: "The first 401 of the session", Evidence: ev,
			Fix: "Start from this entry: what changed since the last success (token, host, header) is the cause."})
	}
}

// checkStale: a 401 sent with a token older than the newest one fetched
// before it — the client kept using the previous token.
func (d *diagnosis) checkStale(xs []Exchange, i int, bearer string, fetches []tokenFetch) {
	if bearer == "" || len(fetches) == 0 {
		return
	}
	latest := fetches[len(fetches)-1]
	if latest.token == bearer || !sameIssuer(xs[latest.entry].Request.URL, xs[i].Request.URL) {
		return
	}
	known := false
	for _, f := range fetches {
		known = known || f.token == bearer
	}
	if !known && !looksLikeJWT(bearer) {
		return // an API key, not a token the recorded session could refresh
	}
	ev := fmt.Sprintf("entry %d fetched a new token; entry %d then sent ", latest.entry+1, i+1)
	older := false
	for _, f := range fetches[:len(fetches)-1] {
		if f.token == bearer {
			ev += fmt.Sprintf("the token from entry %d", f.entry+1)
			older = true
		}
	}
	if !older {
		ev += "a token fetched before this recording started"
	}
	d.findings = append(d.findings, Finding{Check: "stale-token", Severity: SevError, weight: wSequence + 20, repair: repairFreshToken(),
		Entries: []int{i + 1}, Title: "A stale token: the request used the previous token after a new one was fetched",
		Evidence: ev + " and got 401",
		Fix:      "Read the token from one shared place at send time, not a copy captured when the request was built."})
}

func bearerOf(r *Request) string {
	v, ok := r.Get("Authorization")
	if !ok {
		return ""
	}
	word, tok, _ := strings.Cut(strings.TrimSpace(v), " ")
	if !strings.EqualFold(word, "Bearer") {
		return ""
	}
	return strings.TrimSpace(tok)
}

func accessToken(body []byte) string {
	var t struct {
		AccessToken string `json:"access_token"`
	}
	if json.Unmarshal(body, &t) != nil {
		return ""
	}
	return t.AccessToken
}

// sameIssuer: the token endpoint and the API call belong to one provider
// and environment (one host, and on the sandbox one provider path).
func sameIssuer(tokenURL, apiURL string) bool {
	a, b := identify(tokenURL, "", ""), identify(apiURL, "", "")
	if a.Known || b.Known {
		return a.Known && b.Known && a.Provider.ID == b.Provider.ID && a.Env.ID == b.Env.ID && a.Host == b.Host
	}
	return a.Host == b.Host
}

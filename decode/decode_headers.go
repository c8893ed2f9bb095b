package decode

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/authscope/authscope/model"
)

// explainHeaders lists the response headers worth a line, with what they
// mean; Retry-After is turned into a wait.
func (x *decoding) explainHeaders() {
	for _, h := range headerMeanings {
		values := x.header.Values(h.Name)
		if len(values) == 0 {
			continue
		}
		meaning := h.Meaning
		if h.Name == "Retry-After" {
			if wait, ok := retryAfter(values[0], time.Now()); ok {
				meaning = fmt.Sprintf("wait %s before retrying", wait)
			}
		}
		x.d.Headers = append(x.d.Headers, model.FieldMeaning{
			Path: h.Name, Value: clip(strings.Join(values, ", "), maxValueText), Meaning: meaning,
		})
	}
}

// retryAfter reads Retry-After: delay-seconds or an HTTP-date.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil && secs >= 0 && secs < 1<<31 {
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		wait := t.Sub(now).Round(time.Second)
		return max(wait, 0), true
	}
	return 0, false
}

// RetryAfter is the wait a decoded error's Retry-After header asks for.
func RetryAfter(d *model.DecodedError) (time.Duration, bool) {
	for _, h := range d.Headers {
		if h.Path == "Retry-After" {
			return retryAfter(h.Value, time.Now())
		}
	}
	return 0, false
}

// findRequestID takes the request id from the body first (the provider
// put it there for support), else from the usual headers, and says where
// it came from.
func (x *decoding) findRequestID() {
	d := x.d
	if id, path := bodyRequestID(x.root); id != "" {
		d.RequestID, d.RequestIDSource = id, "body field "+path
	}
	hid, name := headerRequestID(x.header)
	switch {
	case hid == "":
	case d.RequestID == "":
		d.RequestID, d.RequestIDSource = hid, "header "+name
	case hid != d.RequestID:
		x.note("header %s carries another id, %s; quote both to support", name, hid)
	}
}

// Bounds on the request-id search: ids sit near the top of a body.
const (
	maxIDDepth  = 4
	maxIDVisits = 2000
)

// bodyRequestID searches the body breadth first (so a top-level requestId
// wins over a nested one), preferring requestIDKeys' order at each level.
func bodyRequestID(root *jsonNode) (id, path string) {
	if root == nil {
		return "", ""
	}
	type item struct {
		n    *jsonNode
		path string
	}
	level := []item{{root, ""}}
	visits := 0
	for depth := 0; depth <= maxIDDepth && len(level) > 0; depth++ {
		bestRank := len(requestIDKeys)
		var next []item
		for _, it := range level {
			for i, v := range it.n.vals {
				if visits++; visits > maxIDVisits {
					return id, path
				}
				var childPath string
				if it.n.kind == jsonObject {
					childPath = joinPath(it.path, it.n.keys[i])
					if rank := keyRank(it.n.keys[i]); rank < bestRank {
						if s, ok := v.scalar(); ok && strings.TrimSpace(s) != "" {
							id, path, bestRank = clip(strings.TrimSpace(s), 256), childPath, rank
						}
					}
				} else {
					childPath = it.path + "[" + strconv.Itoa(i) + "]"
				}
				if v.kind == jsonObject || v.kind == jsonArray {
					next = append(next, item{v, childPath})
				}
			}
		}
		if id != "" {
			return id, path
		}
		level = next
	}
	return "", ""
}

func keyRank(key string) int {
	k := normKey(key)
	for i, want := range requestIDKeys {
		if k == want {
			return i
		}
	}
	return len(requestIDKeys)
}

var traceparent = model.LazyRegexp(`^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}`)

// headerRequestID returns the first request id header present.
func headerRequestID(h http.Header) (id, name string) {
	for _, name := range requestIDHeaders {
		v := strings.TrimSpace(h.Get(name))
		if v == "" {
			continue
		}
		switch name {
		case "Traceparent":
			if m := traceparent().FindStringSubmatch(strings.ToLower(v)); m != nil {
				return m[1], "traceparent (its trace id)"
			}
			continue
		case "X-Cloud-Trace-Context":
			v, _, _ = strings.Cut(v, "/")
		}
		return clip(v, 256), name
	}
	return "", ""
}

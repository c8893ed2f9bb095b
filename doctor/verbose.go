package doctor

import (
	"errors"
	"net/http"
	"strings"
)

// parseVerbose reads the output of `curl -v`: "> " lines are the request,
// "< " lines the response, "* " lines curl's own notes, anything else the
// response body. A curl command line before it (a whole terminal
// session pasted) fills in what -v does not show, such as the body.
func parseVerbose(text string) ([]Exchange, []string, error) {
	text = normaliseLines(text)
	var (
		out     []Exchange
		notes   []string
		cur     *Exchange
		inBody  bool
		body    strings.Builder
		tls     bool
		cmdLine []string
	)
	flush := func() {
		if cur == nil {
			return
		}
		if cur.Response != nil {
			cur.Response.Body = []byte(strings.TrimRight(body.String(), "\n"))
		}
		out = append(out, *cur)
		cur, inBody = nil, false
		body.Reset()
	}
	lines := strings.Split(text, "\n")
	seenVerbose := false
	for _, line := range lines {
		switch {
		case strings.HasPrefix(line, "* "), line == "*":
			seenVerbose = true
			l := strings.ToLower(line)
			if strings.Contains(l, "ssl connection") || strings.Contains(l, "tls") || strings.Contains(l, "port 443") || strings.Contains(l, "alpn") {
				tls = true
			}
		case strings.HasPrefix(line, "> ") || line == ">":
			seenVerbose = true
			l := strings.TrimPrefix(strings.TrimPrefix(line, ">"), " ")
			if m := requestLine().FindStringSubmatch(strings.TrimSpace(l)); m != nil {
				flush()
				cur = &Exchange{Index: len(out), Request: Request{Method: m[1], URL: m[2]}}
				continue
			}
			if cur != nil && strings.TrimSpace(l) != "" {
				name, value, _ := strings.Cut(l, ":")
				cur.Request.Headers = append(cur.Request.Headers, Header{Name: name, Value: strings.TrimLeft(value, " \t")})
			}
		case strings.HasPrefix(line, "< ") || line == "<":
			seenVerbose = true
			if cur == nil {
				continue
			}
			l := strings.TrimPrefix(strings.TrimPrefix(line, "<"), " ")
			if strings.HasPrefix(l, "HTTP/") {
				fields := strings.SplitN(strings.TrimSpace(l), " ", 3)
				r := &Response{Header: http.Header{}}
				if len(fields) >= 2 {
					r.Status = atoiSafe(fields[1])
				}
				if len(fields) == 3 {
					r.Reason = fields[2]
				}
				cur.Response = r
				body.Reset()
				inBody = false
				continue
			}
			if strings.TrimSpace(l) == "" {
				inBody = true
				continue
			}
			if cur.Response != nil {
				name, value, _ := strings.Cut(l, ":")
				cur.Response.Header.Add(strings.TrimSpace(name), strings.TrimSpace(value))
			}
		case strings.HasPrefix(line, "{ [") || strings.HasPrefix(line, "} ["):
			// curl's transfer notes, not data
		default:
			if cur == nil && !seenVerbose {
				cmdLine = append(cmdLine, line)
				continue
			}
			if cur != nil && cur.Response != nil && (inBody || body.Len() > 0 || strings.TrimSpace(line) != "") {
				if body.Len() < maxVerboseBody {
					body.WriteString(line)
					body.WriteByte('\n')
				}
			}
		}
	}
	flush()
	if len(out) == 0 {
		return nil, nil, errors.New("curl -v output with no request in it (no \"> GET …\" line)")
	}
	var pasted *Request
	if cmd := strings.TrimSpace(strings.Join(cmdLine, "\n")); strings.Contains(cmd, "curl") {
		if r, _, err := parseCurl(cmd); err == nil {
			pasted = &r
			notes = append(notes, "the curl command before the -v output filled in the request body")
		}
	}
	for i := range out {
		r := &out[i].Request
		host, _ := r.Get("Host")
		if !strings.Contains(r.URL, "://") {
			scheme := "http"
			if tls || strings.HasPrefix(r.URL, "HTTP/2") {
				scheme = "https"
			}
			if host == "" && pasted != nil {
				r.URL = pasted.URL
			} else {
				r.URL = scheme + "://" + host + r.URL
			}
		}
		if pasted != nil && i == 0 {
			r.Body = pasted.Body
			r.User, r.UserGiven, r.UserNoColon = pasted.User, pasted.UserGiven, pasted.UserNoColon
			r.ShellVars = pasted.ShellVars
		}
	}
	return out, notes, nil
}

const maxVerboseBody = 1 << 20

func atoiSafe(s string) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' || n > 1000 {
			return 0
		}
		n = n*10 + int(c-'0')
	}
	return n
}

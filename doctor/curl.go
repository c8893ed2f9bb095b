package doctor

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// parseCurl reads a curl command line as a shell would split it, with
// mvdan.cc/sh's parser (quotes, escapes, $'…', \ continuations), after
// cmd.exe's ^ rules have been turned into POSIX ones. Variables and
// command substitutions are not expanded: they stay as written ($TOKEN)
// and are recorded, because their values are not in the paste.
func parseCurl(text string) (Request, []string, error) {
	text = normaliseLines(text)
	var notes []string
	if isCmdStyle(text) {
		text = cmdToPOSIX(text)
		notes = append(notes, "read as a Windows cmd.exe command line (^ continuations)")
	}
	text = stripPrompt(text)
	file, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(text), "")
	if err != nil {
		return Request{}, nil, fmt.Errorf("the curl command does not parse as a shell command line: %s", shortParseError(err))
	}
	var call *syntax.CallExpr
	syntax.Walk(file, func(n syntax.Node) bool {
		if c, ok := n.(*syntax.CallExpr); ok && call == nil && len(c.Args) > 0 && isCurlWord(c.Args[0]) {
			call = c
			return false
		}
		return call == nil
	})
	if call == nil {
		return Request{}, nil, errors.New("no curl command found in the input")
	}
	var vars []string
	cfg := &expand.Config{
		Env: expand.FuncEnviron(func(name string) string {
			if name == "IFS" {
				return " \t\n"
			}
			return "$" + name
		}),
		CmdSubst: func(w io.Writer, cs *syntax.CmdSubst) error {
			_, err := io.WriteString(w, "$(…)")
			return err
		},
	}
	args := make([]string, 0, len(call.Args)-1)
	var unexpanded []string
	for _, w := range call.Args[1:] {
		// Process substitution runs a command and passes a file name:
		// nothing in a paste runs, so it stays as written, "<(…)".
		for i, part := range w.Parts {
			if ps, ok := part.(*syntax.ProcSubst); ok {
				op := "<("
				if ps.Op == syntax.CmdOut {
					op = ">("
				}
				w.Parts[i] = &syntax.Lit{ValuePos: ps.Pos(), ValueEnd: ps.End(), Value: op + "…)"}
				unexpanded = append(unexpanded, op+"…) (process substitution)")
			}
		}
		syntax.Walk(w, func(n syntax.Node) bool {
			switch n := n.(type) {
			case *syntax.ParamExp:
				if n.Param != nil {
					vars = append(vars, "$"+n.Param.Value)
				}
			case *syntax.CmdSubst:
				vars = append(vars, "$(…)")
				return false
			}
			return true
		})
		s, err := literal(cfg, w)
		if err != nil {
			// A construct the expander cannot take (or panics on): kept
			// as written and reported, never a failure.
			s = printWord(w)
			unexpanded = append(unexpanded, s+" ("+shortParseError(err)+")")
		}
		args = append(args, s)
	}
	req, more, err := curlArgs(args)
	req.ShellVars = dedupe(vars)
	req.NotExpanded = dedupe(unexpanded)
	return req, append(notes, more...), err
}

// literal is expand.Literal that turns a panic of the expander into an
// error: a paste must never crash the doctor.
func literal(cfg *expand.Config, w *syntax.Word) (s string, err error) {
	defer func() {
		if r := recover(); r != nil {
			s, err = "", fmt.Errorf("the shell expander cannot take it")
		}
	}()
	return expand.Literal(cfg, w)
}

// printWord is a word as written in the paste, cut to a readable length.
func printWord(w *syntax.Word) (out string) {
	defer func() {
		if recover() != nil {
			out = "(an argument)"
		}
	}()
	var b strings.Builder
	if err := syntax.NewPrinter().Print(&b, w); err != nil {
		return "(an argument)"
	}
	out = b.String()
	if len(out) > 60 {
		out = out[:60] + "…"
	}
	return out
}

// stripPrompt drops a leading shell prompt ("$ curl …").
func stripPrompt(s string) string {
	t := strings.TrimLeft(s, " \t\n")
	for _, p := range []string{"$ ", "% ", "# ", "> "} {
		if strings.HasPrefix(t, p+"curl") {
			return t[len(p):]
		}
	}
	return s
}

func isCurlWord(w *syntax.Word) bool {
	lit := w.Lit()
	base := lit[strings.LastIndexAny(lit, `/\`)+1:]
	return strings.EqualFold(base, "curl") || strings.EqualFold(base, "curl.exe")
}

// shortParseError keeps the parser's message on one line, without the
// input echoed back.
func shortParseError(err error) string {
	msg := strings.SplitN(err.Error(), "\n", 2)[0]
	if len(msg) > 160 {
		msg = msg[:160] + "…"
	}
	return msg
}

// curlOptArg lists the options that take an argument, long and short,
// so that a value is never mistaken for the URL.
var curlOptArg = map[string]string{
	"-X": "request", "--request": "request",
	"-H": "header", "--header": "header", "--proxy-header": "skip",
	"-u": "user", "--user": "user",
	"-d": "data", "--data": "data", "--data-raw": "data-raw", "--data-binary": "data", "--data-ascii": "data",
	"--data-urlencode": "data-urlencode", "--json": "json",
	"--url": "url", "-b": "cookie", "--cookie": "cookie",
	"-A": "agent", "--user-agent": "agent", "-e": "referer", "--referer": "referer",
	"--oauth2-bearer": "bearer",
	"-o":              "skip", "--output": "skip", "-w": "skip", "--write-out": "skip", "-m": "skip", "--max-time": "skip",
	"--connect-timeout": "skip", "--retry": "skip", "-x": "proxy", "--proxy": "proxy", "-T": "skip", "--upload-file": "skip",
	"-F": "form", "--form": "form", "--form-string": "form-string", "-E": "skip", "--cert": "skip", "--key": "skip", "--cacert": "skip", "--capath": "skip",
	"--resolve": "skip", "--connect-to": "skip", "-c": "skip", "--cookie-jar": "skip", "-D": "skip", "--dump-header": "skip",
	"--retry-delay": "skip", "--retry-max-time": "skip", "-K": "skip", "--config": "skip", "--interface": "skip",
	"-r": "skip", "--range": "skip", "-U": "proxy-user", "--proxy-user": "proxy-user", "--limit-rate": "skip", "-Y": "skip", "-y": "skip",
	"--max-redirs": "skip", "--trace": "skip", "--trace-ascii": "skip", "--stderr": "skip", "-z": "skip", "--time-cond": "skip",
	"--aws-sigv4": "skip", "--variable": "skip", "--expand-header": "header", "--expand-url": "url",
	"--expand-data": "data",
}

// curlArgs applies curl's options to build the request it would send.
func curlArgs(args []string) (Request, []string, error) {
	req := Request{}
	var notes, data []string
	method, get, head, form := "", false, false, false
	contentType := "application/x-www-form-urlencoded"
	set := func(kind, v string) {
		switch kind {
		case "request":
			method = v
		case "header":
			name, value, _ := strings.Cut(v, ":")
			if strings.HasPrefix(v, "@") {
				notes = append(notes, "headers read from a file ("+v+") are not in the paste")
				return
			}
			req.Headers = append(req.Headers, Header{Name: strings.TrimSpace(name), Value: strings.TrimLeft(value, " \t")})
		case "user":
			req.User, req.UserGiven = v, true
			req.UserNoColon = !strings.Contains(v, ":")
		case "data", "data-raw":
			if kind == "data" && strings.HasPrefix(v, "@") {
				notes = append(notes, "the body is read from "+v[1:]+", which is not in the paste")
			}
			data = append(data, v)
		case "data-urlencode":
			data = append(data, urlencodeData(v))
		case "json":
			data = append(data, v)
			contentType = "application/json"
			req.Headers = append(req.Headers, Header{Name: "Accept", Value: "application/json"})
		case "url":
			if req.URL == "" {
				req.URL = v
			}
		case "cookie":
			if strings.Contains(v, "=") {
				req.Headers = append(req.Headers, Header{Name: "Cookie", Value: v})
			} else {
				notes = append(notes, "cookies read from a file ("+v+") are not in the paste")
			}
		case "agent":
			req.Headers = append(req.Headers, Header{Name: "User-Agent", Value: v})
		case "referer":
			req.Headers = append(req.Headers, Header{Name: "Referer", Value: v})
		case "bearer":
			req.Headers = append(req.Headers, Header{Name: "Authorization", Value: "Bearer " + v})
		case "form", "form-string":
			form = true
			req.Form = append(req.Form, v)
		case "proxy":
			req.Proxy = v
		case "proxy-user":
			req.ProxyUser = v
		}
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-G" || a == "--get":
			get = true
		case a == "-I" || a == "--head":
			head = true
		case strings.HasPrefix(a, "--"):
			kind, ok := curlOptArg[a]
			if !ok {
				continue // a flag without a value (--compressed, --location, …)
			}
			if i+1 >= len(args) {
				return req, notes, fmt.Errorf("curl option %s has no value", a)
			}
			i++
			set(kind, args[i])
		case strings.HasPrefix(a, "-") && len(a) > 1:
			// Short options combine: -sSL, -XPOST, -sX POST, -HAccept:x.
			for j := 1; j < len(a); j++ {
				switch a[j] {
				case 'G':
					get = true
					continue
				case 'I':
					head = true
					continue
				}
				kind, ok := curlOptArg["-"+string(a[j])]
				if !ok {
					continue
				}
				v := a[j+1:]
				if v == "" {
					if i+1 >= len(args) {
						return req, notes, fmt.Errorf("curl option -%c has no value", a[j])
					}
					i++
					v = args[i]
				}
				set(kind, v)
				break
			}
		default:
			if req.URL == "" {
				req.URL = a
			}
		}
	}
	if req.URL == "" {
		return req, notes, errors.New("the curl command has no URL")
	}
	if !strings.Contains(req.URL, "://") {
		notes = append(notes, "the URL has no scheme; curl assumes http://")
		req.URL = "http://" + req.URL
	}
	if _, err := url.Parse(req.URL); err != nil {
		return req, notes, fmt.Errorf("the curl URL cannot be read: %s", shortParseError(err))
	}
	body := strings.Join(data, "&")
	switch {
	case get && body != "":
		sep := "?"
		if strings.Contains(req.URL, "?") {
			sep = "&"
		}
		req.URL += sep + body
		body = ""
	case body != "":
		if _, ok := req.Get("Content-Type"); !ok {
			req.Headers = append(req.Headers, Header{Name: "Content-Type", Value: contentType})
		}
	}
	req.Body = body
	switch {
	case method != "":
		req.Method = strings.ToUpper(method)
	case head:
		req.Method = "HEAD"
	case body != "" || form:
		req.Method = "POST"
	default:
		req.Method = "GET"
	}
	if form {
		notes = append(notes, "a multipart form (-F) is not shown part by part")
	}
	return req, notes, nil
}

// urlencodeData applies --data-urlencode's rules: "name=content" encodes
// the content, "=content" and "content" encode all of it.
func urlencodeData(v string) string {
	if strings.HasPrefix(v, "@") || strings.Contains(v, "@") && !strings.Contains(v, "=") {
		return v
	}
	if name, content, ok := strings.Cut(v, "="); ok {
		if name == "" {
			return url.QueryEscape(content)
		}
		return name + "=" + url.QueryEscape(content)
	}
	return url.QueryEscape(v)
}

func dedupe(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

package cli

import (
	"fmt"
	"io"
	"net/url"
	"os"
	"sort"
	"strings"

	"github.com/spf13/pflag"

	"github.com/authscope/authscope/doctor"
	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
)

// curl's habits on `authscope request`: -X, -H (repeatable), -d (@file,
// @-), a full URL as the argument, -o FILE for the body, -v for the wire
// on stderr. Each becomes a requests.Edit applied after the steps built
// the request, so the Authorization the steps made goes out unless -H
// replaces it (with a warning).

type curlFlags struct {
	headers []string
	data    string
	dataSet bool
	output  string
	verbose bool
	url     string
}

func (c *curlFlags) register(fs *pflag.FlagSet) {
	fs.StringArrayVarP(&c.headers, "header", "H", nil, "add or replace a header, 'Name: value' (repeatable); 'Name:' removes it; an Authorization here replaces the one the steps build")
	fs.StringVarP(&c.data, "data", "d", "", "send this body (@FILE reads a file, @- standard input); POST unless -X says otherwise")
	fs.StringVarP(&c.output, "output", "o", "", "write the response body to FILE (the report says where)")
	fs.BoolVarP(&c.verbose, "verbose", "v", false, "print the request and response headers as on the wire to stderr (secrets masked)")
}

// methods and headerNames complete -X and -H.
var (
	methods     = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}
	headerNames = []string{"Authorization: ", "Content-Type: application/json", "Accept: application/json", "X-Request-Id: ", "Idempotency-Key: ", "User-Agent: ", "Cookie: ", "X-Api-Key: ", "Host: "}
)

// edit turns -H and -d into a requests.Edit, with the warnings to print.
func (c *curlFlags) edit(in io.Reader, method string) (requests.Edit, []string, error) {
	var e requests.Edit
	var warnings []string
	e.Method = method
	for _, h := range c.headers {
		name, value, ok := strings.Cut(h, ":")
		name = strings.TrimSpace(name)
		if !ok {
			return e, nil, Usagef("-H %q: write 'Name: value' (a colon after the name)", model.Sanitize(h))
		}
		value = strings.TrimLeft(value, " \t")
		if err := requests.CheckHeader(name, value); err != nil {
			return e, nil, Usagef("-H: %v; nothing was sent", err)
		}
		if strings.EqualFold(name, "Authorization") {
			warnings = append(warnings, "the Authorization given with -H replaces the one the steps build")
		}
		if strings.EqualFold(name, "Host") && value == "" {
			warnings = append(warnings, "-H 'Host:' removes nothing: the Host header is the URL's host, always sent")
			continue
		}
		e.Headers = append(e.Headers, model.Header{Name: name, Value: model.Plain(value)})
	}
	if c.dataSet {
		body, err := c.body(in)
		if err != nil {
			return e, nil, err
		}
		e.Body = &body
		ct := ""
		for _, h := range e.Headers {
			if strings.EqualFold(h.Name, "Content-Type") {
				ct = h.Value.Reveal()
			}
		}
		if requests.IsJSONType(ct) && body != "" {
			if err := requests.CheckJSON(body); err != nil {
				warnings = append(warnings, fmt.Sprintf("the body is not valid JSON (%v) though Content-Type says JSON: sent as written", err))
			}
		}
	}
	return e, warnings, nil
}

// body reads -d: the text itself, @FILE or @- (standard input), bounded.
func (c *curlFlags) body(in io.Reader) (string, error) {
	name, isFile := strings.CutPrefix(c.data, "@")
	if !isFile {
		if len(c.data) > requests.MaxEditBody {
			return "", Usagef("-d: the body is over %s; nothing was sent", requests.FormatBytes(requests.MaxEditBody))
		}
		return c.data, nil
	}
	r := in
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return "", Usagef("-d @%s: %v", name, unwrapPathError(err).Error())
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, requests.MaxEditBody+1))
	if err != nil {
		return "", Usagef("-d @%s: %v", name, err)
	}
	if len(data) > requests.MaxEditBody {
		return "", Usagef("-d @%s: the body is over %s (it is held in memory and masked whole); nothing was sent", name, requests.FormatBytes(requests.MaxEditBody))
	}
	// curl -d strips line breaks from a file; --data-binary keeps them.
	// authscope keeps the body as written, minus one trailing newline.
	return strings.TrimSuffix(strings.TrimSuffix(string(data), "\n"), "\r"), nil
}

// fromURL reads a full URL argument: the provider and environment from
// its host (as the doctor reads a pasted curl), the base URL and the
// path with its query.
func (f *requestFlags) fromURL(raw string) error {
	if err := requests.CheckURL(raw); err != nil {
		return Usagef("the URL argument: %v; nothing was sent", err) // never echoed: it may hold a password
	}
	if f.path != "" || f.baseURL != "" {
		return Usagef("give a full URL or --path/--base-url, not both")
	}
	u, _ := url.Parse(raw)
	pl := doctor.Identify(raw, "", f.provider)
	if !pl.Known {
		return Usagef("%s is none of the providers' hosts (%s): add --provider and the URL is sent as given", u.Host, knownHosts())
	}
	if f.provider == "" {
		f.provider = pl.Provider.ID
	} else if f.provider != pl.Provider.ID {
		return Usagef("--provider %s, but %s is %s's host", f.provider, u.Host, pl.Provider.Name)
	}
	if f.env == "" && pl.Env.ID != "custom" {
		f.env = pl.Env.ID
	}
	base := u.Scheme + "://" + u.Host
	path := u.RequestURI()
	if pl.Env.Sandbox {
		base += pl.Provider.SandboxPath
		path = strings.TrimPrefix(path, pl.Provider.SandboxPath)
		if path == "" || path[0] != '/' {
			path = "/" + path
		}
	}
	f.baseURL, f.path = base, path
	return nil
}

func knownHosts() string {
	hosts := []string{"api.scaling.cloud", "*.scalekit.dev", "*.scalekit.com", "api.scale.com", "the sandbox on loopback"}
	sort.Strings(hosts[:4])
	return strings.Join(hosts, ", ")
}

// writeWire prints the request and the response headers as on the wire,
// curl -v's way ("> " out, "< " in), secrets masked, to stderr.
func writeWire(out *printer, run *requests.SampleRun) {
	w := out.io.Err
	if run.Exchange != nil && run.ExchangeResult != nil {
		wireLines(w, "> ", out.show(run.ExchangeResult.Request.Raw()))
		fmt.Fprintf(w, "< %s\n<\n", out.untrusted(run.ExchangeResult.Proto+" "+run.ExchangeResult.StatusText))
	}
	if run.Result == nil {
		return
	}
	wireLines(w, "> ", out.show(run.Result.Request.Raw()))
	head, _, _ := strings.Cut(run.Result.RawResponse, "\r\n\r\n")
	wireLines(w, "< ", out.untrusted(head))
}

func wireLines(w io.Writer, prefix, text string) {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	head, body, _ := strings.Cut(text, "\n\n")
	for _, l := range strings.Split(head, "\n") {
		fmt.Fprintln(w, prefix+l)
	}
	fmt.Fprintln(w, strings.TrimSpace(prefix))
	if body != "" {
		fmt.Fprintf(w, "%s(body: %s)\n", prefix, requests.FormatBytes(int64(len(body))))
	}
}

// writeOutput is -o: the body to FILE (created or replaced, as curl does).
func writeOutput(name string, res *requests.Result) error {
	if err := os.WriteFile(name, res.Body, 0o644); err != nil {
		return Usagef("-o %s: %v (the request was sent; its body was not written)", name, unwrapPathError(err).Error())
	}
	return nil
}

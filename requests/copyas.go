package requests

import (
	"strconv"
	"strings"

	"github.com/authscope/authscope/model"
)

// CurlOf writes a sent request as a curl command, secrets still marked:
// what the history's "copy as curl" copies (revealed) and previews
// (masked). Host, User-Agent and Content-Length are curl's to send.
func CurlOf(req model.HTTPRequest) model.Text {
	out := model.Plain("curl")
	if req.Method != "GET" || req.Body.Reveal() != "" && req.Method != "POST" {
		out = model.Concat(out, model.Plain(" -X "+req.Method))
	}
	out = model.Concat(out, model.Plain(" "+ShellQuote(req.URL)))
	for _, h := range req.Headers {
		if skipCopied(h.Name) {
			continue
		}
		out = model.Concat(out, model.Plain(" \\\n  -H "), quoteText(model.Concat(model.Plain(h.Name+": "), h.Value)))
	}
	if req.Body.Reveal() != "" {
		out = model.Concat(out, model.Plain(" \\\n  --data-raw "), quoteText(req.Body))
	}
	return model.Concat(out, model.Plain("\n"))
}

// GoOf writes a sent request as a Go net/http snippet, secrets marked.
func GoOf(req model.HTTPRequest) model.Text {
	body := "nil"
	out := model.Plain("package main\n\nimport (\n\t\"fmt\"\n\t\"io\"\n\t\"net/http\"\n\t\"strings\"\n)\n\nfunc main() {\n")
	if req.Body.Reveal() != "" {
		out = model.Concat(out, model.Plain("\tbody := "), goQuoteText(req.Body), model.Plain("\n"))
		body = "strings.NewReader(body)"
	} else {
		out = model.Concat(out, model.Plain("\t_ = strings.NewReader\n"))
	}
	out = model.Concat(out, model.Plain("\treq, err := http.NewRequest("+strconv.Quote(req.Method)+", "+strconv.Quote(req.URL)+", "+body+")\n\tif err != nil {\n\t\tpanic(err)\n\t}\n"))
	for _, h := range req.Headers {
		if skipCopied(h.Name) {
			continue
		}
		out = model.Concat(out, model.Plain("\treq.Header.Set("+strconv.Quote(h.Name)+", "), goQuoteText(h.Value), model.Plain(")\n"))
	}
	return model.Concat(out, model.Plain("\tresp, err := http.DefaultClient.Do(req)\n\tif err != nil {\n\t\tpanic(err)\n\t}\n\tdefer resp.Body.Close()\n\tdata, _ := io.ReadAll(resp.Body)\n\tfmt.Println(resp.Status, resp.Header.Get(\"X-Request-Id\"))\n\tfmt.Println(string(data))\n}\n"))
}

func skipCopied(name string) bool {
	switch strings.ToLower(name) {
	case "host", "content-length", "user-agent":
		return true
	}
	return false
}

// ShellQuote single-quotes s for a POSIX shell: nothing inside single
// quotes is special except the quote itself, written '\”.
func ShellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// quoteText single-quotes a marked text for a shell, keeping each
// segment's marking.
func quoteText(t model.Text) model.Text {
	out := model.Plain("'")
	for _, seg := range t {
		out = append(out, model.Segment{Text: strings.ReplaceAll(seg.Text, "'", `'\''`), Secret: seg.Secret})
	}
	return append(out, model.Segment{Text: "'"})
}

func goQuoteText(t model.Text) model.Text {
	q := strconv.Quote(t.Reveal())
	if len(t.Secrets()) == 0 {
		return model.Plain(q)
	}
	// Quote whole, then mark it secret: a secret with a quote in it
	// must not be split by the escaping.
	return model.SecretText(q)
}

package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/authscope/authscope/authschemes"
	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
)

func printRun(out *printer, run *requests.SampleRun, decoded *model.DecodedError) {
	t, s := run.Target, run.Sample
	out.title(fmt.Sprintf("%s · %s · %s %s", t.Provider.Name, t.Env.Label, s.Method, t.BaseURL+s.Path))
	out.sources(t)
	if run.Prepared.Method != "" {
		for _, c := range requests.Changes(run.Prepared, run.Request) {
			out.line(out.untrusted("Changed from the built request: " + c))
		}
	}
	if s.IsWhatIf() {
		out.line(out.untrusted("What if: " + strings.TrimPrefix(s.Title, "What if: ") + " — " + s.Explain))
	}
	switch {
	case run.Exchange != nil:
		out.section("Token exchange:")
		out.steps(authschemes.ExchangeSteps(*run.Exchange))
		if run.ExchangeResult != nil {
			out.timing(run.ExchangeResult.Timing)
		}
		if run.Waited > 0 {
			out.line(fmt.Sprintf("Waited %s for the token to expire.", run.Waited.Round(10*time.Millisecond)))
		}
	case run.TokenReused:
		out.line("Token: reused from memory (not expired)")
	case t.Provider.Scheme != model.SchemeOAuth2 && s.WhatIf != model.WhatIfNoHeader && s.WhatIf != model.WhatIfWrongScheme:
		if res, err := authschemes.Build(t.Provider, t.Env, authschemes.Credentials(t.Creds)); err == nil {
			out.steps(res.Steps)
		}
	}
	if run.Result == nil {
		if decoded != nil {
			out.section("The token request was refused:")
			out.response(run.ExchangeResult)
			printDecoded(out, *decoded)
		}
		return
	}
	out.section("Request:")
	out.indented(out.show(run.Request.Raw()))
	out.timing(run.Result.Timing)
	out.response(run.Result)
	if decoded != nil {
		printDecoded(out, *decoded)
	}
}

package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/authscope/authscope/authschemes"
	"github.com/authscope/authscope/decode"
	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
)

// fire sends the sample and prints the run.
func fire(ctx context.Context, io IO, f requestFlags, t model.Target, s model.Sample, so requests.SampleOptions) error {
	out := newPrinter(io, f.reveal, append(t.Secrets(), model.QuerySecrets(s.Path)...))
	if !f.json && !f.bundle {
		writeCheckWarnings(io, t)
	}
	so.OnWait = func(d time.Duration) {
		fmt.Fprintf(io.Err, "waiting %s for the one-second token to expire (the %s what-if)…\n", d.Round(10*time.Millisecond), s.Name)
	}
	done := out.spin(s.Method + " " + t.BaseURL + s.Path)
	run, err := requests.SendSample(ctx, t, s, so)
	done()
	out.secrets = append(out.secrets, run.Secrets()...)
	var notSent *requests.NotSentError
	if errors.As(err, &notSent) {
		return Usagef("%v", err)
	}
	if f.curl.verbose {
		writeWire(out, run)
	}
	if f.curl.output != "" && run.Result != nil {
		if werr := writeOutput(f.curl.output, run.Result); werr != nil {
			return werr
		}
		out.bodyFile = f.curl.output
	}
	extra := model.QuerySecrets(s.Path)
	var decoded *model.DecodedError
	if err == nil && run.Status() >= 400 {
		d := decodeRun(run)
		decoded = &d
	}
	switch {
	case f.bundle:
		in := bundleInput(run, decoded, err)
		in.Secrets = append(in.Secrets, extra...)
		fmt.Fprint(io.Out, requests.Bundle(in))
	case f.json:
		if jerr := out.json(runJSON(out, run, decoded, err)); jerr != nil {
			return jerr
		}
	default:
		printRun(out, run, decoded)
	}
	switch {
	case err != nil:
		return noAnswer(err)
	case run.Status() >= 400:
		return Silent(ExitHTTPError)
	}
	return nil
}

// sentFor is what the decoder's diagnosis needs to know about the request
// (requests.SentOf: the header's scheme, the pre-send findings, the key's
// mode), with advice that names flags.
func sentFor(run *requests.SampleRun, clientAuth string) decode.Sent {
	return requests.SentOf(run, authschemes.ClientAuth(clientAuth), decode.FrontCLI)
}

// answered is the result the run ended on: the request's, else the
// refused token request's.
func answered(run *requests.SampleRun) *requests.Result {
	if run.Result != nil {
		return run.Result
	}
	return run.ExchangeResult
}

func decodeRun(run *requests.SampleRun) model.DecodedError {
	clientAuth := ""
	if run.Exchange != nil {
		if _, ok := run.Exchange.Request.Header("Authorization"); ok {
			clientAuth = string(authschemes.ClientSecretBasic)
		} else {
			clientAuth = string(authschemes.ClientSecretPost)
		}
	}
	return decodeResult(answered(run), run.Target.Provider.ID, sentFor(run, clientAuth))
}

func bundleInput(run *requests.SampleRun, decoded *model.DecodedError, err error) requests.BundleInput {
	in := requests.BundleInput{Target: run.Target, Sample: run.Sample, Request: run.Request, Result: run.Result, Decoded: decoded, Failure: err, Secrets: run.Secrets()}
	if run.Result == nil && run.Exchange != nil {
		in.Request, in.Result = run.Exchange.Request, run.ExchangeResult
	}
	return in
}

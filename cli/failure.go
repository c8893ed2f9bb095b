package cli

import (
	"context"
	"errors"
	"time"

	"github.com/authscope/authscope/requests"
)

// noAnswer maps a sender error to its exit code and one line: 3 for no
// usable answer (network, TLS, timeout, a redirect loop, an answer that
// is not HTTP or not a token response), 1 for an answer authscope would
// not use (a refused token request, a redirect it did not follow), 2
// otherwise.
func noAnswer(err error) error {
	_, exit := classifyFailure(err)
	return exit
}

// failure is the phase and step a failed command names in --json.
type failure struct {
	Phase string // "timeout", "connect", "redirect", "token response", "token refused", …
	Step  string // "token request", "JWKS fetch", "request"
}

func failureOf(err error) failure {
	f, _ := classifyFailure(err)
	return f
}

// classifyFailure reads a sender error once, for both things a command
// says about it: the phase and step (--json) and the exit code with its
// line.
func classifyFailure(err error) (failure, error) {
	var na *requests.NoAnswerError
	var redirect *requests.RedirectError
	var unusable *requests.UnusableAnswerError
	var refused *requests.ExchangeError
	switch {
	case errors.As(err, &na):
		return failure{na.Phase, na.Step}, NoAnswerf("no answer (%s): %v", na.Phase, na)
	case errors.As(err, &redirect) && redirect.Reason == "loop":
		return failure{"redirect", redirect.Step}, NoAnswerf("no answer (redirect loop): %v", redirect)
	case errors.As(err, &redirect):
		return failure{"redirect", redirect.Step}, &ExitError{Code: ExitHTTPError, Err: err}
	case errors.As(err, &unusable):
		return failure{"token response", requests.StepToken}, NoAnswerf("no usable answer: %v", unusable)
	case errors.As(err, &refused):
		return failure{"token refused", requests.StepToken}, &ExitError{Code: ExitHTTPError, Err: err}
	case err != nil:
		return failure{Phase: "input"}, Usagef("%v", err)
	}
	return failure{}, Usagef("%v", err)
}

// withDeadline is the one deadline of a command: --timeout bounds it from
// start to exit (token, JWKS, request and body share it). Zero or less is
// bad usage: it would mean "give up at once", never "no limit".
func (t *targetFlags) withDeadline(ctx context.Context) (context.Context, context.CancelFunc, error) {
	if t.timeout <= 0 {
		return ctx, func() {}, Usagef("--timeout %s: give a positive duration such as 30s or 500ms", t.timeout)
	}
	ctx, cancel := context.WithTimeout(ctx, t.timeout)
	return ctx, cancel, nil
}

// deadlineLeft is what is left of the command's deadline, for per-call
// options that want a duration.
func deadlineLeft(ctx context.Context, fallback time.Duration) time.Duration {
	if d, ok := ctx.Deadline(); ok {
		return max(time.Until(d), time.Millisecond)
	}
	return fallback
}

// Package cli holds the command line: the headless commands (header,
// token, request, decode, doctor, sandbox) on spf13/cobra, and the flags
// that open the explorer. It sits beside ui/ on top of requests/: both are
// front ends to the same engine, and keeping script output apart from
// Bubble Tea keeps each small. main.go only calls Main.
package cli

import (
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/authscope/authscope/model"
)

// Exit codes scripts can trust (DESIGN.md, Command line).
const (
	ExitOK        = 0
	ExitHTTPError = 1 // the server answered with a status >= 400
	ExitUsage     = 2 // bad usage or input
	ExitNoAnswer  = 3 // no answer: DNS, refused, TLS, timeout
)

// IO is where a command reads and writes, with what it knows about the
// terminal. System() is the real one; tests build their own.
type IO struct {
	In     io.Reader
	Out    io.Writer
	Err    io.Writer
	InTTY  bool
	OutTTY bool
	Getenv func(string) string
}

// System returns the process's own streams.
func System() IO {
	return IO{
		In: os.Stdin, Out: os.Stdout, Err: os.Stderr,
		InTTY:  term.IsTerminal(int(os.Stdin.Fd())),
		OutTTY: term.IsTerminal(int(os.Stdout.Fd())),
		Getenv: os.Getenv,
	}
}

// ExitError carries an exit code with a one-line message.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

// Usagef is bad usage or input: exit 2.
func Usagef(format string, args ...any) error {
	return &ExitError{Code: ExitUsage, Err: fmt.Errorf(format, args...)}
}

// NoAnswerf is a request that got no answer: exit 3.
func NoAnswerf(format string, args ...any) error {
	return &ExitError{Code: ExitNoAnswer, Err: fmt.Errorf(format, args...)}
}

// Silent carries an exit code whose message was already printed (a 4xx
// whose decoded body is the output).
func Silent(code int) error { return &ExitError{Code: code} }

// knownSecrets finds the credentials given in the environment or on the
// command line, so an error that echoes one is scrubbed even when the
// command failed before it knew which values were secret.
func knownSecrets(io IO, args []string) []string {
	var out []string
	add := func(v string) {
		if t := strings.TrimSpace(v); t != "" {
			out = append(out, v, t)
		}
	}
	secretFlags := map[string]bool{}
	for _, p := range model.Providers {
		for _, f := range p.Fields {
			if !f.Secret {
				continue
			}
			secretFlags[f.Flag] = true
			if io.Getenv != nil {
				add(io.Getenv(f.EnvVar))
			}
		}
	}
	for i, a := range args {
		name, value, inline := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || !secretFlags[name] {
			continue
		}
		if !inline && i+1 < len(args) {
			value = args[i+1]
		}
		add(value)
	}
	return out
}

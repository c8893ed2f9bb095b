// Package cli holds the headless commands (header, token, request, decode,
// sandbox). It sits beside ui/ on top of requests/: both are front ends to
// the same engine, and keeping script output apart from Bubble Tea keeps
// each small. main.go only dispatches to Commands.
package cli

import (
	"context"
	"errors"
	"flag"
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

// Command is one subcommand.
type Command struct {
	Name    string
	Summary string
	Run     func(ctx context.Context, io IO, args []string) error
}

// Commands is the dispatch table main.go uses.
var Commands = []Command{}

// register adds a command; each command file calls it from init so the
// table stays one line per command.
func register(c Command) { Commands = append(Commands, c) }

// Find returns the named command.
func Find(name string) (Command, bool) {
	for _, c := range Commands {
		if c.Name == name {
			return c, true
		}
	}
	return Command{}, false
}

// Execute runs a command and turns its error into one line on stderr and
// an exit code. A panic is recovered and reported without its value,
// which could hold a secret.
func Execute(ctx context.Context, io IO, c Command, args []string) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(io.Err, "authscope %s: internal error (this is a bug; please report it with the command you ran, not your credentials)\n", c.Name)
			code = ExitUsage
		}
	}()
	err := c.Run(ctx, io, args)
	if err == nil {
		return ExitOK
	}
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	code = ExitUsage
	var ee *ExitError
	if errors.As(err, &ee) {
		code = ee.Code
		if ee.Err == nil {
			return code
		}
	}
	msg := model.Scrub(model.Sanitize(err.Error()), knownSecrets(io, args)...)
	msg = strings.ReplaceAll(msg, "\n", " ")
	fmt.Fprintf(io.Err, "authscope %s: %s\n", c.Name, msg)
	return code
}

// newFlagSet returns a flag set that reports errors instead of exiting,
// writes help to the given stream and uses the command's own usage text.
func newFlagSet(io IO, name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Err)
	fs.Usage = func() {
		fmt.Fprint(io.Out, strings.TrimLeft(usage, "\n"))
		fmt.Fprintln(io.Out, "\nFlags:")
		fs.SetOutput(io.Out)
		fs.PrintDefaults()
		fs.SetOutput(io.Err)
	}
	return fs
}

// parse parses flags wherever they stand among the arguments (so
// `decode FILE --json` works) and returns the positional arguments. A flag
// error becomes one usage line; --help prints the command's usage to
// stdout and returns flag.ErrHelp.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	usage, out := fs.Usage, fs.Output()
	fs.Usage = func() {}
	fs.SetOutput(io.Discard)
	defer func() { fs.Usage = usage; fs.SetOutput(out) }()
	var positional []string
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(out)
			usage()
			return nil, flag.ErrHelp
		}
		if err != nil {
			return nil, Usagef("%v (see --help)", err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		if args[0] == "--" {
			return append(positional, args[1:]...), nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

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

// Command authscope explores API authentication: pick a provider and an
// environment, watch credentials become an Authorization header, fire
// requests and read every error decoded. main holds flags and dispatch
// only; the commands live in cli/ and the explorer in ui/.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strings"

	"github.com/authscope/authscope/cli"
	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
	"github.com/authscope/authscope/ui"
)

const usage = `authscope — see exactly how your credentials become an Authorization header,
fire requests, and read every error decoded.

Usage:
  authscope [--provider P] [--env E] [--theme T]   open the explorer
  authscope <command> [flags]                      run one job headless

Commands:
%s
Examples:
  authscope                                        explorer on the offline sandbox
  authscope header --provider scale --key live_ScaleRocks
  authscope request --provider scaling --sample wrong-key
  authscope token --provider scalekit --env sandbox
  curl -si https://api.scaling.cloud/v1/incidents | authscope decode

Providers: %s. Every one has a built-in offline "sandbox" environment.
Run 'authscope <command> --help' for a command's flags and examples.

Explorer flags:
`

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	io := cli.System()

	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		if args[0] == "help" {
			args = []string{"--help"}
		} else if cmd, ok := cli.Find(args[0]); ok {
			return cli.Execute(ctx, io, cmd, args[1:])
		} else {
			fmt.Fprintf(io.Err, "authscope: unknown command %q (see authscope --help)\n", args[0])
			return cli.ExitUsage
		}
	}
	return explore(ctx, io, args)
}

func explore(ctx context.Context, sys cli.IO, args []string) int {
	var opts ui.Options
	fs := flag.NewFlagSet("authscope", flag.ContinueOnError)
	fs.StringVar(&opts.Provider, "provider", "", "open on this provider: "+strings.Join(model.ProviderIDs(), ", "))
	fs.StringVar(&opts.Env, "env", "", "open on this environment (sandbox by default)")
	fs.StringVar(&opts.Theme, "theme", "auto", "colour theme: auto, dark, light, high-contrast (NO_COLOR turns colour off)")
	version := fs.Bool("version", false, "print the version and exit")
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(sys.Out, fs)
			return cli.ExitOK
		}
		fmt.Fprintf(sys.Err, "authscope: %v (see authscope --help)\n", err)
		return cli.ExitUsage
	}
	if *version {
		fmt.Fprintf(sys.Out, "authscope %s (%s)\n", requests.Version, runtime.Version())
		return cli.ExitOK
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(sys.Err, "authscope: unexpected argument %q (see authscope --help)\n", fs.Arg(0))
		return cli.ExitUsage
	}
	if !sys.InTTY || !sys.OutTTY {
		fmt.Fprintln(sys.Err, "authscope: the explorer needs a terminal; for scripts use a command (see authscope --help)")
		return cli.ExitUsage
	}
	if err := ui.Run(ctx, opts); err != nil {
		fmt.Fprintf(sys.Err, "authscope: %s\n", model.Sanitize(err.Error()))
		return cli.ExitUsage
	}
	return cli.ExitOK
}

func printUsage(w io.Writer, fs *flag.FlagSet) {
	var cmds strings.Builder
	for _, c := range cli.Commands {
		fmt.Fprintf(&cmds, "  %-9s %s\n", c.Name, c.Summary)
	}
	fmt.Fprintf(w, usage, cmds.String(), strings.Join(model.ProviderIDs(), ", "))
	fs.SetOutput(w)
	fs.PrintDefaults()
}

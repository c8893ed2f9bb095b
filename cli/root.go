package cli

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"

	"github.com/spf13/cobra"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
	"github.com/authscope/authscope/themes"
)

// ExploreOptions are the explorer's flags; main passes the function that
// runs it, so cli does not import ui.
type ExploreOptions struct {
	Provider, Env, Theme string
	RedirectPort         int // the SSO login's callback port; 0 any free one
}

// constructors builds each subcommand; every command file adds its own
// from init, so the tree stays one line per command. The name is the
// command's own (a test holds them equal): Main builds only the command
// it runs.
var constructors []namedConstructor

type namedConstructor struct {
	name  string
	build func(IO) *cobra.Command
}

func addCommand(name string, build func(IO) *cobra.Command) {
	constructors = append(constructors, namedConstructor{name, build})
}

const rootLong = `authscope — see exactly how your credentials become an Authorization header,
fire requests, and read every error decoded.

Without a command it opens the explorer (it needs a terminal).
Providers: %s; every one has a built-in offline "sandbox"
environment, the default, so nothing reaches a real account unless asked.`

const rootExamples = `  authscope                                        the explorer on the offline sandbox
  authscope --provider scale --env sandbox         the explorer, straight to Scale AI's sandbox
  authscope header --provider scale --key live_ScaleRocks
  authscope request --provider scaling --sample wrong-key
  authscope token --provider scalekit
  curl -si https://api.scaling.cloud/v1/incidents | authscope decode`

// NewRoot builds the command tree around io; explore runs the explorer.
func NewRoot(io IO, explore func(context.Context, ExploreOptions) error) *cobra.Command {
	return newRoot(io, explore, constructors, true)
}

// rootFor is the tree args need: with a command's exact name first, the
// root and that command alone. Building every command with its flags
// was a measurable part of a short command's run (a third of a
// millisecond, cold); help, completion, suggestions for a mistyped
// command and the explorer get the whole tree. The tree for one command
// leaves out what only the root's own flags and the completion command
// use (the version line, cobra's completion tree).
func rootFor(io IO, explore func(context.Context, ExploreOptions) error, args []string) *cobra.Command {
	if len(args) > 0 {
		for _, c := range constructors {
			if c.name == args[0] {
				return newRoot(io, explore, []namedConstructor{c}, false)
			}
		}
	}
	return NewRoot(io, explore)
}

func newRoot(io IO, explore func(context.Context, ExploreOptions) error, commands []namedConstructor, whole bool) *cobra.Command {
	var opts ExploreOptions
	root := &cobra.Command{
		Use:           "authscope",
		Short:         "a terminal explorer for API authentication",
		Long:          fmt.Sprintf(rootLong, strings.Join(model.ProviderIDs(), ", ")),
		Example:       rootExamples,
		SilenceErrors: true,
		SilenceUsage:  true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Provider != "" {
				if _, err := model.Lookup(opts.Provider); err != nil {
					return Usagef("--provider: %v", err)
				}
			}
			if opts.RedirectPort < 0 || opts.RedirectPort > 65535 {
				return Usagef("--redirect-port %d: a TCP port 1–65535, or 0 for any free one", opts.RedirectPort)
			}
			if !themes.Known(opts.Theme) {
				return Usagef("--theme %q: choose %s", opts.Theme, strings.Join(themes.Names(), ", "))
			}
			if !io.InTTY || !io.OutTTY {
				return Usagef("the explorer needs a terminal; for scripts use a command (see authscope --help)")
			}
			return explore(cmd.Context(), opts)
		},
	}
	if whole {
		root.Version = requests.CurrentBuild().String()
		root.SetVersionTemplate(versionLine())
	} else {
		root.CompletionOptions.DisableDefaultCmd = true
	}
	// --version without -v: -v is curl's verbose on request.
	root.Flags().Bool("version", false, "print the version (also: authscope version [--json])")
	root.Flags().StringVar(&opts.Provider, "provider", "", "open on this provider: "+strings.Join(model.ProviderIDs(), ", "))
	root.Flags().StringVar(&opts.Env, "env", "", "open on this environment (sandbox by default)")
	root.Flags().StringVar(&opts.Theme, "theme", "auto", "colour theme: auto, dark, light, high-contrast (NO_COLOR turns colour off)")
	root.Flags().IntVar(&opts.RedirectPort, "redirect-port", 0, "SSO login: listen for the callback on this loopback port, to register it in the dashboard (0: any free one)")
	root.CompletionOptions.HiddenDefaultCmd = false
	for _, c := range commands {
		root.AddCommand(c.build(io))
	}
	root.AddCommand(newVersionCmd(io))
	root.SetHelpCommand(newHelpCmd(root))
	if whole {
		root.InitDefaultCompletionCmd()
	}
	for _, c := range root.Commands() {
		if c.Name() == "completion" {
			useNoEvalBash(c)
			// cobra's own prints its help and exits 0 for a missing or
			// unknown shell; a script wants exit 2 and one line.
			c.Args = cobra.ArbitraryArgs
			c.RunE = func(_ *cobra.Command, args []string) error {
				if len(args) == 0 {
					return Usagef("name a shell: bash, zsh, fish or powershell")
				}
				return Usagef("unknown shell %q: choose bash, zsh, fish or powershell", args[0])
			}
		}
	}
	root.SetOut(io.Out)
	root.SetErr(io.Err)
	root.SetFlagErrorFunc(flagError)
	var setup func(*cobra.Command)
	setup = func(c *cobra.Command) {
		c.Flags().SortFlags = false
		c.SetHelpFunc(func(c *cobra.Command, _ []string) { printHelp(c, c.OutOrStdout()) })
		registerCompletions(c)
		for _, sub := range c.Commands() {
			setup(sub)
		}
	}
	setup(root)
	return root
}

func versionLine() string {
	return fmt.Sprintf("authscope %s; %s, %s/%s\n", requests.CurrentBuild(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

func newVersionCmd(io IO) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "version",
		Short: "print the version of authscope and of Go it was built with",
		Args:  noArgs,
		RunE: func(*cobra.Command, []string) error {
			if asJSON {
				b := requests.CurrentBuild()
				return writeJSON(io.Out, struct {
					Version  string `json:"version"`
					Revision string `json:"revision,omitempty"`
					Time     string `json:"time,omitempty"`
					Modified bool   `json:"modified,omitempty"`
					Go       string `json:"go"`
				}{b.Version, b.Revision, b.Time, b.Modified, runtime.Version()})
			}
			_, err := fmt.Fprint(io.Out, versionLine())
			return err
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	return cmd
}

// newHelpCmd is `authscope help [command]`: the command's help, or for an
// unknown topic one line with a suggestion and exit 2 (cobra's own prints
// the whole usage and exits 0).
func newHelpCmd(root *cobra.Command) *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: "show a command's help: its flags, grouped, and examples",
		ValidArgsFunction: func(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			var names []string
			for _, c := range root.Commands() {
				if c.IsAvailableCommand() {
					names = append(names, c.Name())
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			target, rest, err := root.Find(args)
			if err != nil || target == nil || len(rest) > 0 {
				topic := strings.Join(args, " ")
				if near := root.SuggestionsFor(args[0]); len(near) > 0 {
					return Usagef("unknown help topic %q (did you mean %s?)", topic, strings.Join(near, " or "))
				}
				return Usagef("unknown help topic %q (see authscope --help)", topic)
			}
			target.InitDefaultHelpFlag() // as `CMD --help` shows it
			printHelp(target, cmd.OutOrStdout())
			return nil
		},
	}
}

// noArgs refuses positional arguments with one usage line.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return Usagef("unexpected argument %q (see %s --help)", args[0], cmd.CommandPath())
	}
	return nil
}

// atMostOneFile takes an optional FILE argument.
func atMostOneFile(cmd *cobra.Command, args []string) error {
	if len(args) > 1 {
		return Usagef("one FILE at most, got %d (see %s --help)", len(args), cmd.CommandPath())
	}
	return nil
}

// Main runs the command line and returns the exit code: 0 success, 1 the
// server answered with an error, 2 bad usage or input, 3 no answer. Every
// error is one line on stderr, scrubbed of any credential it could echo; a
// panic is reported without its value, which could hold a secret.
func Main(ctx context.Context, io IO, args []string, explore func(context.Context, ExploreOptions) error) (code int) {
	name := "authscope"
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(io.Err, "%s: internal error (this is a bug; please report it with the command you ran, not your credentials)\n", name)
			code = ExitUsage
		}
	}()
	cmd, err := execute(ctx, io, args, explore)
	if cmd != nil {
		name = cmd.CommandPath()
	}
	return report(io, name, args, err)
}

// report prints err as one line, prefixed with the command's name and
// scrubbed of every credential the environment or args hold, and returns
// its exit code.
func report(io IO, name string, args []string, err error) (code int) {
	if err == nil {
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
	msg := flatten(cobraMessage(err.Error()))
	msg = model.Scrub(model.Sanitize(msg), knownSecrets(io, args)...)
	fmt.Fprintf(io.Err, "%s: %s\n", name, msg)
	return code
}

// execute runs the command line and returns the command that ran and its
// error, for Main to turn into an exit code (and for tests to inspect).
func execute(ctx context.Context, io IO, args []string, explore func(context.Context, ExploreOptions) error) (*cobra.Command, error) {
	root := rootFor(io, explore, args)
	root.SetArgs(args)
	return root.ExecuteContextC(ctx)
}

var unknownCommand = model.LazyRegexp(`^unknown command ("[^"]*") for "[^"]*"`)

// cobraMessage rewrites cobra's own multi-line errors as one line:
// `unknown command "reqest" for "authscope"\n\nDid you mean this?\n\trequest`
// becomes `unknown command "reqest" (did you mean request?)`.
func cobraMessage(msg string) string {
	m := unknownCommand().FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	out := "unknown command " + m[1]
	if _, rest, ok := strings.Cut(msg, "Did you mean this?"); ok {
		var names []string
		for _, f := range strings.Fields(rest) {
			names = append(names, f)
		}
		if len(names) > 0 {
			return out + " (did you mean " + strings.Join(names, " or ") + "?)"
		}
	}
	return out + " (see authscope --help)"
}

func flatten(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}

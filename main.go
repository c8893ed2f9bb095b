// Command authscope explores API authentication: pick a provider and an
// environment, watch credentials become an Authorization header, fire
// requests and read every error decoded. main holds dispatch only: the
// command line is cli.Main (spf13/cobra), the explorer ui.Run.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/authscope/authscope/cli"
	"github.com/authscope/authscope/ui"
)

func main() {
	// SIGTERM (kill, service managers) ends a command as Ctrl-C does: the
	// sandbox finishes requests in flight and exits 0.
	// The context is not stopped: os.Exit follows at once, and
	// signal.Stop waits for the signal loop to go idle, a fifth of a
	// millisecond of every short command's run.
	ctx, _ := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	os.Exit(cli.Main(ctx, cli.System(), os.Args[1:], explore))
}

// explore opens the explorer with the command line's choices.
func explore(ctx context.Context, o cli.ExploreOptions) error {
	return ui.Run(ctx, ui.Options{Provider: o.Provider, Env: o.Env, Theme: o.Theme, RedirectPort: o.RedirectPort})
}

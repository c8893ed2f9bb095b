// Command authscope explores API authentication: pick a provider and an
// environment, watch credentials become an Authorization header, fire
// requests and read every error decoded. main holds dispatch only: the
// command line is cli.Main (spf13/cobra), the explorer ui.Run.
package main

import (
	"context"
	"os"
	"os/signal"

	"github.com/authscope/authscope/cli"
	"github.com/authscope/authscope/ui"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := cli.Main(ctx, cli.System(), os.Args[1:], explore)
	stop()
	os.Exit(code)
}

// explore opens the explorer with the command line's choices.
func explore(ctx context.Context, o cli.ExploreOptions) error {
	return ui.Run(ctx, ui.Options{Provider: o.Provider, Env: o.Env, Theme: o.Theme, RedirectPort: o.RedirectPort})
}

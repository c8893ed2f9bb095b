// Package ui is the Bubble Tea explorer: a small root model (App) that
// routes messages to one screen per file — picker, credentials, steps,
// request, inspector, decode, copy menu — each with its own keys, help
// and messages. Slow work (HTTP, the token exchange, the clipboard)
// runs only inside tea.Cmds that answer with typed messages.
package ui

import (
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"golang.org/x/term"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
	"github.com/authscope/authscope/themes"
)

// Options are the explorer's command-line choices.
type Options struct {
	Provider string
	Env      string
	Theme    string
	// RedirectPort fixes the SSO login's callback port (as
	// $AUTHSCOPE_REDIRECT_PORT does); 0 leaves it to the system.
	RedirectPort int
}

// Run opens the explorer and returns when the user quits. Start-up does
// only what the first frame needs: the sandbox and its RSA key wait
// until a sandbox request is first fired.
func Run(ctx context.Context, opts Options) error {
	r := lipgloss.NewRenderer(os.Stdout)
	palette, err := themes.Pick(opts.Theme, r, os.Getenv)
	if err != nil {
		return err
	}
	termOK := term.IsTerminal(int(os.Stdout.Fd())) && os.Getenv("TERM") != "dumb"
	getenv := os.Getenv
	if opts.RedirectPort > 0 {
		getenv = func(k string) string {
			if k == ssoPortVar {
				return strconv.Itoa(opts.RedirectPort)
			}
			return os.Getenv(k)
		}
	}
	c := common{
		styles:  themes.New(r, palette),
		getenv:  getenv,
		clip:    newTerminalClipboard(os.Getenv, os.Stdout, termOK),
		sandbox: newSandboxHost(),
		now:     time.Now,
	}
	defer c.sandbox.Close()
	app, err := newExplorer(c, opts)
	if err != nil {
		return err
	}
	return runGuarded(ctx, app, tea.WithAltScreen(), tea.WithOutput(os.Stdout))
}

// newExplorer opens on the picker, or further in when --provider (and
// --env) were given: `authscope --provider scale --env sandbox` starts on
// the credentials.
func newExplorer(c common, opts Options) (*App, error) {
	if c.out == nil {
		c.out = &outbox{}
	}
	if c.typed == nil {
		c.typed = newTypedMemory()
	}
	if c.history == nil {
		c.history = &requests.History{}
	}
	pick := newPicker(c, model.Providers)
	if opts.Provider == "" {
		if opts.Env != "" {
			return nil, errors.New("--env needs --provider")
		}
		return newApp(c, pick), nil
	}
	p, err := model.Lookup(opts.Provider)
	if err != nil {
		return nil, err
	}
	pick.focusProvider(p.ID)
	app := newApp(c, pick)
	if opts.Env == "" {
		return app, nil
	}
	env, err := p.Env(strings.ToLower(opts.Env))
	if err != nil {
		return nil, err
	}
	app.sess.target.Provider, app.sess.target.Env = p, env
	app.stack = append(app.stack, newCredentials(c, p, env))
	app.resize()
	return app, nil
}

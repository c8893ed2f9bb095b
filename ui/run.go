//go:build !uiwip

// Package ui is the Bubble Tea explorer. (Placeholder until the explorer lands.)
package ui

import (
	"context"
	"errors"
)

// Options are the explorer's command-line choices.
type Options struct {
	Provider string
	Env      string
	Theme    string
}

// Run opens the explorer and returns when the user quits.
func Run(ctx context.Context, opts Options) error {
	return errors.New("the explorer is not built yet; see authscope --help for the commands")
}

package cli

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/snippets"
	"github.com/authscope/authscope/themes"
)

// Completion of flag values. Shell completion that only knows flag names
// leaves a newcomer reading --help to learn that `--sample wrong-key`
// exists; these complete the values from the same tables the commands
// read, so a new provider, environment or sample completes without code
// here.

type completer = func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective)

// fixed completes from a list of "value\tdescription" entries.
func fixed(values ...string) completer {
	return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return values, cobra.ShellCompDirectiveNoFileComp
	}
}

// chosenProviders is the provider named by --provider on the line being
// completed, or every provider when none is named yet.
func chosenProviders(cmd *cobra.Command) []model.Provider {
	if f := cmd.Flags().Lookup("provider"); f != nil && f.Value.String() != "" {
		if p, err := model.Lookup(f.Value.String()); err == nil {
			return []model.Provider{p}
		}
	}
	return model.Providers
}

func completeProviders(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	var out []string
	for _, p := range model.Providers {
		out = append(out, p.ID+"\t"+p.Name+" · "+string(p.Scheme))
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

func completeEnvironments(cmd *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
	return uniqueCompletions(cmd, func(p model.Provider) []string {
		var out []string
		for _, e := range p.Environments {
			desc := e.Label
			if e.Note != "" {
				desc += " (" + e.Note + ")"
			}
			out = append(out, e.ID+"\t"+desc)
		}
		return out
	})
}

func completeSamples(cmd *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
	return uniqueCompletions(cmd, func(p model.Provider) []string {
		out := []string{"list\tprint every sample and what-if"}
		for _, s := range p.Samples {
			out = append(out, s.Name+"\t"+s.Title)
		}
		return out
	})
}

// uniqueCompletions gathers values from the chosen providers, keeping the
// first description of a value that several providers share.
func uniqueCompletions(cmd *cobra.Command, of func(model.Provider) []string) ([]string, cobra.ShellCompDirective) {
	seen := map[string]bool{}
	var out []string
	for _, p := range chosenProviders(cmd) {
		for _, v := range of(p) {
			name, _, _ := strings.Cut(v, "\t")
			if !seen[name] {
				seen[name] = true
				out = append(out, v)
			}
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

func completeThemes(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return themes.Names(), cobra.ShellCompDirectiveNoFileComp
}

func completeSnippetKinds(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	var out []string
	for _, k := range snippets.Kinds {
		out = append(out, string(k))
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

var completeClientAuth = fixed("post\tclient_secret_post: id and secret in the form body (what the SDKs send)",
	"basic\tclient_secret_basic: id and secret in an HTTP Basic header")

// valueCompletions maps a flag name to its completer; registerCompletions
// attaches those a command has.
var valueCompletions = map[string]completer{
	"provider":    completeProviders,
	"env":         completeEnvironments,
	"sample":      completeSamples,
	"theme":       completeThemes,
	"print":       completeSnippetKinds,
	"client-auth": completeClientAuth,
	"method":      fixed(methods...),
	"header":      fixed(headerNames...),
}

func registerCompletions(cmd *cobra.Command) {
	for name, fn := range valueCompletions {
		if cmd.Flags().Lookup(name) != nil {
			_ = cmd.RegisterFlagCompletionFunc(name, fn)
		}
	}
}

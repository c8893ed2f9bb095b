package cli

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Flag groups: each command's help lists its flags under these headings, in
// this order, so a reader finds "where does it send" apart from "what does
// it send with" and "what does it print".
const (
	groupTarget      = "Target"
	groupCredentials = "Credential"
	groupRequest     = "Request"
	groupOutput      = "Output"
	groupAnnotation  = "authscope_group"
)

var groupOrder = []string{groupTarget, groupCredentials, groupRequest, groupOutput}

// inGroup files the named flags under a heading in --help.
func inGroup(fs *pflag.FlagSet, group string, names ...string) {
	for _, n := range names {
		if fs.Lookup(n) != nil {
			_ = fs.SetAnnotation(n, groupAnnotation, []string{group})
		}
	}
}

// printHelp is the help of every command: usage, description, examples,
// then the flags by group, then the subcommands.
func printHelp(cmd *cobra.Command, w io.Writer) {
	if cmd.Long != "" {
		fmt.Fprintln(w, strings.TrimSpace(cmd.Long))
	} else {
		fmt.Fprintln(w, cmd.Short)
	}
	fmt.Fprintf(w, "\nUsage:\n  %s\n", cmd.UseLine())
	if cmd.HasAvailableSubCommands() {
		fmt.Fprintf(w, "  %s <command> [flags]\n", cmd.CommandPath())
		fmt.Fprintln(w, "\nCommands:")
		for _, c := range cmd.Commands() {
			if c.IsAvailableCommand() || c.Name() == "help" {
				fmt.Fprintf(w, "  %-11s %s\n", c.Name(), c.Short)
			}
		}
	}
	if cmd.Example != "" {
		fmt.Fprintf(w, "\nExamples:\n%s\n", strings.TrimRight(cmd.Example, "\n"))
	}
	groups := map[string]*pflag.FlagSet{}
	other := pflag.NewFlagSet("other", pflag.ContinueOnError)
	other.SortFlags = false
	cmd.NonInheritedFlags().VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		g := f.Annotations[groupAnnotation]
		if len(g) == 0 {
			other.AddFlag(f)
			return
		}
		if groups[g[0]] == nil {
			groups[g[0]] = pflag.NewFlagSet(g[0], pflag.ContinueOnError)
			groups[g[0]].SortFlags = false
		}
		groups[g[0]].AddFlag(f)
	})
	for _, g := range groupOrder {
		if fs := groups[g]; fs != nil {
			fmt.Fprintf(w, "\n%s flags:\n%s", g, fs.FlagUsagesWrapped(100))
		}
	}
	if other.HasFlags() {
		fmt.Fprintf(w, "\nFlags:\n%s", other.FlagUsagesWrapped(100))
	}
	if cmd.HasAvailableSubCommands() {
		fmt.Fprintf(w, "\nRun '%s help <command>' for a command's flags and examples.\n", cmd.CommandPath())
	}
}

// flagError turns pflag's error into one usage line, with the nearest
// flag the command has when the name looks mistyped.
func flagError(cmd *cobra.Command, err error) error {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "unknown flag: --"); ok {
		if near := nearestFlag(cmd, name); near != "" {
			return Usagef("unknown flag --%s (did you mean --%s?)", name, near)
		}
		return Usagef("unknown flag --%s (see %s --help)", name, cmd.CommandPath())
	}
	return Usagef("%s (see %s --help)", msg, cmd.CommandPath())
}

// nearestFlag is the command's flag closest to name (edit distance at
// most 2, or name a prefix of it), "" when none is close.
func nearestFlag(cmd *cobra.Command, name string) string {
	var names []string
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if !f.Hidden {
			names = append(names, f.Name)
		}
	})
	sort.Strings(names)
	best, bestDist := "", 3
	for _, n := range names {
		d := editDistance(name, n)
		if strings.HasPrefix(n, name) && len(name) >= 3 {
			d = min(d, 1)
		}
		if d < bestDist {
			best, bestDist = n, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// newCommand builds a command from its help text, which reads the way
// the old hand-written help did: a description, a "Usage:" section whose
// first line is the command line, an "Examples:" section, and any notes
// (exit status, safety) after it. Use comes from the usage line; the
// examples become cobra's Example; the rest is Long.
func newCommand(summary, usage string) *cobra.Command {
	var long, examples []string
	use := ""
	section := ""
	for _, line := range strings.Split(strings.Trim(usage, "\n"), "\n") {
		switch {
		case strings.HasPrefix(line, "Usage: "): // the usage on one line
			use = strings.TrimPrefix(strings.TrimPrefix(line, "Usage: "), "authscope ")
			section = ""
			continue
		case line == "Usage:" || line == "Examples:":
			section = line
			continue
		case section != "" && line != "" && !strings.HasPrefix(line, " "):
			section = "" // an unindented line ends the section
		}
		switch section {
		case "Usage:":
			if use == "" && strings.TrimSpace(line) != "" {
				use = strings.TrimPrefix(strings.TrimSpace(line), "authscope ")
			}
		case "Examples:":
			examples = append(examples, line)
		default:
			long = append(long, line)
		}
	}
	return &cobra.Command{
		Use:     use,
		Short:   summary,
		Long:    strings.TrimSpace(strings.Join(long, "\n")),
		Example: strings.TrimRight(strings.Join(examples, "\n"), "\n"),
	}
}

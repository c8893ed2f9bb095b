package cli

import (
	"bytes"
	"errors"
	"io"
	"strings"

	"github.com/spf13/cobra"
)

// cobra's bash completion (V2) builds the command that asks the binary
// for completions as one string and runs it with eval, "to handle any
// environment variables and such": a `$(…)` or backticks typed on the line
// would run when TAB is pressed. The script authscope prints calls the
// binary with the words as an array instead, so nothing typed is ever
// evaluated (a quoted or variable word is completed as typed). The three
// spots are replaced by exact text; if cobra's script changes, printing
// it fails loudly rather than ship the eval.
var bashNoEval = []struct{ old, new string }{
	{`    requestComp="${words[0]} __complete ${args[*]}"`,
		`    requestComp=("${words[0]/#\~/$HOME}" __complete "${args[@]}")`},
	{`        requestComp="${requestComp} ''"`,
		`        : # the array already ends with the empty word being completed`},
	{`    # Use eval to handle any environment variables and such`,
		`    # The words go to the binary as typed: nothing on the line is run (authscope)`},
	{`    out=$(eval "${requestComp}" 2>/dev/null)`,
		`    out=$("${requestComp[@]}" 2>/dev/null)`},
}

// noEvalBash rewrites cobra's bash completion script so that it never
// evals the command line.
func noEvalBash(script string) (string, error) {
	for _, r := range bashNoEval {
		if strings.Count(script, r.old) != 1 {
			return "", errors.New("internal error: cobra's bash completion script changed; not printing one that evals the command line")
		}
		script = strings.Replace(script, r.old, r.new, 1)
	}
	if strings.Contains(script, "eval") {
		return "", errors.New("internal error: the bash completion script still evals something")
	}
	return script, nil
}

// zshNoEval does the same for cobra's zsh script, which evals the line
// too, and builds a -P prefix for _describe and _arguments (both of which
// evaluate it) from whatever the last word holds before a '=': the prefix
// is taken only when it is a flag's name.
var zshNoEval = []struct{ old, new string }{
	{`    if [[ "${lastParam}" =~ '-.*=' ]]; then`,
		`    if [[ "${lastParam}" =~ '^-[-A-Za-z0-9_]+=' ]]; then`},
	{`    requestComp="${words[1]} __complete ${words[2,-1]}"`,
		`    requestComp=("${words[1]/#\~/$HOME}" __complete "${(@)words[2,-1]}")`},
	{`        requestComp="${requestComp} \"\""`,
		`        : # the array already ends with the empty word being completed`},
	{`    __authscope_debug "About to call: eval ${requestComp}"`,
		`    __authscope_debug "About to call: ${requestComp[*]}"`},
	{`    # Use eval to handle any environment variables and such`,
		`    # The words go to the binary as typed: nothing on the line is run (authscope)`},
	{`    out=$(eval ${requestComp} 2>/dev/null)`,
		`    out=$("${requestComp[@]}" 2>/dev/null)`},
}

// noEvalZsh rewrites cobra's zsh completion script so that the line is
// never evaluated. One eval stays: _describe's, whose arguments are now
// the script's own constants and a flag name.
func noEvalZsh(script string) (string, error) {
	for _, r := range zshNoEval {
		if strings.Count(script, r.old) != 1 {
			return "", errors.New("internal error: cobra's zsh completion script changed; not printing one that evals the command line")
		}
		script = strings.Replace(script, r.old, r.new, 1)
	}
	if strings.Count(script, "eval _describe") != 1 || strings.Count(script, "eval ") != 1 {
		return "", errors.New("internal error: the zsh completion script evals something new")
	}
	return script, nil
}

// fishNoEval does the same for cobra's fish script, which evals the
// line as one string: the words go to the binary as a list, the last one
// unescaped (it was escaped only to survive the eval).
var fishNoEval = []struct{ old, new string }{
	{`    set -l lastArg (string escape -- (commandline -ct))`,
		`    set -l lastArg (commandline -ct)`},
	{`    set -l requestComp "AUTHSCOPE_ACTIVE_HELP=0 $args[1] __complete $args[2..-1] $lastArg"`,
		`    set -l requestComp $args[1] __complete $args[2..-1] "$lastArg"`},
	{`    set -l results (eval $requestComp 2> /dev/null)`,
		`    set -l results (env AUTHSCOPE_ACTIVE_HELP=0 $requestComp 2> /dev/null)`},
}

// noEvalFish rewrites cobra's fish completion script so that the line is
// never evaluated.
func noEvalFish(script string) (string, error) {
	for _, r := range fishNoEval {
		if strings.Count(script, r.old) != 1 {
			return "", errors.New("internal error: cobra's fish completion script changed; not printing one that evals the command line")
		}
		script = strings.Replace(script, r.old, r.new, 1)
	}
	if strings.Contains(script, "eval ") {
		return "", errors.New("internal error: the fish completion script still evals something")
	}
	return script, nil
}

// useNoEvalBash makes `completion bash`, `zsh` and `fish` print the
// rewritten scripts.
func useNoEvalBash(completion *cobra.Command) {
	for _, sub := range completion.Commands() {
		gen, rewrite := (*cobra.Command).GenBashCompletionV2, noEvalBash
		switch sub.Name() {
		case "bash":
		case "fish":
			rewrite = noEvalFish
			gen = (*cobra.Command).GenFishCompletion
		case "zsh":
			rewrite = noEvalZsh
			gen = func(c *cobra.Command, w io.Writer, desc bool) error {
				if desc {
					return c.GenZshCompletion(w)
				}
				return c.GenZshCompletionNoDesc(w)
			}
		default:
			continue
		}
		sub.Run = nil
		sub.RunE = func(cmd *cobra.Command, _ []string) error {
			noDesc, _ := cmd.Flags().GetBool("no-descriptions")
			var b bytes.Buffer
			if err := gen(cmd.Root(), &b, !noDesc); err != nil {
				return err
			}
			script, err := rewrite(b.String())
			if err != nil {
				return err
			}
			_, err = io.WriteString(cmd.OutOrStdout(), script)
			return err
		}
	}
}

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

// useNoEvalBash makes `completion bash` print the rewritten script.
func useNoEvalBash(completion *cobra.Command) {
	for _, sub := range completion.Commands() {
		if sub.Name() != "bash" {
			continue
		}
		sub.Run = nil
		sub.RunE = func(cmd *cobra.Command, _ []string) error {
			noDesc, _ := cmd.Flags().GetBool("no-descriptions")
			var b bytes.Buffer
			if err := cmd.Root().GenBashCompletionV2(&b, !noDesc); err != nil {
				return err
			}
			script, err := noEvalBash(b.String())
			if err != nil {
				return err
			}
			_, err = io.WriteString(cmd.OutOrStdout(), script)
			return err
		}
	}
}

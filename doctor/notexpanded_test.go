package doctor

import (
	"strings"
	"testing"
)

// No paste crashes the doctor: process substitution and every other
// construct the shell expander cannot take is a "not expanded" finding,
// the rest of the command still read. Each runs through Examine, as the
// command and the explorer do.
func TestUnexpandableConstructsAreFindings(t *testing.T) {
	cases := []struct{ paste, want string }{
		{`curl -d @<(echo hi) https://api.scaling.cloud/v1/x`, "<(…) (process substitution)"},
		{`curl -K <(printf 'header = "X: y"') https://api.scaling.cloud/v1/x`, "<(…) (process substitution)"},
		{`curl -o >(cat) https://api.scaling.cloud/v1/x`, ">(…) (process substitution)"},
		{`curl -H "Authorization: Bearer $((1/0))" https://api.scaling.cloud/v1/x`, "Not expanded"},
		// These the expander takes (a variable stays as written): no
		// finding needed, but no crash and no refusal either.
		{`curl -H "X: ${x:?unset}" https://api.scaling.cloud/v1/x`, ""},
		{`curl -H "X: ${!ref}" https://api.scaling.cloud/v1/x`, ""},
		{`curl -H "X: ${x/a/b}" https://api.scaling.cloud/v1/x`, ""},
		{`curl -H "X: $[1+2]" https://api.scaling.cloud/v1/x`, ""},
		{`curl -H "X: ${#arr[@]}" https://api.scaling.cloud/v1/x`, ""},
		{`curl https://api.scaling.cloud/v1/x ~other/x {a,b}`, ""},
		{"curl -H \"X: `id`\" https://api.scaling.cloud/v1/x", ""},
	}
	for _, c := range cases {
		t.Run(c.paste, func(t *testing.T) {
			var rep *Report
			var err error
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("panicked: %v", r)
					}
				}()
				rep, err = ExamineText(c.paste, Options{Name: "paste.txt"})
			}()
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			if rep.Host != "api.scaling.cloud" {
				t.Errorf("the rest of the command was not read: host %q", rep.Host)
			}
			if c.want == "" {
				return
			}
			f, ok := has(rep, "not-expanded")
			if !ok {
				t.Fatalf("no not-expanded finding: %v", checks(rep))
			}
			if !strings.Contains(f.Title, c.want) {
				t.Errorf("title %q lacks %q", f.Title, c.want)
			}
		})
	}
}

package doctor

import (
	"fmt"
	"sort"
	"strings"
)

// Severity of a finding.
const (
	SevError   = "error"   // this breaks the request
	SevWarning = "warning" // likely wrong, or breaks it in some cases
	SevInfo    = "info"    // worth knowing while debugging
)

// Finding is one thing the doctor noticed: what, the evidence from the
// paste (secrets masked), and what to do.
type Finding struct {
	Check    string `json:"check"` // stable id of the check that found it
	Severity string `json:"severity"`
	Title    string `json:"title"`
	Evidence string `json:"evidence"`
	Fix      string `json:"fix"`
	Entries  []int  `json:"entries,omitempty"` // 1-based positions in a multi-request input
	// RequestID is the id to quote to support, on findings about a response
	// (the explorer highlights it and copies it with one key).
	RequestID string `json:"request_id,omitempty"`

	weight int     // how likely a cause, within its severity
	repair *Repair // what --replay applies, if the fix can be applied
}

func sevRank(s string) int {
	switch s {
	case SevError:
		return 3
	case SevWarning:
		return 2
	}
	return 1
}

// rank orders findings most likely cause first and folds the same
// finding from several entries into one, listing the entries.
func rank(in []Finding) []Finding {
	var out []Finding
	index := map[string]int{}
	for _, f := range in {
		key := f.Check + "\x00" + f.Title + "\x00" + f.Fix
		if i, ok := index[key]; ok {
			out[i].Entries = append(out[i].Entries, f.Entries...)
			continue
		}
		index[key] = len(out)
		out = append(out, f)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if sevRank(a.Severity) != sevRank(b.Severity) {
			return sevRank(a.Severity) > sevRank(b.Severity)
		}
		return a.weight > b.weight
	})
	for i := range out {
		out[i].Entries = compactEntries(out[i].Entries)
	}
	return out
}

// compactEntries dedupes and keeps the list short for a 10,000-entry HAR.
func compactEntries(e []int) []int {
	sort.Ints(e)
	var out []int
	for i, v := range e {
		if i > 0 && v == e[i-1] {
			continue
		}
		out = append(out, v)
	}
	return out
}

// EntriesText is "entries 3, 7, 9 and 12 more" for a text report.
func (f Finding) EntriesText() string {
	if len(f.Entries) == 0 {
		return ""
	}
	const shown = 8
	var parts []string
	for i, e := range f.Entries {
		if i == shown {
			break
		}
		parts = append(parts, fmt.Sprint(e))
	}
	word := "entry"
	if len(f.Entries) > 1 {
		word = "entries"
	}
	s := word + " " + strings.Join(parts, ", ")
	if n := len(f.Entries) - shown; n > 0 {
		s += fmt.Sprintf(" and %d more", n)
	}
	return s
}

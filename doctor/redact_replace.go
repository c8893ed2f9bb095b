package doctor

import (
	"encoding/binary"
	"strings"
)

// replacer replaces many secrets in one pass, as strings.Replacer does
// (leftmost first, the longest at a position), but fast on big inputs
// with thousands of secrets (a HAR with a cookie per entry): only a
// position whose byte starts some secret is looked at, and only the
// secrets sharing its first 8 bytes are compared. Every old string is at
// least 8 bytes long (minGlobalSecret).
type replacer struct {
	first  [256]bool
	bucket map[uint64][]pair // by the first 8 bytes, longest first
}

type pair struct{ old, new string }

// newReplacer takes old, new pairs, longest olds first (the caller sorts);
// an old string shorter than 8 bytes is ignored.
func newReplacer(args ...string) *replacer {
	r := &replacer{bucket: map[uint64][]pair{}}
	for i := 0; i+1 < len(args); i += 2 {
		old := args[i]
		if len(old) < 8 {
			continue
		}
		k := binary.LittleEndian.Uint64([]byte(old[:8]))
		r.bucket[k] = append(r.bucket[k], pair{old, args[i+1]})
		r.first[old[0]] = true
	}
	return r
}

// Replace returns s with every old string replaced by its new one.
func (r *replacer) Replace(s string) string {
	if len(r.bucket) == 0 {
		return s
	}
	var b strings.Builder
	last := 0
	for i := 0; i+8 <= len(s); {
		if !r.first[s[i]] {
			i++
			continue
		}
		cands := r.bucket[binary.LittleEndian.Uint64([]byte(s[i:i+8]))]
		matched := false
		for _, p := range cands {
			if strings.HasPrefix(s[i:], p.old) {
				if last == 0 {
					b.Grow(len(s))
				}
				b.WriteString(s[last:i])
				b.WriteString(p.new)
				i += len(p.old)
				last, matched = i, true
				break
			}
		}
		if !matched {
			i++
		}
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

package requests

import (
	"fmt"
	"sort"
	"strings"
)

// rawResponse writes the answer as it came on the wire: status line,
// headers (sorted, since net/http keeps them in a map), a blank line and
// the body as read (bounded). HTTP/2 answers get the same text form.
func rawResponse(r *Result) string {
	var b strings.Builder
	b.WriteString(r.Proto + " " + r.StatusText + "\r\n")
	names := make([]string, 0, len(r.Header))
	for name := range r.Header {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, v := range r.Header[name] {
			b.WriteString(name + ": " + v + "\r\n")
		}
	}
	b.WriteString("\r\n")
	b.Write(r.Body)
	return b.String()
}

// FormatBytes writes a size the way people read it: 512 B, 4 KiB, 10 MiB.
func FormatBytes(n int64) string {
	const unit = 1024
	switch {
	case n < unit:
		return fmt.Sprintf("%d B", n)
	case n < unit*unit:
		return trimZero(float64(n)/unit) + " KiB"
	case n < unit*unit*unit:
		return trimZero(float64(n)/(unit*unit)) + " MiB"
	}
	return trimZero(float64(n)/(unit*unit*unit)) + " GiB"
}

func trimZero(f float64) string {
	return strings.TrimSuffix(fmt.Sprintf("%.1f", f), ".0")
}

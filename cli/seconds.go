package cli

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// seconds is --timeout: a Go duration (30s, 500ms, 1m) or, with curl's
// habit (-m 5), a bare number of seconds (5, 2.5).
type seconds struct{ d *time.Duration }

func (s seconds) String() string {
	if s.d == nil {
		return ""
	}
	return s.d.String()
}

func (s seconds) Type() string { return "duration" }

func (s seconds) Set(v string) error {
	v = strings.TrimSpace(v)
	if f, err := strconv.ParseFloat(v, 64); err == nil {
		if f > 1e6 {
			return fmt.Errorf("%s seconds is more than eleven days", v)
		}
		*s.d = time.Duration(f * float64(time.Second))
		return nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return fmt.Errorf("write seconds (5, 2.5) or a duration (30s, 500ms, 1m)")
	}
	*s.d = d
	return nil
}

package requests

import (
	"runtime/debug"
	"strings"
	"sync"
)

// Build is what is known of the running binary: its version and the VCS
// revision it was built from, read from runtime/debug.ReadBuildInfo.
type Build struct {
	Version  string // the -X Version, else the module's version, else "dev"
	Revision string // vcs.revision, "" when unknown
	Time     string // vcs.time (RFC 3339), "" when unknown
	Modified bool   // vcs.modified: built from a tree with uncommitted changes
}

// CurrentBuild is the running binary's Build, read once.
var CurrentBuild = sync.OnceValue(func() Build {
	info, _ := debug.ReadBuildInfo()
	return buildFrom(Version, info)
})

// buildFrom combines the -X version with the build information (nil when
// the binary has none).
func buildFrom(ldflagsVersion string, info *debug.BuildInfo) Build {
	b := Build{Version: ldflagsVersion}
	if info == nil {
		return b
	}
	if b.Version == "" || b.Version == "dev" {
		if v := info.Main.Version; v != "" && v != "(devel)" {
			b.Version = v
		}
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Revision = s.Value
		case "vcs.time":
			b.Time = s.Value
		case "vcs.modified":
			b.Modified = s.Value == "true"
		}
	}
	if b.Version == "" {
		b.Version = "dev"
	}
	return b
}

// String is the version and what else is known, on one line:
// "v1.2.3 (revision 1a2b3c4d5e6f, modified, 2026-12-02T03:00:00Z)", or
// "dev" when nothing is.
func (b Build) String() string {
	var extra []string
	if b.Revision != "" {
		extra = append(extra, "revision "+short(b.Revision))
	}
	if b.Modified {
		extra = append(extra, "modified")
	}
	if b.Time != "" {
		extra = append(extra, b.Time)
	}
	if len(extra) == 0 {
		return b.Version
	}
	return b.Version + " (" + strings.Join(extra, ", ") + ")"
}

// Token is the version as one User-Agent product token: no spaces.
func (b Build) Token() string {
	v := b.Version
	if v == "dev" && b.Revision != "" {
		v = "dev+" + short(b.Revision)
	}
	return strings.Map(func(r rune) rune {
		if r <= ' ' || r == '/' || r == '(' || r == ')' {
			return '_'
		}
		return r
	}, v)
}

func short(rev string) string {
	if len(rev) > 12 {
		return rev[:12]
	}
	return rev
}

package requests

import (
	"runtime/debug"
	"testing"
)

func TestBuildFromBuildInfo(t *testing.T) {
	vcs := func(kv ...string) []debug.BuildSetting {
		var out []debug.BuildSetting
		for i := 0; i+1 < len(kv); i += 2 {
			out = append(out, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return out
	}
	rev := "58d226e1a2b3c4d5e6f708192a3b4c5d6e7f8091"
	cases := []struct {
		name, ldflags string
		info          *debug.BuildInfo
		want, token   string
	}{
		{"nothing known", "dev", nil, "dev", "dev"},
		{"go test: (devel), no VCS", "dev", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "dev", "dev"},
		{"go build in a checkout", "dev", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261202032315-58d226e1a2b3+dirty"},
			Settings: vcs("vcs.revision", rev, "vcs.time", "2026-12-02T03:23:15Z", "vcs.modified", "true")},
			"v0.0.0-20261202032315-58d226e1a2b3+dirty (revision 58d226e1a2b3, modified, 2026-12-02T03:23:15Z)", "v0.0.0-20261202032315-58d226e1a2b3+dirty"},
		{"revision but no module version", "dev", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("vcs.revision", rev, "vcs.modified", "false")},
			"dev (revision 58d226e1a2b3)", "dev+58d226e1a2b3"},
		{"go install module@v1.4.0", "dev", &debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}}, "v1.4.0", "v1.4.0"},
		{"-X wins over the module version", "v2.0.0", &debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}, Settings: vcs("vcs.revision", rev)},
			"v2.0.0 (revision 58d226e1a2b3)", "v2.0.0"},
		{"a -X with spaces is one token in the User-Agent", "v1 beta/2", nil, "v1 beta/2", "v1_beta_2"},
	}
	for _, c := range cases {
		b := buildFrom(c.ldflags, c.info)
		if b.String() != c.want || b.Token() != c.token {
			t.Errorf("%s: %q / %q, want %q / %q", c.name, b.String(), b.Token(), c.want, c.token)
		}
	}
}

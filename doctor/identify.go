package doctor

import (
	"net/url"
	"strings"

	"github.com/authscope/authscope/model"
)

// Place is the provider and environment a request went to, read from its
// host (and, on loopback, from the sandbox's path prefix).
type Place struct {
	Provider model.Provider
	Env      model.Environment
	Known    bool
	Host     string
	Detail   string // "acme.scalekit.dev", "sandbox on 127.0.0.1:8787"
}

// identify reads the provider and environment from a URL: Scaling
// production at api.scaling.cloud; Scalekit development at *.scalekit.dev,
// production at *.scalekit.com, a custom domain when the path is
// Scalekit's; Scale AI at api.scale.com (live or test by the key); the
// sandbox on loopback under /scaling, /scalekit or /scale.
func identify(raw, keyHint, providerHint string) Place {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return Place{}
	}
	host := strings.ToLower(u.Hostname())
	pl := Place{Host: u.Host}
	find := func(id, env string) {
		p, err := model.Lookup(id)
		if err != nil {
			return
		}
		if e, err := p.Env(env); err == nil {
			pl.Provider, pl.Env, pl.Known = p, e, true
		}
	}
	switch {
	case model.IsLoopback(host):
		for _, p := range model.Providers {
			if u.Path == p.SandboxPath || strings.HasPrefix(u.Path, p.SandboxPath+"/") {
				find(p.ID, "sandbox")
				pl.Detail = "sandbox on " + u.Host
				return pl
			}
		}
	case host == "api.scaling.cloud":
		find("scaling", "production")
	case strings.HasSuffix(host, ".scalekit.dev"):
		find("scalekit", "development")
	case strings.HasSuffix(host, ".scalekit.com"):
		find("scalekit", "production")
	case host == "api.scale.com":
		mode := "live"
		if strings.HasPrefix(keyHint, "test_") {
			mode = "test"
		}
		find("scale", mode)
	case strings.HasPrefix(u.Path, "/api/v1/") || strings.HasSuffix(u.Path, "/oauth/token"):
		find("scalekit", "custom")
	}
	if !pl.Known && providerHint != "" {
		if p, err := model.Lookup(providerHint); err == nil {
			pl.Provider, pl.Known = p, true
			pl.Env = model.Environment{ID: "custom", Label: "as given (--provider)"}
		}
	}
	pl.Detail = host
	return pl
}

// envName is "development" etc., or "" when unknown.
func (pl Place) envName() string {
	if !pl.Known {
		return ""
	}
	return pl.Env.ID
}

package model

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// ResolveBaseURL turns an environment and its parameter (a subdomain or a
// URL) into a base URL. Sandbox environments have no fixed URL: the caller
// asks the running sandbox and appends Provider.SandboxPath.
func ResolveBaseURL(env Environment, param string) (string, error) {
	param = strings.TrimSpace(param)
	switch {
	case env.Sandbox:
		return "", fmt.Errorf("the %s environment is served by the built-in sandbox; start it to get its URL", env.ID)
	case env.Param == ParamSubdomain:
		if param == "" {
			return "", fmt.Errorf("the %s environment needs your subdomain (the part before %s)", env.ID, strings.TrimPrefix(env.BaseURL, "https://{subdomain}"))
		}
		if !validLabel(param) {
			return "", fmt.Errorf("%q is not a valid subdomain: use letters, digits and hyphens", param)
		}
		return strings.Replace(env.BaseURL, "{subdomain}", strings.ToLower(param), 1), nil
	case env.Param == ParamURL:
		if param == "" {
			return "", fmt.Errorf("the %s environment needs a URL (--base-url https://auth.yourapp.com)", env.ID)
		}
		return CheckBaseURL(param)
	}
	return env.BaseURL, nil
}

// CheckBaseURL accepts an https URL, or plain http only on loopback, and
// returns it without a trailing slash. Credentials must never cross a
// network in clear text.
func CheckBaseURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", fmt.Errorf("%q is not a base URL: write it as https://host[/path]", RedactUserinfo(raw))
	}
	if u.User != nil {
		return "", fmt.Errorf("the base URL must not carry credentials; pass them as flags or environment variables")
	}
	if u.Scheme == "http" && !IsLoopback(u.Hostname()) {
		return "", fmt.Errorf("refusing plain http to %s: credentials would cross the network in clear text; use https (http is allowed on loopback only)", u.Host)
	}
	u.RawQuery, u.Fragment = "", ""
	return strings.TrimRight(u.String(), "/"), nil
}

// IsLoopback reports whether host (a name or an address) stays on this machine.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// MatchEnvironment picks the environment a full base URL belongs to (what
// SCALEKIT_ENVIRONMENT_URL holds) and the parameter that recreates it.
func MatchEnvironment(p Provider, raw string) (Environment, string, error) {
	base, err := CheckBaseURL(raw)
	if err != nil {
		return Environment{}, "", err
	}
	u, _ := url.Parse(base)
	for _, env := range p.Environments {
		if env.Param != ParamSubdomain {
			continue
		}
		suffix := strings.TrimPrefix(env.BaseURL, "https://{subdomain}")
		host := strings.ToLower(u.Host)
		if u.Scheme == "https" && u.Path == "" && strings.HasSuffix(host, suffix) {
			sub := strings.TrimSuffix(host, suffix)
			if validLabel(sub) {
				return env, sub, nil
			}
		}
	}
	for _, env := range p.Environments {
		if env.Param == ParamURL {
			return env, base, nil
		}
	}
	for _, env := range p.Environments {
		if env.BaseURL == base {
			return env, "", nil
		}
	}
	return Environment{}, "", fmt.Errorf("%s is not one of %s's environments", base, p.Name)
}

func validLabel(s string) bool {
	if s == "" || len(s) > 63 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

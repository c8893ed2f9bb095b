package model

import "strings"

// IsSecretHeader reports whether a header's value is a credential: the
// one set the redaction masks and the sender keeps at its origin on a
// redirect. Beyond the standard names it takes any name that says
// authorization, authentication, secret, token or key, because APIs and
// proxies invent their own (X-Authorization, Authentication,
// X-Auth-Token, X-Api-Key).
func IsSecretHeader(name string) bool {
	n := strings.ToLower(strings.TrimSpace(name))
	switch n {
	case "authorization", "proxy-authorization", "cookie", "cookie2", "set-cookie", "set-cookie2",
		"x-api-key", "api-key", "apikey", "x-auth-token", "scale-callback-auth", "x-amz-security-token",
		"authentication", "x-authentication", "x-auth", "auth":
		return true
	case "www-authenticate", "proxy-authenticate", "authentication-info", "proxy-authentication-info", "idempotency-key":
		return false // challenges and their parameters, a retry key: no credential
	}
	return strings.Contains(n, "authorization") || strings.Contains(n, "secret") || strings.Contains(n, "token") ||
		strings.Contains(n, "password") || strings.Contains(n, "signature") || strings.Contains(n, "credential") ||
		strings.HasSuffix(n, "-key") || strings.HasSuffix(n, "apikey") || strings.HasSuffix(n, "-auth")
}

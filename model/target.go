package model

// Target is a resolved place to send requests: a provider, one of its
// environments, the base URL it resolved to, and the credentials with
// where each came from (a flag, an environment variable, the demo set).
type Target struct {
	Provider Provider
	Env      Environment
	BaseURL  string            // no trailing slash; for the sandbox, sandbox URL + Provider.SandboxPath
	Creds    map[string]string // Field.ID → value, exactly as given (checks say what is off)
	Sources  map[string]string // Field.ID → "flag --key", "env SCALE_API_KEY", "demo"
}

// Secrets lists the secret credential values, for scrubbing output.
func (t Target) Secrets() []string {
	var out []string
	for _, f := range t.Provider.Fields {
		if v := t.Creds[f.ID]; f.Secret && v != "" {
			out = append(out, v)
		}
	}
	return out
}

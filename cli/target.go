package cli

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
)

// StartSandbox starts the in-process sandbox on a free loopback port and
// returns its base URL (no provider path) and a stop function. Set by the
// sandbox command's file, so that target resolution does not depend on
// how the sandbox is built.
var StartSandbox func(ctx context.Context) (baseURL string, stop func(), err error)

// targetFlags are the flags every command that talks to a provider shares.
type targetFlags struct {
	provider  string
	env       string
	baseURL   string
	subdomain string
	timeout   time.Duration
	json      bool
	reveal    bool
	creds     map[string]*string // Field.Flag → value
	// credsOptional lets a job that writes no credential (a --from-env
	// snippet) run with none set.
	credsOptional bool
}

const credFlagWarning = " (a flag is visible to other local users in the process list; prefer %s)"

// clientAuthFlag adds --client-auth, for commands that may run the OAuth2
// exchange.
func clientAuthFlag(fs *pflag.FlagSet, v *string) {
	fs.StringVar(v, "client-auth", "post", "OAuth2 client authentication: post (client_secret_post, as the SDKs send it) or basic")
	inGroup(fs, groupCredentials, "client-auth")
}

// forProviders picks the providers whose credential flags a command shows
// (token shows only the OAuth2 client's).
type forProviders func(model.Provider) bool

func anyProvider(model.Provider) bool { return true }

func oauth2Only(p model.Provider) bool { return p.Scheme == model.SchemeOAuth2 }

// register adds the shared flags. Credential flags come from the provider
// table, so a new provider's fields get flags without code here; each
// names the environment variables that can give it instead.
func (t *targetFlags) register(fs *pflag.FlagSet, which forProviders) {
	var ids []string
	for _, p := range model.Providers {
		if which(p) {
			ids = append(ids, p.ID)
		}
	}
	fs.StringVar(&t.provider, "provider", "", "provider: "+strings.Join(ids, ", "))
	fs.StringVar(&t.env, "env", "", "environment (default sandbox, or the one "+envURLVars()+" points at)")
	fs.StringVar(&t.baseURL, "base-url", "", "send to this base URL instead (https, or http on loopback)")
	fs.StringVar(&t.subdomain, "subdomain", "", "your subdomain, for environments built from one (Scalekit development/production)")
	t.timeout = 30 * time.Second
	fs.Var(seconds{&t.timeout}, "timeout", "give up after this long, in seconds (5, as curl's -m) or a duration (30s, 500ms): one deadline for the whole command (token, JWKS, request and body together); must be positive")
	fs.Lookup("timeout").DefValue = "30s"
	fs.BoolVar(&t.json, "json", false, "print one JSON object instead of text")
	fs.BoolVar(&t.reveal, "reveal", false, "print secrets unmasked (masked by default)")
	inGroup(fs, groupTarget, "provider", "env", "base-url", "subdomain", "timeout")
	inGroup(fs, groupOutput, "json", "reveal")

	t.creds = map[string]*string{}
	type credFlag struct {
		label, flag string
		secret      bool
		envVars     []string
	}
	var flags []*credFlag
	byName := map[string]*credFlag{}
	for _, p := range model.Providers {
		if !which(p) {
			continue
		}
		for _, f := range p.Fields {
			if f.Flag == "" {
				continue
			}
			c := byName[f.Flag]
			if c == nil {
				c = &credFlag{label: f.Label, flag: f.Flag, secret: f.Secret}
				byName[f.Flag] = c
				flags = append(flags, c)
			}
			c.envVars = append(c.envVars, "$"+f.EnvVar)
		}
	}
	for _, c := range flags {
		v := new(string)
		t.creds[c.flag] = v
		help := c.label + " (or " + strings.Join(c.envVars, " / ") + ")"
		if len(c.envVars) > 1 {
			help = c.label + " (or " + strings.Join(c.envVars, " / ") + ", by provider)"
		}
		if c.secret {
			help += fmt.Sprintf(credFlagWarning, "the variable")
		}
		fs.StringVar(v, c.flag, "", help)
		inGroup(fs, groupCredentials, c.flag)
	}
}

// credentialArgs gives the credential flags back as arguments, for
// knownSecrets to scrub from a message.
func (t *targetFlags) credentialArgs() []string {
	var args []string
	for name, v := range t.creds {
		if *v != "" {
			args = append(args, "--"+name, *v)
		}
	}
	return args
}

func envURLVars() string {
	var vars []string
	for _, p := range model.Providers {
		if p.EnvURLVar != "" {
			vars = append(vars, "$"+p.EnvURLVar)
		}
	}
	return strings.Join(vars, ", ")
}

// resolve turns the flags and the environment into a Target. It starts the
// in-process sandbox when the environment is sandbox; stop must be called.
func (t *targetFlags) resolve(ctx context.Context, io IO) (target model.Target, stop func(), err error) {
	return t.resolveFor(ctx, io, true)
}

// resolveFor is resolve, with needURL false for jobs that never touch the
// network (a Basic or Bearer header): no sandbox is started for them.
func (t *targetFlags) resolveFor(ctx context.Context, io IO, needURL bool) (target model.Target, stop func(), err error) {
	stop = func() {}
	if t.provider == "" {
		return target, stop, Usagef("--provider is required: one of %s", strings.Join(model.ProviderIDs(), ", "))
	}
	p, err := model.Lookup(t.provider)
	if err != nil {
		return target, stop, Usagef("%v", err)
	}
	target = model.Target{Provider: p, Creds: map[string]string{}, Sources: map[string]string{}}

	env, param, err := t.pickEnv(io, p)
	if err != nil {
		return target, stop, Usagef("%v", err)
	}
	target.Env = env

	switch {
	case t.baseURL != "":
		if target.BaseURL, err = model.CheckBaseURL(t.baseURL); err != nil {
			return target, stop, Usagef("--base-url: %v", err)
		}
	case env.Sandbox && !needURL:
		target.BaseURL = ""
	case env.Sandbox:
		if StartSandbox == nil {
			return target, stop, Usagef("the sandbox is not built into this binary")
		}
		base, stopSandbox, err := StartSandbox(ctx)
		if err != nil {
			return target, stop, fmt.Errorf("starting the sandbox: %w", err)
		}
		stop = stopSandbox
		target.BaseURL = base + p.SandboxPath
	default:
		if target.BaseURL, err = model.ResolveBaseURL(env, param); err != nil {
			return target, stop, Usagef("%v", err)
		}
	}

	for _, f := range p.Fields {
		switch v := t.creds[f.Flag]; {
		case v != nil && *v != "":
			target.Creds[f.ID], target.Sources[f.ID] = *v, "flag --"+f.Flag
		case f.EnvVar != "" && io.Getenv(f.EnvVar) != "":
			target.Creds[f.ID], target.Sources[f.ID] = io.Getenv(f.EnvVar), "env $"+f.EnvVar
		}
	}
	if len(p.Demos) > 0 && (env.Sandbox || t.externalSandbox(ctx, p, target)) {
		demo := pickDemo(p, env, target.Creds)
		for _, f := range p.Fields {
			if _, ok := target.Creds[f.ID]; !ok {
				target.Creds[f.ID], target.Sources[f.ID] = demo.Values[f.ID], "sandbox demo ("+demo.Label+")"
			}
		}
	}
	for _, f := range p.Fields {
		if _, ok := target.Creds[f.ID]; !ok && !t.credsOptional {
			return target, stop, Usagef("no %s: pass --%s or set $%s", f.Label, f.Flag, f.EnvVar)
		}
	}
	return target, stop, nil
}

// externalSandbox reports whether --base-url points at an authscope
// sandbox (it says so in a response header) while credentials are
// missing: it then gets the demo credentials, as the in-process sandbox
// does. A real API never gets them: it does not answer as a sandbox.
func (t *targetFlags) externalSandbox(ctx context.Context, p model.Provider, target model.Target) bool {
	if t.credsOptional { // a job that needs no credential need not ask
		return false
	}
	// --base-url, or an environment URL variable aimed at this machine
	// (SCALEKIT_ENVIRONMENT_URL=http://127.0.0.1:8787/scalekit): a real
	// API is never asked, it is not on loopback.
	if t.baseURL == "" && !loopbackURL(target.BaseURL) {
		return false
	}
	for _, f := range p.Fields {
		if _, ok := target.Creds[f.ID]; !ok {
			return requests.IsSandboxServer(ctx, target.BaseURL, t.timeout)
		}
	}
	return false
}

func loopbackURL(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && u.Host != "" && model.IsLoopback(u.Hostname())
}

// pickEnv applies the defaults: --env if given; else the environment a
// provider URL variable points at; else sandbox, which never costs money
// or touches a real account.
func (t *targetFlags) pickEnv(io IO, p model.Provider) (model.Environment, string, error) {
	if t.env != "" {
		env, err := p.Env(t.env)
		if err != nil {
			return env, "", err
		}
		param := t.subdomain
		if env.Param == model.ParamURL {
			param = t.baseURL
		}
		if param == "" && env.Param != model.ParamNone && p.EnvURLVar != "" && io.Getenv(p.EnvURLVar) != "" {
			if matched, mp, err := model.MatchEnvironment(p, io.Getenv(p.EnvURLVar)); err == nil && matched.ID == env.ID {
				param = mp
			}
		}
		if env.Param == model.ParamURL && t.baseURL == "" && param != "" {
			t.baseURL = param
		}
		return env, param, nil
	}
	if t.baseURL == "" && p.EnvURLVar != "" && io.Getenv(p.EnvURLVar) != "" {
		env, param, err := model.MatchEnvironment(p, io.Getenv(p.EnvURLVar))
		if err != nil {
			return env, "", fmt.Errorf("$%s: %v", p.EnvURLVar, err)
		}
		return env, param, nil
	}
	if t.baseURL != "" {
		for _, env := range p.Environments {
			if env.Param == model.ParamURL {
				return env, t.baseURL, nil
			}
		}
		return model.Environment{ID: "custom", Label: "--base-url"}, "", nil
	}
	return p.Environments[0], "", nil
}

// pickDemo chooses the demo set that fits what the user gave (a Scale
// test key gets the test demo), else the first.
func pickDemo(p model.Provider, env model.Environment, given map[string]string) model.Demo {
	for _, d := range p.Demos {
		for id, v := range given {
			if d.Values[id] == v {
				return d
			}
		}
	}
	return p.Demos[0]
}

package requests

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/authscope/authscope/authschemes"
	"github.com/authscope/authscope/internal/sandboxtest"
	"github.com/authscope/authscope/model"
)

// TestEverySampleGetsItsDocumentedStatus fires the whole catalogue, what-
// ifs included, at the real sandbox: each sample must get the status the
// catalogue documents, and the masked request must not show a secret.
func TestEverySampleGetsItsDocumentedStatus(t *testing.T) {
	url := sandboxtest.Start(t)
	for _, p := range model.Providers {
		target := sandboxtest.Target(t, p, url)
		for _, s := range p.Samples {
			t.Run(p.ID+"/"+s.Name, func(t *testing.T) {
				var waited time.Duration
				run, err := SendSample(context.Background(), target, s, SampleOptions{OnWait: func(d time.Duration) { waited = d }})
				if err != nil {
					t.Fatal(err)
				}
				if run.Status() != s.Expect {
					body := ""
					if r := answered(run); r != nil {
						body = string(r.Body)
					}
					t.Fatalf("status %d, want %d: %s", run.Status(), s.Expect, body)
				}
				if s.WhatIf == model.WhatIfExpiredToken && (waited <= 0 || run.Waited != waited) {
					t.Fatalf("the expired-token wait was not reported: OnWait %v, Waited %v", waited, run.Waited)
				}
				masked := run.Request.Raw().Masked()
				for _, secret := range run.Secrets() {
					if len(secret) >= 8 && strings.Contains(masked, secret) {
						t.Fatalf("the masked request shows a secret:\n%s", masked)
					}
				}
			})
		}
	}
}

func answered(run *SampleRun) *Result {
	if run.Result != nil {
		return run.Result
	}
	return run.ExchangeResult
}

func TestPrepareStagesEachWhatIf(t *testing.T) {
	scaling, _ := model.Lookup("scaling")
	scale, _ := model.Lookup("scale")
	key := "scl_live_0123456789abcdef0123456789abcdef"
	scalingT := model.Target{Provider: scaling, Env: scaling.Environments[0], BaseURL: "http://127.0.0.1:1/scaling", Creds: map[string]string{"key": key}}
	scaleT := model.Target{Provider: scale, Env: scale.Environments[0], BaseURL: "http://127.0.0.1:1/scale", Creds: map[string]string{"key": "live_ScaleRocks"}}

	auth := func(tg model.Target, name string) string {
		t.Helper()
		s, err := tg.Provider.Sample(name)
		if err != nil {
			t.Fatal(err)
		}
		req, err := Prepare(tg, s, "")
		if err != nil {
			t.Fatal(err)
		}
		v, _ := req.Header("Authorization")
		if strings.Contains(v.Masked(), key) || strings.Contains(v.Masked(), "ScaleRocks") {
			t.Fatalf("%s: the masked header shows the key: %q", name, v.Masked())
		}
		return v.Reveal()
	}
	if got := auth(scalingT, "incidents"); got != "Bearer "+key {
		t.Errorf("incidents: %q", got)
	}
	if got := auth(scalingT, "no-header"); got != "" {
		t.Errorf("no-header sends %q", got)
	}
	if got := auth(scalingT, "wrong-scheme"); got != key {
		t.Errorf("Scaling wrong-scheme: %q, want the key without Bearer", got)
	}
	if got := auth(scaleT, "wrong-scheme"); got != "Bearer live_ScaleRocks" {
		t.Errorf("Scale wrong-scheme: %q, want Bearer instead of Basic", got)
	}
	if got := auth(scalingT, "wrong-key"); got == "Bearer "+key || !strings.HasPrefix(got, "Bearer scl_live_") || len(got) != len("Bearer "+key) {
		t.Errorf("wrong-key: %q", got)
	}
	if got := auth(scaleT, "test-key-live"); !strings.HasPrefix(got, "Basic ") || got == auth(scaleT, "projects") {
		t.Errorf("test-key-live should send the demo test key: %q", got)
	}
	rl, _ := scaling.Sample("rate-limit")
	req, err := Prepare(scalingT, rl, "")
	if v, _ := req.Header(WhatIfHeader); err != nil || v.Reveal() != "rate-limit" {
		t.Errorf("rate-limit: header %q, %v", v.Reveal(), err)
	}
	prod := scalingT
	prod.Env, prod.BaseURL = scaling.Environments[1], "https://api.scaling.cloud"
	if _, err := Prepare(prod, rl, ""); err == nil || !strings.Contains(err.Error(), "sandbox") {
		t.Errorf("rate-limit against production: %v", err)
	}
	scaleLive := scaleT
	scaleLive.Env, scaleLive.BaseURL = scale.Environments[1], "https://api.scale.com"
	tkl, _ := scale.Sample("test-key-live")
	if _, err := Prepare(scaleLive, tkl, ""); err == nil || !strings.Contains(err.Error(), "test key") {
		t.Errorf("test-key-live with a live key against the real host: %v", err)
	}
}

func TestTokenIsCachedInMemoryUntilNearExpiry(t *testing.T) {
	url := sandboxtest.Start(t)
	scalekit, _ := model.Lookup("scalekit")
	target := sandboxtest.Target(t, scalekit, url)
	ForgetToken(target, authschemes.ClientSecretPost)
	first, x, _, err := Token(context.Background(), target, authschemes.ClientSecretPost, Options{})
	if err != nil || x == nil || x.Verification == nil || !x.Verification.Valid {
		t.Fatalf("first exchange: x=%+v err=%v", x, err)
	}
	again, x2, _, err := Token(context.Background(), target, authschemes.ClientSecretPost, Options{})
	if err != nil || x2 != nil || again != first {
		t.Fatalf("the second call should reuse the token: exchange %v, same %v, err %v", x2 != nil, again == first, err)
	}
	other := target
	other.Creds = map[string]string{"client_id": "skc_sandbox_client", "client_secret": "not_the_secret"}
	if _, _, _, err := Token(context.Background(), other, authschemes.ClientSecretPost, Options{}); err == nil {
		t.Fatal("another secret reused the cached token instead of being refused")
	}
	ForgetToken(target, authschemes.ClientSecretPost)
	if _, x3, _, _ := Token(context.Background(), target, authschemes.ClientSecretPost, Options{}); x3 == nil {
		t.Fatal("ForgetToken did not force a new exchange")
	}
	if m := reuseMargin(24 * time.Hour); m != time.Minute {
		t.Errorf("a day-long token is reused until a minute before expiry, got %v", m)
	}
	if m := reuseMargin(10 * time.Second); m != time.Second {
		t.Errorf("a ten-second token is reused until a second before expiry, got %v", m)
	}
}

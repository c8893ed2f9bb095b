package requests

import (
	"strings"
	"testing"

	"github.com/authscope/authscope/model"
)

// A header that carries a secret is masked wherever it came from: -H,
// the editor's own text (a whole request), or an Authorization typed
// over the built one.
func TestEditMarksEverySecretHeader(t *testing.T) {
	prepared := model.HTTPRequest{Method: "GET", URL: "http://127.0.0.1:9/v1/x",
		Headers: []model.Header{{Name: "Authorization", Value: model.SecretText("Bearer built-key-0123456789")}}}
	typed := model.HTTPRequest{Method: "GET", URL: "http://127.0.0.1:9/v1/x", Headers: []model.Header{
		{Name: "Authorization", Value: model.Plain("Bearer typed-in-editor-999999")},
		{Name: "X-Auth-Token", Value: model.Plain("tok-secret-abcdef")},
	}}
	for name, e := range map[string]Edit{
		"flags": {Headers: []model.Header{
			{Name: "X-Auth-Token", Value: model.Plain("tok-secret-abcdef")},
			{Name: "X-Client-Secret", Value: model.Plain("cs-secret-abcdef")},
			{Name: "Authorization", Value: model.Plain("Bearer typed-in-editor-999999")},
		}},
		"editor text": {Request: &typed},
	} {
		out := CurlOf(e.Apply(prepared)).Masked()
		for _, secret := range []string{"tok-secret-abcdef", "cs-secret-abcdef", "typed-in-editor-999999"} {
			if strings.Contains(out, secret) {
				t.Errorf("%s: %q shows in the masked curl:\n%s", name, secret, out)
			}
		}
	}
}

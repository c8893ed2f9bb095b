package snippets

import (
	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
)

// headerSnippet is the Authorization line. Inline it is exactly the header
// requests.Prepare builds (for OAuth2 from the given token); from the environment
// it is one double-quoted shell word that computes the value, ready for
// curl -H.
func headerSnippet(spec snippetSpec, t model.Target, s model.Sample, token string) (model.Text, error) {
	if !spec.inline {
		return headerFromEnv(spec), nil
	}
	req, err := requests.Prepare(t, s, token)
	if err != nil {
		return nil, err
	}
	value, ok := req.Header("Authorization")
	if !ok {
		return model.Plain("(no Authorization header: the " + s.Name + " sample sends none)\n"), nil
	}
	return model.Concat(model.Plain("Authorization: "), value, model.Plain("\n")), nil
}

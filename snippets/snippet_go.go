package snippets

import (
	"sort"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
)

// goSnippet is a complete `package main` using only the standard library.
func goSnippet(s snippetSpec) model.Text {
	l := goLang
	var b textBuilder
	b.add("%s", s.headerComment("//"))
	b.add("// Run it with: go run main.go\npackage main\n\nimport (\n")
	imports := []string{"fmt", "io", "net/http", "os", "time"}
	if s.body != "" || s.readsEnv() {
		imports = append(imports, "strings")
	}
	if s.oauth {
		imports = append(imports, "encoding/json", "net/url")
		if s.basicClient() && s.body == "" && !s.readsEnv() {
			imports = append(imports, "strings")
		}
	}
	sort.Strings(imports)
	for _, imp := range imports {
		b.add("\t%q\n", imp)
	}
	b.add(")\n\nfunc main() {\n")
	declareVars(&b, s, l, "\t%s := ", "")
	b.add("\tclient := &http.Client{Timeout: 30 * time.Second}\n\n")
	if s.oauth {
		b.add("\t// 1. Exchange the client credentials for an access token (%s).\n", clientAuthName(s))
		b.add(`	form := url.Values{"grant_type": {"client_credentials"}`)
		if !s.basicClient() {
			for _, f := range s.fields {
				b.add(", %q: {%s}", f.ID, l.name(s.creds[f.ID].name))
			}
		}
		b.add("}\n")
		if s.basicClient() {
			b.add(`	tokenReq, err := http.NewRequest("POST", baseURL+%s, strings.NewReader(form.Encode()))
	check(err)
	tokenReq.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	// RFC 6749 §2.3.1: each part is form-encoded before Basic encoding.
	tokenReq.SetBasicAuth(url.QueryEscape(clientID), url.QueryEscape(clientSecret))
	tokenResp, err := client.Do(tokenReq)
	check(err)
`, goQuote(s.provider.TokenPath))
		} else {
			b.add("\ttokenResp, err := client.PostForm(baseURL+%s, form)\n\tcheck(err)\n", goQuote(s.provider.TokenPath))
		}
		b.add(`	var tok struct {
		AccessToken string ` + "`json:\"access_token\"`" + `
	}
	err = json.NewDecoder(tokenResp.Body).Decode(&tok)
	tokenResp.Body.Close()
	if err != nil || tokenResp.StatusCode != http.StatusOK || tok.AccessToken == "" {
		check(fmt.Errorf("token request failed: %%s", tokenResp.Status))
	}
	token := tok.AccessToken

	// 2. Call the API with it.
`)
	}
	body := "nil"
	if s.body != "" {
		body = "strings.NewReader(" + goQuote(s.body) + ")"
	}
	b.add("\treq, err := http.NewRequest(%s, %s, %s)\n\tcheck(err)\n", goQuote(s.method), s.urlExpr(l), body)
	switch s.mode {
	case requests.AuthBasic:
		b.add("\treq.SetBasicAuth(%s, \"\") // the key is the user name; the password is empty\n", s.credName(l))
	case requests.AuthBearer, requests.AuthBare:
		b.add("\treq.Header.Set(\"Authorization\", %s)\n", s.authExpr(l, ""))
	}
	for _, h := range s.headers {
		b.add("\treq.Header.Set(%s, %s)\n", goQuote(h.Name), goQuote(h.Value.Reveal()))
	}
	b.add(`	resp, err := client.Do(req)
	check(err)
	defer resp.Body.Close()
	fmt.Println(resp.Status)
	_, err = io.Copy(os.Stdout, resp.Body)
	check(err)
	fmt.Println()
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
`)
	if s.readsEnv() {
		b.add(`
func mustEnv(name string) string {
	v := strings.TrimSpace(os.Getenv(name)) // trimmed, as authscope sends it
	if v == "" {
		fmt.Fprintf(os.Stderr, "set %%s first\n", name)
		os.Exit(2)
	}
	return v
}
`)
	}
	return b.text
}

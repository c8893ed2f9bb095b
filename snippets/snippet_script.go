package snippets

import (
	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/requests"
)

// pythonSnippet uses requests (Debian: python3-requests).
func pythonSnippet(s snippetSpec) model.Text {
	l := pythonLang
	var b textBuilder
	b.add("%s", s.headerComment("#"))
	if s.readsEnv() {
		b.add("import os\n")
	}
	if s.oauth && s.basicClient() {
		b.add("from urllib.parse import quote_plus\n")
	}
	if s.readsEnv() || (s.oauth && s.basicClient()) {
		b.add("\n")
	}
	b.add("import requests\n\n")
	declareVars(&b, s, l, "%s = ", "")
	if s.oauth {
		b.add("\n# 1. Exchange the client credentials for an access token (%s).\n", clientAuthName(s))
		b.add("token_resp = requests.post(\n    base_url + %s,\n    data={\"grant_type\": \"client_credentials\"", jsonQuote(s.provider.TokenPath))
		if s.basicClient() {
			b.add("},\n    # RFC 6749 §2.3.1: each part is form-encoded before Basic encoding.\n    auth=(quote_plus(client_id), quote_plus(client_secret))")
		} else {
			for _, f := range s.fields {
				b.add(", %s: %s", jsonQuote(f.ID), l.name(s.creds[f.ID].name))
			}
			b.add("}")
		}
		b.add(",\n    timeout=30,\n)\ntoken_resp.raise_for_status()\ntoken = token_resp.json()[\"access_token\"]\n\n# 2. Call the API with it.")
	}
	b.add("\nresp = requests.request(\n    %s,\n    %s,\n", jsonQuote(s.method), s.urlExpr(l))
	var headers []string
	if s.mode == requests.AuthBearer || s.mode == requests.AuthBare {
		headers = append(headers, `"Authorization": `+s.authExpr(l, ""))
	}
	for _, h := range s.headers {
		headers = append(headers, jsonQuote(h.Name)+": "+jsonQuote(h.Value.Reveal()))
	}
	if len(headers) > 0 {
		b.add("    headers={")
		for i, h := range headers {
			if i > 0 {
				b.add(", ")
			}
			b.add("%s", h)
		}
		b.add("},\n")
	}
	if s.mode == requests.AuthBasic {
		b.add("    auth=(%s, \"\"),  # the key is the user name; the password is empty\n", s.credName(l))
	}
	if s.body != "" {
		b.add("    data=%s.encode(),  # UTF-8; requests would send a str as Latin-1\n", jsonQuote(s.body))
	}
	b.add("    timeout=30,\n)\nprint(resp.status_code)\nprint(resp.text)\n")
	return b.text
}

// nodeSnippet uses Node 20's global fetch; no packages.
func nodeSnippet(s snippetSpec) model.Text {
	l := nodeLang
	var b textBuilder
	b.add("%s", s.headerComment("//"))
	b.add("// Node 20 or later (global fetch). Run it with: node snippet.js\n")
	if s.readsEnv() {
		b.add(`function requireEnv(name) {
  const v = (process.env[name] || "").trim(); // trimmed, as authscope sends it
  if (!v) {
    console.error("set " + name + " first");
    process.exit(2);
  }
  return v;
}

`)
	}
	declareVars(&b, s, l, "const %s = ", ";")
	b.add("\nasync function main() {\n")
	if s.oauth {
		b.add("  // 1. Exchange the client credentials for an access token (%s).\n", clientAuthName(s))
		b.add("  const tokenRes = await fetch(baseURL + %s, {\n    method: \"POST\",\n", jsonQuote(s.provider.TokenPath))
		if s.basicClient() {
			// RFC 6749 §2.3.1 form-encodes each part; encodeURIComponent
			// differs from it only in characters the server decodes alike.
			b.add("    // RFC 6749 §2.3.1: each part is form-encoded before Basic encoding.\n")
			b.add("    headers: { Authorization: \"Basic \" + Buffer.from(encodeURIComponent(clientId) + \":\" + encodeURIComponent(clientSecret)).toString(\"base64\") },\n")
		}
		b.add("    body: new URLSearchParams({ grant_type: \"client_credentials\"")
		if !s.basicClient() {
			for _, f := range s.fields {
				b.add(", %s: %s", f.ID, l.name(s.creds[f.ID].name))
			}
		}
		b.add(` }),
  });
  if (!tokenRes.ok) throw new Error("token request failed: " + tokenRes.status);
  const token = (await tokenRes.json()).access_token;

  // 2. Call the API with it.
`)
	}
	b.add("  const res = await fetch(%s, {\n    method: %s,\n    headers: {", s.urlExpr(l), jsonQuote(s.method))
	var headers []string
	if s.mode != requests.AuthNone {
		basic := `"Basic " + Buffer.from(` + s.credName(l) + ` + ":").toString("base64")`
		headers = append(headers, `"Authorization": `+s.authExpr(l, basic))
	}
	for _, h := range s.headers {
		headers = append(headers, jsonQuote(h.Name)+": "+jsonQuote(h.Value.Reveal()))
	}
	for i, h := range headers {
		if i > 0 {
			b.add(",")
		}
		b.add(" %s", h)
	}
	b.add(" },\n")
	if s.body != "" {
		b.add("    body: %s,\n", jsonQuote(s.body))
	}
	b.add(`  });
  console.log(res.status);
  console.log(await res.text());
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
`)
	return b.text
}

package authschemes

import (
	"encoding/base64"
	"errors"
	"strings"

	"github.com/authscope/authscope/model"
)

// BasicSteps builds an HTTP Basic header (RFC 7617) from a user-id and a
// password. Scale AI uses the API key as the user-id and an empty password,
// so its steps read key → "key:" → base64 → header.
func BasicSteps(userID, password string) ([]model.Step, model.Header, error) {
	if userID == "" {
		return nil, model.Header{}, errors.New("the Basic user-id is empty")
	}
	if strings.Contains(userID, ":") {
		return nil, model.Header{}, errors.New("the Basic user-id contains ':' — RFC 7617 §2 forbids it, because the server splits user-id and password at the first colon")
	}
	if i := strings.IndexFunc(userID+password, isControl); i >= 0 {
		return nil, model.Header{}, errors.New("the Basic credentials contain a control character, which RFC 7617 forbids and no server accepts")
	}

	pair := userID + ":" + password
	// The colon is not secret: marking only the parts lets a masked view
	// still show "live_••••••••:" becoming its Base64.
	pairText := model.Concat(model.SecretText(userID), model.Plain(":"))
	if password != "" {
		pairText = model.Concat(pairText, model.SecretText(password))
	}
	encoded := base64.StdEncoding.EncodeToString([]byte(pair))
	header := model.Header{Name: "Authorization", Value: model.Concat(model.Plain("Basic "), model.SecretText(encoded))}

	joinWhy := "HTTP Basic joins user-id and password with one colon (RFC 7617 §2)."
	if password == "" {
		joinWhy = "HTTP Basic joins user-id and password with one colon (RFC 7617 §2); the password is empty, so the key is followed by a lone ':'."
	}
	steps := []model.Step{
		{Title: "Join user-id and password", Input: model.SecretText(userID), Output: pairText, Explain: joinWhy},
		{Title: "Base64-encode", Input: pairText, Output: model.SecretText(encoded),
			Explain: "The pair is Base64-encoded (standard alphabet, padded); this is an encoding, not encryption — anyone who sees it can decode the key."},
		{Title: "Authorization header", Input: model.SecretText(encoded), Output: authorization(header),
			Explain: "The scheme name \"Basic\", one space, then the encoded pair."},
	}
	return steps, header, nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

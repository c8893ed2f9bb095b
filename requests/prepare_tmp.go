package requests

// Placeholders until authschemes lands (then prepare.go and exchange.go
// replace this file).

import (
	"context"
	"errors"

	"github.com/authscope/authscope/model"
)

var errAuthschemesPending = errors.New("the header builder (authschemes) has not landed yet")

// Prepare is a placeholder until authschemes lands.
func Prepare(t model.Target, s model.Sample, token string) (model.HTTPRequest, error) {
	return model.HTTPRequest{}, errAuthschemesPending
}

// FetchToken is a placeholder until authschemes lands.
func FetchToken(ctx context.Context, t model.Target, auth string, opts Options) (string, error) {
	return "", errAuthschemesPending
}

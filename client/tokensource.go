package client

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"golang.org/x/oauth2"
)

// expiryMargin is how long before its expiry an access token is refreshed,
// so that it does not expire on its way to the server.
const expiryMargin = 30 * time.Second

// TokenSource returns an oauth2.TokenSource that hands out t's access token
// while it is valid and then refreshes through GetTokensFromRefreshToken,
// keeping the new refresh token when the app client rotates them. ctx is
// the context of the refresh calls. The ID token is in each token's Extra
// as "id_token". It is safe for concurrent use; refreshes happen one at a
// time, since with rotation two refreshes of one token would leave one of
// them with a refresh token already replaced.
func (c *AppClient) TokenSource(ctx context.Context, t *Tokens) oauth2.TokenSource {
	cur := *t
	return &refresher{ctx: ctx, c: c, cur: &cur}
}

type refresher struct {
	ctx context.Context
	c   *AppClient

	mu  sync.Mutex
	cur *Tokens
}

// Token returns a valid token, refreshing first if needed.
func (r *refresher) Token() (*oauth2.Token, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cur.AccessToken == "" || !r.c.now().Add(expiryMargin).Before(r.cur.Expiry) {
		out, err := r.c.API.GetTokensFromRefreshToken(r.ctx, &cip.GetTokensFromRefreshTokenInput{
			ClientId:     aws.String(r.c.ClientID),
			RefreshToken: aws.String(r.cur.RefreshToken),
			ClientSecret: optional(r.c.ClientSecret),
		})
		if err != nil {
			return nil, err
		}
		if out.AuthenticationResult == nil {
			return nil, errors.New("client: GetTokensFromRefreshToken returned no tokens")
		}
		r.cur = r.c.tokens(out.AuthenticationResult, r.cur.RefreshToken)
	}
	return r.cur.oauth2(), nil
}

// oauth2 is t in x/oauth2's form.
func (t *Tokens) oauth2() *oauth2.Token {
	tok := &oauth2.Token{
		AccessToken:  t.AccessToken,
		TokenType:    "Bearer",
		RefreshToken: t.RefreshToken,
		Expiry:       t.Expiry,
	}
	return tok.WithExtra(map[string]any{"id_token": t.IDToken})
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/userpool"
)

// SecretHash is Base64(HMAC-SHA256(client secret, username + client id)),
// what clients of an app client with a secret send as SECRET_HASH.
func SecretHash(secret, username, clientID string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(username + clientID))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// checkSecretHash verifies SECRET_HASH for a client with a secret against
// any of the usernames given: the one the user typed at sign-in, and the
// internal username, which challenge responses and refreshes use (in
// e-mail-as-username pools it is a UUID). A client without a secret must
// not be sent one.
func checkSecretHash(client *userpool.AppClient, given string, usernames ...string) error {
	id := client.Config.ClientID
	if client.Secret == "" {
		if given != "" {
			return cognito.InvalidParameter("App client " + id + " is not configured for secret but secret hash was received")
		}
		return nil
	}
	if given == "" {
		return cognito.NotAuthorized("Client " + id + " is configured with secret but SECRET_HASH was not received")
	}
	for _, u := range usernames {
		if u == "" {
			continue
		}
		want := SecretHash(client.Secret, u, id)
		if subtle.ConstantTimeCompare([]byte(want), []byte(given)) == 1 {
			return nil
		}
	}
	return cognito.NotAuthorized("Unable to verify secret hash for client " + id)
}

// checkClientSecret compares a raw client secret (GetTokensFromRefreshToken,
// RevokeToken) in constant time.
func checkClientSecret(client *userpool.AppClient, given string) bool {
	if client.Secret == "" {
		return given == ""
	}
	return subtle.ConstantTimeCompare([]byte(client.Secret), []byte(given)) == 1
}

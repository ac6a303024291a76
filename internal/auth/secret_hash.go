package auth

import (
	"github.com/userpool/userpool/internal/userpool"
)

// SecretHash is Base64(HMAC-SHA256(client secret, username + client id)),
// what clients of an app client with a secret send as SECRET_HASH.
func SecretHash(secret, username, clientID string) string {
	return userpool.SecretHash(secret, username, clientID)
}

// checkSecretHash verifies SECRET_HASH for a client with a secret against
// any of the usernames given: the one the user typed at sign-in, and the
// internal username, which challenge responses and refreshes use. The
// rules and messages live in userpool.CheckSecretHash, which the public
// user actions (SignUp, ForgotPassword, ...) share, so sign-in and those
// actions cannot answer differently.
func checkSecretHash(client *userpool.AppClient, given string, usernames ...string) error {
	return userpool.CheckSecretHash(client, given, usernames...)
}

// checkClientSecret compares a raw client secret (GetTokensFromRefreshToken,
// RevokeToken) in constant time; either of a rotating client's secrets is
// accepted.
func checkClientSecret(client *userpool.AppClient, given string) bool {
	if client.Secret == "" {
		return given == ""
	}
	return client.MatchesSecret(given)
}

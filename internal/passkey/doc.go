// Package passkey verifies WebAuthn ceremonies for a pool's relying party,
// wrapping github.com/go-webauthn/webauthn: the options a browser is
// given to create or use a passkey, and the checks of what it sends back
// (challenge, origin, relying party, signature, sign counter, user
// verification). It keeps nothing: callers store the challenges and the
// credentials.
package passkey

// Package tokens mints and checks Cognito's tokens: RS256 ID and access
// tokens with Cognito's claims, in Cognito's types and order, signed with
// per-pool keys; and opaque refresh tokens of which the store keeps only a
// hash. Nothing here reads the wall clock: times come in with each call, so
// every expiry is tested without waiting.
package tokens

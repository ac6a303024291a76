// Package auth is the authentication engine: the sign-in flows and their
// challenges, challenge sessions, lockout, refresh, rotation, revocation,
// and the check of access tokens that the token-authorized actions share.
// The JSON API and the hosted OAuth endpoints both call it, so the two
// doors cannot drift apart.
package auth

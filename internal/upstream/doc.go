// Package upstream signs users in at upstream OpenID Connect and OAuth 2.0
// identity providers for the hosted pages: the pool's OIDC providers and
// the social ones (Google, Facebook, Login with Amazon, Sign in with
// Apple). It builds the authorization request to the upstream and, once
// the upstream answers, redeems the code, verifies the ID token (signature
// by the upstream's JWKS, issuer, audience, expiry, nonce) and reads the
// user's claims, which it returns as a federation.Identity. What becomes
// of that identity in the pool is internal/auth's concern.
package upstream

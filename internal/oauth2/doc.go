// Package oauth2 serves the OAuth 2.0 and OpenID Connect side of a user
// pool: per-pool discovery and JWKS at the paths Cognito uses, and the
// hosted endpoints. It shares the authentication engine and the token
// issuer with the JSON API, so the two doors behave the same.
package oauth2

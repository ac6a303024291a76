// Package client helps Go programs use Userpool through the AWS SDK for Go
// v2: it points the Cognito client at a Userpool server and works around
// what the SDK gets wrong against a fast local server. It is the one
// package outside internal/, because users import it.
//
// It also holds what a program needs around a user pool, against Userpool
// and against Cognito alike: AppClient signs users in with SRP and answers
// the challenges that follow, its TokenSource keeps an access token fresh
// through GetTokensFromRefreshToken, and Verifier checks access or ID
// tokens against the pool's keys, as a function or as an http.Handler
// middleware.
package client

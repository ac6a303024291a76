// Package client helps Go programs use Userpool through the AWS SDK for Go
// v2: it points the Cognito client at a Userpool server and works around
// what the SDK gets wrong against a fast local server. It is the one
// package outside internal/, because users import it.
package client

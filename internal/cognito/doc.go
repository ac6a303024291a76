// Package cognito holds the wire types of the Cognito Identity Provider JSON
// API and its exception catalogue.
//
// The structures, enum values, operation list and member constraints are
// generated from the AWS service model (see gen/), so they cannot drift from
// what the SDKs send; the rest (errors, timestamps, validation messages) is
// written by hand. It is a leaf package: the transport, the logic and the
// store all speak it, and it imports only the standard library.
package cognito

//go:generate go run ./gen -out zz_generated.go

// Package api is the Cognito Identity Provider JSON 1.1 transport: POST /
// with X-Amz-Target names the action; the dispatcher finds it in one table
// that also says how it authenticates, decodes and validates the input
// against the service model, calls the action, and writes the result or
// the error in the one shape the AWS SDKs decode.
//
// Each action is a method in a file of its own, named after it
// (create_user_pool.go holds CreateUserPool); the actions_*.go files list
// them by area. Actions hold no rules of their own beyond translating the
// wire input: the rules live in the userpool package.
package api

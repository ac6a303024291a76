// Package limits bounds the load one server node takes: how many
// connections it holds open, how large a request's headers may be, and,
// when the operator asks for them, request-rate quotas per Cognito API
// category (UserAuthentication, UserCreation, ...), answered with
// TooManyRequestsException, which the AWS SDKs retry with backoff.
//
// Quotas are off unless configured: AWS's quotas are an account's share
// of a multi-tenant service, and a self-hosted server that copied them
// would cap itself for no one's benefit. They are never on under --dev.
// Each node counts its own requests; with several nodes behind a load
// balancer the cluster's rate is the sum of theirs.
package limits

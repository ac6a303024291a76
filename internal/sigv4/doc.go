// Package sigv4 verifies AWS Signature Version 4 on incoming requests.
//
// In Amazon Cognito the admin actions (AdminCreateUser, ListUsers,
// CreateUserPool, ...) are not authenticated with pool tokens but with IAM:
// the caller signs the HTTP request with an access key and AWS checks the
// signature. Userpool has no IAM, so it plays the part of AWS itself: an
// operator configures access key ids and secrets, and every admin request must
// carry a signature made with one of them. That keeps the AWS SDKs, the AWS
// CLI and boto3 working unchanged against Userpool, with their usual
// credential chain, and it means a leaked or absent key is refused the way AWS
// would refuse it, with the same JSON error types the SDKs already understand.
//
// Only the Authorization-header form of SigV4 is accepted. Presigned URLs are
// refused because nothing that talks to the cognito-idp JSON API uses them and
// every extra way in is one more thing to get wrong. Session tokens
// (X-Amz-Security-Token) are tolerated but not validated: temporary
// credentials are, to us, just another access key id that has to be
// configured, so an unknown one is refused regardless of its token.
//
// The signature covers the Host header, so a reverse proxy in front of
// Userpool must pass the client's Host through unchanged.
package sigv4

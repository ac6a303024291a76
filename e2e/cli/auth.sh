#!/usr/bin/env bash
# Admin actions need a valid SigV4 signature: what the AWS CLI reports when
# it signs with the wrong secret, with an unknown key, or not at all.
set -euo pipefail
source "$(dirname "$0")/lib.bash"

step "a correctly signed call is accepted"
check "$(idp list-user-pools --max-results 10)" 'isinstance(j["UserPools"], list)'

step "a wrong secret is refused"
expect_error InvalidSignatureException "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details." \
	env AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY}x" \
	"$AWS_CLI" cognito-idp list-user-pools --max-results 10 --endpoint-url "$USERPOOL_ENDPOINT" --region us-east-1 --output json

step "an unknown access key is refused"
expect_error UnrecognizedClientException "The security token included in the request is invalid." \
	env AWS_ACCESS_KEY_ID=AKIAE2EUNKNOWNKEY000 \
	"$AWS_CLI" cognito-idp list-user-pools --max-results 10 --endpoint-url "$USERPOOL_ENDPOINT" --region us-east-1 --output json

step "an unsigned call is refused"
expect_error MissingAuthenticationTokenException "Missing Authentication Token" \
	idp list-user-pools --max-results 10 --no-sign-request

echo "auth.sh: all steps passed"

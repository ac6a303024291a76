#!/usr/bin/env bash
# The token lifecycle through the AWS CLI: sign-in with initiate-auth and
# admin-initiate-auth, refresh, get-user, get-tokens-from-refresh-token with
# rotation, and global-sign-out with the errors that follow it. Every AWS
# CLI call costs most of a second of CPU, so the script makes few of them;
# the JS and boto3 scenarios cover the same ground in more detail.
set -euo pipefail
source "$(dirname "$0")/lib.bash"

out=$(create_pool "e2e-cli-$(suffix)")
pool_id=$(jget "$out" 'j["UserPool"]["Id"]')
out=$(idp create-user-pool-client --user-pool-id "$pool_id" --client-name "e2e-cli-$(suffix)" \
	--explicit-auth-flows ALLOW_USER_PASSWORD_AUTH ALLOW_ADMIN_USER_PASSWORD_AUTH ALLOW_REFRESH_TOKEN_AUTH)
client_id=$(jget "$out" 'j["UserPoolClient"]["ClientId"]')
out=$(idp create-user-pool-client --user-pool-id "$pool_id" --client-name "e2e-cli-$(suffix)" \
	--explicit-auth-flows ALLOW_USER_PASSWORD_AUTH \
	--refresh-token-rotation Feature=ENABLED,RetryGracePeriodSeconds=0)
rotating_id=$(jget "$out" 'j["UserPoolClient"]["ClientId"]')
user="user-$(suffix)"
password=$(new_password)
idp admin-create-user --user-pool-id "$pool_id" --username "$user" --message-action SUPPRESS >/dev/null
idp admin-set-user-password --user-pool-id "$pool_id" --username "$user" --password "$password" --permanent >/dev/null

# auth_params prints the JSON AuthParameters of a password sign-in, and
# refresh_params those of a refresh: JSON, since the shorthand syntax would
# split a value at a comma. The values are ours (names, passwords, tokens)
# and hold no quote or backslash, so printf makes valid JSON.
auth_params() {
	printf '{"USERNAME":"%s","PASSWORD":"%s"}' "$1" "$2"
}
refresh_params() {
	printf '{"REFRESH_TOKEN":"%s"}' "$1"
}

# claims JWT prints a token's payload (unverified: the JS and Go scenarios
# verify signatures).
claims() {
	jget '{}' 'json.dumps(json.loads(__import__("base64").urlsafe_b64decode(a[0].split(".")[1] + "===")))' "$1"
}

# tokens JSON prints an AuthenticationResult's tokens, one a line (ID,
# access, refresh or "None"), and records the bearer ones as secrets.
tokens() {
	local r
	r=$(jget "$1" '"\n".join(str(j["AuthenticationResult"].get(k)) for k in ("IdToken", "AccessToken", "RefreshToken"))')
	{
		sed -n 2p <<<"$r"
		sed -n 3p <<<"$r" | grep -vx None || true
	} >>"$E2E_SECRETS_FILE"
	printf '%s\n' "$r"
}

step "initiate-auth USER_PASSWORD_AUTH"
out=$(idp initiate-auth --auth-flow USER_PASSWORD_AUTH --client-id "$client_id" --auth-parameters "$(auth_params "$user" "$password")")
check "$out" '"ChallengeName" not in j and j["AuthenticationResult"]["TokenType"] == "Bearer" and j["AuthenticationResult"]["ExpiresIn"] == 3600'
{ read -r id_token; read -r access; read -r refresh; } < <(tokens "$out")
check "$(claims "$id_token")" 'j["token_use"] == "id" and j["cognito:username"] == a[0] and j["aud"] == a[1]' "$user" "$client_id"

step "get-user with the access token"
check "$(idp get-user --access-token "$access")" 'j["Username"] == a[0]' "$user"

step "initiate-auth REFRESH_TOKEN_AUTH returns no refresh token"
out=$(idp initiate-auth --auth-flow REFRESH_TOKEN_AUTH --client-id "$client_id" --auth-parameters "$(refresh_params "$refresh")")
check "$out" '"RefreshToken" not in j["AuthenticationResult"] and j["AuthenticationResult"]["AccessToken"] != a[0]' "$access"
tokens "$out" >/dev/null

step "admin-initiate-auth ADMIN_USER_PASSWORD_AUTH"
out=$(idp admin-initiate-auth --user-pool-id "$pool_id" --client-id "$client_id" \
	--auth-flow ADMIN_USER_PASSWORD_AUTH --auth-parameters "$(auth_params "$user" "$password")")
check "$out" 'all(j["AuthenticationResult"].get(k) for k in ("IdToken", "AccessToken", "RefreshToken"))'
{ read -r _; read -r _; read -r admin_refresh; } < <(tokens "$out")

step "a wrong password is refused"
expect_error NotAuthorizedException "Incorrect username or password." \
	idp initiate-auth --auth-flow USER_PASSWORD_AUTH --client-id "$client_id" --auth-parameters "$(auth_params "$user" "$(new_password)")"

step "get-tokens-from-refresh-token with rotation"
out=$(idp initiate-auth --auth-flow USER_PASSWORD_AUTH --client-id "$rotating_id" --auth-parameters "$(auth_params "$user" "$password")")
{ read -r _; read -r _; read -r rot_refresh; } < <(tokens "$out")
out=$(idp get-tokens-from-refresh-token --client-id "$rotating_id" --refresh-token "$rot_refresh")
check "$out" 'j["AuthenticationResult"].get("RefreshToken") not in (None, a[0])' "$rot_refresh"
{ read -r _; read -r _; read -r rot_next; } < <(tokens "$out")
expect_error_re RefreshTokenReuseException '.*' \
	idp get-tokens-from-refresh-token --client-id "$rotating_id" --refresh-token "$rot_refresh"

step "global-sign-out, then every session of the user is revoked"
out=$(idp global-sign-out --access-token "$access")
[ -z "$out" ] || fail "global-sign-out printed $out, want nothing (an empty response)"
expect_error NotAuthorizedException "Access Token has been revoked" \
	idp get-user --access-token "$access"
expect_error NotAuthorizedException "Refresh Token has been revoked" \
	idp initiate-auth --auth-flow REFRESH_TOKEN_AUTH --client-id "$client_id" --auth-parameters "$(refresh_params "$admin_refresh")"
expect_error NotAuthorizedException "Refresh Token has been revoked" \
	idp get-tokens-from-refresh-token --client-id "$rotating_id" --refresh-token "$rot_next"

echo "tokens.sh: all steps passed"

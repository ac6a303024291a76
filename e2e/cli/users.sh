#!/usr/bin/env bash
# User administration through the AWS CLI.
set -euo pipefail
source "$(dirname "$0")/lib.bash"

out=$(create_pool "e2e-cli-$(suffix)")
pool_id=$(jget "$out" 'j["UserPool"]["Id"]')
alice="alice-$(suffix)"
bob="bob-$(suffix)"
alice_email="$alice@example.com"
bob_email="$bob@example.org"

usernames() { # usernames [FILTER] prints the sorted usernames ListUsers returns, as JSON
	local out
	if [ $# -gt 0 ]; then
		out=$(idp list-users --user-pool-id "$pool_id" --filter "$1")
	else
		out=$(idp list-users --user-pool-id "$pool_id")
	fi
	jget "$out" 'sorted(u["Username"] for u in j["Users"])'
}

step "admin-create-user with email and a custom attribute"
out=$(idp admin-create-user --user-pool-id "$pool_id" --username "$alice" \
	--temporary-password "$(new_password)" --message-action SUPPRESS \
	--user-attributes Name=email,Value="$alice_email" Name=custom:tier,Value=gold)
check "$out" 'j["User"]["Username"] == a[0] and j["User"]["Enabled"] is True and j["User"]["UserStatus"] == "FORCE_CHANGE_PASSWORD"' "$alice"
check "$out" 'A(j["User"]["Attributes"]).get("email") == a[0] and A(j["User"]["Attributes"]).get("custom:tier") == "gold"' "$alice_email"
check "$out" 're.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", A(j["User"]["Attributes"]).get("sub") or "")'
idp admin-create-user --user-pool-id "$pool_id" --username "$bob" \
	--temporary-password "$(new_password)" --message-action SUPPRESS \
	--user-attributes Name=email,Value="$bob_email" >/dev/null

step "admin-create-user refuses an existing username"
expect_error UsernameExistsException "User account already exists" \
	idp admin-create-user --user-pool-id "$pool_id" --username "$alice" --message-action SUPPRESS

step "admin-get-user"
out=$(idp admin-get-user --user-pool-id "$pool_id" --username "$alice")
check "$out" 'j["Username"] == a[0] and j["Enabled"] is True and j["UserStatus"] == "FORCE_CHANGE_PASSWORD"' "$alice"
check "$out" 'A(j["UserAttributes"]).get("email") == a[0]' "$alice_email"
check "$out" 'A(j["UserAttributes"]).get("custom:tier") == "gold"'
check "$out" 'A(j["UserAttributes"]).get("sub")'

step "list-users with = and ^= filters on email"
check "$(usernames "email = \"$alice_email\"")" 'j == [a[0]]' "$alice"
check "$(usernames 'email ^= "bob-"')" 'j == [a[0]]' "$bob"
check "$(usernames 'email ^= "nobody"')" 'j == []'
check "$(usernames)" 'j == sorted(a)' "$alice" "$bob"

step "admin-add-user-to-group; admin-list-groups-for-user"
idp create-group --user-pool-id "$pool_id" --group-name staff >/dev/null
idp admin-add-user-to-group --user-pool-id "$pool_id" --username "$alice" --group-name staff >/dev/null
out=$(idp admin-list-groups-for-user --user-pool-id "$pool_id" --username "$alice")
check "$out" '[g["GroupName"] for g in j["Groups"]] == ["staff"]'
out=$(idp admin-list-groups-for-user --user-pool-id "$pool_id" --username "$bob")
check "$out" 'j["Groups"] == []'

step "admin-set-user-password enforces the policy and confirms the user"
weak="Sh0rt-$(suffix | cut -c1-2)"
record_secret "$weak"
expect_error_re InvalidPasswordException 'Password (did not conform with|does not conform to) policy: Password not long enough' \
	idp admin-set-user-password --user-pool-id "$pool_id" --username "$alice" --password "$weak" --permanent
idp admin-set-user-password --user-pool-id "$pool_id" --username "$alice" --password "$(new_password)" --permanent >/dev/null
out=$(idp admin-get-user --user-pool-id "$pool_id" --username "$alice")
check "$out" 'j["UserStatus"] == "CONFIRMED"'

step "admin-disable-user; admin-enable-user"
idp admin-disable-user --user-pool-id "$pool_id" --username "$alice" >/dev/null
check "$(idp admin-get-user --user-pool-id "$pool_id" --username "$alice")" 'j["Enabled"] is False'
idp admin-enable-user --user-pool-id "$pool_id" --username "$alice" >/dev/null
check "$(idp admin-get-user --user-pool-id "$pool_id" --username "$alice")" 'j["Enabled"] is True'

step "admin-delete-user, then the user does not exist"
idp admin-delete-user --user-pool-id "$pool_id" --username "$bob" >/dev/null
expect_error UserNotFoundException "User does not exist." \
	idp admin-get-user --user-pool-id "$pool_id" --username "$bob"
expect_error UserNotFoundException "User does not exist." \
	idp admin-delete-user --user-pool-id "$pool_id" --username "$bob"
check "$(usernames)" 'j == [a[0]]' "$alice"

step "errors for missing users, groups and pools"
expect_error UserNotFoundException "User does not exist." \
	idp admin-add-user-to-group --user-pool-id "$pool_id" --username nobody --group-name staff
expect_error ResourceNotFoundException "Group not found." \
	idp admin-add-user-to-group --user-pool-id "$pool_id" --username "$alice" --group-name nosuchgroup
expect_error ResourceNotFoundException "User pool us-east-1_NoSuchPool does not exist." \
	idp admin-get-user --user-pool-id us-east-1_NoSuchPool --username "$alice"

echo "users.sh: all steps passed"

#!/usr/bin/env bash
# Pool administration through the AWS CLI: pools, app clients, domains,
# resource servers, groups and tags.
set -euo pipefail
source "$(dirname "$0")/lib.bash"

name="e2e-cli-$(suffix)"

step "create-user-pool with a custom attribute and a password policy"
out=$(create_pool "$name")
check "$out" 're.fullmatch(r"us-east-1_[0-9A-Za-z]+", j["UserPool"]["Id"])'
pool_id=$(jget "$out" 'j["UserPool"]["Id"]')
arn=$(jget "$out" 'j["UserPool"]["Arn"]')
check "$out" 'j["UserPool"]["Name"] == a[0]' "$name"
check "$out" 'j["UserPool"]["Arn"] == "arn:aws:cognito-idp:us-east-1:000000000000:userpool/" + a[0]' "$pool_id"
check "$out" '[s for s in j["UserPool"]["SchemaAttributes"] if s["Name"] == "custom:tier" and s["AttributeDataType"] == "String" and s["Mutable"] and s["StringAttributeConstraints"] == {"MinLength": "1", "MaxLength": "16"}]'
check "$out" '{"sub", "email"} <= {s["Name"] for s in j["UserPool"]["SchemaAttributes"]}'

step "describe-user-pool"
out=$(idp describe-user-pool --user-pool-id "$pool_id")
check "$out" 'j["UserPool"]["Id"] == a[0] and j["UserPool"]["Name"] == a[1]' "$pool_id" "$name"
check "$out" '{"MinimumLength": 12, "RequireUppercase": True, "RequireLowercase": True, "RequireNumbers": True, "RequireSymbols": False, "TemporaryPasswordValidityDays": 3}.items() <= j["UserPool"]["Policies"]["PasswordPolicy"].items()'

step "list-user-pools"
out=$(idp list-user-pools --max-results 60)
check "$out" '[p for p in j["UserPools"] if p["Id"] == a[0] and p["Name"] == a[1]]' "$pool_id" "$name"

step "update-user-pool"
idp update-user-pool --user-pool-id "$pool_id" \
	--policies '{"PasswordPolicy":{"MinimumLength":14,"RequireUppercase":true,"RequireLowercase":true,"RequireNumbers":true,"RequireSymbols":true,"TemporaryPasswordValidityDays":3}}' \
	--admin-create-user-config AllowAdminCreateUserOnly=true >/dev/null
out=$(idp describe-user-pool --user-pool-id "$pool_id")
check "$out" 'j["UserPool"]["Name"] == a[0]' "$name"
check "$out" 'j["UserPool"]["Policies"]["PasswordPolicy"]["MinimumLength"] == 14 and j["UserPool"]["Policies"]["PasswordPolicy"]["RequireSymbols"] is True'
check "$out" 'j["UserPool"]["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True'
check "$out" '"custom:tier" in {s["Name"] for s in j["UserPool"]["SchemaAttributes"]}'
check "$out" 'j["UserPool"]["LastModifiedDate"] >= j["UserPool"]["CreationDate"]'

step "create-user-pool-client --generate-secret; describe-user-pool-client returns the secret"
out=$(idp create-user-pool-client --user-pool-id "$pool_id" --client-name web --generate-secret \
	--explicit-auth-flows ALLOW_USER_PASSWORD_AUTH ALLOW_REFRESH_TOKEN_AUTH)
client_id=$(jget "$out" 'j["UserPoolClient"]["ClientId"]')
secret=$(jget "$out" 'j["UserPoolClient"].get("ClientSecret", "")')
record_secret "$secret"
check "$out" 're.fullmatch(r"[\w+]{24,64}", j["UserPoolClient"].get("ClientSecret", ""))'
check "$out" 'j["UserPoolClient"]["ClientName"] == "web" and j["UserPoolClient"]["UserPoolId"] == a[0]' "$pool_id"
out=$(idp describe-user-pool-client --user-pool-id "$pool_id" --client-id "$client_id")
check "$out" 'j["UserPoolClient"]["ClientSecret"] == a[0]' "$secret"
check "$out" 'sorted(j["UserPoolClient"]["ExplicitAuthFlows"]) == ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_PASSWORD_AUTH"]'

step "create-user-pool-domain; describe-user-pool-domain"
domain="e2e-cli-$(suffix)"
idp create-user-pool-domain --user-pool-id "$pool_id" --domain "$domain" >/dev/null
out=$(idp describe-user-pool-domain --domain "$domain")
check "$out" 'j["DomainDescription"]["Domain"] == a[0] and j["DomainDescription"]["UserPoolId"] == a[1]' "$domain" "$pool_id"
out=$(idp describe-user-pool --user-pool-id "$pool_id")
check "$out" 'j["UserPool"].get("Domain") == a[0]' "$domain"

step "create-resource-server; describe-resource-server"
# Not https://...: AWS CLI v1 fetches parameter values that look like URLs.
out=$(idp create-resource-server --user-pool-id "$pool_id" --identifier orders.example.com --name orders \
	--scopes ScopeName=read,ScopeDescription=Read ScopeName=write,ScopeDescription=Write)
check "$out" 'j["ResourceServer"]["Identifier"] == "orders.example.com" and j["ResourceServer"]["UserPoolId"] == a[0]' "$pool_id"
out=$(idp describe-resource-server --user-pool-id "$pool_id" --identifier orders.example.com)
check "$out" 'j["ResourceServer"]["Name"] == "orders"'
check "$out" 'j["ResourceServer"]["Scopes"] == [{"ScopeName": "read", "ScopeDescription": "Read"}, {"ScopeName": "write", "ScopeDescription": "Write"}]'

step "create-identity-provider; describe-identity-provider; list-identity-providers; get-signing-certificate"
upstream_secret="upstream-$(suffix)"
record_secret "$upstream_secret"
details='{"client_id":"corp-client","client_secret":"'"$upstream_secret"'","attributes_request_method":"GET","oidc_issuer":"https://issuer.example.com","authorize_scopes":"openid email"}'
out=$(idp create-identity-provider --user-pool-id "$pool_id" --provider-name Corp --provider-type OIDC \
	--provider-details "$details" --attribute-mapping email=email --idp-identifiers corp.example.com)
check "$out" 'j["IdentityProvider"]["ProviderName"] == "Corp" and j["IdentityProvider"]["ProviderType"] == "OIDC" and j["IdentityProvider"]["UserPoolId"] == a[0]' "$pool_id"
check "$out" 'j["IdentityProvider"]["AttributeMapping"] == {"email": "email", "username": "sub"}'
check "$out" 'j["IdentityProvider"]["ProviderDetails"]["attributes_url_add_attributes"] == "false"'
out=$(idp get-identity-provider-by-identifier --user-pool-id "$pool_id" --idp-identifier corp.example.com)
check "$out" 'j["IdentityProvider"]["ProviderName"] == "Corp" and j["IdentityProvider"]["IdpIdentifiers"] == ["corp.example.com"]'
out=$(idp list-identity-providers --user-pool-id "$pool_id")
check "$out" '[(p["ProviderName"], p["ProviderType"]) for p in j["Providers"]] == [("Corp", "OIDC")]'
expect_error DuplicateProviderException "Corp already exists in user pool $pool_id" \
	idp create-identity-provider --user-pool-id "$pool_id" --provider-name Corp --provider-type OIDC --provider-details "$details"
expect_error InvalidParameterException "Provider MyGoogle cannot be of type Google." \
	idp create-identity-provider --user-pool-id "$pool_id" --provider-name MyGoogle --provider-type Google \
	--provider-details client_id=g,client_secret=s,authorize_scopes=openid
out=$(idp get-signing-certificate --user-pool-id "$pool_id")
check "$out" 'len(__import__("base64").b64decode(j["Certificate"])) > 500'
idp delete-identity-provider --user-pool-id "$pool_id" --provider-name Corp >/dev/null
expect_error ResourceNotFoundException "Identity provider Corp does not exist." \
	idp describe-identity-provider --user-pool-id "$pool_id" --provider-name Corp

step "create-group; get-group; a duplicate group"
out=$(idp create-group --user-pool-id "$pool_id" --group-name admins --description Administrators --precedence 1)
check "$out" 'j["Group"]["GroupName"] == "admins" and j["Group"]["UserPoolId"] == a[0] and j["Group"]["Precedence"] == 1' "$pool_id"
out=$(idp get-group --user-pool-id "$pool_id" --group-name admins)
check "$out" 'j["Group"]["Description"] == "Administrators"'
expect_error GroupExistsException "A group with the name admins already exists." \
	idp create-group --user-pool-id "$pool_id" --group-name admins

step "tag-resource; list-tags-for-resource; untag-resource"
idp tag-resource --resource-arn "$arn" --tags env=e2e,owner=qa >/dev/null
out=$(idp list-tags-for-resource --resource-arn "$arn")
check "$out" 'j["Tags"] == {"env": "e2e", "owner": "qa"}'
idp untag-resource --resource-arn "$arn" --tag-keys owner >/dev/null
out=$(idp list-tags-for-resource --resource-arn "$arn")
check "$out" 'j["Tags"] == {"env": "e2e"}'

step "errors for missing pools and clients"
expect_error ResourceNotFoundException "User pool us-east-1_NoSuchPool does not exist." \
	idp describe-user-pool --user-pool-id us-east-1_NoSuchPool
expect_error ResourceNotFoundException "User pool client nosuchclient0000000000000 does not exist." \
	idp describe-user-pool-client --user-pool-id "$pool_id" --client-id nosuchclient0000000000000

echo "pools.sh: all steps passed"

package api_test

import (
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// poolsDefaultClient is what Cognito answers for a client created with
// only a name, without the members that differ per client.
func poolsDefaultClient(poolID, name string) *types.UserPoolClientType {
	return &types.UserPoolClientType{
		UserPoolId:           aws.String(poolID),
		ClientName:           aws.String(name),
		RefreshTokenValidity: 30,
		AccessTokenValidity:  aws.Int32(60),
		IdTokenValidity:      aws.Int32(60),
		TokenValidityUnits: &types.TokenValidityUnitsType{
			AccessToken: types.TimeUnitsTypeMinutes, IdToken: types.TimeUnitsTypeMinutes, RefreshToken: types.TimeUnitsTypeDays,
		},
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{
			types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth, types.ExplicitAuthFlowsTypeAllowUserSrpAuth, types.ExplicitAuthFlowsTypeAllowCustomAuth,
		},
		AllowedOAuthFlowsUserPoolClient:          aws.Bool(false),
		EnableTokenRevocation:                    aws.Bool(true),
		EnablePropagateAdditionalUserContextData: aws.Bool(false),
		AuthSessionValidity:                      aws.Int32(3),
		PreventUserExistenceErrors:               types.PreventUserExistenceErrorTypesLegacy,
	}
}

// poolsClientVaries ignores the members that differ from client to client.
var poolsClientVaries = cmpopts.IgnoreFields(types.UserPoolClientType{}, "ClientId", "ClientSecret", "CreationDate", "LastModifiedDate")

var (
	poolsClientIDRE     = regexp.MustCompile(`^[a-z0-9]{26}$`)
	poolsClientSecretRE = regexp.MustCompile(`^[a-z0-9]{51}$`)
)

func TestCreateUserPoolClientDefaults(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	c := createTestClient(t, e, pool, nil)
	if d := poolsDiff(poolsDefaultClient(pool, "test-client"), c, poolsClientVaries); d != "" {
		t.Errorf("CreateUserPoolClient (-want +got):\n%s", d)
	}
	if !poolsClientIDRE.MatchString(aws.ToString(c.ClientId)) {
		t.Errorf("ClientId = %q, want 26 lower-case alphanumerics", aws.ToString(c.ClientId))
	}
	if c.ClientSecret != nil {
		t.Errorf("ClientSecret = %q, want none", aws.ToString(c.ClientSecret))
	}
	now := e.Clock.Now()
	if !aws.ToTime(c.CreationDate).Equal(now) || !aws.ToTime(c.LastModifiedDate).Equal(now) {
		t.Errorf("dates = %v, %v; want %v", c.CreationDate, c.LastModifiedDate, now)
	}
	if d := poolsDiff(c, poolsDescribeClient(t, e, pool, aws.ToString(c.ClientId))); d != "" {
		t.Errorf("DescribeUserPoolClient differs from CreateUserPoolClient (-create +describe):\n%s", d)
	}
}

func TestCreateUserPoolClientSecret(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	generated := createTestClient(t, e, pool, func(in *cip.CreateUserPoolClientInput) { in.GenerateSecret = true })
	secret := aws.ToString(generated.ClientSecret)
	if !poolsClientSecretRE.MatchString(secret) {
		t.Errorf("ClientSecret = %q, want 51 lower-case alphanumerics", secret)
	}
	if got := aws.ToString(poolsDescribeClient(t, e, pool, aws.ToString(generated.ClientId)).ClientSecret); got != secret {
		t.Errorf("DescribeUserPoolClient secret = %q, want %q", got, secret)
	}
	app, err := e.Svc.Client(e.ctx(), aws.ToString(generated.ClientId))
	if err != nil {
		t.Fatal(err)
	}
	if app.Secret != secret || app.Config.ClientSecret != "" || app.PoolID != pool {
		t.Errorf("Client() = pool %q, secret %q, config secret %q; want %q, %q, none", app.PoolID, app.Secret, app.Config.ClientSecret, pool, secret)
	}

	chosen := "my_own_secret_0123456789abcdef"
	custom := createTestClient(t, e, pool, func(in *cip.CreateUserPoolClientInput) {
		in.GenerateSecret = true
		in.ClientSecret = aws.String(chosen)
	})
	if got := aws.ToString(poolsDescribeClient(t, e, pool, aws.ToString(custom.ClientId)).ClientSecret); got != chosen {
		t.Errorf("custom secret = %q, want %q", got, chosen)
	}

	other := createTestClient(t, e, pool, func(in *cip.CreateUserPoolClientInput) { in.GenerateSecret = true })
	if aws.ToString(other.ClientSecret) == secret {
		t.Error("two clients got the same secret")
	}
}

func TestCreateUserPoolClientSettings(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, func(in *cip.CreateUserPoolInput) {
		in.Schema = []types.SchemaAttributeType{{Name: aws.String("tenant"), AttributeDataType: types.AttributeDataTypeString}}
	})
	if _, err := e.Client.CreateResourceServer(e.ctx(), &cip.CreateResourceServerInput{
		UserPoolId: aws.String(pool), Identifier: aws.String("https://api.example.com"), Name: aws.String("api"),
		Scopes: []types.ResourceServerScopeType{{ScopeName: aws.String("read"), ScopeDescription: aws.String("read")}},
	}); err != nil {
		t.Fatalf("CreateResourceServer: %v", err)
	}
	callbacks := []string{"https://app.example.com/cb", "http://localhost:3000/cb", "http://127.0.0.1/cb", "http://[::1]:8080/", "myapp://signin"}
	c := createTestClient(t, e, pool, func(in *cip.CreateUserPoolClientInput) {
		in.AllowedOAuthFlowsUserPoolClient = true
		in.AllowedOAuthFlows = []types.OAuthFlowType{types.OAuthFlowTypeCode, types.OAuthFlowTypeImplicit}
		in.AllowedOAuthScopes = []string{"openid", "email", "aws.cognito.signin.user.admin", "https://api.example.com/read"}
		in.CallbackURLs = callbacks
		in.LogoutURLs = []string{"https://app.example.com/bye"}
		in.DefaultRedirectURI = aws.String("myapp://signin")
		in.SupportedIdentityProviders = []string{"COGNITO"}
		in.ReadAttributes = []string{"email", "email_verified", "custom:tenant"}
		in.WriteAttributes = []string{"email", "custom:tenant"}
		in.ExplicitAuthFlows = []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}
		in.AccessTokenValidity = aws.Int32(2)
		in.IdTokenValidity = aws.Int32(30)
		in.RefreshTokenValidity = 12
		in.TokenValidityUnits = &types.TokenValidityUnitsType{IdToken: types.TimeUnitsTypeMinutes, RefreshToken: types.TimeUnitsTypeHours}
		in.AuthSessionValidity = aws.Int32(10)
		in.EnableTokenRevocation = aws.Bool(false)
		in.PreventUserExistenceErrors = types.PreventUserExistenceErrorTypesEnabled
		in.RefreshTokenRotation = &types.RefreshTokenRotationType{Feature: types.FeatureTypeEnabled, RetryGracePeriodSeconds: aws.Int32(10)}
	})
	want := poolsDefaultClient(pool, "test-client")
	want.AllowedOAuthFlowsUserPoolClient = aws.Bool(true)
	want.AllowedOAuthFlows = []types.OAuthFlowType{types.OAuthFlowTypeCode, types.OAuthFlowTypeImplicit}
	want.AllowedOAuthScopes = []string{"openid", "email", "aws.cognito.signin.user.admin", "https://api.example.com/read"}
	want.CallbackURLs = callbacks
	want.LogoutURLs = []string{"https://app.example.com/bye"}
	want.DefaultRedirectURI = aws.String("myapp://signin")
	want.SupportedIdentityProviders = []string{"COGNITO"}
	want.ReadAttributes = []string{"email", "email_verified", "custom:tenant"}
	want.WriteAttributes = []string{"email", "custom:tenant"}
	want.ExplicitAuthFlows = []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}
	// A value without its unit is in the API's unit for it: hours for
	// access tokens.
	want.AccessTokenValidity = aws.Int32(2)
	want.IdTokenValidity = aws.Int32(30)
	want.RefreshTokenValidity = 12
	want.TokenValidityUnits = &types.TokenValidityUnitsType{
		AccessToken: types.TimeUnitsTypeHours, IdToken: types.TimeUnitsTypeMinutes, RefreshToken: types.TimeUnitsTypeHours,
	}
	want.AuthSessionValidity = aws.Int32(10)
	want.EnableTokenRevocation = aws.Bool(false)
	want.PreventUserExistenceErrors = types.PreventUserExistenceErrorTypesEnabled
	want.RefreshTokenRotation = &types.RefreshTokenRotationType{Feature: types.FeatureTypeEnabled, RetryGracePeriodSeconds: aws.Int32(10)}
	if d := poolsDiff(want, poolsDescribeClient(t, e, pool, aws.ToString(c.ClientId)), poolsClientVaries); d != "" {
		t.Errorf("DescribeUserPoolClient (-want +got):\n%s", d)
	}

	app, err := e.Svc.Client(e.ctx(), aws.ToString(c.ClientId))
	if err != nil {
		t.Fatal(err)
	}
	if app.AccessTokenTTL().Hours() != 2 || app.IDTokenTTL().Minutes() != 30 || app.RefreshTokenTTL().Hours() != 12 || app.AuthSessionTTL().Minutes() != 10 {
		t.Errorf("TTLs = %v, %v, %v, %v; want 2h, 30m, 12h, 10m", app.AccessTokenTTL(), app.IDTokenTTL(), app.RefreshTokenTTL(), app.AuthSessionTTL())
	}
	if !app.HasFlow("ALLOW_USER_PASSWORD_AUTH") || !app.HasFlow("USER_PASSWORD_AUTH") || app.HasFlow("ALLOW_USER_SRP_AUTH") {
		t.Errorf("HasFlow disagrees with ExplicitAuthFlows %v", app.Config.ExplicitAuthFlows)
	}
}

func TestCreateUserPoolClientClientCredentials(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	if _, err := e.Client.CreateResourceServer(e.ctx(), &cip.CreateResourceServerInput{
		UserPoolId: aws.String(pool), Identifier: aws.String("orders"), Name: aws.String("orders"),
		Scopes: []types.ResourceServerScopeType{{ScopeName: aws.String("write"), ScopeDescription: aws.String("write")}},
	}); err != nil {
		t.Fatalf("CreateResourceServer: %v", err)
	}
	c := createTestClient(t, e, pool, func(in *cip.CreateUserPoolClientInput) {
		in.GenerateSecret = true
		in.AllowedOAuthFlowsUserPoolClient = true
		in.AllowedOAuthFlows = []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials}
		in.AllowedOAuthScopes = []string{"orders/write"}
	})
	if len(c.AllowedOAuthFlows) != 1 || c.CallbackURLs != nil {
		t.Errorf("client_credentials client = flows %v, callbacks %v", c.AllowedOAuthFlows, c.CallbackURLs)
	}
}

func TestCreateUserPoolClientErrors(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	if _, err := e.Client.CreateResourceServer(e.ctx(), &cip.CreateResourceServerInput{
		UserPoolId: aws.String(pool), Identifier: aws.String("orders"), Name: aws.String("orders"),
		Scopes: []types.ResourceServerScopeType{{ScopeName: aws.String("write"), ScopeDescription: aws.String("write")}},
	}); err != nil {
		t.Fatalf("CreateResourceServer: %v", err)
	}
	oauth := func(in *cip.CreateUserPoolClientInput) {
		in.AllowedOAuthFlowsUserPoolClient = true
		in.AllowedOAuthFlows = []types.OAuthFlowType{types.OAuthFlowTypeCode}
		in.AllowedOAuthScopes = []string{"openid"}
		in.CallbackURLs = []string{"https://app.example.com/cb"}
	}
	tests := []struct {
		name    string
		mutate  func(*cip.CreateUserPoolClientInput)
		typ     string
		message string
	}{
		{"no such pool", func(in *cip.CreateUserPoolClientInput) { in.UserPoolId = aws.String(poolsUnknownPool) },
			"ResourceNotFoundException", "User pool us-east-1_NoSuchPool does not exist."},
		{"legacy and ALLOW_ flows", func(in *cip.CreateUserPoolClientInput) {
			in.ExplicitAuthFlows = []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAdminNoSrpAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}
		}, "InvalidParameterException", "Auth flow name with prefix 'ALLOW' cannot be used with legacy auth flow names."},
		{"access token too short", func(in *cip.CreateUserPoolClientInput) {
			in.AccessTokenValidity = aws.Int32(4)
			in.TokenValidityUnits = &types.TokenValidityUnitsType{AccessToken: types.TimeUnitsTypeMinutes}
		}, "InvalidParameterException", "Invalid range for token validity."},
		{"id token too long", func(in *cip.CreateUserPoolClientInput) { in.IdTokenValidity = aws.Int32(25) },
			"InvalidParameterException", "Invalid range for token validity."},
		{"refresh token too short", func(in *cip.CreateUserPoolClientInput) {
			in.RefreshTokenValidity = 59
			in.TokenValidityUnits = &types.TokenValidityUnitsType{RefreshToken: types.TimeUnitsTypeMinutes}
		}, "InvalidParameterException", "Invalid range for token validity."},
		{"refresh token too long", func(in *cip.CreateUserPoolClientInput) { in.RefreshTokenValidity = 3651 },
			"InvalidParameterException", "Invalid range for token validity."},
		{"unit without value that does not fit", func(in *cip.CreateUserPoolClientInput) {
			in.TokenValidityUnits = &types.TokenValidityUnitsType{AccessToken: types.TimeUnitsTypeDays}
		}, "InvalidParameterException", "Invalid range for token validity."},
		{"access longer than refresh", func(in *cip.CreateUserPoolClientInput) {
			in.AccessTokenValidity = aws.Int32(3)
			in.RefreshTokenValidity = 2
			in.TokenValidityUnits = &types.TokenValidityUnitsType{RefreshToken: types.TimeUnitsTypeHours}
		}, "InvalidParameterException", "Access and Id Token expiration times must be less than or equal to refresh token expiration times."},
		{"http callback", func(in *cip.CreateUserPoolClientInput) { in.CallbackURLs = []string{"http://localhost.com/"} },
			"InvalidParameterException", "http://localhost.com/ cannot use the HTTP protocol."},
		{"http logout URL", func(in *cip.CreateUserPoolClientInput) { in.LogoutURLs = []string{"http://example.com/bye"} },
			"InvalidParameterException", "http://example.com/bye cannot use the HTTP protocol."},
		{"callback with fragment", func(in *cip.CreateUserPoolClientInput) { in.CallbackURLs = []string{"https://app.example.com/#cb"} },
			"InvalidParameterException", "https://app.example.com/#cb cannot use fragment"},
		{"javascript: callback", func(in *cip.CreateUserPoolClientInput) { in.CallbackURLs = []string{"javascript:alert(1)"} },
			"InvalidParameterException", "javascript:alert(1) cannot use the JAVASCRIPT protocol."},
		{"data: logout URL", func(in *cip.CreateUserPoolClientInput) { in.LogoutURLs = []string{"data:text/html,hi"} },
			"InvalidParameterException", "data:text/html,hi cannot use the DATA protocol."},
		{"relative callback", func(in *cip.CreateUserPoolClientInput) { in.CallbackURLs = []string{"/cb"} },
			"InvalidParameterException", "/cb is not a valid URL."},
		{"default redirect not a callback", func(in *cip.CreateUserPoolClientInput) {
			in.CallbackURLs = []string{"https://app.example.com/cb"}
			in.DefaultRedirectURI = aws.String("https://app.example.com/other")
		}, "InvalidParameterException", "The default redirect URI https://app.example.com/other is not in the callback URIs list."},
		{"OAuth without flows", func(in *cip.CreateUserPoolClientInput) {
			oauth(in)
			in.AllowedOAuthFlows = nil
		}, "InvalidParameterException", "AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows."},
		{"OAuth without scopes", func(in *cip.CreateUserPoolClientInput) {
			oauth(in)
			in.AllowedOAuthScopes = nil
		}, "InvalidParameterException", "AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows."},
		{"code flow without callbacks", func(in *cip.CreateUserPoolClientInput) {
			oauth(in)
			in.CallbackURLs = nil
		}, "InvalidParameterException", "CallbackUrls can not be empty when code flow or implicit flow is selected"},
		{"client_credentials with code", func(in *cip.CreateUserPoolClientInput) {
			oauth(in)
			in.GenerateSecret = true
			in.AllowedOAuthFlows = []types.OAuthFlowType{types.OAuthFlowTypeCode, types.OAuthFlowTypeClientCredentials}
		}, "InvalidOAuthFlowException", "client_credentials flow can not be selected along with code flow or implicit flow."},
		{"client_credentials without secret", func(in *cip.CreateUserPoolClientInput) {
			oauth(in)
			in.AllowedOAuthFlows = []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials}
			in.AllowedOAuthScopes = []string{"orders/write"}
		}, "InvalidOAuthFlowException", "client_credentials flow can not be selected if client does not have a client secret."},
		{"unknown standard-looking scope", func(in *cip.CreateUserPoolClientInput) {
			oauth(in)
			in.AllowedOAuthScopes = []string{"openid", "address"}
		}, "ScopeDoesNotExistException", "Invalid scope requested: address"},
		{"scope of an unknown resource server", func(in *cip.CreateUserPoolClientInput) {
			oauth(in)
			in.AllowedOAuthScopes = []string{"billing/read"}
		}, "ScopeDoesNotExistException", "Invalid scope requested: billing/read"},
		{"unknown scope of a resource server", func(in *cip.CreateUserPoolClientInput) {
			oauth(in)
			in.AllowedOAuthScopes = []string{"orders/read"}
		}, "ScopeDoesNotExistException", "Invalid scope requested: orders/read"},
		{"federated provider", func(in *cip.CreateUserPoolClientInput) { in.SupportedIdentityProviders = []string{"COGNITO", "Google"} },
			"InvalidParameterException", "The provider Google does not exist for User Pool " + pool + "."},
		{"unknown read attribute", func(in *cip.CreateUserPoolClientInput) { in.ReadAttributes = []string{"email", "custom:nope"} },
			"InvalidParameterException", "Invalid read attributes specified while creating a client"},
		{"unknown write attribute", func(in *cip.CreateUserPoolClientInput) { in.WriteAttributes = []string{"shoe_size"} },
			"InvalidParameterException", "Invalid write attributes specified while creating a client"},
		{"writable verification flag", func(in *cip.CreateUserPoolClientInput) { in.WriteAttributes = []string{"email", "email_verified"} },
			"InvalidParameterException", "Invalid write attributes specified while creating a client"},
		{"bad rotation grace period", func(in *cip.CreateUserPoolClientInput) {
			in.RefreshTokenRotation = &types.RefreshTokenRotationType{Feature: types.FeatureTypeEnabled, RetryGracePeriodSeconds: aws.Int32(61)}
		}, "InvalidParameterException", "1 validation error detected: Value '61' at 'refreshTokenRotation.retryGracePeriodSeconds' failed to satisfy constraint: Member must have value less than or equal to 60"},
		{"short custom secret", func(in *cip.CreateUserPoolClientInput) {
			in.GenerateSecret = true
			in.ClientSecret = aws.String("short")
		}, "InvalidParameterException", "1 validation error detected: Value at 'clientSecret' failed to satisfy constraint: Member must have length greater than or equal to 24"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("bad")}
			tt.mutate(in)
			_, err := e.Client.CreateUserPoolClient(e.ctx(), in)
			wantAPIError(t, err, tt.typ, tt.message)
		})
	}
	out, err := e.Client.ListUserPoolClients(e.ctx(), &cip.ListUserPoolClientsInput{UserPoolId: aws.String(pool)})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.UserPoolClients) != 0 {
		t.Errorf("refused requests created %d clients", len(out.UserPoolClients))
	}
}

// TestCreateUserPoolClientSecretWithoutGenerate sends by hand what the SDK
// cannot: GenerateSecret false next to a ClientSecret.
func TestCreateUserPoolClientSecretWithoutGenerate(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	status, _, body := e.raw("CreateUserPoolClient",
		`{"UserPoolId":"`+pool+`","ClientName":"c","GenerateSecret":false,"ClientSecret":"my_own_secret_0123456789abcdef"}`)
	poolsWantRawError(t, status, body, "InvalidParameterException", "ClientSecret can only be given when GenerateSecret is true.")
}

package api_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// Helpers for the tests of the pool and app client actions. createTestPool
// and createTestClient are meant for every area's tests.

// createTestPool creates a user pool and returns its id. mutate, when not
// nil, adjusts the request first (the pool is named "test-pool").
func createTestPool(t *testing.T, e *env, mutate func(*cip.CreateUserPoolInput)) string {
	t.Helper()
	in := &cip.CreateUserPoolInput{PoolName: aws.String("test-pool")}
	if mutate != nil {
		mutate(in)
	}
	out, err := e.Client.CreateUserPool(e.ctx(), in)
	if err != nil {
		t.Fatalf("CreateUserPool: %v", err)
	}
	return aws.ToString(out.UserPool.Id)
}

// createTestClient creates an app client in the pool and returns it as
// CreateUserPoolClient did, secret included when one was asked for. mutate,
// when not nil, adjusts the request first (the client is named
// "test-client").
func createTestClient(t *testing.T, e *env, poolID string, mutate func(*cip.CreateUserPoolClientInput)) *types.UserPoolClientType {
	t.Helper()
	in := &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID), ClientName: aws.String("test-client")}
	if mutate != nil {
		mutate(in)
	}
	out, err := e.Client.CreateUserPoolClient(e.ctx(), in)
	if err != nil {
		t.Fatalf("CreateUserPoolClient: %v", err)
	}
	return out.UserPoolClient
}

// poolsUnknownPool is a well-formed id of a pool that does not exist.
const poolsUnknownPool = "us-east-1_NoSuchPool"

// poolsUnknownClient is a well-formed id of a client that does not exist.
const poolsUnknownClient = "nosuchclient0000000000000a"

// poolsCmp lets cmp compare the SDK's pool and client shapes, whose
// unexported serialisation markers it would otherwise refuse.
var poolsCmp = cmpopts.IgnoreUnexported(
	types.UserPoolType{}, types.UserPoolPolicyType{}, types.PasswordPolicyType{}, types.SignInPolicyType{},
	types.SchemaAttributeType{}, types.StringAttributeConstraintsType{}, types.NumberAttributeConstraintsType{},
	types.AdminCreateUserConfigType{}, types.MessageTemplateType{}, types.EmailConfigurationType{},
	types.VerificationMessageTemplateType{}, types.LambdaConfigType{}, types.UserAttributeUpdateSettingsType{},
	types.AccountRecoverySettingType{}, types.RecoveryOptionType{}, types.UsernameConfigurationType{},
	types.UserPoolDescriptionType{}, types.UserPoolClientType{}, types.UserPoolClientDescription{},
	types.TokenValidityUnitsType{}, types.RefreshTokenRotationType{}, types.DeviceConfigurationType{},
)

// poolsDescribe returns DescribeUserPool's answer for the pool.
func poolsDescribe(t *testing.T, e *env, poolID string) *types.UserPoolType {
	t.Helper()
	out, err := e.Client.DescribeUserPool(e.ctx(), &cip.DescribeUserPoolInput{UserPoolId: aws.String(poolID)})
	if err != nil {
		t.Fatalf("DescribeUserPool: %v", err)
	}
	return out.UserPool
}

// poolsDescribeClient returns DescribeUserPoolClient's answer for the client.
func poolsDescribeClient(t *testing.T, e *env, poolID, clientID string) *types.UserPoolClientType {
	t.Helper()
	out, err := e.Client.DescribeUserPoolClient(e.ctx(), &cip.DescribeUserPoolClientInput{
		UserPoolId: aws.String(poolID), ClientId: aws.String(clientID),
	})
	if err != nil {
		t.Fatalf("DescribeUserPoolClient: %v", err)
	}
	return out.UserPoolClient
}

// poolsAttribute finds a schema attribute by name.
func poolsAttribute(t *testing.T, p *types.UserPoolType, name string) types.SchemaAttributeType {
	t.Helper()
	for _, a := range p.SchemaAttributes {
		if aws.ToString(a.Name) == name {
			return a
		}
	}
	t.Fatalf("no schema attribute %s", name)
	return types.SchemaAttributeType{}
}

// poolsCustomAttributes are the pool's custom attributes, in schema order.
func poolsCustomAttributes(p *types.UserPoolType) []types.SchemaAttributeType {
	var out []types.SchemaAttributeType
	for _, a := range p.SchemaAttributes {
		if n := aws.ToString(a.Name); len(n) > 7 && (n[:7] == "custom:" || n[:4] == "dev:") {
			out = append(out, a)
		}
	}
	return out
}

// poolsWantRawError asserts a hand-made request was answered with the
// Cognito exception typ and message msg.
func poolsWantRawError(t *testing.T, status int, body map[string]any, typ, msg string) {
	t.Helper()
	if status != 400 || body["__type"] != typ || body["message"] != msg {
		t.Fatalf("answer = %d %v, want 400 %s %q", status, body, typ, msg)
	}
}

// poolsDiff is cmp.Diff with poolsCmp.
func poolsDiff(want, got any, opts ...cmp.Option) string {
	return cmp.Diff(want, got, append([]cmp.Option{poolsCmp}, opts...)...)
}

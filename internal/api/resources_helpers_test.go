package api_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// Helpers for the tests of the domain, resource server, group and tag
// actions.

// resUnknownPool is a well-formed id of a pool that does not exist.
const resUnknownPool = "us-east-1_NoSuchPool"

var (
	// resCloudFrontHost is the shape of the CloudFront host a domain gets.
	resCloudFrontHost = regexp.MustCompile(`^d[a-z0-9]{13}\.cloudfront\.net$`)
	// resAccountID is the shape of an AWS account id.
	resAccountID = regexp.MustCompile(`^[0-9]{12}$`)
)

// resIgnoreSerde makes cmp skip the SDK's unexported serialisation
// markers in the shapes these tests compare.
var resIgnoreSerde = cmpopts.IgnoreUnexported(
	types.GroupType{}, types.ResourceServerType{}, types.ResourceServerScopeType{},
	types.DomainDescriptionType{}, types.CustomDomainConfigType{},
)

// resPoolARN returns the pool's ARN as DescribeUserPool reports it, so the
// tag tests use the ARN a client would.
func resPoolARN(t *testing.T, e *env, poolID string) string {
	t.Helper()
	out, err := e.Client.DescribeUserPool(e.ctx(), &cip.DescribeUserPoolInput{UserPoolId: aws.String(poolID)})
	if err != nil {
		t.Fatal(err)
	}
	arn := aws.ToString(out.UserPool.Arn)
	if arn == "" {
		t.Fatal("DescribeUserPool returned no Arn")
	}
	return arn
}

// resCreateGroup creates a group with only a name.
func resCreateGroup(t *testing.T, e *env, poolID, name string) *types.GroupType {
	t.Helper()
	out, err := e.Client.CreateGroup(e.ctx(), &cip.CreateGroupInput{UserPoolId: aws.String(poolID), GroupName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	return out.Group
}

// resScopes makes scopes named as given, each described "<name> access".
func resScopes(names ...string) []types.ResourceServerScopeType {
	var out []types.ResourceServerScopeType
	for _, n := range names {
		out = append(out, types.ResourceServerScopeType{ScopeName: aws.String(n), ScopeDescription: aws.String(n + " access")})
	}
	return out
}

// resCreateResourceServer creates a resource server with the given scopes.
func resCreateResourceServer(t *testing.T, e *env, poolID, identifier string, scopes ...string) *types.ResourceServerType {
	t.Helper()
	out, err := e.Client.CreateResourceServer(e.ctx(), &cip.CreateResourceServerInput{
		UserPoolId: aws.String(poolID), Identifier: aws.String(identifier), Name: aws.String("Test server"), Scopes: resScopes(scopes...),
	})
	if err != nil {
		t.Fatal(err)
	}
	return out.ResourceServer
}

// resCreateDomain gives the pool a prefix domain.
func resCreateDomain(t *testing.T, e *env, poolID, domain string) {
	t.Helper()
	if _, err := e.Client.CreateUserPoolDomain(e.ctx(), &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(poolID), Domain: aws.String(domain)}); err != nil {
		t.Fatal(err)
	}
}

// resNames returns n distinct names with the prefix, in sorted order.
func resNames(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%02d", prefix, i)
	}
	return out
}

// resARNAccount returns the account field of an ARN.
func resARNAccount(t *testing.T, arn string) string {
	t.Helper()
	parts := strings.Split(arn, ":")
	if len(parts) < 6 {
		t.Fatalf("%q is not an ARN", arn)
	}
	return parts[4]
}

package api_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func TestDescribeUserPoolComputedMembers(t *testing.T) {
	e := newEnv(t)
	id := createTestPool(t, e, nil)
	for _, name := range []string{"alice", "bob"} {
		if _, err := e.Client.AdminCreateUser(e.ctx(), &cip.AdminCreateUserInput{
			UserPoolId: aws.String(id), Username: aws.String(name),
		}); err != nil {
			t.Fatalf("AdminCreateUser: %v", err)
		}
	}
	if _, err := e.Client.CreateUserPoolDomain(e.ctx(), &cip.CreateUserPoolDomainInput{
		UserPoolId: aws.String(id), Domain: aws.String("pools-describe-test"),
	}); err != nil {
		t.Fatalf("CreateUserPoolDomain: %v", err)
	}

	p := poolsDescribe(t, e, id)
	if p.EstimatedNumberOfUsers != 2 {
		t.Errorf("EstimatedNumberOfUsers = %d, want 2", p.EstimatedNumberOfUsers)
	}
	if got := aws.ToString(p.Domain); got != "pools-describe-test" {
		t.Errorf("Domain = %q, want pools-describe-test", got)
	}
	if p.CustomDomain != nil {
		t.Errorf("CustomDomain = %q, want none", aws.ToString(p.CustomDomain))
	}
	if p.Status != "Enabled" {
		t.Errorf("Status = %q, want Enabled", p.Status)
	}
}

func TestDescribeUserPoolCustomDomain(t *testing.T) {
	e := newEnv(t)
	id := createTestPool(t, e, nil)
	if _, err := e.Client.CreateUserPoolDomain(e.ctx(), &cip.CreateUserPoolDomainInput{
		UserPoolId: aws.String(id), Domain: aws.String("login-example"),
		CustomDomainConfig: &types.CustomDomainConfigType{
			CertificateArn: aws.String("arn:aws:acm:us-east-1:123456789012:certificate/abcd-1234"),
		},
	}); err != nil {
		t.Fatalf("CreateUserPoolDomain: %v", err)
	}
	p := poolsDescribe(t, e, id)
	if aws.ToString(p.CustomDomain) != "login-example" || p.Domain != nil {
		t.Errorf("Domain, CustomDomain = %v, %q; want none, login-example", p.Domain, aws.ToString(p.CustomDomain))
	}
}

func TestDescribeUserPoolNotFound(t *testing.T) {
	e := newEnv(t)
	_, err := e.Client.DescribeUserPool(e.ctx(), &cip.DescribeUserPoolInput{UserPoolId: aws.String(poolsUnknownPool)})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool us-east-1_NoSuchPool does not exist.")

	_, err = e.Client.DescribeUserPool(e.ctx(), &cip.DescribeUserPoolInput{UserPoolId: aws.String("no-underscore")})
	wantAPIError(t, err, "InvalidParameterException",
		`1 validation error detected: Value 'no-underscore' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w-]+_[0-9a-zA-Z]+`)
}

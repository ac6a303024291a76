package api_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func TestCreateUserPoolDomainPrefix(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	out, err := e.Client.CreateUserPoolDomain(e.ctx(), &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(pool), Domain: aws.String("my-app")})
	if err != nil {
		t.Fatal(err)
	}
	// A prefix domain has no CloudFront domain to alias; version 1 is the default.
	if out.CloudFrontDomain != nil || aws.ToInt32(out.ManagedLoginVersion) != 1 {
		t.Errorf("output = CloudFrontDomain %v, ManagedLoginVersion %v; want nil, 1", out.CloudFrontDomain, out.ManagedLoginVersion)
	}
	desc, err := e.Client.DescribeUserPool(e.ctx(), &cip.DescribeUserPoolInput{UserPoolId: aws.String(pool)})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(desc.UserPool.Domain); got != "my-app" {
		t.Errorf("DescribeUserPool Domain = %q, want my-app", got)
	}
}

func TestCreateUserPoolDomainCustom(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	cert := "arn:aws:acm:us-east-1:123456789012:certificate/a1b2c3d4"
	out, err := e.Client.CreateUserPoolDomain(e.ctx(), &cip.CreateUserPoolDomainInput{
		UserPoolId: aws.String(pool), Domain: aws.String("login-example"), ManagedLoginVersion: aws.Int32(2),
		CustomDomainConfig: &types.CustomDomainConfigType{CertificateArn: aws.String(cert)},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !resCloudFrontHost.MatchString(aws.ToString(out.CloudFrontDomain)) || aws.ToInt32(out.ManagedLoginVersion) != 2 {
		t.Fatalf("output = CloudFrontDomain %q, ManagedLoginVersion %v", aws.ToString(out.CloudFrontDomain), out.ManagedLoginVersion)
	}
	desc, err := e.Client.DescribeUserPoolDomain(e.ctx(), &cip.DescribeUserPoolDomainInput{Domain: aws.String("login-example")})
	if err != nil {
		t.Fatal(err)
	}
	d := desc.DomainDescription
	if aws.ToString(d.CloudFrontDistribution) != aws.ToString(out.CloudFrontDomain) || d.CustomDomainConfig == nil || aws.ToString(d.CustomDomainConfig.CertificateArn) != cert {
		t.Errorf("description = CloudFrontDistribution %q, CustomDomainConfig %+v", aws.ToString(d.CloudFrontDistribution), d.CustomDomainConfig)
	}
	// DescribeUserPool reports a custom domain as CustomDomain, not Domain.
	p, err := e.Client.DescribeUserPool(e.ctx(), &cip.DescribeUserPoolInput{UserPoolId: aws.String(pool)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(p.UserPool.CustomDomain) != "login-example" || p.UserPool.Domain != nil {
		t.Errorf("DescribeUserPool: CustomDomain %q, Domain %q; want login-example and none", aws.ToString(p.UserPool.CustomDomain), aws.ToString(p.UserPool.Domain))
	}
}

func TestCreateUserPoolDomainErrors(t *testing.T) {
	e := newEnv(t)
	a := createTestPool(t, e, nil)
	b := createTestPool(t, e, nil)
	resCreateDomain(t, e, a, "taken")

	for _, tc := range []struct {
		name     string
		in       *cip.CreateUserPoolDomainInput
		typ, msg string
	}{
		{"name of another pool", &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(b), Domain: aws.String("taken")},
			"InvalidParameterException", "Domain already associated with another user pool."},
		{"second domain", &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(a), Domain: aws.String("other")},
			"InvalidParameterException", "User pool already has a domain configured."},
		{"same domain again", &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(a), Domain: aws.String("taken")},
			"InvalidParameterException", "User pool already has a domain configured."},
		{"unknown pool", &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(resUnknownPool), Domain: aws.String("free")},
			"ResourceNotFoundException", "User pool " + resUnknownPool + " does not exist."},
		{"not a prefix", &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(b), Domain: aws.String("My_App")},
			"InvalidParameterException", `The domain name contains an invalid character. Domain names can only contain lower-case letters, numbers, and hyphens. Please enter a different name that follows this format: ^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$`},
		{"reserved word", &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(b), Domain: aws.String("my-cognito-login")},
			"InvalidParameterException", "Domain cannot contain reserved word: cognito"},
		{"managed login version", &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(b), Domain: aws.String("free"), ManagedLoginVersion: aws.Int32(3)},
			"InvalidParameterException", "ManagedLoginVersion must be 1 (hosted UI classic) or 2 (managed login)."},
		{"certificate not an ARN", &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(b), Domain: aws.String("free"),
			CustomDomainConfig: &types.CustomDomainConfigType{CertificateArn: aws.String("not-an-arn-at-all-really")}},
			"InvalidParameterException", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.Client.CreateUserPoolDomain(e.ctx(), tc.in)
			wantAPIError(t, err, tc.typ, tc.msg)
		})
	}
	// None of the refusals left anything behind: b still has no domain.
	desc, err := e.Client.DescribeUserPoolDomain(e.ctx(), &cip.DescribeUserPoolDomainInput{Domain: aws.String("free")})
	if err != nil {
		t.Fatal(err)
	}
	if desc.DomainDescription == nil || desc.DomainDescription.Domain != nil {
		t.Errorf("free = %+v, want an empty description", desc.DomainDescription)
	}
	resCreateDomain(t, e, b, "free")
}

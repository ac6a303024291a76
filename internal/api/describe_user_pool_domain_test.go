package api_test

import (
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"
)

func TestDescribeUserPoolDomain(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	resCreateDomain(t, e, pool, "describe-me")
	out, err := e.Client.DescribeUserPoolDomain(e.ctx(), &cip.DescribeUserPoolDomainInput{Domain: aws.String("describe-me")})
	if err != nil {
		t.Fatal(err)
	}
	d := out.DomainDescription
	if !resCloudFrontHost.MatchString(aws.ToString(d.CloudFrontDistribution)) {
		t.Errorf("CloudFrontDistribution = %q", aws.ToString(d.CloudFrontDistribution))
	}
	if !resAccountID.MatchString(aws.ToString(d.AWSAccountId)) {
		t.Errorf("AWSAccountId = %q", aws.ToString(d.AWSAccountId))
	}
	want := &types.DomainDescriptionType{
		UserPoolId:             aws.String(pool),
		AWSAccountId:           d.AWSAccountId,
		Domain:                 aws.String("describe-me"),
		CloudFrontDistribution: d.CloudFrontDistribution,
		Version:                aws.String("20261122120000"), // the test clock at creation
		Status:                 types.DomainStatusTypeActive,
		ManagedLoginVersion:    aws.Int32(1),
	}
	if diff := cmp.Diff(want, d, resIgnoreSerde); diff != "" {
		t.Errorf("description (-want +got):\n%s", diff)
	}
}

// An unknown domain is not an error: Cognito answers with an empty
// description, and that exact body is what tools test for.
func TestDescribeUserPoolDomainUnknown(t *testing.T) {
	e := newEnv(t)
	status, _, body := e.raw("DescribeUserPoolDomain", `{"Domain":"nobody-has-this"}`)
	if status != http.StatusOK {
		t.Fatalf("status = %d, body %v", status, body)
	}
	if diff := cmp.Diff(map[string]any{"DomainDescription": map[string]any{}}, body); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}
	out, err := e.Client.DescribeUserPoolDomain(e.ctx(), &cip.DescribeUserPoolDomainInput{Domain: aws.String("nobody-has-this")})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&types.DomainDescriptionType{}, out.DomainDescription, resIgnoreSerde); diff != "" {
		t.Errorf("description (-want +got):\n%s", diff)
	}
}

func TestDescribeUserPoolDomainInvalid(t *testing.T) {
	e := newEnv(t)
	// A name no pool can have is answered like an unknown one: the model's
	// single-label pattern is not enforced, since custom domains have dots.
	out, err := e.Client.DescribeUserPoolDomain(e.ctx(), &cip.DescribeUserPoolDomainInput{Domain: aws.String("Not.A.Prefix")})
	if err != nil || out.DomainDescription == nil || out.DomainDescription.UserPoolId != nil {
		t.Errorf("DescribeUserPoolDomain(Not.A.Prefix) = %+v, %v; want an empty description", out, err)
	}
	status, _, body := e.raw("DescribeUserPoolDomain", `{}`)
	if status != http.StatusBadRequest || body["__type"] != "InvalidParameterException" {
		t.Errorf("missing Domain: status %d, body %v", status, body)
	}
}

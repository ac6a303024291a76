package api_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

func TestDeleteUserPoolDomain(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	resCreateDomain(t, e, pool, "short-lived")
	if _, err := e.Client.DeleteUserPoolDomain(e.ctx(), &cip.DeleteUserPoolDomainInput{UserPoolId: aws.String(pool), Domain: aws.String("short-lived")}); err != nil {
		t.Fatal(err)
	}
	desc, err := e.Client.DescribeUserPoolDomain(e.ctx(), &cip.DescribeUserPoolDomainInput{Domain: aws.String("short-lived")})
	if err != nil {
		t.Fatal(err)
	}
	if desc.DomainDescription == nil || desc.DomainDescription.Domain != nil {
		t.Errorf("after delete: %+v, want an empty description", desc.DomainDescription)
	}
	p, err := e.Client.DescribeUserPool(e.ctx(), &cip.DescribeUserPoolInput{UserPoolId: aws.String(pool)})
	if err != nil {
		t.Fatal(err)
	}
	if p.UserPool.Domain != nil {
		t.Errorf("DescribeUserPool Domain = %q after delete", aws.ToString(p.UserPool.Domain))
	}
	// Both the pool and the name are free again.
	other := createTestPool(t, e, nil)
	resCreateDomain(t, e, other, "short-lived")
	resCreateDomain(t, e, pool, "second-life")
}

func TestDeleteUserPoolDomainErrors(t *testing.T) {
	e := newEnv(t)
	a := createTestPool(t, e, nil)
	b := createTestPool(t, e, nil)
	resCreateDomain(t, e, a, "kept")
	for _, tc := range []struct {
		name, pool, domain, typ, msg string
	}{
		{"domain of another pool", b, "kept", "InvalidParameterException", "No such domain or user pool exists."},
		{"unknown domain", a, "never-made", "InvalidParameterException", "No such domain or user pool exists."},
		{"unknown pool", resUnknownPool, "kept", "ResourceNotFoundException", "User pool " + resUnknownPool + " does not exist."},
		{"invalid name", a, "Kept!", "InvalidParameterException", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.Client.DeleteUserPoolDomain(e.ctx(), &cip.DeleteUserPoolDomainInput{UserPoolId: aws.String(tc.pool), Domain: aws.String(tc.domain)})
			wantAPIError(t, err, tc.typ, tc.msg)
		})
	}
	desc, err := e.Client.DescribeUserPoolDomain(e.ctx(), &cip.DescribeUserPoolDomainInput{Domain: aws.String("kept")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(desc.DomainDescription.UserPoolId) != a {
		t.Errorf("kept belongs to %q after the refused deletes, want %s", aws.ToString(desc.DomainDescription.UserPoolId), a)
	}
}

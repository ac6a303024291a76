package api_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func TestUpdateUserPoolDomain(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	resCreateDomain(t, e, pool, "upd")
	e.Clock.Advance(90 * time.Minute)
	out, err := e.Client.UpdateUserPoolDomain(e.ctx(), &cip.UpdateUserPoolDomainInput{UserPoolId: aws.String(pool), Domain: aws.String("upd"), ManagedLoginVersion: aws.Int32(2)})
	if err != nil {
		t.Fatal(err)
	}
	if out.CloudFrontDomain != nil || aws.ToInt32(out.ManagedLoginVersion) != 2 {
		t.Errorf("output = CloudFrontDomain %v, ManagedLoginVersion %v", out.CloudFrontDomain, out.ManagedLoginVersion)
	}
	desc, err := e.Client.DescribeUserPoolDomain(e.ctx(), &cip.DescribeUserPoolDomainInput{Domain: aws.String("upd")})
	if err != nil {
		t.Fatal(err)
	}
	if d := desc.DomainDescription; aws.ToInt32(d.ManagedLoginVersion) != 2 || aws.ToString(d.Version) != "20261122133000" {
		t.Errorf("after update: ManagedLoginVersion %v, Version %q", d.ManagedLoginVersion, aws.ToString(d.Version))
	}
	// Leaving ManagedLoginVersion out keeps it.
	out, err = e.Client.UpdateUserPoolDomain(e.ctx(), &cip.UpdateUserPoolDomainInput{UserPoolId: aws.String(pool), Domain: aws.String("upd")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToInt32(out.ManagedLoginVersion) != 2 {
		t.Errorf("ManagedLoginVersion = %v after an update without it, want 2", out.ManagedLoginVersion)
	}
}

func TestUpdateUserPoolDomainCertificate(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	created, err := e.Client.CreateUserPoolDomain(e.ctx(), &cip.CreateUserPoolDomainInput{
		UserPoolId: aws.String(pool), Domain: aws.String("authcustom"),
		CustomDomainConfig: &types.CustomDomainConfigType{CertificateArn: aws.String("arn:aws:acm:us-east-1:123456789012:certificate/old")},
	})
	if err != nil {
		t.Fatal(err)
	}
	newCert := "arn:aws:acm:us-east-1:123456789012:certificate/new"
	out, err := e.Client.UpdateUserPoolDomain(e.ctx(), &cip.UpdateUserPoolDomainInput{UserPoolId: aws.String(pool), Domain: aws.String("authcustom"),
		CustomDomainConfig: &types.CustomDomainConfigType{CertificateArn: aws.String(newCert)}})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.CloudFrontDomain) != aws.ToString(created.CloudFrontDomain) || aws.ToInt32(out.ManagedLoginVersion) != 1 {
		t.Errorf("output = %q, %v; want %q, 1", aws.ToString(out.CloudFrontDomain), out.ManagedLoginVersion, aws.ToString(created.CloudFrontDomain))
	}
	desc, err := e.Client.DescribeUserPoolDomain(e.ctx(), &cip.DescribeUserPoolDomainInput{Domain: aws.String("authcustom")})
	if err != nil {
		t.Fatal(err)
	}
	if c := desc.DomainDescription.CustomDomainConfig; c == nil || aws.ToString(c.CertificateArn) != newCert {
		t.Errorf("CustomDomainConfig = %+v, want %s", c, newCert)
	}
}

func TestUpdateUserPoolDomainErrors(t *testing.T) {
	e := newEnv(t)
	a := createTestPool(t, e, nil)
	b := createTestPool(t, e, nil)
	resCreateDomain(t, e, a, "owned-by-a")
	cert := &types.CustomDomainConfigType{CertificateArn: aws.String("arn:aws:acm:us-east-1:123456789012:certificate/x")}
	for _, tc := range []struct {
		name     string
		in       *cip.UpdateUserPoolDomainInput
		typ, msg string
	}{
		{"domain of another pool", &cip.UpdateUserPoolDomainInput{UserPoolId: aws.String(b), Domain: aws.String("owned-by-a"), ManagedLoginVersion: aws.Int32(2)},
			"InvalidParameterException", "No such domain or user pool exists."},
		{"unknown domain", &cip.UpdateUserPoolDomainInput{UserPoolId: aws.String(a), Domain: aws.String("nope"), ManagedLoginVersion: aws.Int32(2)},
			"InvalidParameterException", "No such domain or user pool exists."},
		{"unknown pool", &cip.UpdateUserPoolDomainInput{UserPoolId: aws.String(resUnknownPool), Domain: aws.String("owned-by-a"), ManagedLoginVersion: aws.Int32(2)},
			"ResourceNotFoundException", "User pool " + resUnknownPool + " does not exist."},
		{"certificate on a prefix domain", &cip.UpdateUserPoolDomainInput{UserPoolId: aws.String(a), Domain: aws.String("owned-by-a"), CustomDomainConfig: cert},
			"InvalidParameterException", "CustomDomainConfig can only be set on a custom domain."},
		{"managed login version", &cip.UpdateUserPoolDomainInput{UserPoolId: aws.String(a), Domain: aws.String("owned-by-a"), ManagedLoginVersion: aws.Int32(0)},
			"InvalidParameterException", "ManagedLoginVersion must be 1 (hosted UI classic) or 2 (managed login)."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.Client.UpdateUserPoolDomain(e.ctx(), tc.in)
			wantAPIError(t, err, tc.typ, tc.msg)
		})
	}
	// The SDK will not send a request without UserPoolId; the server
	// refuses it too.
	status, _, body := e.raw("UpdateUserPoolDomain", `{"Domain":"owned-by-a","ManagedLoginVersion":2}`)
	if want := "1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null"; status != http.StatusBadRequest || body["message"] != want {
		t.Errorf("without UserPoolId: status %d, body %v", status, body)
	}
	desc, err := e.Client.DescribeUserPoolDomain(e.ctx(), &cip.DescribeUserPoolDomainInput{Domain: aws.String("owned-by-a")})
	if err != nil {
		t.Fatal(err)
	}
	if d := desc.DomainDescription; aws.ToString(d.UserPoolId) != a || aws.ToInt32(d.ManagedLoginVersion) != 1 || d.CustomDomainConfig != nil {
		t.Errorf("the refused updates changed the domain: %+v", d)
	}
}

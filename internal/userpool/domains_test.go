package userpool

import (
	"regexp"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/userpool/userpool/internal/cognito"
)

func TestCheckDomainName(t *testing.T) {
	for _, tc := range []struct {
		name    string
		custom  bool
		wantErr string
	}{
		{"myapp", false, ""},
		{"my-app-1", false, ""},
		{"a", false, ""},
		{"-myapp", false, msgPrefixInvalid},
		{"myapp-", false, msgPrefixInvalid},
		{"My-App", false, msgPrefixInvalid},
		{"auth.example.com", false, msgPrefixInvalid},
		{"my-aws-app", false, "Domain cannot contain reserved word: aws"},
		{"amazonapp", false, "Domain cannot contain reserved word: amazon"},
		{"xcognitox", false, "Domain cannot contain reserved word: cognito"},
		// Custom domains are host names; the reserved words are a rule of
		// Cognito's own prefix namespace only.
		{"auth.example.com", true, ""},
		{"login.aws-shop.example", true, ""},
		{"localauth", true, ""},
		{"auth..example.com", true, "The custom domain auth..example.com is not a valid host name."},
		{"auth.example.com.", true, "The custom domain auth.example.com. is not a valid host name."},
		{"auth_x.example.com", true, "The custom domain auth_x.example.com is not a valid host name."},
	} {
		err := checkDomainName(tc.name, tc.custom)
		if tc.wantErr == "" {
			if err != nil {
				t.Errorf("checkDomainName(%q, %v) = %v, want nil", tc.name, tc.custom, err)
			}
			continue
		}
		var got string
		if ce, ok := err.(*cognito.Error); ok && ce.Type == cognito.TypeInvalidParameter {
			got = ce.Message
		}
		if got != tc.wantErr {
			t.Errorf("checkDomainName(%q, %v) = %v, want InvalidParameterException %q", tc.name, tc.custom, err, tc.wantErr)
		}
	}
}

func TestDomainLifecycle(t *testing.T) {
	s, st, clk := resTestService(t)
	ctx := t.Context()
	pool := resTestPool(t, s, st, "us-east-1_Dom1")

	out, err := s.CreateUserPoolDomain(ctx, &cognito.CreateUserPoolDomainInput{UserPoolID: pool, Domain: "myapp"})
	resNoErr(t, err)
	// A prefix domain: version 1 by default, no CloudFront domain.
	if diff := cmp.Diff(&cognito.CreateUserPoolDomainOutput{ManagedLoginVersion: resPtr[int64](1)}, out); diff != "" {
		t.Errorf("create output (-want +got):\n%s", diff)
	}

	desc, err := s.DescribeUserPoolDomain(ctx, &cognito.DescribeUserPoolDomainInput{Domain: "myapp"})
	resNoErr(t, err)
	d := desc.DomainDescription
	if !regexp.MustCompile(`^d[a-z0-9]{13}\.cloudfront\.net$`).MatchString(d.CloudFrontDistribution) {
		t.Errorf("CloudFrontDistribution = %q", d.CloudFrontDistribution)
	}
	want := &cognito.DomainDescriptionType{
		UserPoolID:             pool,
		AWSAccountID:           "123456789012",
		Domain:                 "myapp",
		CloudFrontDistribution: d.CloudFrontDistribution,
		Version:                "20261122120000",
		Status:                 "ACTIVE",
		ManagedLoginVersion:    resPtr[int64](1),
	}
	if diff := cmp.Diff(want, d); diff != "" {
		t.Errorf("description (-want +got):\n%s", diff)
	}

	prefix, custom, err := poolDomainNames(ctx, st, pool)
	resNoErr(t, err)
	if prefix != "myapp" || custom != "" {
		t.Errorf("poolDomainNames = %q, %q; want myapp, \"\"", prefix, custom)
	}

	clk.advance(time.Hour)
	up, err := s.UpdateUserPoolDomain(ctx, &cognito.UpdateUserPoolDomainInput{UserPoolID: pool, Domain: "myapp", ManagedLoginVersion: resPtr[int64](2)})
	resNoErr(t, err)
	if diff := cmp.Diff(&cognito.UpdateUserPoolDomainOutput{ManagedLoginVersion: resPtr[int64](2)}, up); diff != "" {
		t.Errorf("update output (-want +got):\n%s", diff)
	}
	desc, err = s.DescribeUserPoolDomain(ctx, &cognito.DescribeUserPoolDomainInput{Domain: "myapp"})
	resNoErr(t, err)
	want.ManagedLoginVersion = resPtr[int64](2)
	want.Version = "20261122130000"
	if diff := cmp.Diff(want, desc.DomainDescription); diff != "" {
		t.Errorf("description after update (-want +got):\n%s", diff)
	}

	// A prefix domain has no certificate to change.
	_, err = s.UpdateUserPoolDomain(ctx, &cognito.UpdateUserPoolDomainInput{UserPoolID: pool, Domain: "myapp",
		CustomDomainConfig: &cognito.CustomDomainConfigType{CertificateARn: "arn:aws:acm:us-east-1:123456789012:certificate/x"}})
	resWantErr(t, err, cognito.TypeInvalidParameter, msgCertOnPrefixDomain)

	resNoErr(t, s.DeleteUserPoolDomain(ctx, &cognito.DeleteUserPoolDomainInput{UserPoolID: pool, Domain: "myapp"}))
	desc, err = s.DescribeUserPoolDomain(ctx, &cognito.DescribeUserPoolDomainInput{Domain: "myapp"})
	resNoErr(t, err)
	if diff := cmp.Diff(&cognito.DomainDescriptionType{}, desc.DomainDescription); diff != "" {
		t.Errorf("description after delete (-want +got):\n%s", diff)
	}
	prefix, custom, err = poolDomainNames(ctx, st, pool)
	resNoErr(t, err)
	if prefix != "" || custom != "" {
		t.Errorf("poolDomainNames after delete = %q, %q", prefix, custom)
	}
	// The name is free again.
	_, err = s.CreateUserPoolDomain(ctx, &cognito.CreateUserPoolDomainInput{UserPoolID: pool, Domain: "myapp"})
	resNoErr(t, err)
}

// Custom domains with dots are exercised here, below the API: the service
// model's Domain pattern (one DNS label) still applies at the API.
func TestCustomDomain(t *testing.T) {
	s, st, _ := resTestService(t)
	ctx := t.Context()
	pool := resTestPool(t, s, st, "us-east-1_Dom2")
	cert := "arn:aws:acm:us-east-1:123456789012:certificate/one"
	out, err := s.CreateUserPoolDomain(ctx, &cognito.CreateUserPoolDomainInput{
		UserPoolID: pool, Domain: "auth.example.com", ManagedLoginVersion: resPtr[int64](2),
		CustomDomainConfig: &cognito.CustomDomainConfigType{CertificateARn: cert},
	})
	resNoErr(t, err)
	if !regexp.MustCompile(`^d[a-z0-9]{13}\.cloudfront\.net$`).MatchString(out.CloudFrontDomain) || *out.ManagedLoginVersion != 2 {
		t.Fatalf("create output = %+v", out)
	}
	prefix, custom, err := poolDomainNames(ctx, st, pool)
	resNoErr(t, err)
	if prefix != "" || custom != "auth.example.com" {
		t.Errorf("poolDomainNames = %q, %q; want \"\", auth.example.com", prefix, custom)
	}

	cert2 := "arn:aws:acm:us-east-1:123456789012:certificate/two"
	up, err := s.UpdateUserPoolDomain(ctx, &cognito.UpdateUserPoolDomainInput{UserPoolID: pool, Domain: "auth.example.com",
		CustomDomainConfig: &cognito.CustomDomainConfigType{CertificateARn: cert2}})
	resNoErr(t, err)
	// The CloudFront host is fixed at creation; omitted members keep their values.
	if up.CloudFrontDomain != out.CloudFrontDomain || *up.ManagedLoginVersion != 2 {
		t.Errorf("update output = %+v, want CloudFrontDomain %s and version 2", up, out.CloudFrontDomain)
	}
	desc, err := s.DescribeUserPoolDomain(ctx, &cognito.DescribeUserPoolDomainInput{Domain: "auth.example.com"})
	resNoErr(t, err)
	if got := desc.DomainDescription.CustomDomainConfig; got == nil || got.CertificateARn != cert2 {
		t.Errorf("CustomDomainConfig = %+v, want %s", got, cert2)
	}
}

func TestDomainErrors(t *testing.T) {
	s, st, _ := resTestService(t)
	ctx := t.Context()
	a := resTestPool(t, s, st, "us-east-1_DomA")
	b := resTestPool(t, s, st, "us-east-1_DomB")
	_, err := s.CreateUserPoolDomain(ctx, &cognito.CreateUserPoolDomainInput{UserPoolID: a, Domain: "taken"})
	resNoErr(t, err)

	_, err = s.CreateUserPoolDomain(ctx, &cognito.CreateUserPoolDomainInput{UserPoolID: b, Domain: "taken"})
	resWantErr(t, err, cognito.TypeInvalidParameter, msgDomainTaken)
	_, err = s.CreateUserPoolDomain(ctx, &cognito.CreateUserPoolDomainInput{UserPoolID: a, Domain: "second"})
	resWantErr(t, err, cognito.TypeInvalidParameter, msgPoolHasDomain)
	_, err = s.CreateUserPoolDomain(ctx, &cognito.CreateUserPoolDomainInput{UserPoolID: "us-east-1_Nope", Domain: "free"})
	resWantErr(t, err, cognito.TypeResourceNotFound, "User pool us-east-1_Nope does not exist.")
	_, err = s.CreateUserPoolDomain(ctx, &cognito.CreateUserPoolDomainInput{UserPoolID: b, Domain: "free", ManagedLoginVersion: resPtr[int64](3)})
	resWantErr(t, err, cognito.TypeInvalidParameter, msgManagedLoginRange)

	// Update and Delete refuse a domain of another pool, or none, alike.
	for _, name := range []string{"taken", "nosuch"} {
		_, err = s.UpdateUserPoolDomain(ctx, &cognito.UpdateUserPoolDomainInput{UserPoolID: b, Domain: name, ManagedLoginVersion: resPtr[int64](2)})
		resWantErr(t, err, cognito.TypeInvalidParameter, msgNoSuchDomain)
		err = s.DeleteUserPoolDomain(ctx, &cognito.DeleteUserPoolDomainInput{UserPoolID: b, Domain: name})
		resWantErr(t, err, cognito.TypeInvalidParameter, msgNoSuchDomain)
	}
	_, err = s.UpdateUserPoolDomain(ctx, &cognito.UpdateUserPoolDomainInput{UserPoolID: a, Domain: "taken", ManagedLoginVersion: resPtr[int64](0)})
	resWantErr(t, err, cognito.TypeInvalidParameter, msgManagedLoginRange)
	err = s.DeleteUserPoolDomain(ctx, &cognito.DeleteUserPoolDomainInput{UserPoolID: "us-east-1_Nope", Domain: "taken"})
	resWantErr(t, err, cognito.TypeResourceNotFound, "User pool us-east-1_Nope does not exist.")

	// The failed calls changed nothing.
	desc, err := s.DescribeUserPoolDomain(ctx, &cognito.DescribeUserPoolDomainInput{Domain: "taken"})
	resNoErr(t, err)
	if desc.DomainDescription.UserPoolID != a || *desc.DomainDescription.ManagedLoginVersion != 1 {
		t.Errorf("description = %+v", desc.DomainDescription)
	}
}

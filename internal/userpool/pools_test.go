package userpool

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/userpool/userpool/internal/cognito"
)

func TestNextTokens(t *testing.T) {
	tok := encodeNextToken("pools", "us-east-1_abc")
	if tok == "" || tok == "us-east-1_abc" {
		t.Fatalf("token %q is not opaque", tok)
	}
	if key, err := decodeNextToken("pools", tok); err != nil || key != "us-east-1_abc" {
		t.Errorf("decode = %q, %v", key, err)
	}
	if encodeNextToken("pools", "") != "" {
		t.Error("the last page has a token")
	}
	if key, err := decodeNextToken("pools", ""); err != nil || key != "" {
		t.Errorf("decode of no token = %q, %v", key, err)
	}
	for _, bad := range []string{"!!!", encodeNextToken("clients/us-east-1_abc", "x"), "cG9vbHM"} {
		_, err := decodeNextToken("pools", bad)
		poolsWantErr(t, err, cognito.TypeInvalidParameter, "The NextToken is not valid.")
	}
}

func TestPoolPolicies(t *testing.T) {
	i := func(n int64) *int64 { return &n }
	b := func(v bool) *bool { return &v }
	tests := []struct {
		name   string
		in     *cognito.UserPoolPolicyType
		admin  *cognito.AdminCreateUserConfigType
		want   cognito.PasswordPolicyType
		errMsg string
	}{
		{"no policy", nil, nil, cognito.PasswordPolicyType{
			MinimumLength: i(8), RequireUppercase: b(true), RequireLowercase: b(true), RequireNumbers: b(true),
			RequireSymbols: b(true), TemporaryPasswordValidityDays: i(7),
		}, ""},
		{"partial policy", &cognito.UserPoolPolicyType{PasswordPolicy: &cognito.PasswordPolicyType{RequireNumbers: b(true)}}, nil,
			cognito.PasswordPolicyType{
				MinimumLength: i(8), RequireUppercase: b(false), RequireLowercase: b(false), RequireNumbers: b(true),
				RequireSymbols: b(false), TemporaryPasswordValidityDays: i(7),
			}, ""},
		{"history kept", &cognito.UserPoolPolicyType{PasswordPolicy: &cognito.PasswordPolicyType{MinimumLength: i(20), PasswordHistorySize: i(5)}}, nil,
			cognito.PasswordPolicyType{
				MinimumLength: i(20), PasswordHistorySize: i(5), RequireUppercase: b(false), RequireLowercase: b(false),
				RequireNumbers: b(false), RequireSymbols: b(false), TemporaryPasswordValidityDays: i(7),
			}, ""},
		{"legacy validity", nil, &cognito.AdminCreateUserConfigType{UnusedAccountValidityDays: i(4)}, cognito.PasswordPolicyType{
			MinimumLength: i(8), RequireUppercase: b(true), RequireLowercase: b(true), RequireNumbers: b(true),
			RequireSymbols: b(true), TemporaryPasswordValidityDays: i(4),
		}, ""},
		{"both validities agree", &cognito.UserPoolPolicyType{PasswordPolicy: &cognito.PasswordPolicyType{TemporaryPasswordValidityDays: i(4)}},
			&cognito.AdminCreateUserConfigType{UnusedAccountValidityDays: i(4)}, cognito.PasswordPolicyType{
				MinimumLength: i(8), RequireUppercase: b(false), RequireLowercase: b(false), RequireNumbers: b(false),
				RequireSymbols: b(false), TemporaryPasswordValidityDays: i(4),
			}, ""},
		{"validities differ", &cognito.UserPoolPolicyType{PasswordPolicy: &cognito.PasswordPolicyType{TemporaryPasswordValidityDays: i(4)}},
			&cognito.AdminCreateUserConfigType{UnusedAccountValidityDays: i(5)}, cognito.PasswordPolicyType{},
			"Please use TemporaryPasswordValidityDays in PasswordPolicy instead of UnusedAccountValidityDays"},
		{"sign-in without password", &cognito.UserPoolPolicyType{SignInPolicy: &cognito.SignInPolicyType{AllowedFirstAuthFactors: []string{"EMAIL_OTP"}}}, nil,
			cognito.PasswordPolicyType{}, "Password should be configured as one of the allowed first auth factors."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := poolPolicies(tt.in, tt.admin)
			if tt.errMsg != "" {
				poolsWantErr(t, err, cognito.TypeInvalidParameter, tt.errMsg)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, *got.PasswordPolicy); d != "" {
				t.Errorf("PasswordPolicy (-want +got):\n%s", d)
			}
			if d := cmp.Diff([]string{"PASSWORD"}, got.SignInPolicy.AllowedFirstAuthFactors); d != "" {
				t.Errorf("AllowedFirstAuthFactors (-want +got):\n%s", d)
			}
		})
	}
}

func TestPoolRegionAndARN(t *testing.T) {
	s := New(Config{Region: "eu-west-1", AccountID: "123456789012"})
	// A pool keeps the region of its id even when the server's changes.
	if got := s.poolARN("ap-south-1_AbCdEfGhI"); got != "arn:aws:cognito-idp:ap-south-1:123456789012:userpool/ap-south-1_AbCdEfGhI" {
		t.Errorf("poolARN = %q", got)
	}
}

func TestCreatePoolStoresDefaults(t *testing.T) {
	s, st := poolsTestService(t)
	p, err := s.CreatePool(t.Context(), &cognito.CreateUserPoolInput{PoolName: "p"})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := st.GetPool(t.Context(), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	stored, err := decodePool(rec)
	if err != nil {
		t.Fatal(err)
	}
	// What other packages read through Pool() has the defaults filled in;
	// only the members computed on read are missing.
	if stored.Policies == nil || *stored.Policies.PasswordPolicy.MinimumLength != 8 || stored.ARn != p.ARn || len(stored.SchemaAttributes) != 20 {
		t.Errorf("stored pool = %+v", stored)
	}
	if stored.EstimatedNumberOfUsers != nil || stored.Status != "" {
		t.Errorf("computed members stored: users %v, status %q", stored.EstimatedNumberOfUsers, stored.Status)
	}
}

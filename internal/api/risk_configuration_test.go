package api_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// riskInput is a full SetRiskConfiguration request for the pool, or for
// a client when client is not "".
func riskInput(pool, client string) *cip.SetRiskConfigurationInput {
	in := &cip.SetRiskConfigurationInput{
		UserPoolId: aws.String(pool),
		CompromisedCredentialsRiskConfiguration: &types.CompromisedCredentialsRiskConfigurationType{
			EventFilter: []types.EventFilterType{types.EventFilterTypeSignIn, types.EventFilterTypePasswordChange},
			Actions:     &types.CompromisedCredentialsActionsType{EventAction: types.CompromisedCredentialsEventActionTypeBlock},
		},
		AccountTakeoverRiskConfiguration: &types.AccountTakeoverRiskConfigurationType{
			Actions: &types.AccountTakeoverActionsType{
				HighAction: &types.AccountTakeoverActionType{EventAction: types.AccountTakeoverEventActionTypeBlock, Notify: true},
				LowAction:  &types.AccountTakeoverActionType{EventAction: types.AccountTakeoverEventActionTypeNoAction, Notify: false},
			},
			NotifyConfiguration: &types.NotifyConfigurationType{
				SourceArn:  aws.String("arn:aws:ses:us-east-1:123456789012:identity/security@example.com"),
				From:       aws.String("security@example.com"),
				BlockEmail: &types.NotifyEmailType{Subject: aws.String("Blocked"), TextBody: aws.String("We blocked a sign-in.")},
			},
		},
		RiskExceptionConfiguration: &types.RiskExceptionConfigurationType{
			BlockedIPRangeList: []string{"192.0.2.0/24"},
			SkippedIPRangeList: []string{"2001:db8::/32", "10.0.0.1/32"},
		},
	}
	if client != "" {
		in.ClientId = aws.String(client)
	}
	return in
}

var riskIgnore = cmpopts.IgnoreUnexported(types.RiskConfigurationType{}, types.CompromisedCredentialsRiskConfigurationType{},
	types.CompromisedCredentialsActionsType{}, types.AccountTakeoverRiskConfigurationType{}, types.AccountTakeoverActionsType{},
	types.AccountTakeoverActionType{}, types.NotifyConfigurationType{}, types.NotifyEmailType{}, types.RiskExceptionConfigurationType{})

func riskDescribe(t *testing.T, e *env, pool, client string) *types.RiskConfigurationType {
	t.Helper()
	in := &cip.DescribeRiskConfigurationInput{UserPoolId: aws.String(pool)}
	if client != "" {
		in.ClientId = aws.String(client)
	}
	out, err := e.Client.DescribeRiskConfiguration(e.ctx(), in)
	if err != nil {
		t.Fatalf("DescribeRiskConfiguration(%s, %q): %v", pool, client, err)
	}
	return out.RiskConfiguration
}

func TestRiskConfiguration(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	client := aws.ToString(createTestClient(t, e, pool, nil).ClientId)

	if got := riskDescribe(t, e, pool, ""); aws.ToString(got.UserPoolId) != pool || got.ClientId != nil ||
		got.CompromisedCredentialsRiskConfiguration != nil || got.LastModifiedDate != nil {
		t.Errorf("risk configuration of a new pool = %+v, want its id alone", got)
	}

	in := riskInput(pool, "")
	set, err := e.Client.SetRiskConfiguration(e.ctx(), in)
	if err != nil {
		t.Fatalf("SetRiskConfiguration(pool): %v", err)
	}
	want := &types.RiskConfigurationType{
		UserPoolId:                              aws.String(pool),
		CompromisedCredentialsRiskConfiguration: in.CompromisedCredentialsRiskConfiguration,
		AccountTakeoverRiskConfiguration:        in.AccountTakeoverRiskConfiguration,
		RiskExceptionConfiguration:              in.RiskExceptionConfiguration,
		LastModifiedDate:                        aws.Time(e.Clock.Now().Truncate(time.Second)),
	}
	timeOpt := cmpopts.EquateApproxTime(time.Second)
	if d := cmp.Diff(want, set.RiskConfiguration, riskIgnore, timeOpt); d != "" {
		t.Errorf("SetRiskConfiguration(pool) (-want +got):\n%s", d)
	}
	if d := cmp.Diff(want, riskDescribe(t, e, pool, ""), riskIgnore, timeOpt); d != "" {
		t.Errorf("DescribeRiskConfiguration(pool) (-want +got):\n%s", d)
	}

	// A client without its own configuration inherits the pool's.
	inherited := *want
	inherited.ClientId = aws.String("ALL")
	if d := cmp.Diff(&inherited, riskDescribe(t, e, pool, client), riskIgnore, timeOpt); d != "" {
		t.Errorf("DescribeRiskConfiguration(inheriting client) (-want +got):\n%s", d)
	}

	// A client's own configuration overrides it, until it is reset.
	own := &cip.SetRiskConfigurationInput{
		UserPoolId: aws.String(pool), ClientId: aws.String(client),
		RiskExceptionConfiguration: &types.RiskExceptionConfigurationType{BlockedIPRangeList: []string{"198.51.100.7/32"}},
	}
	if _, err := e.Client.SetRiskConfiguration(e.ctx(), own); err != nil {
		t.Fatalf("SetRiskConfiguration(client): %v", err)
	}
	got := riskDescribe(t, e, pool, client)
	if aws.ToString(got.ClientId) != client || got.CompromisedCredentialsRiskConfiguration != nil ||
		!cmp.Equal(got.RiskExceptionConfiguration.BlockedIPRangeList, []string{"198.51.100.7/32"}) {
		t.Errorf("DescribeRiskConfiguration(client with its own) = %+v", got)
	}
	if _, err := e.Client.SetRiskConfiguration(e.ctx(), &cip.SetRiskConfigurationInput{UserPoolId: aws.String(pool), ClientId: aws.String(client)}); err != nil {
		t.Fatalf("SetRiskConfiguration(reset client): %v", err)
	}
	if got := riskDescribe(t, e, pool, client); aws.ToString(got.ClientId) != "ALL" || got.CompromisedCredentialsRiskConfiguration == nil {
		t.Errorf("DescribeRiskConfiguration(reset client) = %+v, want the pool's", got)
	}

	// A deleted client's configuration goes with it.
	if _, err := e.Client.SetRiskConfiguration(e.ctx(), own); err != nil {
		t.Fatalf("SetRiskConfiguration(client again): %v", err)
	}
	if _, err := e.Client.DeleteUserPoolClient(e.ctx(), &cip.DeleteUserPoolClientInput{UserPoolId: aws.String(pool), ClientId: aws.String(client)}); err != nil {
		t.Fatalf("DeleteUserPoolClient: %v", err)
	}
	_, err = e.Client.DescribeRiskConfiguration(e.ctx(), &cip.DescribeRiskConfigurationInput{UserPoolId: aws.String(pool), ClientId: aws.String(client)})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool client "+client+" does not exist.")

	// Resetting the pool's leaves it unconfigured; ClientId ALL names the
	// pool, as in CloudFormation.
	if _, err := e.Client.SetRiskConfiguration(e.ctx(), &cip.SetRiskConfigurationInput{UserPoolId: aws.String(pool), ClientId: aws.String("ALL")}); err != nil {
		t.Fatalf("SetRiskConfiguration(reset pool): %v", err)
	}
	if got := riskDescribe(t, e, pool, ""); got.AccountTakeoverRiskConfiguration != nil || got.RiskExceptionConfiguration != nil {
		t.Errorf("DescribeRiskConfiguration after a reset = %+v, want none", got)
	}
}

func TestRiskConfigurationErrors(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	other := createTestPool(t, e, nil)
	client := aws.ToString(createTestClient(t, e, other, nil).ClientId)
	set := func(mutate func(*cip.SetRiskConfigurationInput)) error {
		in := riskInput(pool, "")
		mutate(in)
		_, err := e.Client.SetRiskConfiguration(e.ctx(), in)
		return err
	}
	tests := []struct {
		name, typ, message string
		err                error
	}{
		{"no such pool", "ResourceNotFoundException", "User pool " + poolsUnknownPool + " does not exist.",
			set(func(in *cip.SetRiskConfigurationInput) { in.UserPoolId = aws.String(poolsUnknownPool) })},
		{"client of another pool", "ResourceNotFoundException", "User pool client " + client + " does not exist.",
			set(func(in *cip.SetRiskConfigurationInput) { in.ClientId = aws.String(client) })},
		{"notify without a notify configuration", "InvalidParameterException",
			"NotifyConfiguration is required when an account takeover action notifies users.",
			set(func(in *cip.SetRiskConfigurationInput) { in.AccountTakeoverRiskConfiguration.NotifyConfiguration = nil })},
		{"not a CIDR range", "InvalidParameterException", "10.0.0.300/8 is not a valid IPv4 or IPv6 CIDR range.",
			set(func(in *cip.SetRiskConfigurationInput) {
				in.RiskExceptionConfiguration.SkippedIPRangeList = []string{"10.0.0.300/8"}
			})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantAPIError(t, tt.err, tt.typ, tt.message) })
	}
	// The SDK checks required members itself; the server checks them too.
	status, _, body := e.raw("SetRiskConfiguration", `{"UserPoolId":"`+pool+`","CompromisedCredentialsRiskConfiguration":{"EventFilter":["SIGN_IN"]}}`)
	if status != 400 || body["__type"] != "InvalidParameterException" || body["message"] != "1 validation error detected: Value null at "+
		"'compromisedCredentialsRiskConfiguration.actions' failed to satisfy constraint: Member must not be null" {
		t.Errorf("SetRiskConfiguration without Actions = %d %v", status, body)
	}
	_, err := e.Client.DescribeRiskConfiguration(e.ctx(), &cip.DescribeRiskConfigurationInput{UserPoolId: aws.String(poolsUnknownPool)})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool "+poolsUnknownPool+" does not exist.")
	if got := riskDescribe(t, e, pool, ""); got.RiskExceptionConfiguration != nil {
		t.Errorf("a refused SetRiskConfiguration stored %+v", got)
	}
}

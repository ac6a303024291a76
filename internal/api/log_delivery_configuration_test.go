package api_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

const (
	logsGroupARN  = "arn:aws:logs:us-east-1:123456789012:log-group:userpool"
	logsBucketARN = "arn:aws:s3:::userpool-logs"
)

var logsIgnore = cmpopts.IgnoreUnexported(types.LogDeliveryConfigurationType{}, types.LogConfigurationType{},
	types.CloudWatchLogsConfigurationType{}, types.S3ConfigurationType{}, types.FirehoseConfigurationType{})

// logsNotification and logsAuthEvents are valid configurations of the
// two event sources.
func logsNotification() types.LogConfigurationType {
	return types.LogConfigurationType{
		EventSource: types.EventSourceNameUserNotification, LogLevel: types.LogLevelError,
		CloudWatchLogsConfiguration: &types.CloudWatchLogsConfigurationType{LogGroupArn: aws.String(logsGroupARN)},
	}
}

func logsAuthEvents() types.LogConfigurationType {
	return types.LogConfigurationType{
		EventSource: types.EventSourceNameUserAuthEvents, LogLevel: types.LogLevelInfo,
		S3Configuration: &types.S3ConfigurationType{BucketArn: aws.String(logsBucketARN)},
	}
}

func logsGet(t *testing.T, e *env, pool string) *types.LogDeliveryConfigurationType {
	t.Helper()
	out, err := e.Client.GetLogDeliveryConfiguration(e.ctx(), &cip.GetLogDeliveryConfigurationInput{UserPoolId: aws.String(pool)})
	if err != nil {
		t.Fatalf("GetLogDeliveryConfiguration: %v", err)
	}
	return out.LogDeliveryConfiguration
}

func TestLogDeliveryConfiguration(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	if got := logsGet(t, e, pool); aws.ToString(got.UserPoolId) != pool || len(got.LogConfigurations) != 0 {
		t.Errorf("log delivery of a new pool = %+v, want none", got)
	}

	configs := []types.LogConfigurationType{logsNotification(), logsAuthEvents()}
	set, err := e.Client.SetLogDeliveryConfiguration(e.ctx(), &cip.SetLogDeliveryConfigurationInput{UserPoolId: aws.String(pool), LogConfigurations: configs})
	if err != nil {
		t.Fatalf("SetLogDeliveryConfiguration: %v", err)
	}
	want := &types.LogDeliveryConfigurationType{UserPoolId: aws.String(pool), LogConfigurations: configs}
	if d := cmp.Diff(want, set.LogDeliveryConfiguration, logsIgnore); d != "" {
		t.Errorf("SetLogDeliveryConfiguration (-want +got):\n%s", d)
	}
	if d := cmp.Diff(want, logsGet(t, e, pool), logsIgnore); d != "" {
		t.Errorf("GetLogDeliveryConfiguration (-want +got):\n%s", d)
	}

	// A new configuration replaces the old one whole.
	firehose := logsAuthEvents()
	firehose.S3Configuration = nil
	firehose.FirehoseConfiguration = &types.FirehoseConfigurationType{StreamArn: aws.String("arn:aws:firehose:us-east-1:123456789012:deliverystream/userpool")}
	if _, err := e.Client.SetLogDeliveryConfiguration(e.ctx(), &cip.SetLogDeliveryConfigurationInput{
		UserPoolId: aws.String(pool), LogConfigurations: []types.LogConfigurationType{firehose},
	}); err != nil {
		t.Fatalf("SetLogDeliveryConfiguration(replace): %v", err)
	}
	want.LogConfigurations = []types.LogConfigurationType{firehose}
	if d := cmp.Diff(want, logsGet(t, e, pool), logsIgnore); d != "" {
		t.Errorf("GetLogDeliveryConfiguration after a replace (-want +got):\n%s", d)
	}
}

func TestLogDeliveryConfigurationErrors(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	set := func(pool string, configs ...types.LogConfigurationType) error {
		_, err := e.Client.SetLogDeliveryConfiguration(e.ctx(), &cip.SetLogDeliveryConfigurationInput{UserPoolId: aws.String(pool), LogConfigurations: configs})
		return err
	}
	twoDestinations := logsAuthEvents()
	twoDestinations.CloudWatchLogsConfiguration = logsNotification().CloudWatchLogsConfiguration
	noDestination := logsAuthEvents()
	noDestination.S3Configuration = nil
	notificationToS3 := logsAuthEvents()
	notificationToS3.EventSource, notificationToS3.LogLevel = types.EventSourceNameUserNotification, types.LogLevelError
	notificationAtInfo := logsNotification()
	notificationAtInfo.LogLevel = types.LogLevelInfo
	authAtError := logsAuthEvents()
	authAtError.LogLevel = types.LogLevelError
	emptyARN := logsNotification()
	emptyARN.CloudWatchLogsConfiguration.LogGroupArn = nil
	tests := []struct {
		name, typ, message string
		err                error
	}{
		{"no such pool", "ResourceNotFoundException", "User pool " + poolsUnknownPool + " does not exist.", set(poolsUnknownPool, logsNotification())},
		{"two destinations", "InvalidParameterException", "Each log configuration must have exactly one of CloudWatchLogsConfiguration, S3Configuration and FirehoseConfiguration.", set(pool, twoDestinations)},
		{"no destination", "InvalidParameterException", "Each log configuration must have exactly one of CloudWatchLogsConfiguration, S3Configuration and FirehoseConfiguration.", set(pool, noDestination)},
		{"destination without ARN", "InvalidParameterException", "The destination ARN of a log configuration is required.", set(pool, emptyARN)},
		{"notifications to S3", "InvalidParameterException", "userNotification logs must have LogLevel ERROR and a CloudWatchLogsConfiguration.", set(pool, notificationToS3)},
		{"notifications at INFO", "InvalidParameterException", "userNotification logs must have LogLevel ERROR and a CloudWatchLogsConfiguration.", set(pool, notificationAtInfo)},
		{"auth events at ERROR", "InvalidParameterException", "userAuthEvents logs must have LogLevel INFO.", set(pool, authAtError)},
		{"one source twice", "InvalidParameterException", "Only one log configuration is allowed per EventSource: userNotification is given twice.", set(pool, logsNotification(), logsNotification())},
		{"three configurations", "InvalidParameterException",
			"1 validation error detected: Value at 'logConfigurations' failed to satisfy constraint: Member must have length less than or equal to 2",
			set(pool, logsNotification(), logsAuthEvents(), logsAuthEvents())},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantAPIError(t, tt.err, tt.typ, tt.message) })
	}
	_, err := e.Client.GetLogDeliveryConfiguration(e.ctx(), &cip.GetLogDeliveryConfigurationInput{UserPoolId: aws.String(poolsUnknownPool)})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool "+poolsUnknownPool+" does not exist.")
	if got := logsGet(t, e, pool); len(got.LogConfigurations) != 0 {
		t.Errorf("a refused SetLogDeliveryConfiguration stored %+v", got.LogConfigurations)
	}
}

package userpool

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

// Log delivery settings (SetLogDeliveryConfiguration,
// GetLogDeliveryConfiguration) are stored and returned with Cognito's
// rules. Their destinations are CloudWatch Logs, S3 and Firehose ARNs,
// which Userpool cannot write to; the server maps chosen ARNs to a local
// file or URL instead (--log-destinations, internal/logdelivery), and the
// records for those are delivered there (log_export.go). Records for an
// ARN without a mapping are not delivered.

// logDeliverySetting is the store.PoolSettings name of the configuration.
const logDeliverySetting = "log-delivery"

// Event sources and levels of a log configuration.
const (
	logSourceNotification = "userNotification"
	logSourceAuthEvents   = "userAuthEvents"
	logLevelError         = "ERROR"
	logLevelInfo          = "INFO"
)

// Messages of the log delivery rules, which Cognito's documentation
// states without its wording.
const (
	logMsgOneDestination     = "Each log configuration must have exactly one of CloudWatchLogsConfiguration, S3Configuration and FirehoseConfiguration."
	logMsgNotificationLevel  = "userNotification logs must have LogLevel ERROR and a CloudWatchLogsConfiguration."
	logMsgAuthEventsLevel    = "userAuthEvents logs must have LogLevel INFO."
	logMsgDuplicateSource    = "Only one log configuration is allowed per EventSource: %s is given twice."
	logMsgDestinationMissing = "The destination ARN of a log configuration is required."
)

// SetLogDeliveryConfiguration replaces a pool's log configurations.
func (s *Service) SetLogDeliveryConfiguration(ctx context.Context, poolID string, configs []cognito.LogConfigurationType) (*cognito.LogDeliveryConfigurationType, error) {
	if err := validateLogConfigurations(configs); err != nil {
		return nil, err
	}
	value, err := json.Marshal(configs)
	if err != nil {
		return nil, err
	}
	err = s.cfg.Store.PutPoolSetting(ctx, store.PoolSetting{PoolID: poolID, Name: logDeliverySetting, Value: value, UpdatedAt: s.now()})
	if err != nil {
		return nil, poolError(poolID, err)
	}
	return &cognito.LogDeliveryConfigurationType{UserPoolID: poolID, LogConfigurations: configs}, nil
}

// GetLogDeliveryConfiguration returns a pool's log configurations; none
// for a pool never configured.
func (s *Service) GetLogDeliveryConfiguration(ctx context.Context, poolID string) (*cognito.LogDeliveryConfigurationType, error) {
	if _, err := s.cfg.Store.GetPool(ctx, poolID); err != nil {
		return nil, poolError(poolID, err)
	}
	out := &cognito.LogDeliveryConfigurationType{UserPoolID: poolID, LogConfigurations: []cognito.LogConfigurationType{}}
	ps, err := s.cfg.Store.GetPoolSetting(ctx, poolID, logDeliverySetting)
	if errors.Is(err, store.ErrNotFound) {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(ps.Value, &out.LogConfigurations); err != nil {
		return nil, fmt.Errorf("decode log delivery configuration of %s: %w", poolID, err)
	}
	return out, nil
}

// validateLogConfigurations applies the rules the model's constraints do
// not express: one destination each, the level and destination each
// source allows, and one configuration per source.
func validateLogConfigurations(configs []cognito.LogConfigurationType) error {
	seen := map[string]bool{}
	for _, c := range configs {
		arns := []string{}
		if c.CloudWatchLogsConfiguration != nil {
			arns = append(arns, c.CloudWatchLogsConfiguration.LogGroupARn)
		}
		if c.S3Configuration != nil {
			arns = append(arns, c.S3Configuration.BucketARn)
		}
		if c.FirehoseConfiguration != nil {
			arns = append(arns, c.FirehoseConfiguration.StreamARn)
		}
		switch {
		case len(arns) != 1:
			return cognito.InvalidParameter(logMsgOneDestination)
		case arns[0] == "":
			return cognito.InvalidParameter(logMsgDestinationMissing)
		case c.EventSource == logSourceNotification && (c.LogLevel != logLevelError || c.CloudWatchLogsConfiguration == nil):
			return cognito.InvalidParameter(logMsgNotificationLevel)
		case c.EventSource == logSourceAuthEvents && c.LogLevel != logLevelInfo:
			return cognito.InvalidParameter(logMsgAuthEventsLevel)
		case seen[c.EventSource]:
			return cognito.InvalidParameter(fmt.Sprintf(logMsgDuplicateSource, c.EventSource))
		}
		seen[c.EventSource] = true
	}
	return nil
}

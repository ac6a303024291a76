package userpool

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/delivery"
	"github.com/userpool/userpool/internal/store"
)

// LogWriter delivers a pool's exported log records to the destination an
// ARN names (internal/logdelivery). Write reports whether the record was
// delivered; it never fails the caller.
type LogWriter interface {
	Write(ctx context.Context, arn string, record []byte) bool
}

// logRecord is one exported record, in the shape of Cognito's examples
// ("Exporting logs from Amazon Cognito user pools").
type logRecord struct {
	EventTimestamp string      `json:"eventTimestamp"` // unix milliseconds, as a string
	EventSource    string      `json:"eventSource"`
	LogLevel       string      `json:"logLevel"`
	Message        any         `json:"message"`
	LogSourceID    logSourceID `json:"logSourceId"`
}

type logSourceID struct {
	UserPoolID string `json:"userPoolId"`
}

// activityMessage is the message of a user activity record. Cognito writes
// every value as a string. FeedbackToken is Userpool's: the token
// UpdateAuthEventFeedback takes for the event, which Cognito sends in its
// risk notification e-mails instead.
type activityMessage struct {
	Version                       string             `json:"version"`
	EventID                       string             `json:"eventId"`
	EventType                     string             `json:"eventType"`
	UserSub                       string             `json:"userSub"`
	UserName                      string             `json:"userName"`
	UserPoolID                    string             `json:"userPoolId"`
	ClientID                      string             `json:"clientId"`
	CreationDate                  string             `json:"creationDate"`
	EventResponse                 string             `json:"eventResponse"`
	RiskLevel                     string             `json:"riskLevel"`
	RiskDecision                  string             `json:"riskDecision"`
	Challenges                    []activityResponse `json:"challenges"`
	DeviceName                    string             `json:"deviceName"`
	IPAddress                     string             `json:"ipAddress"`
	RequestID                     string             `json:"requestId"`
	IdpName                       string             `json:"idpName"`
	CompromisedCredentialDetected string             `json:"compromisedCredentialDetected"`
	City                          string             `json:"city"`
	Country                       string             `json:"country"`
	EventFeedbackValue            string             `json:"eventFeedbackValue"`
	EventFeedbackDate             string             `json:"eventFeedbackDate"`
	EventFeedbackProvider         string             `json:"eventFeedbackProvider"`
	HasContextData                string             `json:"hasContextData"`
	FeedbackToken                 string             `json:"feedbackToken"`
}

type activityResponse struct {
	ChallengeName     string `json:"challengeName"`
	ChallengeResponse string `json:"challengeResponse"`
}

// javaDate is the date format of Cognito's records, Java's Date.toString.
const javaDate = "Mon Jan 02 15:04:05 MST 2006"

// logDestination returns the destination ARN of a pool's log
// configuration for source, "" when it has none (or it cannot be read:
// exporting is best effort).
func (s *Service) logDestination(ctx context.Context, poolID, source string) string {
	if s.cfg.Logs == nil {
		return ""
	}
	ps, err := s.cfg.Store.GetPoolSetting(ctx, poolID, logDeliverySetting)
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			s.logger().WarnContext(ctx, "pool log configuration not read", "pool", poolID, "err", err)
		}
		return ""
	}
	var configs []cognito.LogConfigurationType
	if err := json.Unmarshal(ps.Value, &configs); err != nil {
		return ""
	}
	for _, c := range configs {
		if c.EventSource != source {
			continue
		}
		switch {
		case c.CloudWatchLogsConfiguration != nil:
			return c.CloudWatchLogsConfiguration.LogGroupARn
		case c.S3Configuration != nil:
			return c.S3Configuration.BucketARn
		case c.FirehoseConfiguration != nil:
			return c.FirehoseConfiguration.StreamARn
		}
	}
	return ""
}

// exportAuthEvent writes an event's user activity record to the pool's
// userAuthEvents destination, if it has one.
func (s *Service) exportAuthEvent(ctx context.Context, pool *cognito.UserPoolType, ev store.AuthEvent) {
	arn := s.logDestination(ctx, pool.ID, logSourceAuthEvents)
	if arn == "" {
		return
	}
	var d authEventDetail
	_ = json.Unmarshal(ev.Detail, &d)
	m := activityMessage{
		Version: "1", EventID: ev.ID, EventType: ev.Type, UserSub: ev.Sub, UserName: d.Username, UserPoolID: pool.ID,
		ClientID: d.ClientID, CreationDate: ev.CreatedAt.UTC().Format(javaDate), EventResponse: ev.Response,
		RiskDecision: "PASS", Challenges: []activityResponse{}, DeviceName: d.Device, IPAddress: d.IP, RequestID: d.RequestID,
		CompromisedCredentialDetected: "false", HasContextData: strconv.FormatBool(d.IP != "" || d.Device != ""),
		FeedbackToken: s.FeedbackToken(pool.ID, ev.Sub, ev.ID),
	}
	for _, c := range d.Challenges {
		m.Challenges = append(m.Challenges, activityResponse{ChallengeName: c.ChallengeName, ChallengeResponse: c.ChallengeResponse})
	}
	if f := d.Feedback; f != nil {
		m.EventFeedbackValue, m.EventFeedbackProvider = f.Value, f.Provider
		m.EventFeedbackDate = time.UnixMilli(f.At).UTC().Format(javaDate)
	}
	s.writeLog(ctx, arn, logRecord{EventSource: "USER_ACTIVITY", LogLevel: logLevelInfo, Message: m, LogSourceID: logSourceID{pool.ID}})
}

// deliveryMessage is the message of a message delivery record: what was
// not delivered and why. Never the code or the body.
type deliveryMessage struct {
	Details        string `json:"details"`
	DeliveryMedium string `json:"deliveryMedium"`
	Purpose        string `json:"purpose"`
	UserName       string `json:"userName"`
}

// exportDeliveryFailure writes an ERROR record of a message that was not
// delivered to the pool's userNotification destination, if it has one.
func (s *Service) exportDeliveryFailure(ctx context.Context, pool *cognito.UserPoolType, m delivery.Message, err error) {
	arn := s.logDestination(ctx, pool.ID, logSourceNotification)
	if arn == "" {
		return
	}
	s.writeLog(ctx, arn, logRecord{EventSource: "USER_NOTIFICATION", LogLevel: logLevelError, LogSourceID: logSourceID{pool.ID},
		Message: deliveryMessage{Details: err.Error(), DeliveryMedium: m.Medium, Purpose: m.Purpose, UserName: m.Username}})
}

func (s *Service) writeLog(ctx context.Context, arn string, r logRecord) {
	r.EventTimestamp = strconv.FormatInt(s.now().UnixMilli(), 10)
	b, err := json.Marshal(r)
	if err != nil {
		s.logger().WarnContext(ctx, "pool log record not encoded", "err", err)
		return
	}
	s.cfg.Logs.Write(ctx, arn, b)
}

package api_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"

	"github.com/userpool/userpool/internal/logdelivery"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/testserver"
)

// The ARNs the event tests' server maps to local files.
const (
	eventsActivityARN = "arn:aws:logs:us-east-1:123456789012:log-group:userpool-activity"
	eventsDeliveryARN = "arn:aws:logs:us-east-1:123456789012:log-group:userpool-delivery"
)

// eventsEnv is a server whose pools' logs go to files: the user activity
// log group's to Activity, the message delivery one's to Delivery.
type eventsEnv struct {
	*lifecycleEnv
	Activity, Delivery string
}

func newEventsEnv(t *testing.T) *eventsEnv {
	t.Helper()
	dir := t.TempDir()
	ev := &eventsEnv{Activity: filepath.Join(dir, "activity.jsonl"), Delivery: filepath.Join(dir, "delivery.jsonl")}
	logs, err := logdelivery.New(logdelivery.Config{Destinations: eventsActivityARN + "=" + ev.Activity + "," + eventsDeliveryARN + "=" + ev.Delivery})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(logs.Close)
	failer := &lifecycleFailer{}
	s := testserver.New(t, testserver.WithoutOAuth2(), testserver.WithOutbox(failer), testserver.WithLogs(logs))
	ev.lifecycleEnv = &lifecycleEnv{env: newEnvFrom(t, s), Outbox: s.Outbox, Failer: failer}
	return ev
}

// eventsPool creates a pool with threat protection in mode (no add-on
// when mode is "") that verifies e-mail addresses, an app client allowing the password flows and the
// CONFIRMED user alice (tokensPassword, mfaEmail).
func eventsPool(t *testing.T, e *env, mode types.AdvancedSecurityModeType) (string, *types.UserPoolClientType) {
	t.Helper()
	pool := createTestPool(t, e, func(in *cip.CreateUserPoolInput) {
		in.AutoVerifiedAttributes = []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}
		if mode != "" {
			in.UserPoolAddOns = &types.UserPoolAddOnsType{AdvancedSecurityMode: mode}
		}
	})
	c := tokensClient(t, e, pool, nil)
	tokensUser(t, e, pool, "alice", "email", mfaEmail, "email_verified", "true")
	return pool, c
}

// eventsList lists every event of a user, MaxResults at a time.
func eventsList(t *testing.T, e *env, pool, username string, max int32) []types.AuthEventType {
	t.Helper()
	var out []types.AuthEventType
	in := &cip.AdminListUserAuthEventsInput{UserPoolId: aws.String(pool), Username: aws.String(username), MaxResults: aws.Int32(max)}
	for pages := 0; ; pages++ {
		page, err := e.Client.AdminListUserAuthEvents(e.ctx(), in)
		if err != nil {
			t.Fatalf("AdminListUserAuthEvents: %v", err)
		}
		if max > 0 && len(page.AuthEvents) > int(max) {
			t.Fatalf("page of %d events, want at most %d", len(page.AuthEvents), max)
		}
		out = append(out, page.AuthEvents...)
		if page.NextToken == nil {
			return out
		}
		if pages > 100 {
			t.Fatal("AdminListUserAuthEvents never ends")
		}
		in.NextToken = page.NextToken
	}
}

// eventSummary is what the tests compare of an event.
type eventSummary struct {
	Type, Response string
	Challenges     []string // "Password:Success"
}

func summarize(evs []types.AuthEventType) []eventSummary {
	out := []eventSummary{}
	for _, ev := range evs {
		s := eventSummary{Type: string(ev.EventType), Response: string(ev.EventResponse)}
		for _, c := range ev.ChallengeResponses {
			s.Challenges = append(s.Challenges, string(c.ChallengeName)+":"+string(c.ChallengeResponse))
		}
		out = append(out, s)
	}
	return out
}

// Sign-ins, a failed one, a password change and a reset are recorded
// newest first, with Cognito's risk verdict of no risk, the request's
// address and the device its User-Agent names; pages of any size list
// them all.
func TestAdminListUserAuthEvents(t *testing.T) {
	e := newEventsEnv(t)
	pool, c := eventsPool(t, e.env, types.AdvancedSecurityModeTypeAudit)

	r := e.signIn(pool, c, "alice", tokensPassword)
	e.Clock.Advance(time.Second)
	if _, err := tokensInitiate(e.env, c, "alice", tokensWrongPassword); err == nil {
		t.Fatal("a wrong password signed in")
	}
	e.Clock.Advance(time.Second)
	if _, err := e.Client.ChangePassword(e.ctx(), &cip.ChangePasswordInput{AccessToken: r.AccessToken,
		PreviousPassword: aws.String(tokensPassword), ProposedPassword: aws.String(tokensPassword + "x")}); err != nil {
		t.Fatalf("ChangePassword: %v", err)
	}
	e.Clock.Advance(time.Second)
	if _, err := e.forgot(c, "alice"); err != nil {
		t.Fatalf("ForgotPassword: %v", err)
	}
	e.Clock.Advance(time.Second)
	if err := e.confirmForgot(c, "alice", e.code(mfaEmail), tokensPassword); err != nil {
		t.Fatalf("ConfirmForgotPassword: %v", err)
	}

	want := []eventSummary{
		{Type: "ForgotPassword", Response: "Pass"},
		{Type: "PasswordChange", Response: "Pass", Challenges: []string{"Password:Success"}},
		{Type: "SignIn", Response: "Fail", Challenges: []string{"Password:Failure"}},
		{Type: "SignIn", Response: "Pass", Challenges: []string{"Password:Success"}},
	}
	for _, max := range []int32{0, 1, 3, 60} {
		evs := eventsList(t, e.env, pool, "alice", max)
		if d := cmp.Diff(want, summarize(evs)); d != "" {
			t.Fatalf("events, pages of %d (-want +got):\n%s", max, d)
		}
	}
	evs := eventsList(t, e.env, pool, "alice", 0)
	last := evs[len(evs)-1]
	if got := last.CreationDate; got == nil || !got.Equal(testserver.Start) {
		t.Errorf("CreationDate = %v, want %v", got, testserver.Start)
	}
	if r := last.EventRisk; r == nil || r.RiskDecision != types.RiskDecisionTypeNoRisk || r.CompromisedCredentialsDetected == nil || *r.CompromisedCredentialsDetected {
		t.Errorf("EventRisk = %+v, want NoRisk, no compromised credentials", r)
	}
	if cd := last.EventContextData; cd == nil || aws.ToString(cd.IpAddress) != "127.0.0.1" || aws.ToString(cd.DeviceName) != "Other, Other" {
		t.Errorf("EventContextData = %+v, want 127.0.0.1 and the SDK's Other, Other", cd)
	}
	if last.EventFeedback != nil || last.EventId == nil {
		t.Errorf("EventId %v, EventFeedback %+v: want an id and no feedback", last.EventId, last.EventFeedback)
	}
	// The user is named as the other admin actions name them: an e-mail
	// address is no name in a pool without e-mail aliases.
	_, err := e.Client.AdminListUserAuthEvents(e.ctx(), &cip.AdminListUserAuthEventsInput{UserPoolId: aws.String(pool), Username: aws.String(mfaEmail)})
	wantAPIError(t, err, "UserNotFoundException", "User does not exist.")
}

// A sign-up awaiting its confirmation is in progress; a code sent again
// is an event of its own.
func TestAuthEventsSignUp(t *testing.T) {
	e := newEventsEnv(t)
	pool, c := eventsPool(t, e.env, types.AdvancedSecurityModeTypeAudit)
	e.mustSignUp(c, "bob", "email", "bob@example.com")
	e.Clock.Advance(time.Second)
	if _, err := e.Client.ResendConfirmationCode(e.ctx(), &cip.ResendConfirmationCodeInput{ClientId: c.ClientId, Username: aws.String("bob")}); err != nil {
		t.Fatalf("ResendConfirmationCode: %v", err)
	}
	want := []eventSummary{{Type: "ResendCode", Response: "Pass"}, {Type: "SignUp", Response: "InProgress"}}
	if d := cmp.Diff(want, summarize(eventsList(t, e.env, pool, "bob", 0))); d != "" {
		t.Errorf("events (-want +got):\n%s", d)
	}
}

// A sign-in with MFA is one event: InProgress after the password, then
// Pass with both steps once the code is right; a wrong code fails it.
func TestAuthEventsMFA(t *testing.T) {
	e := newEventsEnv(t)
	pool, c := eventsPool(t, e.env, types.AdvancedSecurityModeTypeEnforced)
	mfaConfigure(t, e.env, pool, types.UserPoolMfaTypeOptional, "SOFTWARE_TOKEN_MFA")
	r := e.signIn(pool, c, "alice", tokensPassword)
	secret := mfaEnrollTOTP(t, e.env, aws.ToString(r.AccessToken), true)

	ch := mfaChallenge(t, e.env, c, "alice", types.ChallengeNameTypeSoftwareTokenMfa)
	got := summarize(eventsList(t, e.env, pool, "alice", 0))
	if d := cmp.Diff(eventSummary{Type: "SignIn", Response: "InProgress", Challenges: []string{"Password:Success"}}, got[0]); d != "" {
		t.Errorf("event after the password (-want +got):\n%s", d)
	}
	out, err := mfaRespond(e.env, c, types.ChallengeNameTypeSoftwareTokenMfa, ch.Session, "alice", "SOFTWARE_TOKEN_MFA_CODE", mfaCode(t, e.env, secret))
	mfaWantTokens(t, e.env, out, err)
	e.Clock.Advance(time.Second)

	ch = mfaChallenge(t, e.env, c, "alice", types.ChallengeNameTypeSoftwareTokenMfa)
	_, err = mfaRespond(e.env, c, types.ChallengeNameTypeSoftwareTokenMfa, ch.Session, "alice", "SOFTWARE_TOKEN_MFA_CODE", mfaWrong(t, e.env, secret))
	wantAPIError(t, err, "CodeMismatchException", "")

	want := []eventSummary{
		{Type: "SignIn", Response: "Fail", Challenges: []string{"Password:Success", "Mfa:Failure"}},
		{Type: "SignIn", Response: "Pass", Challenges: []string{"Password:Success", "Mfa:Success"}},
		{Type: "SignIn", Response: "Pass", Challenges: []string{"Password:Success"}},
	}
	if d := cmp.Diff(want, summarize(eventsList(t, e.env, pool, "alice", 0))); d != "" {
		t.Errorf("events (-want +got):\n%s", d)
	}
}

// Feedback from the administrator and, with the token of the event's
// activity record, from the user.
func TestAuthEventFeedback(t *testing.T) {
	e := newEventsEnv(t)
	pool, c := eventsPool(t, e.env, types.AdvancedSecurityModeTypeAudit)
	if _, err := e.Client.SetLogDeliveryConfiguration(e.ctx(), &cip.SetLogDeliveryConfigurationInput{UserPoolId: aws.String(pool),
		LogConfigurations: []types.LogConfigurationType{{EventSource: types.EventSourceNameUserAuthEvents, LogLevel: types.LogLevelInfo,
			CloudWatchLogsConfiguration: &types.CloudWatchLogsConfigurationType{LogGroupArn: aws.String(eventsActivityARN)}}}}); err != nil {
		t.Fatal(err)
	}
	e.signIn(pool, c, "alice", tokensPassword)
	e.Clock.Advance(time.Second)
	e.signIn(pool, c, "alice", tokensPassword)
	evs := eventsList(t, e.env, pool, "alice", 0)
	newer, older := aws.ToString(evs[0].EventId), aws.ToString(evs[1].EventId)

	e.Clock.Advance(time.Minute)
	if _, err := e.Client.AdminUpdateAuthEventFeedback(e.ctx(), &cip.AdminUpdateAuthEventFeedbackInput{UserPoolId: aws.String(pool),
		Username: aws.String("alice"), EventId: aws.String(older), FeedbackValue: types.FeedbackValueTypeInvalid}); err != nil {
		t.Fatalf("AdminUpdateAuthEventFeedback: %v", err)
	}
	records := eventsRecords(t, e.Activity)
	if len(records) != 3 {
		t.Fatalf("%d activity records, want 3 (two sign-ins, one feedback)", len(records))
	}
	var token string
	for _, rec := range records[:2] {
		if m := rec.Message; m.EventID == newer {
			token = m.FeedbackToken
		}
	}
	if token == "" {
		t.Fatal("no activity record of the newer sign-in carries its feedback token")
	}
	_, err := e.Client.UpdateAuthEventFeedback(e.ctx(), &cip.UpdateAuthEventFeedbackInput{UserPoolId: aws.String(pool),
		Username: aws.String("alice"), EventId: aws.String(older), FeedbackToken: aws.String(token), FeedbackValue: types.FeedbackValueTypeValid})
	wantAPIError(t, err, "NotAuthorizedException", "Invalid feedback token.")
	if _, err := e.Client.UpdateAuthEventFeedback(e.ctx(), &cip.UpdateAuthEventFeedbackInput{UserPoolId: aws.String(pool),
		Username: aws.String("alice"), EventId: aws.String(newer), FeedbackToken: aws.String(token), FeedbackValue: types.FeedbackValueTypeValid}); err != nil {
		t.Fatalf("UpdateAuthEventFeedback: %v", err)
	}

	evs = eventsList(t, e.env, pool, "alice", 0)
	feedback := func(ev types.AuthEventType) string {
		f := ev.EventFeedback
		if f == nil {
			return ""
		}
		return string(f.FeedbackValue) + " by " + aws.ToString(f.Provider) + " at " + aws.ToTime(f.FeedbackDate).UTC().Format(time.RFC3339)
	}
	at := testserver.Start.Add(time.Second + time.Minute).Format(time.RFC3339)
	if got := []string{feedback(evs[0]), feedback(evs[1])}; !cmp.Equal(got, []string{"Valid by Cognito at " + at, "Invalid by Admin at " + at}) {
		t.Errorf("feedback = %q", got)
	}
	if m := eventsRecords(t, e.Activity)[3].Message; m.EventID != newer || m.EventFeedbackValue != "Valid" || m.EventFeedbackProvider != "Cognito" {
		t.Errorf("activity record of the user's feedback = %+v", m)
	}

	// What each action refuses.
	_, err = e.Client.AdminUpdateAuthEventFeedback(e.ctx(), &cip.AdminUpdateAuthEventFeedbackInput{UserPoolId: aws.String(pool),
		Username: aws.String("alice"), EventId: aws.String("a1b2c3d4-0000-0000-0000-000000000000"), FeedbackValue: types.FeedbackValueTypeValid})
	wantAPIError(t, err, "ResourceNotFoundException", "Auth event not found.")
	_, err = e.Client.AdminUpdateAuthEventFeedback(e.ctx(), &cip.AdminUpdateAuthEventFeedbackInput{UserPoolId: aws.String(pool),
		Username: aws.String("alice"), EventId: aws.String(newer), FeedbackValue: "Maybe"})
	wantAPIError(t, err, "InvalidParameterException", "")
	_, err = e.Client.AdminUpdateAuthEventFeedback(e.ctx(), &cip.AdminUpdateAuthEventFeedbackInput{UserPoolId: aws.String(pool),
		Username: aws.String("bob"), EventId: aws.String(newer), FeedbackValue: types.FeedbackValueTypeValid})
	wantAPIError(t, err, "UserNotFoundException", "User does not exist.")
	_, err = e.Client.UpdateAuthEventFeedback(e.ctx(), &cip.UpdateAuthEventFeedbackInput{UserPoolId: aws.String(pool),
		Username: aws.String("alice"), EventId: aws.String(newer), FeedbackToken: aws.String("not-the-token"), FeedbackValue: types.FeedbackValueTypeValid})
	wantAPIError(t, err, "NotAuthorizedException", "Invalid feedback token.")
	_, err = e.Client.UpdateAuthEventFeedback(e.ctx(), &cip.UpdateAuthEventFeedbackInput{UserPoolId: aws.String(pool),
		Username: aws.String("alice"), EventId: aws.String(newer), FeedbackToken: aws.String("no spaces"), FeedbackValue: types.FeedbackValueTypeValid})
	wantAPIError(t, err, "InvalidParameterException", "")
}

// Every action answers UserPoolAddOnNotEnabledException in a pool without
// threat protection, whose sign-ins are not recorded; and the listing's
// own errors.
func TestAuthEventsErrors(t *testing.T) {
	e := newEventsEnv(t)
	off, c := eventsPool(t, e.env, "")
	audit, _ := eventsPool(t, e.env, types.AdvancedSecurityModeTypeAudit)
	e.signIn(off, c, "alice", tokensPassword)

	const addOn = "UserPoolAddOnNotEnabledException"
	_, err := e.Client.AdminListUserAuthEvents(e.ctx(), &cip.AdminListUserAuthEventsInput{UserPoolId: aws.String(off), Username: aws.String("alice")})
	wantAPIError(t, err, addOn, "")
	_, err = e.Client.AdminUpdateAuthEventFeedback(e.ctx(), &cip.AdminUpdateAuthEventFeedbackInput{UserPoolId: aws.String(off),
		Username: aws.String("alice"), EventId: aws.String("x"), FeedbackValue: types.FeedbackValueTypeValid})
	wantAPIError(t, err, addOn, "")
	_, err = e.Client.UpdateAuthEventFeedback(e.ctx(), &cip.UpdateAuthEventFeedbackInput{UserPoolId: aws.String(off),
		Username: aws.String("alice"), EventId: aws.String("x"), FeedbackToken: aws.String("t"), FeedbackValue: types.FeedbackValueTypeValid})
	wantAPIError(t, err, addOn, "")
	off2 := createTestPool(t, e.env, func(in *cip.CreateUserPoolInput) {
		in.UserPoolAddOns = &types.UserPoolAddOnsType{AdvancedSecurityMode: types.AdvancedSecurityModeTypeOff}
	})
	_, err = e.Client.AdminListUserAuthEvents(e.ctx(), &cip.AdminListUserAuthEventsInput{UserPoolId: aws.String(off2), Username: aws.String("alice")})
	wantAPIError(t, err, addOn, "")

	_, err = e.Client.AdminListUserAuthEvents(e.ctx(), &cip.AdminListUserAuthEventsInput{UserPoolId: aws.String("us-east-1_missing"), Username: aws.String("alice")})
	wantAPIError(t, err, "ResourceNotFoundException", "")
	_, err = e.Client.AdminListUserAuthEvents(e.ctx(), &cip.AdminListUserAuthEventsInput{UserPoolId: aws.String(audit), Username: aws.String("bob")})
	wantAPIError(t, err, "UserNotFoundException", "User does not exist.")
	_, err = e.Client.AdminListUserAuthEvents(e.ctx(), &cip.AdminListUserAuthEventsInput{UserPoolId: aws.String(audit), Username: aws.String("alice"), MaxResults: aws.Int32(61)})
	wantAPIError(t, err, "InvalidParameterException", "")
	_, err = e.Client.AdminListUserAuthEvents(e.ctx(), &cip.AdminListUserAuthEventsInput{UserPoolId: aws.String(audit), Username: aws.String("alice"), NextToken: aws.String("bm90LWEta2V5")})
	wantAPIError(t, err, "InvalidParameterException", "Invalid pagination token.")
	if evs := eventsList(t, e.env, audit, "alice", 0); len(evs) != 0 {
		t.Errorf("a user who never signed in has %d events", len(evs))
	}
	// UpdateAuthEventFeedback is public: it needs no signature.
	status, _, body := e.rawUnsigned("UpdateAuthEventFeedback", `{"UserPoolId":"`+audit+`","Username":"alice","EventId":"x","FeedbackToken":"t","FeedbackValue":"Valid"}`)
	if status != 400 || body["__type"] != "NotAuthorizedException" {
		t.Errorf("unsigned UpdateAuthEventFeedback = %d %v, want 400 NotAuthorizedException", status, body)
	}
}

// activityRecord is a user activity log record as a reader decodes it.
type activityRecord struct {
	EventTimestamp string `json:"eventTimestamp"`
	EventSource    string `json:"eventSource"`
	LogLevel       string `json:"logLevel"`
	LogSourceID    struct {
		UserPoolID string `json:"userPoolId"`
	} `json:"logSourceId"`
	Message struct {
		Version               string `json:"version"`
		EventID               string `json:"eventId"`
		EventType             string `json:"eventType"`
		UserName              string `json:"userName"`
		UserSub               string `json:"userSub"`
		ClientID              string `json:"clientId"`
		EventResponse         string `json:"eventResponse"`
		RiskDecision          string `json:"riskDecision"`
		IPAddress             string `json:"ipAddress"`
		Details               string `json:"details"`
		DeliveryMedium        string `json:"deliveryMedium"`
		EventFeedbackValue    string `json:"eventFeedbackValue"`
		EventFeedbackProvider string `json:"eventFeedbackProvider"`
		FeedbackToken         string `json:"feedbackToken"`
		Challenges            []struct {
			ChallengeName     string `json:"challengeName"`
			ChallengeResponse string `json:"challengeResponse"`
		} `json:"challenges"`
	} `json:"message"`
}

// eventsRecords reads a log file's JSON lines; none when it is empty.
func eventsRecords(t *testing.T, path string) []activityRecord {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []activityRecord
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var r activityRecord
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("log line %q is not JSON: %v", sc.Text(), err)
		}
		out = append(out, r)
	}
	return out
}

// The user activity log gets a record per event step in Cognito's shape;
// a failed message delivery gets an ERROR record in the message delivery
// log, without the code; a pool whose destinations are unmapped delivers
// nothing.
func TestLogDelivery(t *testing.T) {
	e := newEventsEnv(t)
	pool, c := eventsPool(t, e.env, types.AdvancedSecurityModeTypeAudit)
	unmapped, c2 := eventsPool(t, e.env, types.AdvancedSecurityModeTypeAudit)
	for p, arn := range map[string]string{pool: eventsActivityARN, unmapped: "arn:aws:logs:us-east-1:123456789012:log-group:elsewhere"} {
		notify := arn
		if p == pool {
			notify = eventsDeliveryARN
		}
		if _, err := e.Client.SetLogDeliveryConfiguration(e.ctx(), &cip.SetLogDeliveryConfigurationInput{UserPoolId: aws.String(p),
			LogConfigurations: []types.LogConfigurationType{
				{EventSource: types.EventSourceNameUserAuthEvents, LogLevel: types.LogLevelInfo,
					CloudWatchLogsConfiguration: &types.CloudWatchLogsConfigurationType{LogGroupArn: aws.String(arn)}},
				{EventSource: types.EventSourceNameUserNotification, LogLevel: types.LogLevelError,
					CloudWatchLogsConfiguration: &types.CloudWatchLogsConfigurationType{LogGroupArn: aws.String(notify)}},
			}}); err != nil {
			t.Fatal(err)
		}
	}
	e.signIn(unmapped, c2, "alice", tokensPassword)
	if _, err := tokensInitiate(e.env, c, "alice", tokensWrongPassword); err == nil {
		t.Fatal("a wrong password signed in")
	}
	records := eventsRecords(t, e.Activity)
	if len(records) != 1 {
		t.Fatalf("%d activity records, want 1 (the unmapped pool's sign-in goes nowhere)", len(records))
	}
	r := records[0]
	m := r.Message
	if r.EventSource != "USER_ACTIVITY" || r.LogLevel != "INFO" || r.LogSourceID.UserPoolID != pool || r.EventTimestamp != "1795348800000" ||
		m.Version != "1" || m.EventType != "SignIn" || m.EventResponse != "Fail" || m.UserName != "alice" || m.UserSub == "" ||
		m.ClientID != aws.ToString(c.ClientId) || m.RiskDecision != "PASS" || m.IPAddress != "127.0.0.1" || m.FeedbackToken == "" ||
		len(m.Challenges) != 1 || m.Challenges[0].ChallengeName != "Password" || m.Challenges[0].ChallengeResponse != "Failure" {
		t.Errorf("activity record = %+v", r)
	}

	e.Failer.Fail(errors.New("smtp: 550 mailbox unavailable"))
	if _, err := e.forgot(c, "alice"); err == nil {
		t.Fatal("ForgotPassword succeeded with a failing sender")
	}
	failures := eventsRecords(t, e.Delivery)
	if len(failures) != 1 {
		t.Fatalf("%d message delivery records, want 1", len(failures))
	}
	f := failures[0]
	if f.EventSource != "USER_NOTIFICATION" || f.LogLevel != "ERROR" || f.LogSourceID.UserPoolID != pool ||
		f.Message.DeliveryMedium != "EMAIL" || f.Message.Details != "smtp: 550 mailbox unavailable" {
		t.Errorf("message delivery record = %+v", f)
	}
	raw, _ := os.ReadFile(e.Delivery)
	if code := e.lastMessage(mfaEmail).Code; code == "" || strings.Contains(string(raw), code) {
		t.Errorf("the message delivery log holds the code %q: %s", code, raw)
	}
}

// failingEvents is a store whose auth event writes fail.
type failingEvents struct{ store.Store }

func (failingEvents) PutAuthEvent(context.Context, store.AuthEvent) error {
	return errors.New("auth events test: the table is gone")
}

// logBuffer is a server log the test reads while the server may still
// write to it (the access log line of the last request).
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// A sign-in whose event cannot be recorded still signs in; the server's
// log says what was lost.
func TestAuthEventNotRecorded(t *testing.T) {
	var log logBuffer
	e := newEnvFrom(t, testserver.New(t, testserver.WithoutOAuth2(), testserver.WithLogOutput(&log),
		testserver.WithStore(func(db store.Store) store.Store { return failingEvents{db} })))
	pool, c := eventsPool(t, e, types.AdvancedSecurityModeTypeAudit)
	signInUser(t, e, pool, c, "alice", tokensPassword)
	if evs := eventsList(t, e, pool, "alice", 0); len(evs) != 0 {
		t.Errorf("%d events listed, want none", len(evs))
	}
	if !strings.Contains(log.String(), "auth event not recorded") || !strings.Contains(log.String(), "the table is gone") {
		t.Errorf("the log does not report the lost event:\n%s", log.String())
	}
}

// A back end's ContextData names the user's address and browser; the
// public actions' UserContextData the address.
func TestAuthEventsContextData(t *testing.T) {
	e := newEnv(t)
	pool, c := eventsPool(t, e, types.AdvancedSecurityModeTypeAudit)
	const chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"
	if _, err := e.Client.AdminInitiateAuth(e.ctx(), &cip.AdminInitiateAuthInput{UserPoolId: aws.String(pool), ClientId: c.ClientId,
		AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth, AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": tokensPassword},
		ContextData: &types.ContextDataType{IpAddress: aws.String("203.0.113.7"), ServerName: aws.String("app.example.com"), ServerPath: aws.String("/login"),
			HttpHeaders: []types.HttpHeader{{HeaderName: aws.String("user-agent"), HeaderValue: aws.String(chrome)}}}}); err != nil {
		t.Fatalf("AdminInitiateAuth: %v", err)
	}
	e.Clock.Advance(time.Second)
	if _, err := e.Client.InitiateAuth(e.ctx(), &cip.InitiateAuthInput{ClientId: c.ClientId, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters:  map[string]string{"USERNAME": "alice", "PASSWORD": tokensPassword},
		UserContextData: &types.UserContextDataType{IpAddress: aws.String("198.51.100.9")}}); err != nil {
		t.Fatalf("InitiateAuth: %v", err)
	}
	var got []string
	for _, ev := range eventsList(t, e, pool, "alice", 0) {
		got = append(got, aws.ToString(ev.EventContextData.IpAddress)+" "+aws.ToString(ev.EventContextData.DeviceName))
	}
	want := []string{"198.51.100.9 Other, Other", "203.0.113.7 Chrome 126, Windows 10"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("context (-want +got):\n%s", d)
	}
}

// eventsByID is every event of a user, summarized, by EventId.
func eventsByID(t *testing.T, e *env, pool, username string) map[string]eventSummary {
	t.Helper()
	out := map[string]eventSummary{}
	evs := eventsList(t, e, pool, username, 0)
	for i, s := range summarize(evs) {
		out[aws.ToString(evs[i].EventId)] = s
	}
	return out
}

// newestEventID is the id of the user's newest event.
func newestEventID(t *testing.T, e *env, pool, username string) string {
	t.Helper()
	evs := eventsList(t, e, pool, username, 1)
	if len(evs) == 0 {
		t.Fatalf("%s has no events", username)
	}
	return aws.ToString(evs[0].EventId)
}

// eventsUserAuthPool creates a pool with threat protection whose app
// client signs in with USER_AUTH and USER_PASSWORD_AUTH, and the
// CONFIRMED user alice (tokensPassword).
func eventsUserAuthPool(t *testing.T, e *env) (string, *types.UserPoolClientType) {
	t.Helper()
	pool := createTestPool(t, e, func(in *cip.CreateUserPoolInput) {
		in.UserPoolAddOns = &types.UserPoolAddOnsType{AdvancedSecurityMode: types.AdvancedSecurityModeTypeAudit}
	})
	c := createTestClient(t, e, pool, func(in *cip.CreateUserPoolClientInput) {
		in.ExplicitAuthFlows = []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserAuth,
			types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}
	})
	tokensUser(t, e, pool, "alice")
	return pool, c
}

// eventsSelect starts a USER_AUTH sign-in of alice, which asks
// SELECT_CHALLENGE, and returns its session and the id of its event.
func eventsSelect(t *testing.T, e *env, pool string, c *types.UserPoolClientType) (*string, string) {
	t.Helper()
	out, err := uaInitiate(e, c, "alice")
	if err != nil || out.ChallengeName != types.ChallengeNameTypeSelectChallenge {
		t.Fatalf("InitiateAuth USER_AUTH = %v, %v; want SELECT_CHALLENGE", out, err)
	}
	return out.Session, newestEventID(t, e, pool, "alice")
}

// Two sign-ins of one user under way at once (two devices) each finish
// their own event, whichever answers first: the older one passes, the
// newer one fails, and neither answer lands on the other's event.
func TestAuthEventsInterleavedSignIns(t *testing.T) {
	e := newEnv(t)
	pool, c := eventsUserAuthPool(t, e)

	first, firstID := eventsSelect(t, e, pool, c)
	e.Clock.Advance(time.Second)
	second, secondID := eventsSelect(t, e, pool, c)
	if firstID == secondID {
		t.Fatalf("two sign-ins share the event %s", firstID)
	}
	e.Clock.Advance(time.Second)
	out, err := mfaRespond(e, c, types.ChallengeNameTypeSelectChallenge, first, "alice", "ANSWER", "PASSWORD", "PASSWORD", tokensPassword)
	mfaWantTokens(t, e, out, err)
	e.Clock.Advance(time.Second)
	_, err = mfaRespond(e, c, types.ChallengeNameTypeSelectChallenge, second, "alice", "ANSWER", "PASSWORD", "PASSWORD", tokensWrongPassword)
	wantAPIError(t, err, "NotAuthorizedException", "")

	want := map[string]eventSummary{
		firstID:  {Type: "SignIn", Response: "Pass", Challenges: []string{"Password:Success"}},
		secondID: {Type: "SignIn", Response: "Fail", Challenges: []string{"Password:Failure"}},
	}
	if d := cmp.Diff(want, eventsByID(t, e, pool, "alice")); d != "" {
		t.Errorf("events by id (-want +got):\n%s", d)
	}
}

// The same with MFA: the newer sign-in's wrong code fails its own event,
// and the older one's right code then passes the older event.
func TestAuthEventsInterleavedMFA(t *testing.T) {
	e := newEnv(t)
	pool, c := eventsPool(t, e, types.AdvancedSecurityModeTypeAudit)
	mfaConfigure(t, e, pool, types.UserPoolMfaTypeOptional, "SOFTWARE_TOKEN_MFA")
	secret := mfaEnrollTOTP(t, e, aws.ToString(signInUser(t, e, pool, c, "alice", tokensPassword).AccessToken), true)

	first := mfaChallenge(t, e, c, "alice", types.ChallengeNameTypeSoftwareTokenMfa)
	firstID := newestEventID(t, e, pool, "alice")
	e.Clock.Advance(time.Second)
	second := mfaChallenge(t, e, c, "alice", types.ChallengeNameTypeSoftwareTokenMfa)
	secondID := newestEventID(t, e, pool, "alice")
	_, err := mfaRespond(e, c, types.ChallengeNameTypeSoftwareTokenMfa, second.Session, "alice", "SOFTWARE_TOKEN_MFA_CODE", mfaWrong(t, e, secret))
	wantAPIError(t, err, "CodeMismatchException", "")
	out, err := mfaRespond(e, c, types.ChallengeNameTypeSoftwareTokenMfa, first.Session, "alice", "SOFTWARE_TOKEN_MFA_CODE", mfaCode(t, e, secret))
	mfaWantTokens(t, e, out, err)

	got := eventsByID(t, e, pool, "alice")
	for id, want := range map[string]eventSummary{
		firstID:  {Type: "SignIn", Response: "Pass", Challenges: []string{"Password:Success", "Mfa:Success"}},
		secondID: {Type: "SignIn", Response: "Fail", Challenges: []string{"Password:Success", "Mfa:Failure"}},
	} {
		if d := cmp.Diff(want, got[id]); d != "" {
			t.Errorf("event %s (-want +got):\n%s", id, d)
		}
	}
	if len(got) != 3 { // and the sign-in that enrolled the authenticator
		t.Errorf("%d events, want 3: %v", len(got), got)
	}
}

// A session answered again after a wrong answer failed its event starts
// a new event, and the challenges after that answer go on with the new
// one: neither with the failed one nor with another sign-in's started
// since.
func TestAuthEventsRetryAfterFailure(t *testing.T) {
	e := newEnv(t)
	pool, c := eventsUserAuthPool(t, e)
	mfaConfigure(t, e, pool, types.UserPoolMfaTypeOptional, "SOFTWARE_TOKEN_MFA")
	out, err := uaInitiate(e, c, "alice", "PREFERRED_CHALLENGE", "PASSWORD", "PASSWORD", tokensPassword)
	if err != nil || out.AuthenticationResult == nil {
		t.Fatalf("InitiateAuth USER_AUTH with the password = %v, %v; want tokens", out, err)
	}
	secret := mfaEnrollTOTP(t, e, aws.ToString(out.AuthenticationResult.AccessToken), true)
	enrolled := newestEventID(t, e, pool, "alice")

	sel, failedID := eventsSelect(t, e, pool, c)
	e.Clock.Advance(time.Second)
	_, err = mfaRespond(e, c, types.ChallengeNameTypeSelectChallenge, sel, "alice", "ANSWER", "PASSWORD", "PASSWORD", tokensWrongPassword)
	wantAPIError(t, err, "NotAuthorizedException", "")
	e.Clock.Advance(time.Second)
	ch, err := mfaRespond(e, c, types.ChallengeNameTypeSelectChallenge, sel, "alice", "ANSWER", "PASSWORD", "PASSWORD", tokensPassword)
	if err != nil || ch.ChallengeName != types.ChallengeNameTypeSoftwareTokenMfa {
		t.Fatalf("SELECT_CHALLENGE again = %v, %v; want SOFTWARE_TOKEN_MFA", ch, err)
	}
	retryID := newestEventID(t, e, pool, "alice")
	e.Clock.Advance(time.Second)
	mfaChallenge(t, e, c, "alice", types.ChallengeNameTypeSoftwareTokenMfa)
	otherID := newestEventID(t, e, pool, "alice")
	out2, err := mfaRespond(e, c, types.ChallengeNameTypeSoftwareTokenMfa, ch.Session, "alice", "SOFTWARE_TOKEN_MFA_CODE", mfaCode(t, e, secret))
	mfaWantTokens(t, e, out2, err)

	want := map[string]eventSummary{
		enrolled: {Type: "SignIn", Response: "Pass", Challenges: []string{"Password:Success"}},
		failedID: {Type: "SignIn", Response: "Fail", Challenges: []string{"Password:Failure"}},
		retryID:  {Type: "SignIn", Response: "Pass", Challenges: []string{"Password:Success", "Mfa:Success"}},
		otherID:  {Type: "SignIn", Response: "InProgress", Challenges: []string{"Password:Success"}},
	}
	if d := cmp.Diff(want, eventsByID(t, e, pool, "alice")); d != "" {
		t.Errorf("events by id (-want +got):\n%s", d)
	}
}

// An SRP sign-in carries its event in the SECRET_BLOCK: its
// PASSWORD_VERIFIER answer, and the MFA after it, record an event of its
// own, not the one of another sign-in under way.
func TestAuthEventsInterleavedSRP(t *testing.T) {
	e := newEnv(t)
	pool, c := srpSetup(t, e, func(in *cip.CreateUserPoolInput) {
		in.UserPoolAddOns = &types.UserPoolAddOnsType{AdvancedSecurityMode: types.AdvancedSecurityModeTypeAudit}
	}, nil)
	mfaConfigure(t, e, pool, types.UserPoolMfaTypeOptional, "SOFTWARE_TOKEN_MFA")
	secret := mfaEnrollTOTP(t, e, aws.ToString(signInUser(t, e, pool, c, "alice", tokensPassword).AccessToken), true)

	mfaChallenge(t, e, c, "alice", types.ChallengeNameTypeSoftwareTokenMfa)
	otherID := newestEventID(t, e, pool, "alice")
	e.Clock.Advance(time.Second)
	ch, err := srpRespond(e, c, types.ChallengeNameTypePasswordVerifier, srpFresh(t, e, pool, c, "alice", tokensPassword), nil)
	if err != nil || ch.ChallengeName != types.ChallengeNameTypeSoftwareTokenMfa {
		t.Fatalf("PASSWORD_VERIFIER = %v, %v; want SOFTWARE_TOKEN_MFA", ch, err)
	}
	srpID := newestEventID(t, e, pool, "alice")
	if srpID == otherID {
		t.Fatalf("the SRP sign-in recorded on the other sign-in's event %s", otherID)
	}
	out, err := mfaRespond(e, c, types.ChallengeNameTypeSoftwareTokenMfa, ch.Session, "alice", "SOFTWARE_TOKEN_MFA_CODE", mfaCode(t, e, secret))
	mfaWantTokens(t, e, out, err)

	got := eventsByID(t, e, pool, "alice")
	for id, want := range map[string]eventSummary{
		otherID: {Type: "SignIn", Response: "InProgress", Challenges: []string{"Password:Success"}},
		srpID:   {Type: "SignIn", Response: "Pass", Challenges: []string{"Password:Success", "Mfa:Success"}},
	} {
		if d := cmp.Diff(want, got[id]); d != "" {
			t.Errorf("event %s (-want +got):\n%s", id, d)
		}
	}
}

// A challenge session sealed before sessions carried their event's id
// (one a client holds across an upgrade) still continues the sign-in's
// event: the user's newest one under way.
func TestAuthEventsSessionWithoutEventID(t *testing.T) {
	s := testserver.New(t)
	e := newEnvFrom(t, s)
	pool, c := eventsPool(t, e, types.AdvancedSecurityModeTypeAudit)
	mfaConfigure(t, e, pool, types.UserPoolMfaTypeOptional, "SOFTWARE_TOKEN_MFA")
	secret := mfaEnrollTOTP(t, e, aws.ToString(signInUser(t, e, pool, c, "alice", tokensPassword).AccessToken), true)

	ch := mfaChallenge(t, e, c, "alice", types.ChallengeNameTypeSoftwareTokenMfa)
	id := newestEventID(t, e, pool, "alice")
	// The session as it was sealed before: the same claims but the id.
	ad := []byte("userpool auth session v1")
	sealed, err := base64.RawURLEncoding.DecodeString(aws.ToString(ch.Session))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := s.Sealer.Open(sealed, ad)
	if err != nil {
		t.Fatal(err)
	}
	var claims map[string]any
	if err := json.Unmarshal(plain, &claims); err != nil {
		t.Fatal(err)
	}
	if claims["ev"] != id {
		t.Fatalf("the session carries the event %v, want %s", claims["ev"], id)
	}
	delete(claims, "ev")
	plain, _ = json.Marshal(claims)
	old := base64.RawURLEncoding.EncodeToString(s.Sealer.Seal(plain, ad))

	out, err := mfaRespond(e, c, types.ChallengeNameTypeSoftwareTokenMfa, aws.String(old), "alice", "SOFTWARE_TOKEN_MFA_CODE", mfaCode(t, e, secret))
	mfaWantTokens(t, e, out, err)
	got := eventsByID(t, e, pool, "alice")
	if d := cmp.Diff(eventSummary{Type: "SignIn", Response: "Pass", Challenges: []string{"Password:Success", "Mfa:Success"}}, got[id]); d != "" {
		t.Errorf("event %s (-want +got):\n%s", id, d)
	}
	if len(got) != 2 {
		t.Errorf("%d events, want 2: %v", len(got), got)
	}
}

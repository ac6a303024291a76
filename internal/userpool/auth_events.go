package userpool

import (
	"context"
	"crypto/hmac"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/reqctx"
	"github.com/userpool/userpool/internal/store"
)

// RequestContext is what the request of ctx says of its sender.
func RequestContext(ctx context.Context) EventContext {
	ip, userAgent := reqctx.Client(ctx)
	return EventContext{IP: ip, UserAgent: userAgent, RequestID: reqctx.ID(ctx)}
}

// Authentication events are Cognito's threat protection history: a record
// of each sign-in, password change and password reset of a user, which
// AdminListUserAuthEvents pages and the feedback actions annotate. Cognito
// keeps them only for pools whose UserPoolAddOns.AdvancedSecurityMode is
// AUDIT or ENFORCED, and so does Userpool. No risk engine runs here: every
// event is NoRisk, its credentials never found compromised.

// Cognito's event types, responses and challenge names.
const (
	EventSignIn         = "SignIn"
	EventSignUp         = "SignUp"
	EventForgotPassword = "ForgotPassword"
	EventPasswordChange = "PasswordChange"
	EventResendCode     = "ResendCode"

	EventPass       = cognito.EventResponsePass
	EventFail       = cognito.EventResponseFail
	EventInProgress = cognito.EventResponseInprogress

	ChallengePassword = cognito.ChallengeNamePassword
	ChallengeMFA      = cognito.ChallengeNameMfa
)

// Feedback providers: the pool's administrator, or the user (with the
// token an event's log record carries).
const (
	feedbackByAdmin = "Admin"
	feedbackByUser  = "Cognito"
)

// Messages of the auth event actions. Cognito's wording is not published.
const (
	msgAddOnNotEnabled  = "Threat protection is not enabled for this user pool: set UserPoolAddOns AdvancedSecurityMode to AUDIT or ENFORCED."
	msgEventNotFound    = "Auth event not found."
	msgFeedbackToken    = "Invalid feedback token."
	msgEventsNextToken  = "Invalid pagination token."
	feedbackTokenDomain = "userpool auth event feedback v1"
)

// AuthEventRetention bounds how long events are kept and how many per
// user; the server's collector applies it (DeleteOldAuthEvents).
type AuthEventRetention struct {
	Age     time.Duration
	PerUser int
}

// DefaultAuthEventRetention is Cognito's: events are kept for 90 days.
// The per-user bound keeps a user who signs in all day from growing
// without end within them.
var DefaultAuthEventRetention = AuthEventRetention{Age: 90 * 24 * time.Hour, PerUser: 1000}

// RecordsAuthEvents reports whether the pool keeps authentication events:
// threat protection is on, auditing or enforcing.
func RecordsAuthEvents(pool *cognito.UserPoolType) bool {
	if pool == nil || pool.UserPoolAddOns == nil {
		return false
	}
	m := pool.UserPoolAddOns.AdvancedSecurityMode
	return m == cognito.AdvancedSecurityModeAudit || m == cognito.AdvancedSecurityModeEnforced
}

// EventContext is what a request says about where it came from.
type EventContext struct {
	IP        string
	UserAgent string
	RequestID string
}

// AuthEventRecord is one event, or one step of an event under way, as the
// authentication engine reports it.
type AuthEventRecord struct {
	// ID names the event: chosen before a sign-in's first step
	// (NewAuthEventID) and sealed into its challenge sessions, so that
	// each step finds its own sign-in's event even while another
	// sign-in of the user is under way. A first step records the event
	// under it; a continuing one updates exactly that event.
	ID string
	// Continue, for a challenge answered, continues the event ID names
	// while it is of the same type and still InProgress; when it has
	// ended (a wrong answer failed it, and the session is answered
	// again), a new event starts. Without an ID (a session sealed before
	// sessions carried one), the user's newest event is continued when
	// it is of the same type, still InProgress, and younger than Within
	// (the app client's session validity).
	Continue bool
	Within   time.Duration
	Type     string
	Response string
	ClientID string
	// Challenges are the steps this record adds: Password or Mfa, with
	// Success or Failure. Never a secret.
	Challenges []cognito.ChallengeResponseType
	Context    EventContext
}

// authEventDetail is store.AuthEvent.Detail.
type authEventDetail struct {
	Username   string                          `json:"u"`
	ClientID   string                          `json:"c,omitempty"`
	Challenges []cognito.ChallengeResponseType `json:"ch,omitempty"`
	IP         string                          `json:"ip,omitempty"`
	Device     string                          `json:"dn,omitempty"`
	RequestID  string                          `json:"rq,omitempty"`
	Feedback   *eventFeedback                  `json:"fb,omitempty"`
}

type eventFeedback struct {
	Value    string `json:"v"`
	Provider string `json:"p"`
	At       int64  `json:"at"` // unix milliseconds
}

// RecordAuthEvent records an event of u, or the next step of one, and
// returns its id; "" when the pool keeps no events or the record failed.
// A failure is logged, never returned: the sign-in it describes goes on.
func (s *Service) RecordAuthEvent(ctx context.Context, pool *cognito.UserPoolType, u store.User, r AuthEventRecord) string {
	if !RecordsAuthEvents(pool) || u.Sub == "" {
		return ""
	}
	ev, err := s.recordAuthEvent(ctx, pool, u, r)
	if err != nil {
		s.logger().WarnContext(ctx, "auth event not recorded", "pool", pool.ID, "event_type", r.Type, "err", err)
		return ""
	}
	s.exportAuthEvent(ctx, pool, ev)
	return ev.ID
}

func (s *Service) recordAuthEvent(ctx context.Context, pool *cognito.UserPoolType, u store.User, r AuthEventRecord) (store.AuthEvent, error) {
	id := r.ID
	if open := s.openAuthEvent(ctx, pool.ID, u.Sub, r); open != "" {
		ev, err := s.cfg.Store.UpdateAuthEvent(ctx, pool.ID, u.Sub, open, func(ev *store.AuthEvent) error {
			if ev.Type != r.Type || ev.Response != EventInProgress {
				return errEventEnded
			}
			var d authEventDetail
			if err := json.Unmarshal(ev.Detail, &d); err != nil {
				return err
			}
			d.Challenges = append(d.Challenges, r.Challenges...)
			ev.Response = r.Response
			b, err := json.Marshal(d)
			ev.Detail = b
			return err
		})
		switch {
		case errors.Is(err, errEventEnded):
			// Ended since the step began: the step starts an event of
			// its own, under a new id.
			id = ""
		case errors.Is(err, store.ErrNotFound):
			// Not recorded yet (the first step had no user to record it
			// for, as SRP's), or collected since: the step starts it.
		default:
			return ev, err
		}
	}
	if id == "" {
		id = uuid.NewString()
	}
	d := authEventDetail{
		Username: u.Username, ClientID: r.ClientID, Challenges: r.Challenges,
		IP: r.Context.IP, Device: deviceName(r.Context.UserAgent), RequestID: r.Context.RequestID,
	}
	b, err := json.Marshal(d)
	if err != nil {
		return store.AuthEvent{}, err
	}
	ev := store.AuthEvent{PoolID: pool.ID, Sub: u.Sub, ID: id, Type: r.Type, Response: r.Response, CreatedAt: s.now(), Detail: b}
	return ev, s.cfg.Store.PutAuthEvent(ctx, ev)
}

// errEventEnded refuses, inside UpdateAuthEvent, to continue an event
// that is no longer under way.
var errEventEnded = errors.New("auth event ended")

// openAuthEvent returns the id of the event a continuing record goes on
// with, "" when there is none: the one it names, or, for a record that
// names none, the user's newest event while that is under way.
func (s *Service) openAuthEvent(ctx context.Context, poolID, sub string, r AuthEventRecord) string {
	if !r.Continue {
		return ""
	}
	if r.ID != "" {
		return r.ID
	}
	evs, _, err := s.cfg.Store.ListAuthEvents(ctx, poolID, sub, store.Page{Limit: 1})
	if err != nil || len(evs) == 0 {
		return ""
	}
	ev := evs[0]
	if ev.Type != r.Type || ev.Response != EventInProgress || ev.CreatedAt.Before(s.now().Add(-r.Within)) {
		return ""
	}
	return ev.ID
}

// NewAuthEventID is the id of the event a sign-in starting now will
// record (AuthEventRecord.ID); "" in a pool that keeps no events, whose
// sessions then carry none.
func NewAuthEventID(pool *cognito.UserPoolType) string {
	if !RecordsAuthEvents(pool) {
		return ""
	}
	return uuid.NewString()
}

// ResumeAuthEventID is the id the next step of a sign-in records under,
// given id, the one its challenge session carries for the user sub: id
// itself while that event is under way or not recorded yet, a new one
// when it has ended (a wrong answer failed it, and the same session is
// answered again). The step's own challenge sessions carry the id
// returned, so the steps after it continue the new event rather than
// the ended one.
func (s *Service) ResumeAuthEventID(ctx context.Context, pool *cognito.UserPoolType, sub, typ, id string) string {
	if id == "" || sub == "" || !RecordsAuthEvents(pool) {
		return id
	}
	ev, err := s.cfg.Store.GetAuthEvent(ctx, pool.ID, sub, id)
	if err == nil && (ev.Type != typ || ev.Response != EventInProgress) {
		return uuid.NewString()
	}
	// Under way, not recorded yet, or unreadable now: the record
	// itself decides (recordAuthEvent).
	return id
}

// errInProgress marks, for recordUserEvent, a step that succeeded without
// ending its event (a reset code sent, not yet used).
var errInProgress = errors.New("in progress")

// inProgress is err, or errInProgress when the step succeeded.
func inProgress(err error) error {
	if err == nil {
		return errInProgress
	}
	return err
}

// recordUserEvent records the outcome of an account operation of u (a
// password change, a reset): err refused it, errInProgress started it,
// nil completed it. step, when not "", is the check the operation made
// (the previous password). within > 0 continues the user's event of the
// type that is still InProgress and younger than that.
func (s *Service) recordUserEvent(ctx context.Context, pool *cognito.UserPoolType, u store.User, typ, clientID string, err error, step string, within time.Duration) {
	if !RecordsAuthEvents(pool) {
		return
	}
	r := AuthEventRecord{Type: typ, ClientID: clientID, Continue: within > 0, Within: within, Context: RequestContext(ctx)}
	outcome := cognito.ChallengeResponseSuccess
	switch {
	case errors.Is(err, errInProgress):
		r.Response = EventInProgress
	case err != nil:
		r.Response, outcome = EventFail, cognito.ChallengeResponseFailure
	default:
		r.Response = EventPass
	}
	if step != "" {
		r.Challenges = []cognito.ChallengeResponseType{{ChallengeName: step, ChallengeResponse: outcome}}
	}
	s.RecordAuthEvent(ctx, pool, u, r)
}

func (s *Service) logger() *slog.Logger {
	if s.cfg.Logger != nil {
		return s.cfg.Logger
	}
	return slog.Default()
}

// authEventType renders a stored event in the API's shape.
func authEventType(ev store.AuthEvent) cognito.AuthEventType {
	var d authEventDetail
	_ = json.Unmarshal(ev.Detail, &d) // written by this package; a bad one lists what the row holds
	no := false
	out := cognito.AuthEventType{
		EventID: ev.ID, EventType: ev.Type, CreationDate: cognito.Epoch(ev.CreatedAt), EventResponse: ev.Response,
		EventRisk:          &cognito.EventRiskType{RiskDecision: cognito.RiskDecisionNorisk, CompromisedCredentialsDetected: &no},
		ChallengeResponses: d.Challenges,
	}
	if out.ChallengeResponses == nil {
		out.ChallengeResponses = []cognito.ChallengeResponseType{}
	}
	if d.IP != "" || d.Device != "" {
		out.EventContextData = &cognito.EventContextDataType{IpAddress: d.IP, DeviceName: d.Device}
	}
	if d.Feedback != nil {
		out.EventFeedback = &cognito.EventFeedbackType{FeedbackValue: d.Feedback.Value, Provider: d.Feedback.Provider,
			FeedbackDate: cognito.Epoch(time.UnixMilli(d.Feedback.At).UTC())}
	}
	return out
}

// eventsUser loads the pool and user an auth event action names,
// refusing a pool without threat protection, as Cognito does.
func (s *Service) eventsUser(ctx context.Context, poolID, username string) (*cognito.UserPoolType, store.User, error) {
	pool, err := s.Pool(ctx, poolID)
	if err != nil {
		return nil, store.User{}, err
	}
	if !RecordsAuthEvents(pool) {
		return nil, store.User{}, cognito.New(cognito.TypeUserPoolAddOnNotEnabled, msgAddOnNotEnabled)
	}
	u, err := s.lookupUser(ctx, pool, username)
	if err != nil {
		return nil, store.User{}, err
	}
	return pool, u, nil
}

// AdminListUserAuthEvents pages a user's events, newest first.
func (s *Service) AdminListUserAuthEvents(ctx context.Context, in *cognito.AdminListUserAuthEventsInput) (*cognito.AdminListUserAuthEventsOutput, error) {
	pool, u, err := s.eventsUser(ctx, in.UserPoolID, in.Username)
	if err != nil {
		return nil, err
	}
	page := store.Page{}
	if in.MaxResults != nil {
		page.Limit = int(*in.MaxResults) // 0 is Cognito's 60, as it is the store's
	}
	if in.NextToken != "" {
		after, err := decodeEventsToken(in.NextToken)
		if err != nil {
			return nil, err
		}
		page.After = after
	}
	evs, next, err := s.cfg.Store.ListAuthEvents(ctx, pool.ID, u.Sub, page)
	if err != nil {
		return nil, err
	}
	out := &cognito.AdminListUserAuthEventsOutput{AuthEvents: make([]cognito.AuthEventType, 0, len(evs))}
	for _, ev := range evs {
		out.AuthEvents = append(out.AuthEvents, authEventType(ev))
	}
	if next != "" {
		out.NextToken = base64.RawURLEncoding.EncodeToString([]byte(next))
	}
	return out, nil
}

// decodeEventsToken opens a NextToken of AdminListUserAuthEvents: the
// store's page key, base64url. Anything else is refused here rather than
// reaching the store.
func decodeEventsToken(tok string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return "", cognito.InvalidParameter(msgEventsNextToken)
	}
	ms, id, ok := strings.Cut(string(b), ".")
	if _, perr := strconv.ParseInt(ms, 10, 64); !ok || perr != nil || id == "" {
		return "", cognito.InvalidParameter(msgEventsNextToken)
	}
	return string(b), nil
}

// AdminUpdateAuthEventFeedback records the administrator's feedback on an
// event.
func (s *Service) AdminUpdateAuthEventFeedback(ctx context.Context, in *cognito.AdminUpdateAuthEventFeedbackInput) error {
	pool, u, err := s.eventsUser(ctx, in.UserPoolID, in.Username)
	if err != nil {
		return err
	}
	return s.setFeedback(ctx, pool, u, in.EventID, in.FeedbackValue, feedbackByAdmin)
}

// UpdateAuthEventFeedback records a user's feedback on one of their
// events, authorized by the event's feedback token.
func (s *Service) UpdateAuthEventFeedback(ctx context.Context, in *cognito.UpdateAuthEventFeedbackInput) error {
	pool, u, err := s.eventsUser(ctx, in.UserPoolID, in.Username)
	if err != nil {
		return err
	}
	if !hmac.Equal([]byte(in.FeedbackToken), []byte(s.FeedbackToken(pool.ID, u.Sub, in.EventID))) {
		return cognito.NotAuthorized(msgFeedbackToken)
	}
	return s.setFeedback(ctx, pool, u, in.EventID, in.FeedbackValue, feedbackByUser)
}

func (s *Service) setFeedback(ctx context.Context, pool *cognito.UserPoolType, u store.User, eventID, value, provider string) error {
	ev, err := s.cfg.Store.UpdateAuthEvent(ctx, pool.ID, u.Sub, eventID, func(ev *store.AuthEvent) error {
		var d authEventDetail
		if err := json.Unmarshal(ev.Detail, &d); err != nil {
			return err
		}
		d.Feedback = &eventFeedback{Value: value, Provider: provider, At: s.now().UnixMilli()}
		b, err := json.Marshal(d)
		ev.Detail = b
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return cognito.ResourceNotFound(msgEventNotFound)
	}
	if err != nil {
		return err
	}
	s.exportAuthEvent(ctx, pool, ev)
	return nil
}

// FeedbackToken is the token that lets the user of an event give feedback
// on it (UpdateAuthEventFeedback): a MAC of the event, so it is checked
// without being stored. Cognito puts it in the links of its risk
// notification e-mails; Userpool sends none, and puts it in the event's
// user activity log record instead.
func (s *Service) FeedbackToken(poolID, sub, eventID string) string {
	if s.cfg.Sealer == nil {
		return ""
	}
	mac := s.cfg.Sealer.MAC(feedbackTokenDomain, []byte(poolID+"\x00"+sub+"\x00"+eventID))
	return base64.RawURLEncoding.EncodeToString(mac)
}

// deviceName names the browser and system of a User-Agent as Cognito's
// events do ("Chrome 126, Windows 10"); "Other, Other" for what is not a
// known browser (an SDK, a command-line tool).
func deviceName(ua string) string {
	if ua == "" {
		return ""
	}
	browser := "Other"
	for _, b := range []struct{ token, name string }{
		{"Edg/", "Edge"}, {"OPR/", "Opera"}, {"Firefox/", "Firefox"}, {"Chrome/", "Chrome"}, {"Version/", "Safari"},
	} {
		if i := strings.Index(ua, b.token); i >= 0 {
			v := ua[i+len(b.token):]
			if j := strings.IndexAny(v, ". "); j >= 0 {
				v = v[:j]
			}
			browser = strings.TrimSpace(b.name + " " + v)
			break
		}
	}
	system := "Other"
	switch {
	case strings.Contains(ua, "Windows NT 10.0"):
		system = "Windows 10"
	case strings.Contains(ua, "Windows"):
		system = "Windows"
	case strings.Contains(ua, "iPhone"), strings.Contains(ua, "iPad"):
		system = "iOS"
	case strings.Contains(ua, "Mac OS X"):
		system = "Mac OS X"
	case strings.Contains(ua, "Android"):
		system = "Android"
	case strings.Contains(ua, "Linux"):
		system = "Linux"
	}
	return fmt.Sprintf("%s, %s", browser, system)
}

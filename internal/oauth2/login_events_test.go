package oauth2_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/testserver"
)

// Sign-ins on the hosted login page are auth events of a pool with threat
// protection, as the JSON API's are: a wrong password fails one, the
// right one passes the next.
func TestLoginAuthEvents(t *testing.T) {
	e := newHostedEnvPool(t, "", &cognito.CreateUserPoolInput{PoolName: "hosted",
		UserPoolAddOns: &cognito.UserPoolAddOnsType{AdvancedSecurityMode: cognito.AdvancedSecurityModeAudit}})

	q := e.authorizeQuery()
	if r := e.signIn(q, hostedUser, "Wrong-Horse-9!"); r.Status != http.StatusOK {
		t.Fatalf("wrong password: status %d, want the page again", r.Status)
	}
	e.Clock.Advance(1e9)
	if r := e.signIn(q, hostedUser, hostedPassword); r.Status != http.StatusFound {
		t.Fatalf("sign-in: status %d: %s", r.Status, r.Body)
	}
	out, err := e.Svc.AdminListUserAuthEvents(t.Context(), &cognito.AdminListUserAuthEventsInput{UserPoolID: e.PoolID, Username: hostedUser})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ev := range out.AuthEvents {
		s := ev.EventType + " " + ev.EventResponse
		for _, c := range ev.ChallengeResponses {
			s += " " + c.ChallengeName + ":" + c.ChallengeResponse
		}
		if ev.EventContextData == nil || ev.EventContextData.IpAddress != "127.0.0.1" {
			t.Errorf("event %s: context %+v, want the browser's address", ev.EventID, ev.EventContextData)
		}
		got = append(got, s)
	}
	want := []string{"SignIn Pass Password:Success", "SignIn Fail Password:Failure"}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("events = %q, want %q", got, want)
	}
}

// Two hosted sign-ins of one user with MFA under way at once, in two
// browsers, each finish their own event: the newer one's wrong code
// fails the newer event, the older one's right code passes the older.
func TestLoginAuthEventsInterleavedMFA(t *testing.T) {
	ctx := t.Context()
	h, svc := newHostedStack(t, "", testserver.WithOutbox(nil))
	pool, err := svc.CreatePool(ctx, &cognito.CreateUserPoolInput{PoolName: "hosted-events",
		UserPoolAddOns: &cognito.UserPoolAddOnsType{AdvancedSecurityMode: cognito.AdvancedSecurityModeEnforced}})
	if err != nil {
		t.Fatal(err)
	}
	h.PoolID = pool.ID
	addDomain(t, svc, pool.ID)
	h.ClientID = h.createClient(nil)
	h.createUser(hostedUser, hostedPassword, true)
	in := mfaTOTPConfig(cognito.UserPoolMfaOptional)
	in.UserPoolID = pool.ID
	if _, err := svc.SetUserPoolMfaConfig(ctx, in); err != nil {
		t.Fatal(err)
	}
	e := &mfaHostedEnv{hostedEnv: h, Outbox: h.stack.Outbox}
	secret := e.enrollTOTP(hostedUser, true)
	events := func() []cognito.AuthEventType {
		t.Helper()
		out, err := svc.AdminListUserAuthEvents(ctx, &cognito.AdminListUserAuthEventsInput{UserPoolID: e.PoolID, Username: hostedUser})
		if err != nil {
			t.Fatal(err)
		}
		return out.AuthEvents
	}

	q := e.authorizeQuery()
	first := wantMFAForm(t, e.signIn(q, hostedUser, hostedPassword), cognito.ChallengeNameTypeSoftwareTokenMfa)
	firstID := events()[0].EventID
	firstBrowser := e.Browser
	e.Clock.Advance(time.Second)
	e.Browser = e.newBrowser()
	second := wantMFAForm(t, e.signIn(q, hostedUser, hostedPassword), cognito.ChallengeNameTypeSoftwareTokenMfa)
	secondID := events()[0].EventID
	if firstID == secondID {
		t.Fatalf("two sign-ins share the event %s", firstID)
	}
	wantAlert(t, second.post(e.hostedEnv, q, "code", mfaWrongCode(t, e, secret)), "Invalid code or auth state for the user.")
	e.Browser = firstBrowser
	wantCode(t, first.post(e.hostedEnv, q, "code", mfaTOTP(t, secret, e.Clock.Now())), hostedCallback, "st-123")

	got := map[string]string{}
	for _, ev := range events() {
		s := ev.EventType + " " + ev.EventResponse
		for _, c := range ev.ChallengeResponses {
			s += " " + c.ChallengeName + ":" + c.ChallengeResponse
		}
		got[ev.EventID] = s
	}
	want := map[string]string{
		firstID:  "SignIn Pass Password:Success Mfa:Success",
		secondID: "SignIn Fail Password:Success Mfa:Failure",
	}
	if len(got) != 2 || got[firstID] != want[firstID] || got[secondID] != want[secondID] {
		t.Errorf("events = %q, want %q", got, want)
	}
}

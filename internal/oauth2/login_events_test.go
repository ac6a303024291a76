package oauth2_test

import (
	"net/http"
	"testing"

	"github.com/userpool/userpool/internal/cognito"
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

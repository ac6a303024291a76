package userpool

import (
	"testing"
	"time"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

// deviceName names browsers and systems as Cognito's events do.
func TestDeviceName(t *testing.T) {
	for ua, want := range map[string]string{
		"": "",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36":                         "Chrome 126, Windows 10",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0":           "Edge 126, Windows 10",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:127.0) Gecko/20100101 Firefox/127.0":                                                     "Firefox 127, Mac OS X",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1": "Safari 17, iOS",
		"Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36":                            "Chrome 126, Android",
		"aws-sdk-go-v2/1.30.0 os/linux lang/go#1.24 md/GOOS#linux":                                                                                "Other, Other",
		"curl/8.5.0": "Other, Other",
	} {
		if got := deviceName(ua); got != want {
			t.Errorf("deviceName(%q) = %q, want %q", ua, got, want)
		}
	}
}

// An event named by its id: a continuing step updates exactly that event,
// one whose event was collected meanwhile records it again under the same
// id, and one whose event has ended starts a new event, as
// ResumeAuthEventID tells the engine beforehand.
func TestRecordAuthEventByID(t *testing.T) {
	ctx := t.Context()
	f := newMFAFixture(t)
	userTestPool(t, f.st, "p", &cognito.UserPoolType{ID: "p", UserPoolAddOns: &cognito.UserPoolAddOnsType{AdvancedSecurityMode: cognito.AdvancedSecurityModeAudit}})
	pool, err := f.s.Pool(ctx, "p")
	if err != nil {
		t.Fatal(err)
	}
	u := f.user(t, "p", "alice", store.UserMFA{})
	step := func(name, outcome string) []cognito.ChallengeResponseType {
		return []cognito.ChallengeResponseType{{ChallengeName: name, ChallengeResponse: outcome}}
	}
	record := func(id string, cont bool, response string, challenges []cognito.ChallengeResponseType) string {
		t.Helper()
		got := f.s.RecordAuthEvent(ctx, pool, u, AuthEventRecord{ID: id, Continue: cont, Type: EventSignIn, Response: response, Challenges: challenges})
		if got == "" {
			t.Fatal("not recorded")
		}
		return got
	}
	summary := func(id string) string {
		t.Helper()
		ev, err := f.st.GetAuthEvent(ctx, "p", u.Sub, id)
		if err != nil {
			t.Fatalf("event %s: %v", id, err)
		}
		s := ev.Type + " " + ev.Response
		for _, c := range authEventType(ev).ChallengeResponses {
			s += " " + c.ChallengeName + ":" + c.ChallengeResponse
		}
		return s
	}

	a, b := NewAuthEventID(pool), NewAuthEventID(pool)
	if a == "" || a == b {
		t.Fatalf("NewAuthEventID = %q, %q: want two ids", a, b)
	}
	if got := NewAuthEventID(&cognito.UserPoolType{ID: "q"}); got != "" {
		t.Errorf("NewAuthEventID without threat protection = %q, want none", got)
	}
	if got := record(a, false, EventInProgress, step(ChallengePassword, cognito.ChallengeResponseSuccess)); got != a {
		t.Fatalf("first step recorded as %s, want %s", got, a)
	}
	f.clk.t = f.clk.t.Add(time.Second)
	record(b, false, EventInProgress, step(ChallengePassword, cognito.ChallengeResponseSuccess))
	// a continues, though b is newer.
	if got := f.s.ResumeAuthEventID(ctx, pool, u.Sub, EventSignIn, a); got != a {
		t.Errorf("ResumeAuthEventID of an event under way = %s, want %s", got, a)
	}
	if got := record(a, true, EventFail, step(ChallengeMFA, cognito.ChallengeResponseFailure)); got != a {
		t.Errorf("continued as %s, want %s", got, a)
	}
	if got, want := summary(a), "SignIn Fail Password:Success Mfa:Failure"; got != want {
		t.Errorf("a = %q, want %q", got, want)
	}
	if got, want := summary(b), "SignIn InProgress Password:Success"; got != want {
		t.Errorf("b = %q, want %q", got, want)
	}
	// a has ended: the engine is told to go on under a new id, and a
	// record that names a anyway starts an event of its own.
	next := f.s.ResumeAuthEventID(ctx, pool, u.Sub, EventSignIn, a)
	if next == "" || next == a || next == b {
		t.Errorf("ResumeAuthEventID of an ended event = %q, want a new id", next)
	}
	c := record(a, true, EventPass, step(ChallengeMFA, cognito.ChallengeResponseSuccess))
	if c == a || c == b {
		t.Errorf("a step of an ended event continued %s", c)
	}
	if got, want := summary(c), "SignIn Pass Mfa:Success"; got != want {
		t.Errorf("new event = %q, want %q", got, want)
	}
	// An event not recorded (yet, or any more) starts under its id.
	gone := NewAuthEventID(pool)
	if got := f.s.ResumeAuthEventID(ctx, pool, u.Sub, EventSignIn, gone); got != gone {
		t.Errorf("ResumeAuthEventID of an unknown event = %s, want %s", got, gone)
	}
	if got := record(gone, true, EventPass, step(ChallengePassword, cognito.ChallengeResponseSuccess)); got != gone {
		t.Errorf("recorded as %s, want %s", got, gone)
	}
	if got, want := summary(gone), "SignIn Pass Password:Success"; got != want {
		t.Errorf("event %s = %q, want %q", gone, got, want)
	}
}

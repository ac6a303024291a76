package limits

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/userpool/userpool/internal/cognito"
)

// At most max connections are accepted at once; closing one lets the
// next in, and closing the listener releases an Accept that waits.
func TestListenerBound(t *testing.T) {
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := Listener(raw, 2)
	accepted := make(chan net.Conn, 3)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				close(accepted)
				return
			}
			accepted <- c
		}
	}()
	for range 3 {
		c, err := net.Dial("tcp", raw.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
	}
	first, second := <-accepted, <-accepted
	select {
	case <-accepted:
		t.Fatal("a third connection was accepted while two were open")
	case <-time.After(100 * time.Millisecond):
	}
	first.Close()
	first.Close() // a second Close must not free a second slot
	select {
	case third := <-accepted:
		third.Close()
	case <-time.After(5 * time.Second):
		t.Fatal("closing a connection did not let the next one in")
	}
	// second still holds a slot: one more fills the bound, and the next
	// waits until the listener is closed.
	c4, _ := net.Dial("tcp", raw.Addr().String())
	defer c4.Close()
	var fourth net.Conn
	select {
	case fourth = <-accepted:
		defer fourth.Close()
	case <-time.After(5 * time.Second):
		t.Fatal("the freed slot was not reused")
	}
	c5, _ := net.Dial("tcp", raw.Addr().String())
	defer c5.Close()
	select {
	case <-accepted:
		t.Fatal("accepted past the bound")
	case <-time.After(100 * time.Millisecond):
	}
	ln.Close()
	select {
	case _, ok := <-accepted:
		if ok {
			t.Error("accepted past the bound after Close")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not release the waiting Accept")
	}
	second.Close()
	if Listener(raw, 0) != raw {
		t.Error("a bound of 0 wrapped the listener")
	}
}

// Every action named in Categories is an operation of the service model,
// so a typo cannot leave an action without its quota.
func TestCategoriesNameOperations(t *testing.T) {
	ops := map[string]bool{}
	for _, op := range cognito.Operations {
		ops[op.Name] = true
	}
	for action := range Categories {
		if !ops[action] {
			t.Errorf("%s is not an operation of the model", action)
		}
	}
}

func TestParseQuotas(t *testing.T) {
	now := func() time.Time { return time.Unix(0, 0) }
	if q, err := ParseQuotas(" ", now); q != nil || err != nil {
		t.Errorf("empty: %v %v", q, err)
	}
	if !(*Quotas)(nil).Allow("InitiateAuth") {
		t.Error("no quotas refused a call")
	}
	for _, bad := range []string{"UserAuthentication", "Nope=1", "UserRead=0", "UserRead=-1", "UserRead=x", "UserRead=1,UserRead=2", "UserRead=NaN", "UserRead=+Inf"} {
		if _, err := ParseQuotas(bad, now); err == nil {
			t.Errorf("%q was accepted", bad)
		}
	}
	if _, err := ParseQuotas("Nope=1", now); err == nil || !strings.Contains(err.Error(), "UserAuthentication") {
		t.Errorf("an unknown category's error does not list the known ones: %v", err)
	}
}

// A category's calls share its bucket: a second's worth at once, then one
// per 1/rate seconds; other categories and unlisted actions are free, and
// challenge answers have three times the sign-in rate.
func TestQuotasAllow(t *testing.T) {
	clock := time.Unix(1000, 0)
	now := func() time.Time { return clock }
	q, err := ParseQuotas("UserAuthentication=2, UserRead=0.5", now)
	if err != nil {
		t.Fatal(err)
	}
	if !q.Allow("InitiateAuth") || !q.Allow("AdminInitiateAuth") || q.Allow("GetTokensFromRefreshToken") {
		t.Error("UserAuthentication at 2/s: want two calls and then a refusal")
	}
	for i := range 6 {
		if !q.Allow("RespondToAuthChallenge") {
			t.Fatalf("challenge answer %d refused within 3x the rate", i+1)
		}
	}
	if q.Allow("AdminRespondToAuthChallenge") {
		t.Error("a seventh challenge answer in one second was allowed")
	}
	if !q.Allow("GetUser") || q.Allow("AdminGetUser") {
		t.Error("UserRead at 0.5/s: want one call and then a refusal")
	}
	for range 100 {
		if !q.Allow("SignUp") || !q.Allow("NoSuchAction") {
			t.Fatal("an unconfigured category was limited")
		}
	}
	clock = clock.Add(500 * time.Millisecond)
	if !q.Allow("InitiateAuth") || q.Allow("InitiateAuth") {
		t.Error("half a second at 2/s should refill one call")
	}
	clock = clock.Add(time.Hour)
	if !q.Allow("InitiateAuth") || !q.Allow("InitiateAuth") || q.Allow("InitiateAuth") {
		t.Error("the bucket holds more than its burst after an idle hour")
	}
}

// The passkey actions and GetUserAuthFactors draw on the buckets of the
// categories they belong to, shared with the device and user actions.
func TestPasskeyActionsQuotas(t *testing.T) {
	now := func() time.Time { return time.Unix(1000, 0) }
	q, err := ParseQuotas("UserRead=1,UserResourceRead=1,UserResourceUpdate=3", now)
	if err != nil {
		t.Fatal(err)
	}
	if !q.Allow("GetUserAuthFactors") || q.Allow("GetUser") {
		t.Error("GetUserAuthFactors does not share UserRead with GetUser")
	}
	if !q.Allow("ListWebAuthnCredentials") || q.Allow("ListDevices") {
		t.Error("ListWebAuthnCredentials does not share UserResourceRead with ListDevices")
	}
	for _, a := range []string{"StartWebAuthnRegistration", "CompleteWebAuthnRegistration", "DeleteWebAuthnCredential"} {
		if !q.Allow(a) {
			t.Errorf("%s refused within UserResourceUpdate's burst", a)
		}
	}
	if q.Allow("ForgetDevice") {
		t.Error("the passkey actions do not share UserResourceUpdate with the device actions")
	}
}

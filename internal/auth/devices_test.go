package auth

import (
	"regexp"
	"testing"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/userpool"
)

// deviceFor decides what a sign-in's refresh token is bound to: the
// device proven in this sign-in, else a new device in a pool that tracks
// devices, else none.
func TestDeviceFor(t *testing.T) {
	e := New(Config{})
	u := store.User{Sub: "sub-1", Username: "alice"}
	plain := &cognito.UserPoolType{ID: "eu-west-1_AAA"}
	tracking := &cognito.UserPoolType{ID: "eu-west-1_AAA", DeviceConfiguration: &cognito.DeviceConfigurationType{}}

	if key, issued := e.deviceFor(plain, u, namedDevice{}); key != "" || issued != nil {
		t.Errorf("pool without device tracking: key %q, issued %+v", key, issued)
	}
	key, issued := e.deviceFor(tracking, u, namedDevice{})
	if !regexp.MustCompile(`^eu-west-1_[0-9a-f-]{36}$`).MatchString(key) || issued == nil || issued.DeviceKey != key {
		t.Fatalf("new device: key %q, issued %+v", key, issued)
	}
	if issued.DeviceGroupKey != userpool.DeviceGroupKey(tracking.ID, u.Sub) {
		t.Errorf("DeviceGroupKey %q is not the user's", issued.DeviceGroupKey)
	}
	if next, _ := e.deviceFor(tracking, u, namedDevice{}); next == key {
		t.Error("two sign-ins were issued the same device key")
	}
	// A device named but not proven binds nothing: the sign-in is issued
	// a new one.
	if key, issued := e.deviceFor(tracking, u, namedDevice{Key: "eu-west-1_named"}); key == "eu-west-1_named" || issued == nil {
		t.Errorf("named, unproven device: key %q, issued %+v", key, issued)
	}
	if key, issued := e.deviceFor(tracking, u, namedDevice{Key: "eu-west-1_proven", Proven: true}); key != "eu-west-1_proven" || issued != nil {
		t.Errorf("proven device: key %q, issued %+v", key, issued)
	}
}

// A remembered device replaces MFA only where the pool says so.
func TestDeviceReplacesMFA(t *testing.T) {
	yes, no := true, false
	remembered := store.Device{Key: "k", RememberedStatus: store.DeviceRemembered}
	notRemembered := store.Device{Key: "k", RememberedStatus: store.DeviceNotRemembered}
	for _, tc := range []struct {
		name string
		d    store.Device
		dc   *cognito.DeviceConfigurationType
		want bool
	}{
		{"remembered, challenge required on new devices", remembered, &cognito.DeviceConfigurationType{ChallengeRequiredOnNewDevice: &yes}, true},
		{"remembered, flag off", remembered, &cognito.DeviceConfigurationType{ChallengeRequiredOnNewDevice: &no}, false},
		{"remembered, flag unset", remembered, &cognito.DeviceConfigurationType{}, false},
		{"remembered, no device configuration", remembered, nil, false},
		{"not remembered", notRemembered, &cognito.DeviceConfigurationType{ChallengeRequiredOnNewDevice: &yes}, false},
	} {
		if got := deviceReplacesMFA(&cognito.UserPoolType{DeviceConfiguration: tc.dc}, tc.d); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

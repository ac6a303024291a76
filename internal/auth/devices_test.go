package auth

import (
	"context"
	"regexp"
	"testing"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/userpool"
)

// signInDevice decides what a sign-in's refresh token is bound to: the
// device proven in this sign-in, else a new device in a pool that tracks
// devices, else none.
func TestSignInDevice(t *testing.T) {
	e := New(Config{})
	u := store.User{Sub: "sub-1", Username: "alice"}
	plain := &cognito.UserPoolType{ID: "eu-west-1_AAA"}
	tracking := &cognito.UserPoolType{ID: "eu-west-1_AAA", DeviceConfiguration: &cognito.DeviceConfigurationType{}}

	if key, issued := e.signInDevice(context.Background(), plain, u); key != "" || issued != nil {
		t.Errorf("pool without device tracking: key %q, issued %+v", key, issued)
	}
	key, issued := e.signInDevice(context.Background(), tracking, u)
	if !regexp.MustCompile(`^eu-west-1_[0-9a-f-]{36}$`).MatchString(key) || issued == nil || issued.DeviceKey != key {
		t.Fatalf("new device: key %q, issued %+v", key, issued)
	}
	if issued.DeviceGroupKey != userpool.DeviceGroupKey(tracking.ID, u.Sub) {
		t.Errorf("DeviceGroupKey %q is not the user's", issued.DeviceGroupKey)
	}
	if next, _ := e.signInDevice(context.Background(), tracking, u); next == key {
		t.Error("two sign-ins were issued the same device key")
	}

	for _, status := range []string{store.DeviceRemembered, store.DeviceNotRemembered} {
		ctx := withProvenDevice(context.Background(), store.Device{Key: "eu-west-1_proven", RememberedStatus: status})
		key, issued := e.signInDevice(ctx, tracking, u)
		if key != "eu-west-1_proven" || issued != nil {
			t.Errorf("%s device proven: key %q, issued %+v", status, key, issued)
		}
		if got := rememberedDeviceSignIn(ctx); got != (status == store.DeviceRemembered) {
			t.Errorf("rememberedDeviceSignIn with a %s device = %v", status, got)
		}
	}
	if rememberedDeviceSignIn(context.Background()) {
		t.Error("rememberedDeviceSignIn without a device = true")
	}
}

// A remembered device replaces MFA only where the pool says so.
func TestDeviceReplacesMFA(t *testing.T) {
	yes, no := true, false
	remembered := withProvenDevice(context.Background(), store.Device{Key: "k", RememberedStatus: store.DeviceRemembered})
	forgotten := withProvenDevice(context.Background(), store.Device{Key: "k", RememberedStatus: store.DeviceNotRemembered})
	for _, tc := range []struct {
		name string
		ctx  context.Context
		dc   *cognito.DeviceConfigurationType
		want bool
	}{
		{"remembered, challenge required on new devices", remembered, &cognito.DeviceConfigurationType{ChallengeRequiredOnNewDevice: &yes}, true},
		{"remembered, flag off", remembered, &cognito.DeviceConfigurationType{ChallengeRequiredOnNewDevice: &no}, false},
		{"remembered, no device configuration", remembered, nil, false},
		{"not remembered", forgotten, &cognito.DeviceConfigurationType{ChallengeRequiredOnNewDevice: &yes}, false},
		{"no device", context.Background(), &cognito.DeviceConfigurationType{ChallengeRequiredOnNewDevice: &yes}, false},
	} {
		if got := deviceReplacesMFA(tc.ctx, &cognito.UserPoolType{DeviceConfiguration: tc.dc}); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

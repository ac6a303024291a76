package userpool

import (
	"regexp"
	"testing"
)

func TestDeviceKeys(t *testing.T) {
	key := NewDeviceKey("ap-southeast-2_AbC123")
	if !regexp.MustCompile(`^ap-southeast-2_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(key) {
		t.Errorf("NewDeviceKey = %q", key)
	}
	if len(key) > 55 {
		t.Errorf("NewDeviceKey is %d characters, the model allows 55", len(key))
	}
	// A group key is the user's, stable, and has no "_": clients that
	// split pool ids on "_" are handed it in the pool name's place.
	shape := regexp.MustCompile(`^-[A-Za-z0-9]{8}$`)
	seen := map[string]bool{}
	for _, sub := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
		g := DeviceGroupKey("us-east-1_AAA", sub)
		if !shape.MatchString(g) {
			t.Errorf("DeviceGroupKey = %q", g)
		}
		if g != DeviceGroupKey("us-east-1_AAA", sub) {
			t.Error("DeviceGroupKey is not stable")
		}
		if seen[g] {
			t.Errorf("DeviceGroupKey %q repeats for another user", g)
		}
		seen[g] = true
	}
	if DeviceGroupKey("us-east-1_AAA", "a") == DeviceGroupKey("us-east-1_BBB", "a") {
		t.Error("DeviceGroupKey is the same in two pools")
	}
}

func TestSRPPoolName(t *testing.T) {
	for id, want := range map[string]string{
		"us-east-1_pxAHZcSSX": "pxAHZcSSX",
		"eu-west-1_A":         "A",
		"nounderscore":        "nounderscore",
	} {
		if got := SRPPoolName(id); got != want {
			t.Errorf("SRPPoolName(%q) = %q, want %q", id, got, want)
		}
	}
}

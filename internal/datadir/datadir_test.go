package datadir

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"testing"
)

func TestDataKeyCreatedOnceWithOwnerOnlyMode(t *testing.T) {
	dir := t.TempDir()
	k1, err := DataKey(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	k2, err := DataKey(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(k1, k2) || len(k1) != 32 {
		t.Fatalf("keys differ or wrong size: %x %x", k1, k2)
	}
	fi, err := os.Stat(filepath.Join(dir, DataKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want 0600", fi.Mode().Perm())
	}
}

func TestDataKeyGiven(t *testing.T) {
	want := bytes.Repeat([]byte{1}, 32)
	got, err := DataKey(t.TempDir(), base64.StdEncoding.EncodeToString(want))
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("DataKey = %x, %v", got, err)
	}
	if _, err := DataKey(t.TempDir(), "c2hvcnQ="); err == nil {
		t.Error("a short key was accepted")
	}
}

func TestAdminKeysGeneratedOnce(t *testing.T) {
	dir := t.TempDir()
	k1, created, err := AdminKeys(dir)
	if err != nil || !created {
		t.Fatalf("first call: created=%v err=%v", created, err)
	}
	k2, created, err := AdminKeys(dir)
	if err != nil || created || k1 != k2 {
		t.Fatalf("second call: %+v created=%v err=%v", k2, created, err)
	}
	if len(k1.AccessKeyID) != 20 || len(k1.SecretAccessKey) != 40 {
		t.Errorf("unexpected key shape %+v", k1)
	}
	fi, _ := os.Stat(filepath.Join(dir, AdminKeysFile))
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want 0600", fi.Mode().Perm())
	}
}

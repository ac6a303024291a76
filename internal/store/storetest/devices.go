package storetest

import (
	"bytes"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/userpool/userpool/internal/store"
)

// testDevices covers the users' SRP columns and the Devices store:
// round trips, ownership, listings, the revocation of a forgotten
// device's refresh families, and the cascades from users and pools.
func testDevices(t *testing.T, s store.Store) {
	t.Run("UserSRPRoundTrip", func(t *testing.T) { devicesUserSRP(t, s) })
	t.Run("CRUD", func(t *testing.T) { devicesCRUD(t, s) })
	t.Run("List", func(t *testing.T) { devicesList(t, s) })
	t.Run("DeleteRevokesFamilies", func(t *testing.T) { devicesDeleteRevokes(t, s) })
	t.Run("Cascade", func(t *testing.T) { devicesCascade(t, s) })
}

// newDevice returns a confirmed, remembered device of u.
func newDevice(u store.User, key string) store.Device {
	return store.Device{
		PoolID:              u.PoolID,
		Sub:                 u.Sub,
		Key:                 key,
		GroupKey:            "-grp" + u.Sub,
		Name:                "Phone of " + u.Username + " 📱",
		Salt:                []byte{0x00, 0x9a, 0xff, 0x10},
		Verifier:            append([]byte{0x00, 0xff}, bytes.Repeat([]byte{0x5a}, 382)...),
		RememberedStatus:    store.DeviceRemembered,
		CreatedAt:           t0,
		UpdatedAt:           t0,
		LastAuthenticatedAt: t0.Add(time.Second),
	}
}

func mustDevice(t *testing.T, s store.Store, d store.Device) store.Device {
	t.Helper()
	if err := s.CreateDevice(t.Context(), d); err != nil {
		t.Fatalf("CreateDevice(%q): %v", d.Key, err)
	}
	return d
}

func devicesUserSRP(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustPool(t, s, "pool-srp")

	// Without a verifier: users whose password predates SRP.
	plain := mustUser(t, s, newUser(p.ID, "plain"))
	got, err := s.GetUserBySub(ctx, p.ID, plain.Sub)
	noErr(t, "GetUserBySub(plain)", err)
	if len(got.SRPSalt) != 0 || len(got.SRPVerifier) != 0 {
		t.Errorf("user created without SRP: salt %x, verifier %x", got.SRPSalt, got.SRPVerifier)
	}

	// Leading zero bytes and high bits must survive: the salt is hashed
	// as a number, but the verifier is compared as stored.
	u := newUser(p.ID, "srp")
	u.SRPSalt = []byte{0x00, 0x00, 0x80, 0x01}
	u.SRPVerifier = append([]byte{0x00}, bytes.Repeat([]byte{0xfe}, 383)...)
	mustUser(t, s, u)
	got, err = s.GetUserBySub(ctx, p.ID, u.Sub)
	noErr(t, "GetUserBySub(srp)", err)
	if d := diff(u, got); d != "" {
		t.Errorf("user with SRP (-want +got):\n%s", d)
	}

	// A new password replaces both; an update that leaves them alone
	// keeps them.
	salt, verifier := []byte{0xff, 0x01}, bytes.Repeat([]byte{0x11}, 384)
	res, err := s.UpdateUser(ctx, p.ID, plain.Sub, func(w *store.User) error {
		w.SRPSalt, w.SRPVerifier = salt, verifier
		return nil
	})
	noErr(t, "UpdateUser(set SRP)", err)
	if !bytes.Equal(res.SRPSalt, salt) || !bytes.Equal(res.SRPVerifier, verifier) {
		t.Errorf("after setting SRP: salt %x, verifier %d bytes", res.SRPSalt, len(res.SRPVerifier))
	}
	res, err = s.UpdateUser(ctx, p.ID, plain.Sub, func(w *store.User) error {
		w.FailedSignIns++
		return nil
	})
	noErr(t, "UpdateUser(other field)", err)
	if !bytes.Equal(res.SRPSalt, salt) || !bytes.Equal(res.SRPVerifier, verifier) {
		t.Error("an unrelated update lost the SRP salt or verifier")
	}
	// Clearing them is possible (a password removed by an administrator).
	res, err = s.UpdateUser(ctx, p.ID, plain.Sub, func(w *store.User) error {
		w.SRPSalt, w.SRPVerifier = nil, nil
		return nil
	})
	noErr(t, "UpdateUser(clear SRP)", err)
	if len(res.SRPSalt) != 0 || len(res.SRPVerifier) != 0 {
		t.Errorf("after clearing SRP: salt %x, verifier %d bytes", res.SRPSalt, len(res.SRPVerifier))
	}
}

func devicesCRUD(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustPool(t, s, "pool-dev")
	alice := mustUser(t, s, newUser(p.ID, "alice"))
	bob := mustUser(t, s, newUser(p.ID, "bob"))

	d := mustDevice(t, s, newDevice(alice, "us-east-1_0000aaaa-0000-4000-8000-000000000001"))
	got, err := s.GetDevice(ctx, p.ID, alice.Sub, d.Key)
	noErr(t, "GetDevice", err)
	if diffs := diff(d, got); diffs != "" {
		t.Errorf("GetDevice (-want +got):\n%s", diffs)
	}
	if got.CreatedAt.Location() != time.UTC {
		t.Errorf("CreatedAt in %v, want UTC", got.CreatedAt.Location())
	}

	// A device is found only through its owner.
	_, err = s.GetDevice(ctx, p.ID, bob.Sub, d.Key)
	wantErr(t, "GetDevice(another user)", err, store.ErrNotFound)
	_, err = s.GetDevice(ctx, "pool-other", alice.Sub, d.Key)
	wantErr(t, "GetDevice(another pool)", err, store.ErrNotFound)
	_, err = s.GetDevice(ctx, p.ID, alice.Sub, "us-east-1_missing")
	wantErr(t, "GetDevice(missing)", err, store.ErrNotFound)

	// Keys are unique across users and pools.
	other := newDevice(bob, d.Key)
	wantErr(t, "CreateDevice(key taken)", s.CreateDevice(ctx, other), store.ErrAlreadyExists)
	wantErr(t, "CreateDevice(missing user)", s.CreateDevice(ctx, newDevice(newUser(p.ID, "ghost"), "us-east-1_ghost")), store.ErrNotFound)

	// Read-modify-write.
	later := t0.Add(time.Hour)
	res, err := s.UpdateDevice(ctx, p.ID, alice.Sub, d.Key, func(w *store.Device) error {
		w.RememberedStatus = store.DeviceNotRemembered
		w.Name = ""
		w.Salt, w.Verifier = []byte{1}, []byte{2, 3}
		w.UpdatedAt, w.LastAuthenticatedAt = later, later
		return nil
	})
	noErr(t, "UpdateDevice", err)
	want := d
	want.RememberedStatus, want.Name = store.DeviceNotRemembered, ""
	want.Salt, want.Verifier = []byte{1}, []byte{2, 3}
	want.UpdatedAt, want.LastAuthenticatedAt = later, later
	if diffs := diff(want, res); diffs != "" {
		t.Errorf("UpdateDevice result (-want +got):\n%s", diffs)
	}
	got, err = s.GetDevice(ctx, p.ID, alice.Sub, d.Key)
	noErr(t, "GetDevice(updated)", err)
	if diffs := diff(want, got); diffs != "" {
		t.Errorf("GetDevice after update (-want +got):\n%s", diffs)
	}
	_, err = s.UpdateDevice(ctx, p.ID, alice.Sub, d.Key, func(w *store.Device) error { return errBoom })
	wantErr(t, "UpdateDevice(abort)", err, errBoom)
	_, err = s.UpdateDevice(ctx, p.ID, alice.Sub, d.Key, func(w *store.Device) error {
		w.Key = "us-east-1_renamed"
		return nil
	})
	if err == nil {
		t.Error("UpdateDevice changing the key succeeded")
	}
	got, _ = s.GetDevice(ctx, p.ID, alice.Sub, d.Key)
	if diffs := diff(want, got); diffs != "" {
		t.Errorf("aborted updates changed the device (-want +got):\n%s", diffs)
	}
	_, err = s.UpdateDevice(ctx, p.ID, bob.Sub, d.Key, func(w *store.Device) error { return nil })
	wantErr(t, "UpdateDevice(another user)", err, store.ErrNotFound)

	// Delete: only the owner's, once.
	wantErr(t, "DeleteDevice(another user)", s.DeleteDevice(ctx, p.ID, bob.Sub, d.Key, t0), store.ErrNotFound)
	noErr(t, "DeleteDevice", s.DeleteDevice(ctx, p.ID, alice.Sub, d.Key, t0))
	_, err = s.GetDevice(ctx, p.ID, alice.Sub, d.Key)
	wantErr(t, "GetDevice(deleted)", err, store.ErrNotFound)
	wantErr(t, "DeleteDevice(again)", s.DeleteDevice(ctx, p.ID, alice.Sub, d.Key, t0), store.ErrNotFound)
	// The key is free again.
	mustDevice(t, s, newDevice(bob, d.Key))
}

func devicesList(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustPool(t, s, "pool-list")
	alice := mustUser(t, s, newUser(p.ID, "alice"))
	bob := mustUser(t, s, newUser(p.ID, "bob"))

	var all, remembered []string
	for i := range 7 {
		d := newDevice(alice, fmt.Sprintf("us-east-1_%08d-0000-4000-8000-00000000000%d", 7-i, i))
		if i%3 == 0 {
			d.RememberedStatus = store.DeviceNotRemembered
		} else {
			remembered = append(remembered, d.Key)
		}
		mustDevice(t, s, d)
		all = append(all, d.Key)
	}
	mustDevice(t, s, newDevice(bob, "us-east-1_bob"))
	// Keys in byte order.
	slices.Sort(all)
	slices.Sort(remembered)

	for _, tc := range []struct {
		name           string
		rememberedOnly bool
		want           []string
	}{{"all", false, all}, {"remembered", true, remembered}} {
		for _, limit := range []int{1, 2, 60} {
			pages := pageThrough(t, limit, deviceKeyOf, func(page store.Page) ([]store.Device, string, error) {
				return s.ListDevices(ctx, p.ID, alice.Sub, tc.rememberedOnly, page)
			})
			if d := diff(tc.want, flatten(pages)); d != "" {
				t.Errorf("%s, limit %d (-want +got):\n%s", tc.name, limit, d)
			}
		}
	}
	got, next, err := s.ListDevices(ctx, p.ID, "sub-nobody", false, store.Page{})
	noErr(t, "ListDevices(unknown user)", err)
	if len(got) != 0 || next != "" {
		t.Errorf("ListDevices(unknown user) = %d devices, next %q", len(got), next)
	}
}

func deviceKeyOf(d store.Device) string { return d.Key }

func devicesDeleteRevokes(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustPool(t, s, "pool-rev")
	alice := mustUser(t, s, newUser(p.ID, "alice"))
	bob := mustUser(t, s, newUser(p.ID, "bob"))
	key := "us-east-1_rev-device"
	mustDevice(t, s, newDevice(alice, key))

	bound1, first1 := newFamily(alice, "fam-bound-1")
	bound1.DeviceKey = key
	bound2, first2 := newFamily(alice, "fam-bound-2")
	bound2.DeviceKey = key
	// Already revoked: keeps its first revocation time.
	early := t0.Add(-time.Minute)
	bound2.RevokedAt = early
	unbound, firstU := newFamily(alice, "fam-unbound")
	unbound.DeviceKey = ""
	otherDevice, firstO := newFamily(alice, "fam-other-device")
	otherDevice.DeviceKey = "us-east-1_other"
	// Another user's family naming the same key (it cannot happen, but
	// the revocation must stay within the owner's).
	bobs, firstB := newFamily(bob, "fam-bob")
	bobs.DeviceKey = key
	for _, f := range []struct {
		f     store.RefreshFamily
		first store.RefreshToken
	}{{bound1, first1}, {bound2, first2}, {unbound, firstU}, {otherDevice, firstO}, {bobs, firstB}} {
		mustFamily(t, s, f.f, f.first)
	}

	at := t0.Add(time.Hour)
	noErr(t, "DeleteDevice", s.DeleteDevice(ctx, p.ID, alice.Sub, key, at))
	bound1.RevokedAt = at
	wantFamily(t, s, "bound family", bound1)
	wantFamily(t, s, "bound family revoked before", bound2)
	wantFamily(t, s, "family without a device", unbound)
	wantFamily(t, s, "family of another device", otherDevice)
	wantFamily(t, s, "another user's family", bobs)

	// A failed delete revokes nothing.
	unboundKey, firstK := newFamily(alice, "fam-missing-device")
	unboundKey.DeviceKey = "us-east-1_missing"
	mustFamily(t, s, unboundKey, firstK)
	wantErr(t, "DeleteDevice(missing)", s.DeleteDevice(ctx, p.ID, alice.Sub, "us-east-1_missing", at), store.ErrNotFound)
	wantFamily(t, s, "family of a missing device", unboundKey)

	// Inside a transaction that fails, the revocation is undone with the
	// delete.
	key2 := "us-east-1_rev-device-2"
	mustDevice(t, s, newDevice(alice, key2))
	f3, first3 := newFamily(alice, "fam-bound-3")
	f3.DeviceKey = key2
	mustFamily(t, s, f3, first3)
	err := s.InTx(ctx, func(tx store.Store) error {
		if err := tx.DeleteDevice(ctx, p.ID, alice.Sub, key2, at); err != nil {
			return err
		}
		return errBoom
	})
	wantErr(t, "InTx(DeleteDevice, abort)", err, errBoom)
	wantFamily(t, s, "family after an aborted delete", f3)
	if _, err := s.GetDevice(ctx, p.ID, alice.Sub, key2); err != nil {
		t.Errorf("device after an aborted delete: %v", err)
	}
}

func devicesCascade(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustPool(t, s, "pool-cas")
	q := mustPool(t, s, "pool-cas-2")
	alice := mustUser(t, s, newUser(p.ID, "alice"))
	carol := mustUser(t, s, newUser(q.ID, "carol"))
	mustDevice(t, s, newDevice(alice, "us-east-1_cas-1"))
	mustDevice(t, s, newDevice(carol, "us-east-1_cas-2"))

	noErr(t, "DeleteUser", s.DeleteUser(ctx, p.ID, alice.Sub))
	_, err := s.GetDevice(ctx, p.ID, alice.Sub, "us-east-1_cas-1")
	wantErr(t, "device of a deleted user", err, store.ErrNotFound)
	// Its key is free again once the user is gone.
	bob := mustUser(t, s, newUser(p.ID, "bob"))
	mustDevice(t, s, newDevice(bob, "us-east-1_cas-1"))

	noErr(t, "DeletePool", s.DeletePool(ctx, q.ID))
	_, err = s.GetDevice(ctx, q.ID, carol.Sub, "us-east-1_cas-2")
	wantErr(t, "device of a deleted pool", err, store.ErrNotFound)
	mustDevice(t, s, newDevice(bob, "us-east-1_cas-2"))
}

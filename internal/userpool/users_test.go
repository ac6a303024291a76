package userpool

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/password"
	"github.com/userpool/userpool/internal/seal"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/store/sqlite"
)

// The user rules that the SDK tests cannot reach: users in states no
// admin action creates, what is stored, and races.

var userTestTime = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

func userTestService(t *testing.T) (*Service, store.Store) {
	t.Helper()
	st, err := sqlite.Open(t.Context(), sqlite.Config{Path: filepath.Join(t.TempDir(), "test.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	sealer, err := seal.New(bytes.Repeat([]byte{7}, seal.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	s := New(Config{
		Store:     st,
		Sealer:    sealer,
		Passwords: password.Hasher{MemoryKiB: 64, Iterations: 1},
		Now:       func() time.Time { return userTestTime },
	})
	return s, st
}

// userTestPool stores a pool configured as p and returns its id.
func userTestPool(t *testing.T, st store.Store, id string, p *cognito.UserPoolType) string {
	t.Helper()
	settings, err := encodePool(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.CreatePool(t.Context(), store.Pool{ID: id, Name: id, Settings: settings, CreatedAt: userTestTime, UpdatedAt: userTestTime}); err != nil {
		t.Fatal(err)
	}
	return id
}

func userWantError(t *testing.T, err error, typ, msg string) {
	t.Helper()
	var ce *cognito.Error
	if !errors.As(err, &ce) || ce.Type != typ || ce.Message != msg {
		t.Fatalf("err = %v, want %s %q", err, typ, msg)
	}
}

func TestAdminConfirmSignUpUnconfirmed(t *testing.T) {
	s, st := userTestService(t)
	pool := userTestPool(t, st, "us-east-1_confirm", &cognito.UserPoolType{})
	err := st.CreateUser(t.Context(), store.User{
		PoolID: pool, Sub: "7d0f2c1e-5b7a-4c44-9a1e-0c6f6e0d1a01", Username: "signer", UsernameKey: "signer",
		Status: cognito.UserStatusUnconfirmed, Enabled: true,
		Attributes: []store.Attribute{{Name: "sub", Value: "7d0f2c1e-5b7a-4c44-9a1e-0c6f6e0d1a01"}},
		CreatedAt:  userTestTime.Add(-time.Hour), UpdatedAt: userTestTime.Add(-time.Hour),
	})
	if err != nil {
		t.Fatal(err)
	}
	in := &cognito.AdminConfirmSignUpInput{UserPoolID: pool, Username: "signer"}
	if err := s.AdminConfirmSignUp(t.Context(), in); err != nil {
		t.Fatal(err)
	}
	u, err := st.GetUser(t.Context(), pool, "signer")
	if err != nil {
		t.Fatal(err)
	}
	if u.Status != cognito.UserStatusConfirmed || !u.UpdatedAt.Equal(userTestTime) {
		t.Errorf("status %s, updated %v; want CONFIRMED at %v", u.Status, u.UpdatedAt, userTestTime)
	}
	userWantError(t, s.AdminConfirmSignUp(t.Context(), in), cognito.TypeNotAuthorized, "User cannot be confirmed. Current status is CONFIRMED")
}

func TestAdminCreateUserStoresPassword(t *testing.T) {
	s, st := userTestService(t)
	pool := userTestPool(t, st, "us-east-1_passwords", &cognito.UserPoolType{})
	out, err := s.AdminCreateUser(t.Context(), &cognito.AdminCreateUserInput{UserPoolID: pool, Username: "given", TemporaryPassword: "Temp-Passw0rd!"})
	if err != nil {
		t.Fatal(err)
	}
	u, err := st.GetUser(t.Context(), pool, "given")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := s.cfg.Passwords.Verify(u.PasswordHash, "Temp-Passw0rd!"); err != nil || !ok {
		t.Errorf("stored hash does not verify the temporary password (%v)", err)
	}
	if !u.PasswordUpdatedAt.Equal(userTestTime) || u.Sub != *attrOf(out.User.Attributes, "sub") {
		t.Errorf("PasswordUpdatedAt %v, sub %s", u.PasswordUpdatedAt, u.Sub)
	}

	if _, err := s.AdminCreateUser(t.Context(), &cognito.AdminCreateUserInput{UserPoolID: pool, Username: "generated"}); err != nil {
		t.Fatal(err)
	}
	g, err := st.GetUser(t.Context(), pool, "generated")
	if err != nil {
		t.Fatal(err)
	}
	if g.PasswordHash == "" || g.PasswordHash == u.PasswordHash {
		t.Error("no generated temporary password was stored")
	}

	if err := s.AdminSetUserPassword(t.Context(), &cognito.AdminSetUserPasswordInput{UserPoolID: pool, Username: "given", Password: "Perm-Passw0rd!", Permanent: new(bool)}); err != nil {
		t.Fatal(err)
	}
	u, _ = st.GetUser(t.Context(), pool, "given")
	if ok, _ := s.cfg.Passwords.Verify(u.PasswordHash, "Perm-Passw0rd!"); !ok || u.Status != cognito.UserStatusForceChangePassword {
		t.Errorf("after AdminSetUserPassword: verifies %v, status %s", ok, u.Status)
	}
}

func attrOf(attrs []cognito.AttributeType, name string) *string {
	for _, a := range attrs {
		if a.Name == name {
			return &a.Value
		}
	}
	return nil
}

// A username wins over an alias and a sub that spell the same string.
func TestLookupUserOrder(t *testing.T) {
	s, st := userTestService(t)
	pool := &cognito.UserPoolType{AliasAttributes: []string{"preferred_username"}}
	id := userTestPool(t, st, "us-east-1_lookup", pool)
	pool.ID = id
	ctx := t.Context()
	if _, err := s.AdminCreateUser(ctx, &cognito.AdminCreateUserInput{UserPoolID: id, Username: "pat"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AdminCreateUser(ctx, &cognito.AdminCreateUserInput{UserPoolID: id, Username: "other",
		UserAttributes: []cognito.AttributeType{{Name: "preferred_username", Value: "pat"}}}); err != nil {
		t.Fatal(err)
	}
	u, err := s.lookupUser(ctx, pool, "pat")
	if err != nil || u.Username != "pat" {
		t.Fatalf("lookupUser(pat) = %s, %v; want the user named pat", u.Username, err)
	}
	other, err := st.GetUser(ctx, id, "other")
	if err != nil {
		t.Fatal(err)
	}
	if u, err := s.lookupUser(ctx, pool, other.Sub); err != nil || u.Username != "other" {
		t.Fatalf("lookupUser(sub) = %s, %v", u.Username, err)
	}
	_, err = s.lookupUser(ctx, pool, "00000000-0000-0000-0000-000000000000")
	userWantError(t, err, cognito.TypeUserNotFound, "User does not exist.")
}

// Concurrent creations that claim the same verified alias: the store's
// unique key lets one win, and the others get Cognito's answer, not a 500.
func TestAdminCreateUserAliasRace(t *testing.T) {
	s, st := userTestService(t)
	id := userTestPool(t, st, "us-east-1_race", &cognito.UserPoolType{AliasAttributes: []string{"email"}})
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, errs[i] = s.AdminCreateUser(t.Context(), &cognito.AdminCreateUserInput{
				UserPoolID: id, Username: fmt.Sprintf("racer%d", i),
				UserAttributes: []cognito.AttributeType{{Name: "email", Value: "same@example.com"}, {Name: "email_verified", Value: "true"}},
			})
		})
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
			continue
		}
		userWantError(t, err, cognito.TypeAliasExists, "An account with the given email already exists.")
	}
	if won != 1 {
		t.Errorf("%d creations won the alias, want 1", won)
	}
}

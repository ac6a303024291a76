package storetest

import (
	"testing"

	"github.com/userpool/userpool/internal/store"
)

// testUserMFARoundTrip covers the user's MFA fields: a new user has none
// set, every field survives CreateUser and UpdateUser (through every read:
// by sub, username, alias and in listings), an update of something else
// keeps them, and clearing them clears them.
func testUserMFARoundTrip(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustPool(t, s, "pool-a")

	plain := mustUser(t, s, newUser(p.ID, "plain"))
	got, err := s.GetUserBySub(ctx, p.ID, plain.Sub)
	noErr(t, "GetUserBySub(plain)", err)
	if d := diff(store.UserMFA{}, got.MFA); d != "" {
		t.Errorf("new user's MFA (-want +got):\n%s", d)
	}

	full := store.UserMFA{
		TOTPSecret:   []byte("sealed\x00secret\xff"),
		TOTPPending:  []byte("sealed pending"),
		TOTPName:     "Alice's phone",
		TOTPLastStep: 59_000_000_123,
		TOTPEnabled:  true,
		SMSEnabled:   true,
		EmailEnabled: true,
		Preferred:    "SOFTWARE_TOKEN_MFA",

		WebAuthnEnabled: true,
	}
	created := newUser(p.ID, "created", attr("email", "created@example.com"))
	created.AliasEmail = "created@example.com"
	created.MFA = full
	mustUser(t, s, created)
	for what, read := range map[string]func() (store.User, error){
		"GetUserBySub": func() (store.User, error) { return s.GetUserBySub(ctx, p.ID, created.Sub) },
		"GetUser":      func() (store.User, error) { return s.GetUser(ctx, p.ID, created.UsernameKey) },
		"GetUserByAlias": func() (store.User, error) {
			return s.GetUserByAlias(ctx, p.ID, store.AliasEmail, created.AliasEmail)
		},
	} {
		got, err := read()
		noErr(t, what, err)
		if d := diff(created, got); d != "" {
			t.Errorf("%s of a user created with MFA (-want +got):\n%s", what, d)
		}
	}
	users, _, err := s.ListUsers(ctx, p.ID, &store.UserFilter{Field: store.FieldUsername, Value: "created"}, store.Page{})
	noErr(t, "ListUsers", err)
	if len(users) != 1 || diff(full, users[0].MFA) != "" {
		t.Errorf("ListUsers: %+v, want the user with its MFA fields", users)
	}

	// Set through an update, then kept by an update of something else.
	res, err := s.UpdateUser(ctx, p.ID, plain.Sub, func(u *store.User) error {
		u.MFA = full
		return nil
	})
	noErr(t, "UpdateUser(set MFA)", err)
	want := plain
	want.MFA = full
	if d := diff(want, res); d != "" {
		t.Errorf("UpdateUser(set MFA) (-want +got):\n%s", d)
	}
	res, err = s.UpdateUser(ctx, p.ID, plain.Sub, func(u *store.User) error {
		u.FailedSignIns = 3
		return nil
	})
	noErr(t, "UpdateUser(other field)", err)
	want.FailedSignIns = 3
	if d := diff(want, res); d != "" {
		t.Errorf("an update of another field changed MFA (-want +got):\n%s", d)
	}

	// One field at a time, so a column swapped with another shows.
	steps := []func(*store.UserMFA){
		func(m *store.UserMFA) { m.TOTPSecret = nil },
		func(m *store.UserMFA) { m.TOTPPending = nil },
		func(m *store.UserMFA) { m.TOTPName = "" },
		func(m *store.UserMFA) { m.TOTPLastStep = 0 },
		func(m *store.UserMFA) { m.TOTPEnabled = false },
		func(m *store.UserMFA) { m.SMSEnabled = false },
		func(m *store.UserMFA) { m.EmailEnabled = false },
		func(m *store.UserMFA) { m.Preferred = "" },
		func(m *store.UserMFA) { m.WebAuthnEnabled = false },
	}
	for i, step := range steps {
		step(&want.MFA)
		res, err = s.UpdateUser(ctx, p.ID, plain.Sub, func(u *store.User) error {
			step(&u.MFA)
			return nil
		})
		noErr(t, "UpdateUser(clear)", err)
		if d := diff(want, res); d != "" {
			t.Errorf("clearing field %d (-want +got):\n%s", i, d)
		}
	}
	got, err = s.GetUserBySub(ctx, p.ID, plain.Sub)
	noErr(t, "GetUserBySub(cleared)", err)
	if d := diff(store.UserMFA{}, got.MFA); d != "" {
		t.Errorf("cleared MFA (-want +got):\n%s", d)
	}
}

// testPoolMFARoundTrip covers the pool's MFA document: absent on a new
// pool unless given, kept by CreatePool, UpdatePool and ListPools, and
// untouched by an update of the settings alone.
func testPoolMFARoundTrip(t *testing.T, s store.Store) {
	ctx := t.Context()
	plain := mustPool(t, s, "pool-a")
	got, err := s.GetPool(ctx, plain.ID)
	noErr(t, "GetPool(plain)", err)
	if got.MFA != nil {
		t.Errorf("new pool's MFA = %q, want none", got.MFA)
	}

	doc := []byte(`{"SoftwareToken":true}`)
	with := newPool("pool-b")
	with.MFA = doc
	noErr(t, "CreatePool(with MFA)", s.CreatePool(ctx, with))
	got, err = s.GetPool(ctx, with.ID)
	noErr(t, "GetPool(with MFA)", err)
	if d := diff(with, got); d != "" {
		t.Errorf("pool created with MFA (-want +got):\n%s", d)
	}

	res, err := s.UpdatePool(ctx, plain.ID, func(p *store.Pool) error {
		p.MFA = doc
		return nil
	})
	noErr(t, "UpdatePool(set MFA)", err)
	if string(res.MFA) != string(doc) {
		t.Errorf("UpdatePool(set MFA) = %q, want %q", res.MFA, doc)
	}
	res, err = s.UpdatePool(ctx, plain.ID, func(p *store.Pool) error {
		p.Settings = []byte(`{"MfaConfiguration":"ON"}`)
		return nil
	})
	noErr(t, "UpdatePool(settings)", err)
	if string(res.MFA) != string(doc) || string(res.Settings) != `{"MfaConfiguration":"ON"}` {
		t.Errorf("UpdatePool(settings) = MFA %q, settings %q", res.MFA, res.Settings)
	}
	pools, _, err := s.ListPools(ctx, store.Page{})
	noErr(t, "ListPools", err)
	for _, p := range pools {
		if string(p.MFA) != string(doc) {
			t.Errorf("ListPools: %s has MFA %q, want %q", p.ID, p.MFA, doc)
		}
	}
	res, err = s.UpdatePool(ctx, plain.ID, func(p *store.Pool) error {
		p.MFA = nil
		return nil
	})
	noErr(t, "UpdatePool(clear MFA)", err)
	if res.MFA != nil {
		t.Errorf("cleared MFA = %q, want none", res.MFA)
	}
}

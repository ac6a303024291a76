package userpool

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/delivery"
	"github.com/userpool/userpool/internal/seal"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/store/sqlite"
)

// The MFA rules the SDK tests cannot reach directly: which step each
// combination of pool and user settings leads to, pools whose MFA predates
// SetUserPoolMfaConfig, sealed secrets, and the limits of sign-in codes.

type mfaFixture struct {
	s      *Service
	st     store.Store
	clk    *resClock
	outbox *delivery.Outbox
}

func newMFAFixture(t *testing.T) *mfaFixture {
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
	clk := &resClock{t: time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)}
	outbox := delivery.NewOutbox(0, nil, nil)
	return &mfaFixture{
		s:      New(Config{Store: st, Sealer: sealer, Now: clk.now, Messages: outbox}),
		st:     st,
		clk:    clk,
		outbox: outbox,
	}
}

// pool stores a pool with the given MFA mode, and applies mfa (a
// SetUserPoolMfaConfig without pool id) unless it is nil.
func (f *mfaFixture) pool(t *testing.T, id, mode string, mfa *cognito.SetUserPoolMfaConfigInput) *cognito.UserPoolType {
	t.Helper()
	userTestPool(t, f.st, id, &cognito.UserPoolType{ID: id, MfaConfiguration: mode})
	if mfa != nil {
		in := *mfa
		in.UserPoolID = id
		if _, err := f.s.SetUserPoolMfaConfig(t.Context(), &in); err != nil {
			t.Fatal(err)
		}
	}
	p, err := f.s.Pool(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// user stores a user with the attribute pairs given and MFA state m.
func (f *mfaFixture) user(t *testing.T, poolID, name string, m store.UserMFA, attrs ...string) store.User {
	t.Helper()
	u := store.User{
		PoolID: poolID, Sub: "sub-" + name, Username: name, UsernameKey: name,
		Status: cognito.UserStatusConfirmed, Enabled: true, MFA: m,
		Attributes: []store.Attribute{{Name: attrSub, Value: "sub-" + name}},
	}
	for i := 0; i+1 < len(attrs); i += 2 {
		u.Attributes = append(u.Attributes, store.Attribute{Name: attrs[i], Value: attrs[i+1]})
	}
	if err := f.st.CreateUser(t.Context(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

var allFactors = &cognito.SetUserPoolMfaConfigInput{
	SoftwareTokenMfaConfiguration: &cognito.SoftwareTokenMfaConfigType{Enabled: resPtr(true)},
	SmsMfaConfiguration: &cognito.SmsMfaConfigType{SmsConfiguration: &cognito.SmsConfigurationType{
		SnsCallerARn: "arn:aws:iam::123456789012:role/sns", ExternalID: "x",
	}},
	EmailMfaConfiguration: &cognito.EmailMfaConfigType{},
}

// Which MFA step a sign-in takes, for each kind of pool and user.
func TestMFAFor(t *testing.T) {
	f := newMFAFixture(t)
	ctx := t.Context()
	verified := []byte("sealed secret") // MFAFor only looks whether there is one
	on := f.pool(t, "us-east-1_on", cognito.UserPoolMfaOn, allFactors)
	optional := f.pool(t, "us-east-1_optional", cognito.UserPoolMfaOptional, allFactors)
	off := f.pool(t, "us-east-1_off", cognito.UserPoolMfaOff, nil)
	totpOnly := f.pool(t, "us-east-1_totponly", cognito.UserPoolMfaOn, &cognito.SetUserPoolMfaConfigInput{
		SoftwareTokenMfaConfiguration: &cognito.SoftwareTokenMfaConfigType{Enabled: resPtr(true)},
	})
	phone, email := []string{attrPhone, "+15555550100"}, []string{attrEmail, "u@example.com"}
	both := append(slices.Clone(phone), email...)
	for i, tc := range []struct {
		name  string
		pool  *cognito.UserPoolType
		mfa   store.UserMFA
		attrs []string
		want  *MFAStep
	}{
		{"off pool", off, store.UserMFA{TOTPSecret: verified, TOTPEnabled: true}, nil, nil},
		{"optional, nothing enabled", optional, store.UserMFA{TOTPSecret: verified}, both, nil},
		{"optional, TOTP enabled", optional, store.UserMFA{TOTPSecret: verified, TOTPEnabled: true}, both,
			&MFAStep{Factors: []string{MFASoftwareToken}}},
		{"optional, enabled without its means", optional, store.UserMFA{SMSEnabled: true}, email, nil},
		{"optional, two enabled, none preferred", optional, store.UserMFA{TOTPSecret: verified, TOTPEnabled: true, SMSEnabled: true}, both,
			&MFAStep{Factors: []string{MFASMS, MFASoftwareToken}}},
		{"optional, two enabled, one preferred", optional,
			store.UserMFA{TOTPSecret: verified, TOTPEnabled: true, EmailEnabled: true, Preferred: MFAEmail}, both,
			&MFAStep{Factors: []string{MFAEmail}}},
		{"optional, preferred not enabled", optional,
			store.UserMFA{TOTPSecret: verified, TOTPEnabled: true, SMSEnabled: true, Preferred: MFAEmail}, both,
			&MFAStep{Factors: []string{MFASMS, MFASoftwareToken}}},
		{"on, enabled factor only", on, store.UserMFA{TOTPSecret: verified, EmailEnabled: true}, both,
			&MFAStep{Factors: []string{MFAEmail}}},
		{"on, nothing enabled: whatever the user has", on, store.UserMFA{TOTPSecret: verified}, phone,
			&MFAStep{Factors: []string{MFASMS, MFASoftwareToken}}},
		{"on, nothing at all: set up", on, store.UserMFA{}, nil,
			&MFAStep{Setup: []string{MFASMS, MFASoftwareToken, MFAEmail}}},
		{"on, TOTP-only pool ignores the phone", totpOnly, store.UserMFA{SMSEnabled: true}, phone,
			&MFAStep{Setup: []string{MFASoftwareToken}}},
		{"on, TOTP-only pool, verified app", totpOnly, store.UserMFA{TOTPSecret: verified}, both,
			&MFAStep{Factors: []string{MFASoftwareToken}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u := f.user(t, tc.pool.ID, fmt.Sprintf("user%d", i), tc.mfa, tc.attrs...)
			got, err := f.s.MFAFor(ctx, tc.pool, u)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("MFAFor (-want +got):\n%s", d)
			}
		})
	}
}

// A pool whose MFA was set by CreateUserPool or UpdateUserPool alone has
// SMS MFA, the only factor those configure; SetUserPoolMfaConfig's
// settings then survive UpdateUserPool, which rewrites the pool document.
func TestPoolMFAWithoutSetUserPoolMfaConfig(t *testing.T) {
	f := newMFAFixture(t)
	ctx := t.Context()
	f.pool(t, "us-east-1_legacy", cognito.UserPoolMfaOptional, nil)
	got, err := f.s.GetUserPoolMfaConfig(ctx, "us-east-1_legacy")
	if err != nil {
		t.Fatal(err)
	}
	want := &cognito.GetUserPoolMfaConfigOutput{
		MfaConfiguration:              cognito.UserPoolMfaOptional,
		SoftwareTokenMfaConfiguration: &cognito.SoftwareTokenMfaConfigType{Enabled: resPtr(false)},
		SmsMfaConfiguration:           &cognito.SmsMfaConfigType{},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("legacy MFA (-want +got):\n%s", d)
	}

	f.pool(t, "us-east-1_kept", cognito.UserPoolMfaOff, nil)
	if _, err := f.s.SetUserPoolMfaConfig(ctx, &cognito.SetUserPoolMfaConfigInput{
		UserPoolID: "us-east-1_kept", MfaConfiguration: cognito.UserPoolMfaOptional,
		SoftwareTokenMfaConfiguration: &cognito.SoftwareTokenMfaConfigType{Enabled: resPtr(true)},
	}); err != nil {
		t.Fatal(err)
	}
	if err := f.s.UpdatePool(ctx, &cognito.UpdateUserPoolInput{UserPoolID: "us-east-1_kept", MfaConfiguration: cognito.UserPoolMfaOptional}); err != nil {
		t.Fatal(err)
	}
	got, err = f.s.GetUserPoolMfaConfig(ctx, "us-east-1_kept")
	if err != nil {
		t.Fatal(err)
	}
	if !ptrBool(got.SoftwareTokenMfaConfiguration.Enabled) || got.SmsMfaConfiguration != nil {
		t.Errorf("after UpdateUserPool: %+v, want TOTP still on and no SMS", got)
	}
}

// A sealed secret opens only for its own user: copied to another user's
// record, it is not a working authenticator there.
func TestTOTPSecretBoundToUser(t *testing.T) {
	f := newMFAFixture(t)
	ctx := t.Context()
	p := f.pool(t, "us-east-1_bound", cognito.UserPoolMfaOptional, &cognito.SetUserPoolMfaConfigInput{
		SoftwareTokenMfaConfiguration: &cognito.SoftwareTokenMfaConfigType{Enabled: resPtr(true)},
	})
	alice := f.user(t, p.ID, "alice", store.UserMFA{})
	bob := f.user(t, p.ID, "bob", store.UserMFA{})
	code, err := f.s.AssociateSoftwareToken(ctx, p, alice)
	if err != nil {
		t.Fatal(err)
	}
	secret, err := totpEncoding.DecodeString(code)
	if err != nil {
		t.Fatal(err)
	}
	stored, err := f.st.GetUserBySub(ctx, p.ID, alice.Sub)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(stored.MFA.TOTPPending, secret) {
		t.Fatal("the pending secret is stored in the clear")
	}
	if _, err := f.st.UpdateUser(ctx, p.ID, bob.Sub, func(u *store.User) error {
		u.MFA.TOTPPending = stored.MFA.TOTPPending
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	err = f.s.VerifySoftwareToken(ctx, p, bob, totpCode(secret, totpStepAt(f.clk.now())), "")
	var ce *cognito.Error
	if err == nil || errors.As(err, &ce) {
		t.Fatalf("a secret copied to another user: err = %v, want an internal error", err)
	}
	if err := f.s.VerifySoftwareToken(ctx, p, alice, totpCode(secret, totpStepAt(f.clk.now())), "phone"); err != nil {
		t.Fatalf("the owner's code: %v", err)
	}
}

// Sign-in codes: for their factor only, good until they expire, refused
// for good after mfaCodeAttempts wrong guesses, and used once.
func TestMFACodeLimits(t *testing.T) {
	f := newMFAFixture(t)
	ctx := t.Context()
	p := f.pool(t, "us-east-1_codes", cognito.UserPoolMfaOn, allFactors)
	u := f.user(t, p.ID, "carol", store.UserMFA{}, attrPhone, "+15555550123", attrEmail, "carol@example.com")
	send := func(factor string) string {
		t.Helper()
		if _, err := f.s.SendMFACode(ctx, p, u, factor, 3*time.Minute); err != nil {
			t.Fatal(err)
		}
		msgs := f.outbox.Messages()
		return msgs[len(msgs)-1].Code
	}
	mismatch := func(err error) {
		t.Helper()
		resWantErr(t, err, cognito.TypeCodeMismatch, msgMFACodeMismatch)
	}

	code := send(MFASMS)
	mismatch(f.s.CheckMFACode(ctx, p, u, MFAEmail, code))
	resNoErr(t, f.s.CheckMFACode(ctx, p, u, MFASMS, code))
	mismatch(f.s.CheckMFACode(ctx, p, u, MFASMS, code))

	code = send(MFAEmail)
	f.clk.advance(3 * time.Minute)
	mismatch(f.s.CheckMFACode(ctx, p, u, MFAEmail, code))

	code = send(MFAEmail)
	wrong := "000000"
	if wrong == code {
		wrong = "111111"
	}
	for range mfaCodeAttempts {
		mismatch(f.s.CheckMFACode(ctx, p, u, MFAEmail, wrong))
	}
	mismatch(f.s.CheckMFACode(ctx, p, u, MFAEmail, code))

	// The messages: the pool's SMS message, Cognito's default e-mail one.
	if _, err := f.s.SetUserPoolMfaConfig(ctx, &cognito.SetUserPoolMfaConfigInput{
		UserPoolID: p.ID, MfaConfiguration: cognito.UserPoolMfaOn,
		SmsMfaConfiguration: &cognito.SmsMfaConfigType{SmsAuthenticationMessage: "Code: {####}"},
	}); err != nil {
		t.Fatal(err)
	}
	p, _ = f.s.Pool(ctx, p.ID)
	code = send(MFASMS)
	if m := f.outbox.Messages(); m[len(m)-1].Body != "Code: "+code || m[len(m)-1].Purpose != "Authentication" {
		t.Errorf("SMS message = %+v", m[len(m)-1])
	}
}

// Turning factors on and off and preferring one.
func TestSetMFAPreference(t *testing.T) {
	f := newMFAFixture(t)
	ctx := context.Background()
	p := f.pool(t, "us-east-1_pref", cognito.UserPoolMfaOptional, allFactors)
	u := f.user(t, p.ID, "dora", store.UserMFA{TOTPSecret: []byte("x")}, attrPhone, "+15555550124")
	set := func(sms, totp, email *factorSetting) error {
		var ss []factorSetting
		for _, s := range []*factorSetting{sms, totp, email} {
			if s != nil {
				ss = append(ss, *s)
			}
		}
		return f.s.setMFAPreference(ctx, p.ID, u.Sub, ss, nil)
	}
	state := func() store.UserMFA {
		got, err := f.st.GetUserBySub(ctx, p.ID, u.Sub)
		if err != nil {
			t.Fatal(err)
		}
		got.MFA.TOTPSecret = nil
		return got.MFA
	}
	yes, no := resPtr(true), resPtr(false)
	resNoErr(t, set(&factorSetting{MFASMS, yes, nil}, &factorSetting{MFASoftwareToken, nil, yes}, nil))
	if d := cmp.Diff(store.UserMFA{SMSEnabled: true, TOTPEnabled: true, Preferred: MFASoftwareToken}, state()); d != "" {
		t.Errorf("after enabling (-want +got):\n%s", d)
	}
	// Enabled without PreferredMfa keeps the factor on and drops the
	// preference; a factor left out stays as it is.
	resNoErr(t, set(nil, &factorSetting{MFASoftwareToken, yes, nil}, nil))
	if d := cmp.Diff(store.UserMFA{SMSEnabled: true, TOTPEnabled: true}, state()); d != "" {
		t.Errorf("after unpreferring (-want +got):\n%s", d)
	}
	// Preferring turns on; an empty setting ({}, all false) turns off.
	resNoErr(t, set(&factorSetting{MFASMS, nil, yes}, nil, nil))
	if d := cmp.Diff(store.UserMFA{SMSEnabled: true, TOTPEnabled: true, Preferred: MFASMS}, state()); d != "" {
		t.Errorf("after preferring SMS (-want +got):\n%s", d)
	}
	resNoErr(t, set(&factorSetting{MFASMS, nil, nil}, nil, nil))
	if d := cmp.Diff(store.UserMFA{TOTPEnabled: true}, state()); d != "" {
		t.Errorf("turning the preferred factor off (-want +got):\n%s", d)
	}
	resWantErr(t, set(nil, nil, &factorSetting{MFAEmail, yes, nil}), cognito.TypeInvalidParameter, msgNoDeliveryConfig+MFAEmail)
	resWantErr(t, set(&factorSetting{MFASMS, yes, yes}, &factorSetting{MFASoftwareToken, yes, yes}, nil), cognito.TypeInvalidParameter, msgTwoPreferred)
	resWantErr(t, set(&factorSetting{MFASMS, no, yes}, nil, nil), cognito.TypeInvalidParameter, msgPreferredDisabled)
	if d := cmp.Diff(store.UserMFA{TOTPEnabled: true}, state()); d != "" {
		t.Errorf("refused requests changed the user (-want +got):\n%s", d)
	}
}

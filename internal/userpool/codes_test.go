package userpool

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/delivery"
	"github.com/userpool/userpool/internal/store"
)

func TestMaskEmail(t *testing.T) {
	for in, want := range map[string]string{
		"test@test.com":        "t***@t***", // as moto's cognito-idp tests expect
		"abel@example.com":     "a***@e***",
		"a@mail.example.co.uk": "a***@m***",
		"x@localhost":          "x***@l***",
		"élodie@ümlaut.de":     "é***@ü***",
		"no-at-sign":           "n***",
		"":                     "***",
	} {
		if got := maskEmail(in); got != want {
			t.Errorf("maskEmail(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMaskPhone(t *testing.T) {
	for in, want := range map[string]string{
		"+15555550100":  "+*******0100",
		"+441234567890": "+********7890",
		"+123":          "+123",
	} {
		if got := maskPhone(in); got != want {
			t.Errorf("maskPhone(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestVerificationMessage(t *testing.T) {
	for _, tc := range []struct {
		name          string
		pool          cognito.UserPoolType
		medium        string
		subject, body string
	}{
		{"defaults", cognito.UserPoolType{}, delivery.MediumEmail, "Your verification code", "Your verification code is 123456. "},
		{"sms default", cognito.UserPoolType{}, delivery.MediumSMS, "", "Your verification code is 123456. "},
		{"legacy", cognito.UserPoolType{EmailVerificationSubject: "S", EmailVerificationMessage: "M {####} {####}", SmsVerificationMessage: "T {####}"},
			delivery.MediumEmail, "S", "M 123456 123456"},
		{"legacy sms", cognito.UserPoolType{SmsVerificationMessage: "T {####}"}, delivery.MediumSMS, "", "T 123456"},
		{"template wins", cognito.UserPoolType{
			EmailVerificationSubject: "old", EmailVerificationMessage: "old {####}",
			VerificationMessageTemplate: &cognito.VerificationMessageTemplateType{EmailSubject: "new", EmailMessage: "new {####}", SmsMessage: "sms {####}"},
		}, delivery.MediumEmail, "new", "new 123456"},
		{"template partial", cognito.UserPoolType{
			EmailVerificationSubject:    "legacy subject",
			VerificationMessageTemplate: &cognito.VerificationMessageTemplateType{EmailMessage: "tmpl {####}"},
		}, delivery.MediumEmail, "legacy subject", "tmpl 123456"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			subject, body := verificationMessage(&tc.pool, tc.medium, "123456")
			if subject != tc.subject || body != tc.body {
				t.Errorf("= %q, %q; want %q, %q", subject, body, tc.subject, tc.body)
			}
		})
	}
}

func TestRecoveryMechanisms(t *testing.T) {
	p := func(n int64) *int64 { return &n }
	for _, tc := range []struct {
		name    string
		setting *cognito.AccountRecoverySettingType
		want    []string
	}{
		{"unset: phone, then e-mail", nil, []string{recoveryVerifiedPhone, recoveryVerifiedEmail}},
		{"by priority", &cognito.AccountRecoverySettingType{RecoveryMechanisms: []cognito.RecoveryOptionType{
			{Name: recoveryVerifiedPhone, Priority: p(2)}, {Name: recoveryVerifiedEmail, Priority: p(1)},
		}}, []string{recoveryVerifiedEmail, recoveryVerifiedPhone}},
		{"admin only", &cognito.AccountRecoverySettingType{RecoveryMechanisms: []cognito.RecoveryOptionType{
			{Name: recoveryAdminOnly, Priority: p(1)},
		}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := recoveryMechanisms(&cognito.UserPoolType{AccountRecoverySetting: tc.setting})
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestSimulatedTarget(t *testing.T) {
	a := simulatedTarget("p1", "nobody", delivery.MediumEmail)
	if a != simulatedTarget("p1", "nobody", delivery.MediumEmail) {
		t.Error("two answers for the same question")
	}
	if d := a.details(); d.DeliveryMedium != "EMAIL" || d.AttributeName != "email" || d.Destination[:5] != "n***@" {
		t.Errorf("details = %+v", d)
	}
	if d := simulatedTarget("p1", "ghost@example.org", delivery.MediumEmail).details(); d.Destination != "g***@e***" {
		t.Errorf("an address-shaped username = %+v", d)
	}
	if d := simulatedTarget("p1", "+15555550100", delivery.MediumSMS).details(); d.Destination != "+*******0100" {
		t.Errorf("a number-shaped username = %+v", d)
	}
	if d := simulatedTarget("p1", "nobody", delivery.MediumSMS).details(); d.DeliveryMedium != "SMS" || len(d.Destination) != 12 {
		t.Errorf("SMS = %+v", d)
	}
}

func TestCodeHashIsBound(t *testing.T) {
	base := codeHash("p", "s", "signup", "123456")
	if !bytes.Equal(base, codeHash("p", "s", "signup", "123456")) {
		t.Fatal("the hash is not deterministic")
	}
	for _, other := range [][]byte{
		codeHash("q", "s", "signup", "123456"),
		codeHash("p", "t", "signup", "123456"),
		codeHash("p", "s", "reset", "123456"),
		codeHash("p", "s", "signup", "123457"),
		// The separators keep parts from sliding into each other.
		codeHash("p", "ssignup", "", "123456"),
	} {
		if bytes.Equal(base, other) {
			t.Error("two different codes share a hash")
		}
	}
	if c := newCode(); len(c) != 6 || c[0] < '0' || c[0] > '9' {
		t.Errorf("newCode = %q", c)
	}
}

// codeTestUser stores a pool and a user for the code tests.
func codeTestUser(t *testing.T) (*Service, store.Store, store.User) {
	t.Helper()
	s, st := userTestService(t)
	pool := userTestPool(t, st, "us-east-1_codes", &cognito.UserPoolType{})
	u := store.User{PoolID: pool, Sub: "sub-1", Username: "alice", UsernameKey: "alice", Status: cognito.UserStatusUnconfirmed,
		Enabled: true, Attributes: []store.Attribute{{Name: "sub", Value: "sub-1"}}, CreatedAt: userTestTime, UpdatedAt: userTestTime}
	if err := st.CreateUser(t.Context(), u); err != nil {
		t.Fatal(err)
	}
	return s, st, u
}

// Of many concurrent uses of one right code exactly one takes effect.
func TestCodeUsedOnce(t *testing.T) {
	s, st, u := codeTestUser(t)
	ctx := t.Context()
	code, err := s.issueCode(ctx, st, u.PoolID, u.Sub, purposeSignUp, emailTarget("a@example.com"), false, signUpCodeTTL)
	if err != nil {
		t.Fatal(err)
	}
	const n = 8
	var wg sync.WaitGroup
	results := make(chan error, n)
	for range n {
		wg.Go(func() {
			c, err := s.checkCode(ctx, u.PoolID, u.Sub, purposeSignUp, code)
			if err == nil {
				err = st.InTx(ctx, func(tx store.Store) error { return consumeCode(ctx, tx, c) })
			}
			results <- err
		})
	}
	wg.Wait()
	close(results)
	ok := 0
	for err := range results {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, cognito.CodeMismatch("")):
		default:
			t.Errorf("use: %v", err)
		}
	}
	if ok != 1 {
		t.Errorf("%d of %d uses succeeded, want 1", ok, n)
	}
}

// A code replaced between its check and its use is not used.
func TestCodeReplacedBeforeUse(t *testing.T) {
	s, st, u := codeTestUser(t)
	ctx := t.Context()
	code, err := s.issueCode(ctx, st, u.PoolID, u.Sub, purposeSignUp, emailTarget("a@example.com"), false, signUpCodeTTL)
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.checkCode(ctx, u.PoolID, u.Sub, purposeSignUp, code)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.issueCode(ctx, st, u.PoolID, u.Sub, purposeSignUp, emailTarget("a@example.com"), false, signUpCodeTTL); err != nil {
		t.Fatal(err)
	}
	err = st.InTx(ctx, func(tx store.Store) error { return consumeCode(ctx, tx, c) })
	userWantError(t, err, cognito.TypeCodeMismatch, msgCodeMismatch)
	if _, err := st.GetCode(ctx, u.PoolID, u.Sub, purposeSignUp); err != nil {
		t.Errorf("the new code is gone: %v", err)
	}
}

// The stored record holds the hash, never the code.
func TestCodeStoredHashed(t *testing.T) {
	s, st, u := codeTestUser(t)
	ctx := t.Context()
	code, err := s.issueCode(ctx, st, u.PoolID, u.Sub, purposeReset, emailTarget("a@example.com"), false, resetCodeTTL)
	if err != nil {
		t.Fatal(err)
	}
	c, err := st.GetCode(ctx, u.PoolID, u.Sub, purposeReset)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(c.Hash, []byte(code)) || !bytes.Equal(c.Hash, codeHash(u.PoolID, u.Sub, purposeReset, code)) {
		t.Errorf("stored hash %x does not hash the code", c.Hash)
	}
	if !c.ExpiresAt.Equal(userTestTime.Add(time.Hour)) || c.Sends != 1 || c.Attempts != 0 {
		t.Errorf("record = %+v", c)
	}
}

type failingMessenger struct{ err error }

func (f failingMessenger) Send(context.Context, delivery.Message) error { return f.err }

func TestDeliverCode(t *testing.T) {
	pool := &cognito.UserPoolType{ID: "p"}
	// Without a Messenger nothing is sent and nothing fails.
	s := New(Config{})
	if err := s.deliverCode(t.Context(), pool, "u", emailTarget("a@example.com"), delivery.PurposeSignUp, "123456", nil); err != nil {
		t.Errorf("deliverCode without a Messenger = %v", err)
	}
	boom := errors.New("boom")
	s = New(Config{Messages: failingMessenger{boom}})
	err := s.deliverCode(t.Context(), pool, "u", emailTarget("a@example.com"), delivery.PurposeSignUp, "123456", nil)
	userWantError(t, err, cognito.TypeCodeDeliveryFailure, msgEmailDeliveryFailure)
	if !errors.Is(err, boom) {
		t.Error("the cause is lost")
	}
	err = s.deliverCode(t.Context(), pool, "u", phoneTarget("+15555550100"), delivery.PurposeSignUp, "123456", nil)
	userWantError(t, err, cognito.TypeCodeDeliveryFailure, msgSMSDeliveryFailure)
}

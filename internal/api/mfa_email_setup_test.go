package api_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"
)

// E-mail MFA set up inside MFA_SETUP: the user answers with an address
// (EMAIL), a code goes there (EMAIL_OTP), and the right code makes it the
// user's verified e-mail and their MFA.

const emailSetupAddress = "bob@example.com"

// emailSetupStart signs bob in up to MFA_SETUP and returns its session.
func emailSetupStart(t *testing.T, e *lifecycleEnv, c *types.UserPoolClientType) *string {
	t.Helper()
	return mfaChallenge(t, e.env, c, "bob", types.ChallengeNameTypeMfaSetup).Session
}

func TestMFASetupEmail(t *testing.T) {
	e, pool, c := mfaSetup(t, types.UserPoolMfaTypeOn, "SOFTWARE_TOKEN_MFA", "EMAIL_OTP")
	tokensUser(t, e.env, pool, "bob")

	ch := mfaChallenge(t, e.env, c, "bob", types.ChallengeNameTypeMfaSetup)
	if d := cmp.Diff([]string{"SOFTWARE_TOKEN_MFA", "EMAIL_OTP"}, mfaList(t, ch.ChallengeParameters, "MFAS_CAN_SETUP")); d != "" {
		t.Errorf("MFAS_CAN_SETUP (-want +got):\n%s", d)
	}
	next, err := mfaRespond(e.env, c, types.ChallengeNameTypeMfaSetup, ch.Session, "bob", "EMAIL", emailSetupAddress)
	if err != nil {
		t.Fatalf("MFA_SETUP with EMAIL: %v", err)
	}
	want := map[string]string{"USER_ID_FOR_SRP": "bob", "CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL", "CODE_DELIVERY_DESTINATION": "b***@e***"}
	if next.ChallengeName != types.ChallengeNameTypeEmailOtp || next.AuthenticationResult != nil {
		t.Fatalf("MFA_SETUP with EMAIL = challenge %q, want EMAIL_OTP", next.ChallengeName)
	}
	if d := cmp.Diff(want, next.ChallengeParameters); d != "" {
		t.Errorf("EMAIL_OTP parameters (-want +got):\n%s", d)
	}
	// Nothing about bob changes before the code comes back.
	if attrs := usersAttrMap(usersGet(t, e.env, pool, "bob").UserAttributes); attrs["email"] != "" {
		t.Errorf("email %q before the code", attrs["email"])
	}
	code := e.code(emailSetupAddress)
	_, err = mfaRespond(e.env, c, types.ChallengeNameTypeEmailOtp, next.Session, "bob", "EMAIL_OTP_CODE", mfaWrongSMS(code))
	wantAPIError(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")
	out, err := mfaRespond(e.env, c, types.ChallengeNameTypeEmailOtp, next.Session, "bob", "EMAIL_OTP_CODE", code)
	tok := mfaWantTokens(t, e.env, out, err)
	if tok.RefreshToken == nil {
		t.Error("no refresh token after the set-up")
	}
	u := mfaWantAdminSettings(t, e.env, pool, "bob", "EMAIL_OTP", "EMAIL_OTP")
	if attrs := usersAttrMap(u.UserAttributes); attrs["email"] != emailSetupAddress || attrs["email_verified"] != "true" {
		t.Errorf("attributes after the set-up: %v", attrs)
	}
	// The code is used up.
	_, err = mfaRespond(e.env, c, types.ChallengeNameTypeEmailOtp, next.Session, "bob", "EMAIL_OTP_CODE", code)
	wantAPIError(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")

	// From now on bob signs in with e-mail codes.
	ch = mfaChallenge(t, e.env, c, "bob", types.ChallengeNameTypeEmailOtp)
	out, err = mfaRespond(e.env, c, types.ChallengeNameTypeEmailOtp, ch.Session, "bob", "EMAIL_OTP_CODE", e.code(emailSetupAddress))
	mfaWantTokens(t, e.env, out, err)
}

func TestMFASetupEmailErrors(t *testing.T) {
	e, pool, c := mfaSetup(t, types.UserPoolMfaTypeOn, "SOFTWARE_TOKEN_MFA", "EMAIL_OTP")
	tokensUser(t, e.env, pool, "bob")
	for _, tc := range []struct {
		name, email string
		typ, msg    string
	}{
		{"empty EMAIL", "", "InvalidParameterException", "Missing required parameter EMAIL"},
		{"not an address", "not-an-email", "InvalidParameterException", "Invalid email address format."},
		{"two @", "a@b@example.com", "InvalidParameterException", "Invalid email address format."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := mfaRespond(e.env, c, types.ChallengeNameTypeMfaSetup, emailSetupStart(t, e, c), "bob", "EMAIL", tc.email)
			wantAPIError(t, err, tc.typ, tc.msg)
		})
	}
	t.Run("USERNAME of another user", func(t *testing.T) {
		_, err := mfaRespond(e.env, c, types.ChallengeNameTypeMfaSetup, emailSetupStart(t, e, c), "alice", "EMAIL", emailSetupAddress)
		wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")
	})
	t.Run("no session", func(t *testing.T) {
		_, err := mfaRespond(e.env, c, types.ChallengeNameTypeMfaSetup, nil, "bob", "EMAIL", emailSetupAddress)
		wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")
	})
	t.Run("expired session", func(t *testing.T) {
		session := emailSetupStart(t, e, c)
		e.Clock.Advance(3*time.Minute + time.Second)
		_, err := mfaRespond(e.env, c, types.ChallengeNameTypeMfaSetup, session, "bob", "EMAIL", emailSetupAddress)
		wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user, session is expired.")
	})
	t.Run("the code's session lasts no longer than the sign-in's", func(t *testing.T) {
		session := emailSetupStart(t, e, c)
		e.Clock.Advance(2 * time.Minute)
		next, err := mfaRespond(e.env, c, types.ChallengeNameTypeMfaSetup, session, "bob", "EMAIL", emailSetupAddress)
		if err != nil {
			t.Fatal(err)
		}
		e.Clock.Advance(time.Minute + time.Second)
		_, err = mfaRespond(e.env, c, types.ChallengeNameTypeEmailOtp, next.Session, "bob", "EMAIL_OTP_CODE", e.code(emailSetupAddress))
		wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user, session is expired.")
	})
	t.Run("the set-up's session is not a sign-in code's", func(t *testing.T) {
		_, err := mfaRespond(e.env, c, types.ChallengeNameTypeEmailOtp, emailSetupStart(t, e, c), "bob", "EMAIL_OTP_CODE", "123456")
		wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")
	})
	t.Run("no code", func(t *testing.T) {
		next, err := mfaRespond(e.env, c, types.ChallengeNameTypeMfaSetup, emailSetupStart(t, e, c), "bob", "EMAIL", emailSetupAddress)
		if err != nil {
			t.Fatal(err)
		}
		_, err = mfaRespond(e.env, c, types.ChallengeNameTypeEmailOtp, next.Session, "bob", "EMAIL_OTP_CODE", "")
		wantAPIError(t, err, "InvalidParameterException", "Missing required parameter EMAIL_OTP_CODE")
	})
	t.Run("a code sent to another address", func(t *testing.T) {
		// bob starts over with another address: the first set-up's
		// session does not take the code sent there.
		first, err := mfaRespond(e.env, c, types.ChallengeNameTypeMfaSetup, emailSetupStart(t, e, c), "bob", "EMAIL", emailSetupAddress)
		if err != nil {
			t.Fatal(err)
		}
		second, err := mfaRespond(e.env, c, types.ChallengeNameTypeMfaSetup, emailSetupStart(t, e, c), "bob", "EMAIL", "robert@example.com")
		if err != nil {
			t.Fatal(err)
		}
		code := e.code("robert@example.com")
		_, err = mfaRespond(e.env, c, types.ChallengeNameTypeEmailOtp, first.Session, "bob", "EMAIL_OTP_CODE", code)
		wantAPIError(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")
		out, err := mfaRespond(e.env, c, types.ChallengeNameTypeEmailOtp, second.Session, "bob", "EMAIL_OTP_CODE", code)
		mfaWantTokens(t, e.env, out, err)
		if got := usersAttrMap(usersGet(t, e.env, pool, "bob").UserAttributes)["email"]; got != "robert@example.com" {
			t.Errorf("email %q, want the address the code went to", got)
		}
	})

	// A pool that does not offer e-mail codes.
	_, totpClient := mfaPoolWith(t, e, "SOFTWARE_TOKEN_MFA")
	session := mfaChallenge(t, e.env, totpClient, "bob", types.ChallengeNameTypeMfaSetup).Session
	_, err := mfaRespond(e.env, totpClient, types.ChallengeNameTypeMfaSetup, session, "bob", "EMAIL", emailSetupAddress)
	wantAPIError(t, err, "InvalidParameterException", "Email MFA cannot be set up for this user.")
}

// mfaPoolWith creates another pool on e that requires MFA with the
// factors named, a client, and the user bob without attributes.
func mfaPoolWith(t *testing.T, e *lifecycleEnv, factors ...string) (string, *types.UserPoolClientType) {
	t.Helper()
	pool := createTestPool(t, e.env, nil)
	c := tokensClient(t, e.env, pool, nil)
	tokensUser(t, e.env, pool, "bob")
	mfaConfigure(t, e.env, pool, types.UserPoolMfaTypeOn, factors...)
	return pool, c
}

// An address that is another user's verified alias cannot be taken over
// by setting up e-mail MFA.
func TestMFASetupEmailAliasTaken(t *testing.T) {
	e := newLifecycleEnv(t)
	pool := createTestPool(t, e.env, func(in *cip.CreateUserPoolInput) {
		in.AliasAttributes = []types.AliasAttributeType{types.AliasAttributeTypeEmail}
	})
	c := tokensClient(t, e.env, pool, nil)
	tokensUser(t, e.env, pool, "carol", "email", emailSetupAddress, "email_verified", "true")
	tokensUser(t, e.env, pool, "bob")
	mfaConfigure(t, e.env, pool, types.UserPoolMfaTypeOn, "EMAIL_OTP")

	ch := mfaChallenge(t, e.env, c, "bob", types.ChallengeNameTypeMfaSetup)
	if d := cmp.Diff([]string{"EMAIL_OTP"}, mfaList(t, ch.ChallengeParameters, "MFAS_CAN_SETUP")); d != "" {
		t.Errorf("MFAS_CAN_SETUP (-want +got):\n%s", d)
	}
	next, err := mfaRespond(e.env, c, types.ChallengeNameTypeMfaSetup, ch.Session, "bob", "EMAIL", emailSetupAddress)
	if err != nil {
		t.Fatal(err)
	}
	_, err = mfaRespond(e.env, c, types.ChallengeNameTypeEmailOtp, next.Session, "bob", "EMAIL_OTP_CODE", e.code(emailSetupAddress))
	wantAPIError(t, err, "AliasExistsException", "An account with the given email already exists.")
	if attrs := usersAttrMap(usersGet(t, e.env, pool, "carol").UserAttributes); attrs["email_verified"] != "true" {
		t.Errorf("carol's address after bob's attempt: %v", attrs)
	}
	if _, err := e.Client.AdminGetUser(e.ctx(), &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String(emailSetupAddress)}); err != nil {
		t.Errorf("carol by her alias: %v", err)
	}
}

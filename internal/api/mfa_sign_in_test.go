package api_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"
)

// Sign-in through the MFA challenges (InitiateAuth, AdminInitiateAuth,
// RespondToAuthChallenge and its admin form): which challenge applies,
// the answers, and every way an answer is refused.

// An OPTIONAL pool asks only users who turned a factor on.
func TestMFASignInOptional(t *testing.T) {
	e, pool, c := mfaSetup(t, types.UserPoolMfaTypeOptional, "SOFTWARE_TOKEN_MFA")
	r := e.signIn(pool, c, "alice", tokensPassword) // no factor on: tokens
	secret := mfaEnrollTOTP(t, e.env, aws.ToString(r.AccessToken), true)

	ch := mfaChallenge(t, e.env, c, "alice", types.ChallengeNameTypeSoftwareTokenMfa)
	want := map[string]string{"USER_ID_FOR_SRP": "alice", "FRIENDLY_DEVICE_NAME": "alice's phone"}
	if d := cmp.Diff(want, ch.ChallengeParameters); d != "" {
		t.Errorf("ChallengeParameters (-want +got):\n%s", d)
	}
	out, err := mfaRespond(e.env, c, types.ChallengeNameTypeSoftwareTokenMfa, ch.Session, "alice", "SOFTWARE_TOKEN_MFA_CODE", mfaCode(t, e.env, secret))
	tok := mfaWantTokens(t, e.env, out, err)
	if tok.RefreshToken == nil {
		t.Error("no refresh token after MFA")
	}
	// The same code a second time, in a new sign-in: used once already.
	ch = mfaChallenge(t, e.env, c, "alice", types.ChallengeNameTypeSoftwareTokenMfa)
	_, err = mfaRespond(e.env, c, types.ChallengeNameTypeSoftwareTokenMfa, ch.Session, "alice", "SOFTWARE_TOKEN_MFA_CODE", mfaCode(t, e.env, secret))
	wantAPIError(t, err, "ExpiredCodeException", "Your software token has already been used once.")
	// The session survives a refused code; the next step's code works.
	mfaNextStep(e.env)
	out, err = mfaRespond(e.env, c, types.ChallengeNameTypeSoftwareTokenMfa, ch.Session, "alice", "SOFTWARE_TOKEN_MFA_CODE", mfaCode(t, e.env, secret))
	mfaWantTokens(t, e.env, out, err)
	// Then it is used up, even with a later code.
	mfaNextStep(e.env)
	_, err = mfaRespond(e.env, c, types.ChallengeNameTypeSoftwareTokenMfa, ch.Session, "alice", "SOFTWARE_TOKEN_MFA_CODE", mfaCode(t, e.env, secret))
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")

	// Turning TOTP off ends the challenge; MFA OFF ends it for everyone.
	if _, err := e.Client.AdminSetUserMFAPreference(e.ctx(), &cip.AdminSetUserMFAPreferenceInput{
		UserPoolId: aws.String(pool), Username: aws.String("alice"), SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{},
	}); err != nil {
		t.Fatal(err)
	}
	e.signIn(pool, c, "alice", tokensPassword)
	if _, err := e.Client.AdminSetUserMFAPreference(e.ctx(), &cip.AdminSetUserMFAPreferenceInput{
		UserPoolId: aws.String(pool), Username: aws.String("alice"), SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true},
	}); err != nil {
		t.Fatal(err)
	}
	mfaConfigure(t, e.env, pool, types.UserPoolMfaTypeOff)
	e.signIn(pool, c, "alice", tokensPassword)
}

// Every way a SOFTWARE_TOKEN_MFA answer is refused.
func TestMFASignInErrors(t *testing.T) {
	e, pool, c := mfaSetup(t, types.UserPoolMfaTypeOptional, "SOFTWARE_TOKEN_MFA")
	secret := mfaEnrollTOTP(t, e.env, aws.ToString(e.signIn(pool, c, "alice", tokensPassword).AccessToken), true)
	tokensUser(t, e.env, pool, "otto")
	other := tokensClient(t, e.env, pool, nil)
	ch := mfaChallenge(t, e.env, c, "alice", types.ChallengeNameTypeSoftwareTokenMfa)
	code := mfaCode(t, e.env, secret)
	const mismatch = "Invalid code or auth state for the user."
	for _, tc := range []struct {
		name     string
		client   *types.UserPoolClientType
		session  *string
		pairs    []string
		typ, msg string
	}{
		{"wrong code", c, ch.Session, []string{"USERNAME", "alice", "SOFTWARE_TOKEN_MFA_CODE", mfaWrong(t, e.env, secret)}, "CodeMismatchException", mismatch},
		{"no code", c, ch.Session, []string{"USERNAME", "alice"}, "InvalidParameterException", "Missing required parameter SOFTWARE_TOKEN_MFA_CODE"},
		{"the SMS response", c, ch.Session, []string{"USERNAME", "alice", "SMS_MFA_CODE", code}, "InvalidParameterException", "Missing required parameter SOFTWARE_TOKEN_MFA_CODE"},
		{"no username", c, ch.Session, []string{"SOFTWARE_TOKEN_MFA_CODE", code}, "InvalidParameterException", "Missing required parameter USERNAME"},
		{"another user", c, ch.Session, []string{"USERNAME", "otto", "SOFTWARE_TOKEN_MFA_CODE", code}, "NotAuthorizedException", "Invalid session for the user."},
		{"another client", other, ch.Session, []string{"USERNAME", "alice", "SOFTWARE_TOKEN_MFA_CODE", code}, "NotAuthorizedException", "Invalid session for the user."},
		{"made-up session", c, aws.String(strings.Repeat("A", 40)), []string{"USERNAME", "alice", "SOFTWARE_TOKEN_MFA_CODE", code}, "NotAuthorizedException", "Invalid session for the user."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := map[string]string{}
			for i := 0; i+1 < len(tc.pairs); i += 2 {
				r[tc.pairs[i]] = tc.pairs[i+1]
			}
			_, err := e.Client.RespondToAuthChallenge(e.ctx(), &cip.RespondToAuthChallengeInput{
				ClientId: tc.client.ClientId, ChallengeName: types.ChallengeNameTypeSoftwareTokenMfa, Session: tc.session, ChallengeResponses: r,
			})
			wantAPIError(t, err, tc.typ, tc.msg)
		})
	}
	// The session answers only its own challenge.
	_, err := mfaRespond(e.env, c, types.ChallengeNameTypeSmsMfa, ch.Session, "alice", "SMS_MFA_CODE", "123456")
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")
	// Expired with the session (three minutes by default).
	e.Clock.Advance(3*time.Minute + time.Second)
	_, err = mfaRespond(e.env, c, types.ChallengeNameTypeSoftwareTokenMfa, ch.Session, "alice", "SOFTWARE_TOKEN_MFA_CODE", mfaCode(t, e.env, secret))
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user, session is expired.")

	// A user disabled mid-challenge cannot finish it.
	ch = mfaChallenge(t, e.env, c, "alice", types.ChallengeNameTypeSoftwareTokenMfa)
	if _, err := e.Client.AdminDisableUser(e.ctx(), &cip.AdminDisableUserInput{UserPoolId: aws.String(pool), Username: aws.String("alice")}); err != nil {
		t.Fatal(err)
	}
	_, err = mfaRespond(e.env, c, types.ChallengeNameTypeSoftwareTokenMfa, ch.Session, "alice", "SOFTWARE_TOKEN_MFA_CODE", mfaCode(t, e.env, secret))
	wantAPIError(t, err, "NotAuthorizedException", "User is disabled.")
	// Nor one deleted.
	if _, err := e.Client.AdminDeleteUser(e.ctx(), &cip.AdminDeleteUserInput{UserPoolId: aws.String(pool), Username: aws.String("alice")}); err != nil {
		t.Fatal(err)
	}
	_, err = mfaRespond(e.env, c, types.ChallengeNameTypeSoftwareTokenMfa, ch.Session, "alice", "SOFTWARE_TOKEN_MFA_CODE", mfaCode(t, e.env, secret))
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")
}

// Wrong codes count toward the sign-in lockout: after five in a row the
// user is locked out, right code or not, and a right code clears the
// count.
func TestMFASignInLockout(t *testing.T) {
	e, pool, c := mfaSetup(t, types.UserPoolMfaTypeOptional, "SOFTWARE_TOKEN_MFA")
	secret := mfaEnrollTOTP(t, e.env, aws.ToString(e.signIn(pool, c, "alice", tokensPassword).AccessToken), true)
	ch := mfaChallenge(t, e.env, c, "alice", types.ChallengeNameTypeSoftwareTokenMfa)
	for range 4 {
		_, err := mfaRespond(e.env, c, types.ChallengeNameTypeSoftwareTokenMfa, ch.Session, "alice", "SOFTWARE_TOKEN_MFA_CODE", mfaWrong(t, e.env, secret))
		wantAPIError(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")
	}
	out, err := mfaRespond(e.env, c, types.ChallengeNameTypeSoftwareTokenMfa, ch.Session, "alice", "SOFTWARE_TOKEN_MFA_CODE", mfaCode(t, e.env, secret))
	mfaWantTokens(t, e.env, out, err)
	mfaNextStep(e.env)
	ch = mfaChallenge(t, e.env, c, "alice", types.ChallengeNameTypeSoftwareTokenMfa)
	for range 5 {
		_, err := mfaRespond(e.env, c, types.ChallengeNameTypeSoftwareTokenMfa, ch.Session, "alice", "SOFTWARE_TOKEN_MFA_CODE", mfaWrong(t, e.env, secret))
		wantAPIError(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")
	}
	_, err = mfaRespond(e.env, c, types.ChallengeNameTypeSoftwareTokenMfa, ch.Session, "alice", "SOFTWARE_TOKEN_MFA_CODE", mfaCode(t, e.env, secret))
	wantAPIError(t, err, "NotAuthorizedException", "Password attempts exceeded")
	_, err = tokensInitiate(e.env, c, "alice", tokensPassword)
	wantAPIError(t, err, "NotAuthorizedException", "Password attempts exceeded")
}

// An ON pool asks every user: the factor they have, else MFA_SETUP.
func TestMFASignInRequired(t *testing.T) {
	e, pool, c := mfaSetup(t, types.UserPoolMfaTypeOn, "SOFTWARE_TOKEN_MFA", "SMS_MFA")
	tokensUser(t, e.env, pool, "bob")
	// alice has a phone number: SMS, with the destination masked.
	ch := mfaChallenge(t, e.env, c, "alice", types.ChallengeNameTypeSmsMfa)
	want := map[string]string{"USER_ID_FOR_SRP": "alice", "CODE_DELIVERY_DELIVERY_MEDIUM": "SMS", "CODE_DELIVERY_DESTINATION": "+*******0100"}
	if d := cmp.Diff(want, ch.ChallengeParameters); d != "" {
		t.Errorf("SMS_MFA parameters (-want +got):\n%s", d)
	}
	// bob has nothing: he must set up an authenticator.
	setup := mfaChallenge(t, e.env, c, "bob", types.ChallengeNameTypeMfaSetup)
	if got := mfaList(t, setup.ChallengeParameters, "MFAS_CAN_SETUP"); !cmp.Equal(got, []string{"SMS_MFA", "SOFTWARE_TOKEN_MFA"}) {
		t.Errorf("MFAS_CAN_SETUP = %v", got)
	}
	if setup.ChallengeParameters["USER_ID_FOR_SRP"] != "bob" {
		t.Errorf("USER_ID_FOR_SRP = %q", setup.ChallengeParameters["USER_ID_FOR_SRP"])
	}
	// A TOTP-only pool does not offer SMS set-up.
	mfaConfigure(t, e.env, pool, types.UserPoolMfaTypeOn, "SOFTWARE_TOKEN_MFA")
	setup = mfaChallenge(t, e.env, c, "bob", types.ChallengeNameTypeMfaSetup)
	if got := mfaList(t, setup.ChallengeParameters, "MFAS_CAN_SETUP"); !cmp.Equal(got, []string{"SOFTWARE_TOKEN_MFA"}) {
		t.Errorf("MFAS_CAN_SETUP = %v", got)
	}
	// In an ON pool a verified authenticator is used even when not turned on.
	mfaConfigure(t, e.env, pool, types.UserPoolMfaTypeOptional, "SOFTWARE_TOKEN_MFA")
	secret := mfaEnrollTOTP(t, e.env, aws.ToString(e.signIn(pool, c, "bob", tokensPassword).AccessToken), false)
	e.signIn(pool, c, "bob", tokensPassword)
	mfaConfigure(t, e.env, pool, types.UserPoolMfaTypeOn, "SOFTWARE_TOKEN_MFA")
	ch = mfaChallenge(t, e.env, c, "bob", types.ChallengeNameTypeSoftwareTokenMfa)
	out, err := mfaRespond(e.env, c, types.ChallengeNameTypeSoftwareTokenMfa, ch.Session, "bob", "SOFTWARE_TOKEN_MFA_CODE", mfaCode(t, e.env, secret))
	mfaWantTokens(t, e.env, out, err)
}

// SMS_MFA and EMAIL_OTP send a code through the senders; the code is good
// once, for its own factor, and a wrong one can be retried.
func TestMFASignInCodes(t *testing.T) {
	e, pool, c := mfaSetup(t, types.UserPoolMfaTypeOptional, "SMS_MFA", "EMAIL_OTP")
	if _, err := e.Client.AdminSetUserMFAPreference(e.ctx(), &cip.AdminSetUserMFAPreferenceInput{
		UserPoolId: aws.String(pool), Username: aws.String("alice"), SMSMfaSettings: &types.SMSMfaSettingsType{Enabled: true},
	}); err != nil {
		t.Fatal(err)
	}
	ch := mfaChallenge(t, e.env, c, "alice", types.ChallengeNameTypeSmsMfa)
	msg := e.lastMessage(mfaPhone)
	if msg.Medium != "SMS" || msg.Purpose != "Authentication" || msg.Body != "Your authentication code is "+msg.Code+". " {
		t.Errorf("SMS message = %+v", msg)
	}
	_, err := mfaRespond(e.env, c, types.ChallengeNameTypeSmsMfa, ch.Session, "alice", "SMS_MFA_CODE", mfaWrongSMS(msg.Code))
	wantAPIError(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")
	out, err := mfaRespond(e.env, c, types.ChallengeNameTypeSmsMfa, ch.Session, "alice", "SMS_MFA_CODE", msg.Code)
	mfaWantTokens(t, e.env, out, err)
	_, err = mfaRespond(e.env, c, types.ChallengeNameTypeSmsMfa, ch.Session, "alice", "SMS_MFA_CODE", msg.Code)
	wantAPIError(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")

	// E-mail, preferred over SMS: straight to EMAIL_OTP.
	if _, err := e.Client.AdminSetUserMFAPreference(e.ctx(), &cip.AdminSetUserMFAPreferenceInput{
		UserPoolId: aws.String(pool), Username: aws.String("alice"), EmailMfaSettings: &types.EmailMfaSettingsType{Enabled: true, PreferredMfa: true},
	}); err != nil {
		t.Fatal(err)
	}
	ch = mfaChallenge(t, e.env, c, "alice", types.ChallengeNameTypeEmailOtp)
	want := map[string]string{"USER_ID_FOR_SRP": "alice", "CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL", "CODE_DELIVERY_DESTINATION": "a***@e***"}
	if d := cmp.Diff(want, ch.ChallengeParameters); d != "" {
		t.Errorf("EMAIL_OTP parameters (-want +got):\n%s", d)
	}
	mail := e.lastMessage(mfaEmail)
	if mail.Subject != "Your authentication code" || mail.Medium != "EMAIL" {
		t.Errorf("e-mail = %+v", mail)
	}
	// An expired session takes its code with it.
	e.Clock.Advance(3*time.Minute + time.Second)
	_, err = mfaRespond(e.env, c, types.ChallengeNameTypeEmailOtp, ch.Session, "alice", "EMAIL_OTP_CODE", mail.Code)
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user, session is expired.")
	ch = mfaChallenge(t, e.env, c, "alice", types.ChallengeNameTypeEmailOtp)
	_, err = mfaRespond(e.env, c, types.ChallengeNameTypeEmailOtp, ch.Session, "alice", "EMAIL_OTP_CODE", mail.Code)
	wantAPIError(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")
	_, err = mfaRespond(e.env, c, types.ChallengeNameTypeEmailOtp, ch.Session, "alice")
	wantAPIError(t, err, "InvalidParameterException", "Missing required parameter EMAIL_OTP_CODE")
	out, err = mfaRespond(e.env, c, types.ChallengeNameTypeEmailOtp, ch.Session, "alice", "EMAIL_OTP_CODE", e.code(mfaEmail))
	mfaWantTokens(t, e.env, out, err)

	// A failed delivery fails the sign-in.
	e.Failer.Fail(errors.New("the test's SMTP server is down"))
	_, err = tokensInitiate(e.env, c, "alice", tokensPassword)
	wantAPIError(t, err, "CodeDeliveryFailureException", "Invalid email provided/Unable to send the email")
}

// mfaWrongSMS is a code other than code.
func mfaWrongSMS(code string) string {
	if code == "000000" {
		return "111111"
	}
	return "000000"
}

// Several factors and none preferred: the user chooses.
func TestMFASignInSelect(t *testing.T) {
	e, pool, c := mfaSetup(t, types.UserPoolMfaTypeOptional, "SOFTWARE_TOKEN_MFA", "SMS_MFA", "EMAIL_OTP")
	mfaEnrollTOTP(t, e.env, aws.ToString(e.signIn(pool, c, "alice", tokensPassword).AccessToken), false)
	if _, err := e.Client.AdminSetUserMFAPreference(e.ctx(), &cip.AdminSetUserMFAPreferenceInput{
		UserPoolId: aws.String(pool), Username: aws.String("alice"),
		SMSMfaSettings:           &types.SMSMfaSettingsType{Enabled: true},
		SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true},
		EmailMfaSettings:         &types.EmailMfaSettingsType{Enabled: true},
	}); err != nil {
		t.Fatal(err)
	}
	ch := mfaChallenge(t, e.env, c, "alice", types.ChallengeNameTypeSelectMfaType)
	if got := mfaList(t, ch.ChallengeParameters, "MFAS_CAN_CHOOSE"); !cmp.Equal(got, []string{"SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP"}) {
		t.Errorf("MFAS_CAN_CHOOSE = %v", got)
	}
	_, err := mfaRespond(e.env, c, types.ChallengeNameTypeSelectMfaType, ch.Session, "alice", "ANSWER", "VOICE_CALL")
	wantAPIError(t, err, "InvalidParameterException", "The ANSWER is not one of the MFA types the user can choose.")
	_, err = mfaRespond(e.env, c, types.ChallengeNameTypeSelectMfaType, ch.Session, "alice")
	wantAPIError(t, err, "InvalidParameterException", "Missing required parameter ANSWER")
	// EMAIL_MFA, the documentation's name, is the e-mail factor.
	next, err := mfaRespond(e.env, c, types.ChallengeNameTypeSelectMfaType, ch.Session, "alice", "ANSWER", "EMAIL_MFA")
	if err != nil || next.ChallengeName != types.ChallengeNameTypeEmailOtp {
		t.Fatalf("ANSWER EMAIL_MFA = %v, %v", next, err)
	}
	next, err = mfaRespond(e.env, c, types.ChallengeNameTypeSelectMfaType, ch.Session, "alice", "ANSWER", "SMS_MFA")
	if err != nil || next.ChallengeName != types.ChallengeNameTypeSmsMfa || next.ChallengeParameters["CODE_DELIVERY_DESTINATION"] != "+*******0100" {
		t.Fatalf("ANSWER SMS_MFA = %+v, %v", next, err)
	}
	out, err := mfaRespond(e.env, c, types.ChallengeNameTypeSmsMfa, next.Session, "alice", "SMS_MFA_CODE", e.code(mfaPhone))
	mfaWantTokens(t, e.env, out, err)
	// The select session cannot answer the factor's challenge itself.
	_, err = mfaRespond(e.env, c, types.ChallengeNameTypeSmsMfa, ch.Session, "alice", "SMS_MFA_CODE", "123456")
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")
}

// The admin forms, with a client secret, and MFA after a new password.
func TestMFASignInAdmin(t *testing.T) {
	e := newLifecycleEnv(t)
	pool := createTestPool(t, e.env, nil)
	c := tokensClient(t, e.env, pool, func(in *cip.CreateUserPoolClientInput) { in.GenerateSecret = true })
	usersCreate(t, e.env, pool, "carol", "phone_number", mfaPhone)
	mfaConfigure(t, e.env, pool, types.UserPoolMfaTypeOn, "SMS_MFA")
	start, err := e.Client.AdminInitiateAuth(e.ctx(), &cip.AdminInitiateAuthInput{
		UserPoolId: aws.String(pool), ClientId: c.ClientId, AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "carol", "PASSWORD": usersTempPassword, "SECRET_HASH": tokensSecretHash(c, "carol")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if start.ChallengeName != types.ChallengeNameTypeNewPasswordRequired {
		t.Fatalf("challenge %s, want NEW_PASSWORD_REQUIRED", start.ChallengeName)
	}
	respond := func(name types.ChallengeNameType, session *string, pairs ...string) (*cip.AdminRespondToAuthChallengeOutput, error) {
		r := map[string]string{"USERNAME": "carol", "SECRET_HASH": tokensSecretHash(c, "carol")}
		for i := 0; i+1 < len(pairs); i += 2 {
			r[pairs[i]] = pairs[i+1]
		}
		return e.Client.AdminRespondToAuthChallenge(e.ctx(), &cip.AdminRespondToAuthChallengeInput{
			UserPoolId: aws.String(pool), ClientId: c.ClientId, ChallengeName: name, Session: session, ChallengeResponses: r,
		})
	}
	// The new password leads to the MFA challenge, not to tokens.
	next, err := respond(types.ChallengeNameTypeNewPasswordRequired, start.Session, "NEW_PASSWORD", tokensPassword)
	if err != nil || next.ChallengeName != types.ChallengeNameTypeSmsMfa || next.AuthenticationResult != nil {
		t.Fatalf("after the new password: %+v, %v", next, err)
	}
	_, err = respond(types.ChallengeNameTypeSmsMfa, next.Session, "SMS_MFA_CODE", e.code(mfaPhone), "SECRET_HASH", "bad")
	wantAPIError(t, err, "NotAuthorizedException", "")
	out, err := respond(types.ChallengeNameTypeSmsMfa, next.Session, "SMS_MFA_CODE", e.code(mfaPhone))
	if err != nil || out.AuthenticationResult == nil {
		t.Fatalf("AdminRespondToAuthChallenge(SMS_MFA) = %+v, %v", out, err)
	}
	tokensWantValid(t, e.env, aws.ToString(out.AuthenticationResult.AccessToken))
}

package api_test

import (
	"encoding/base64"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/userpool/userpool/internal/srp"
)

// srpFresh starts a handshake of username with password and returns the
// client's PASSWORD_VERIFIER answer, which the caller may alter.
func srpFresh(t *testing.T, e *env, pool string, c *types.UserPoolClientType, username, password string) map[string]string {
	t.Helper()
	s := srpNew(t, pool, c, username, password)
	return srpAnswer(t, e, s, srpChallenge(t, e, c, s, nil).ChallengeParameters)
}

func srpVerify(e *env, c *types.UserPoolClientType, resp map[string]string) error {
	_, err := srpRespond(e, c, types.ChallengeNameTypePasswordVerifier, resp, nil)
	return err
}

func TestRespondToAuthChallengePasswordVerifierErrors(t *testing.T) {
	e := newEnv(t)
	pool, client := srpSetup(t, e, nil, nil)
	other := srpClientFor(t, e, pool, nil)
	tokensUser(t, e, pool, "bob")
	secret := srpClientFor(t, e, pool, func(in *cip.CreateUserPoolClientInput) { in.GenerateSecret = true })

	without := func(name string) map[string]string {
		r := srpFresh(t, e, pool, client, "alice", tokensPassword)
		delete(r, name)
		return r
	}
	with := func(name, value string) map[string]string {
		r := srpFresh(t, e, pool, client, "alice", tokensPassword)
		r[name] = value
		return r
	}
	tampered := func() map[string]string {
		r := srpFresh(t, e, pool, client, "alice", tokensPassword)
		b, _ := base64.StdEncoding.DecodeString(r["PASSWORD_CLAIM_SECRET_BLOCK"])
		b[len(b)/2] ^= 1
		r["PASSWORD_CLAIM_SECRET_BLOCK"] = base64.StdEncoding.EncodeToString(b)
		return r
	}
	now := e.Clock.Now()
	secretNoHash := srpFresh(t, e, pool, secret, "alice", tokensPassword)
	delete(secretNoHash, "SECRET_HASH")
	for _, tc := range []struct {
		name     string
		c        *types.UserPoolClientType
		resp     map[string]string
		typ, msg string
	}{
		{"no USERNAME", client, without("USERNAME"), "InvalidParameterException", "Missing required parameter USERNAME"},
		{"no secret block", client, without("PASSWORD_CLAIM_SECRET_BLOCK"), "InvalidParameterException", "Missing required parameter PASSWORD_CLAIM_SECRET_BLOCK"},
		{"no signature", client, without("PASSWORD_CLAIM_SIGNATURE"), "InvalidParameterException", "Missing required parameter PASSWORD_CLAIM_SIGNATURE"},
		{"no timestamp", client, without("TIMESTAMP"), "InvalidParameterException", "Missing required parameter TIMESTAMP"},
		{"timestamp with a zero-padded day", client, with("TIMESTAMP", "Mon Nov 02 12:00:00 UTC 2026"),
			"InvalidParameterException", "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english."},
		{"timestamp in another format", client, with("TIMESTAMP", now.Format(time.RFC3339)),
			"InvalidParameterException", "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english."},
		{"timestamp a day off", client, with("TIMESTAMP", srp.FormatTimestamp(now.Add(-25*time.Hour))),
			"NotAuthorizedException", "TIMESTAMP is too far from the server's clock."},
		{"timestamp in the future", client, with("TIMESTAMP", srp.FormatTimestamp(now.Add(13*time.Hour))),
			"NotAuthorizedException", "TIMESTAMP is too far from the server's clock."},
		{"secret block not base64", client, with("PASSWORD_CLAIM_SECRET_BLOCK", "%%%"), "NotAuthorizedException", "Incorrect username or password."},
		{"secret block forged", client, with("PASSWORD_CLAIM_SECRET_BLOCK", base64.StdEncoding.EncodeToString(make([]byte, 64))),
			"NotAuthorizedException", "Incorrect username or password."},
		{"secret block tampered", client, tampered(), "NotAuthorizedException", "Incorrect username or password."},
		{"secret block of another client", other, srpFresh(t, e, pool, client, "alice", tokensPassword),
			"NotAuthorizedException", "Incorrect username or password."},
		{"USERNAME of another user", client, with("USERNAME", "bob"), "NotAuthorizedException", "Incorrect username or password."},
		{"USERNAME of nobody", client, with("USERNAME", "nobody"), "NotAuthorizedException", "Incorrect username or password."},
		{"secret hash missing", secret, secretNoHash,
			"NotAuthorizedException", "Client " + aws.ToString(secret.ClientId) + " is configured with secret but SECRET_HASH was not received"},
		{"secret hash wrong", secret, func() map[string]string {
			r := srpFresh(t, e, pool, secret, "alice", tokensPassword)
			r["SECRET_HASH"] = tokensSecretHash(secret, "bob")
			return r
		}(), "NotAuthorizedException", "Unable to verify secret hash for client " + aws.ToString(secret.ClientId)},
	} {
		t.Run(tc.name, func(t *testing.T) { wantAPIError(t, srpVerify(e, tc.c, tc.resp), tc.typ, tc.msg) })
	}

	// None of those was a wrong password: alice is not locked out.
	srpTokens(t, e, pool, client, "alice", tokensPassword)
}

// TestRespondToAuthChallengePasswordVerifierLockout: wrong proofs count
// towards the lockout that wrong passwords share, and a right one resets
// the count.
func TestRespondToAuthChallengePasswordVerifierLockout(t *testing.T) {
	e := newEnv(t)
	pool, client := srpSetup(t, e, nil, nil)
	for i := range 4 {
		if i%2 == 0 {
			srpWantFails(t, e, pool, client, "alice", tokensWrongPassword)
		} else {
			// A signature that is not even base64 is a wrong proof too.
			wantAPIError(t, srpVerify(e, client, func() map[string]string {
				r := srpFresh(t, e, pool, client, "alice", tokensPassword)
				r["PASSWORD_CLAIM_SIGNATURE"] = "not base64!"
				return r
			}()), "NotAuthorizedException", "Incorrect username or password.")
		}
	}
	// The fifth failure, by password, locks the user out for a second.
	_, err := tokensInitiate(e, client, "alice", tokensWrongPassword)
	wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	_, err = srpSignIn(t, e, pool, client, "alice", tokensPassword, nil)
	wantAPIError(t, err, "NotAuthorizedException", "Password attempts exceeded")

	e.Clock.Advance(2 * time.Second)
	srpTokens(t, e, pool, client, "alice", tokensPassword)
	u, err := e.Svc.UserBySub(e.ctx(), pool, usersSub(t, e, pool, "alice"))
	if err != nil {
		t.Fatal(err)
	}
	if u.FailedSignIns != 0 {
		t.Errorf("FailedSignIns = %d after a successful SRP sign-in", u.FailedSignIns)
	}
}

// TestRespondToAuthChallengePasswordVerifierTime covers the clocks: the
// block expires with the client's AuthSessionValidity, and a TIMESTAMP
// twelve hours early, which alexrudd/cognito-srp writes every afternoon
// (it formats the hour on a 12-hour clock), is accepted as Cognito
// accepts it.
func TestRespondToAuthChallengePasswordVerifierTime(t *testing.T) {
	e := newEnv(t)
	pool, client := srpSetup(t, e, nil, nil)

	late := srpFresh(t, e, pool, client, "alice", tokensPassword)
	e.Clock.Advance(3 * time.Minute)
	wantAPIError(t, srpVerify(e, client, late), "NotAuthorizedException", "Invalid session for the user, session is expired.")

	long := srpClientFor(t, e, pool, func(in *cip.CreateUserPoolClientInput) { in.AuthSessionValidity = aws.Int32(15) })
	s := srpNew(t, pool, long, "alice", tokensPassword)
	ch := srpChallenge(t, e, long, s, nil)
	e.Clock.Advance(10 * time.Minute)
	if err := srpVerify(e, long, srpAnswer(t, e, s, ch.ChallengeParameters)); err != nil {
		t.Errorf("answer within a 15-minute AuthSessionValidity: %v", err)
	}

	// 12:13 + 3h20 = 15:33 UTC: the client writes "03:33:00".
	e.Clock.Advance(3*time.Hour + 20*time.Minute)
	s = srpNew(t, pool, client, "alice", tokensPassword)
	resp := srpAnswer(t, e, s, srpChallenge(t, e, client, s, nil).ChallengeParameters)
	if want := "Sun Nov 22 03:33:00 UTC 2026"; resp["TIMESTAMP"] != want {
		t.Fatalf("alexrudd/cognito-srp wrote TIMESTAMP %q, want %q", resp["TIMESTAMP"], want)
	}
	if err := srpVerify(e, client, resp); err != nil {
		t.Errorf("a 12-hour-clock TIMESTAMP: %v", err)
	}
}

// TestRespondToAuthChallengePasswordVerifierUserState: the user's state is
// checked once the password is proven, as on password sign-in, and a
// change of user between the two steps is caught.
func TestRespondToAuthChallengePasswordVerifierUserState(t *testing.T) {
	e := newEnv(t)
	pool, client := srpSetup(t, e, nil, nil)
	for _, name := range []string{"dora", "uma", "rex", "pam", "del"} {
		tokensUser(t, e, pool, name)
	}
	answers := map[string]map[string]string{}
	for _, name := range []string{"dora", "uma", "rex", "pam", "del"} {
		answers[name] = srpFresh(t, e, pool, client, name, tokensPassword)
	}
	// Between InitiateAuth and RespondToAuthChallenge: disable, change
	// status, change the password, delete.
	if _, err := e.Client.AdminDisableUser(e.ctx(), &cip.AdminDisableUserInput{UserPoolId: aws.String(pool), Username: aws.String("dora")}); err != nil {
		t.Fatal(err)
	}
	tokensSetStatus(t, e, pool, "uma", "UNCONFIRMED")
	tokensSetStatus(t, e, pool, "rex", "RESET_REQUIRED")
	if _, err := e.Client.AdminSetUserPassword(e.ctx(), &cip.AdminSetUserPasswordInput{
		UserPoolId: aws.String(pool), Username: aws.String("pam"), Password: aws.String(tokensPassword), Permanent: true,
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Client.AdminDeleteUser(e.ctx(), &cip.AdminDeleteUserInput{UserPoolId: aws.String(pool), Username: aws.String("del")}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, typ, msg string
	}{
		{"dora", "NotAuthorizedException", "User is disabled."},
		{"uma", "UserNotConfirmedException", "User is not confirmed."},
		{"rex", "PasswordResetRequiredException", "Password reset required for the user"},
		// The same password, but a new salt and verifier: the proof was
		// made against the old ones.
		{"pam", "NotAuthorizedException", "Incorrect username or password."},
		{"del", "NotAuthorizedException", "Incorrect username or password."},
	} {
		t.Run(tc.name, func(t *testing.T) { wantAPIError(t, srpVerify(e, client, answers[tc.name]), tc.typ, tc.msg) })
	}
	// A disabled user with a wrong password hears about the password.
	_, err := srpSignIn(t, e, pool, client, "dora", tokensWrongPassword, nil)
	wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	srpTokens(t, e, pool, client, "pam", tokensPassword)
}

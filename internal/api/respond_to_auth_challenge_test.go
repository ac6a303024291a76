package api_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"

	"github.com/userpool/userpool/internal/store"
)

// tokensNewPasswordChallenge signs in a user who has a temporary password
// and returns the NEW_PASSWORD_REQUIRED challenge.
func tokensNewPasswordChallenge(t *testing.T, e *env, c *types.UserPoolClientType, username string) *cip.InitiateAuthOutput {
	t.Helper()
	out, err := tokensInitiate(e, c, username, usersTempPassword)
	if err != nil {
		t.Fatalf("InitiateAuth(%s): %v", username, err)
	}
	if out.ChallengeName != types.ChallengeNameTypeNewPasswordRequired || out.AuthenticationResult != nil || aws.ToString(out.Session) == "" {
		t.Fatalf("InitiateAuth(%s) = %+v, want NEW_PASSWORD_REQUIRED", username, out)
	}
	return out
}

// tokensRespond answers NEW_PASSWORD_REQUIRED with the responses given
// (USERNAME and NEW_PASSWORD unless overridden).
func tokensRespond(e *env, c *types.UserPoolClientType, session string, responses ...string) (*cip.RespondToAuthChallengeOutput, error) {
	rs := map[string]string{}
	for i := 0; i+1 < len(responses); i += 2 {
		rs[responses[i]] = responses[i+1]
	}
	return e.Client.RespondToAuthChallenge(e.ctx(), &cip.RespondToAuthChallengeInput{
		ClientId: c.ClientId, ChallengeName: types.ChallengeNameTypeNewPasswordRequired,
		Session: aws.String(session), ChallengeResponses: rs,
	})
}

func TestRespondToAuthChallengeNewPassword(t *testing.T) {
	e := newEnv(t)
	pool, client := tokensSetup(t, e, nil, nil)
	usersCreate(t, e, pool, "nina", "email", "nina@example.com", "email_verified", "true", "given_name", "Nina")
	ch := tokensNewPasswordChallenge(t, e, client, "nina")
	want := map[string]string{
		"USER_ID_FOR_SRP":    "nina",
		"requiredAttributes": "[]",
		"userAttributes":     `{"email":"nina@example.com","given_name":"Nina"}`,
	}
	if diff := cmp.Diff(want, ch.ChallengeParameters); diff != "" {
		t.Errorf("ChallengeParameters (-want +got):\n%s", diff)
	}
	session := aws.ToString(ch.Session)

	// A password the policy refuses leaves the challenge open.
	_, err := tokensRespond(e, client, session, "USERNAME", "nina", "NEW_PASSWORD", "short")
	wantAPIError(t, err, "InvalidPasswordException", "Password did not conform with policy: Password not long enough")
	_, err = tokensRespond(e, client, session, "USERNAME", "nina", "NEW_PASSWORD", "alllowercase1!")
	wantAPIError(t, err, "InvalidPasswordException", "Password did not conform with policy: Password must have uppercase characters")

	out, err := tokensRespond(e, client, session, "USERNAME", "nina", "NEW_PASSWORD", "New-Passw0rd!")
	if err != nil {
		t.Fatal(err)
	}
	r := out.AuthenticationResult
	if r == nil || out.ChallengeName != "" || r.RefreshToken == nil || r.ExpiresIn != 3600 {
		t.Fatalf("output = %+v", out)
	}
	idv, _ := tokensVerifiers(t, e, pool, aws.ToString(client.ClientId))
	if _, err := idv.Verify(e.ctx(), aws.ToString(r.IdToken)); err != nil {
		t.Fatalf("go-oidc: %v", err)
	}
	if c := tokensClaims(t, aws.ToString(r.IdToken)); c["cognito:username"] != "nina" || c["given_name"] != "Nina" || c["email_verified"] != true {
		t.Errorf("ID token claims = %v", c)
	}
	tokensWantValid(t, e, aws.ToString(r.AccessToken))
	if _, err := tokensRefresh(e, client, "nina", aws.ToString(r.RefreshToken)); err != nil {
		t.Errorf("refresh: %v", err)
	}
	if got := usersGet(t, e, pool, "nina").UserStatus; got != types.UserStatusTypeConfirmed {
		t.Errorf("status = %s, want CONFIRMED", got)
	}

	// The new password is the password now, and the session is spent.
	signInUser(t, e, pool, client, "nina", "New-Passw0rd!")
	_, err = tokensInitiate(e, client, "nina", usersTempPassword)
	wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	_, err = tokensRespond(e, client, session, "USERNAME", "nina", "NEW_PASSWORD", "Other-Passw0rd!")
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")
}

// A required attribute the user lacks is listed in requiredAttributes and
// must be given as userAttributes.<name>.
func TestRespondToAuthChallengeRequiredAttributes(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, func(in *cip.CreateUserPoolInput) {
		in.Schema = []types.SchemaAttributeType{{Name: aws.String("given_name"), Required: aws.Bool(true), Mutable: aws.Bool(true)}}
	})
	client := tokensClient(t, e, pool, nil)
	usersCreate(t, e, pool, "nina", "given_name", "Nina", "email", "nina@example.com")
	// AdminCreateUser insists on required attributes; a user created
	// before the rule, or imported, may still lack one.
	sub := usersSub(t, e, pool, "nina")
	if _, err := e.Svc.UpdateSignInState(e.ctx(), pool, sub, func(u *store.User) {
		var kept []store.Attribute
		for _, a := range u.Attributes {
			if a.Name != "given_name" {
				kept = append(kept, a)
			}
		}
		u.Attributes = kept
	}); err != nil {
		t.Fatal(err)
	}
	ch := tokensNewPasswordChallenge(t, e, client, "nina")
	if got := ch.ChallengeParameters["requiredAttributes"]; got != `["userAttributes.given_name"]` {
		t.Errorf("requiredAttributes = %s", got)
	}
	if got := ch.ChallengeParameters["userAttributes"]; got != `{"email":"nina@example.com"}` {
		t.Errorf("userAttributes = %s", got)
	}
	session := aws.ToString(ch.Session)
	_, err := tokensRespond(e, client, session, "USERNAME", "nina", "NEW_PASSWORD", "New-Passw0rd!")
	wantAPIError(t, err, "InvalidParameterException", "Invalid attributes given, given_name is missing")
	_, err = tokensRespond(e, client, session, "USERNAME", "nina", "NEW_PASSWORD", "New-Passw0rd!", "userAttributes.custom:nope", "x")
	wantAPIError(t, err, "InvalidParameterException", "")
	out, err := tokensRespond(e, client, session, "USERNAME", "nina", "NEW_PASSWORD", "New-Passw0rd!", "userAttributes.given_name", "Nina")
	if err != nil {
		t.Fatal(err)
	}
	if c := tokensClaims(t, aws.ToString(out.AuthenticationResult.IdToken)); c["given_name"] != "Nina" {
		t.Errorf("given_name claim = %v", c["given_name"])
	}
	if got := usersAttrMap(usersGet(t, e, pool, "nina").UserAttributes)["given_name"]; got != "Nina" {
		t.Errorf("given_name = %q", got)
	}
}

// A session lasts the client's AuthSessionValidity (minutes).
func TestRespondToAuthChallengeSessionExpiry(t *testing.T) {
	for _, minutes := range []int32{3, 15} {
		t.Run(fmt.Sprintf("%d minutes", minutes), func(t *testing.T) {
			e := newEnv(t)
			pool, client := tokensSetup(t, e, nil, func(in *cip.CreateUserPoolClientInput) { in.AuthSessionValidity = aws.Int32(minutes) })
			ttl := time.Duration(minutes) * time.Minute
			usersCreate(t, e, pool, "late")
			usersCreate(t, e, pool, "just")
			late := aws.ToString(tokensNewPasswordChallenge(t, e, client, "late").Session)
			just := aws.ToString(tokensNewPasswordChallenge(t, e, client, "just").Session)
			e.Clock.Advance(ttl - time.Second)
			if _, err := tokensRespond(e, client, just, "USERNAME", "just", "NEW_PASSWORD", "New-Passw0rd!"); err != nil {
				t.Fatalf("a second before expiry: %v", err)
			}
			e.Clock.Advance(time.Second)
			_, err := tokensRespond(e, client, late, "USERNAME", "late", "NEW_PASSWORD", "New-Passw0rd!")
			wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user, session is expired.")
			// A new sign-in gets a new session.
			fresh := aws.ToString(tokensNewPasswordChallenge(t, e, client, "late").Session)
			if _, err := tokensRespond(e, client, fresh, "USERNAME", "late", "NEW_PASSWORD", "New-Passw0rd!"); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestRespondToAuthChallengeErrors(t *testing.T) {
	e := newEnv(t)
	pool, client := tokensSetup(t, e, nil, nil)
	other := tokensClient(t, e, pool, nil)
	usersCreate(t, e, pool, "nina")
	usersCreate(t, e, pool, "otto")
	session := aws.ToString(tokensNewPasswordChallenge(t, e, client, "nina").Session)
	mid := len(session) / 2
	c := byte('A')
	if session[mid] == 'A' {
		c = 'B'
	}
	tampered := session[:mid] + string(c) + session[mid+1:]

	respond := func(cl *types.UserPoolClientType, s string, responses ...string) error {
		_, err := tokensRespond(e, cl, s, responses...)
		return err
	}
	for _, tc := range []struct {
		name     string
		err      error
		typ, msg string
	}{
		{"tampered session", respond(client, tampered, "USERNAME", "nina", "NEW_PASSWORD", "New-Passw0rd!"),
			"NotAuthorizedException", "Invalid session for the user."},
		{"made-up session", respond(client, strings.Repeat("A", 40), "USERNAME", "nina", "NEW_PASSWORD", "New-Passw0rd!"),
			"NotAuthorizedException", "Invalid session for the user."},
		{"not base64", respond(client, strings.Repeat("!", 40), "USERNAME", "nina", "NEW_PASSWORD", "New-Passw0rd!"),
			"NotAuthorizedException", "Invalid session for the user."},
		{"another client", respond(other, session, "USERNAME", "nina", "NEW_PASSWORD", "New-Passw0rd!"),
			"NotAuthorizedException", "Invalid session for the user."},
		{"another user", respond(client, session, "USERNAME", "otto", "NEW_PASSWORD", "New-Passw0rd!"),
			"NotAuthorizedException", "Invalid session for the user."},
		{"unknown user", respond(client, session, "USERNAME", "nobody", "NEW_PASSWORD", "New-Passw0rd!"),
			"NotAuthorizedException", "Invalid session for the user."},
		{"no username", respond(client, session, "NEW_PASSWORD", "New-Passw0rd!"),
			"InvalidParameterException", "Missing required parameter USERNAME"},
		{"no new password", respond(client, session, "USERNAME", "nina"),
			"InvalidParameterException", "Missing required parameter NEW_PASSWORD"},
	} {
		t.Run(tc.name, func(t *testing.T) { wantAPIError(t, tc.err, tc.typ, tc.msg) })
	}
	// A session answers only the challenge it was issued for.
	_, err := e.Client.RespondToAuthChallenge(e.ctx(), &cip.RespondToAuthChallengeInput{
		ClientId: client.ClientId, ChallengeName: types.ChallengeNameTypeSoftwareTokenMfa, Session: aws.String(session),
		ChallengeResponses: map[string]string{"USERNAME": "nina", "SOFTWARE_TOKEN_MFA_CODE": "123456"},
	})
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")
	_, err = e.Client.RespondToAuthChallenge(e.ctx(), &cip.RespondToAuthChallengeInput{
		ClientId: client.ClientId, ChallengeName: types.ChallengeNameTypeCustomChallenge, Session: aws.String(session),
		ChallengeResponses: map[string]string{"USERNAME": "nina", "ANSWER": "42"},
	})
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")
	_, err = e.Client.RespondToAuthChallenge(e.ctx(), &cip.RespondToAuthChallengeInput{
		ClientId: aws.String(poolsUnknownClient), ChallengeName: types.ChallengeNameTypeNewPasswordRequired, Session: aws.String(session),
		ChallengeResponses: map[string]string{"USERNAME": "nina", "NEW_PASSWORD": "New-Passw0rd!"},
	})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool client "+poolsUnknownClient+" does not exist.")

	// A user disabled mid-challenge cannot finish it.
	if _, err := e.Client.AdminDisableUser(e.ctx(), &cip.AdminDisableUserInput{UserPoolId: aws.String(pool), Username: aws.String("nina")}); err != nil {
		t.Fatal(err)
	}
	wantAPIError(t, respond(client, session, "USERNAME", "nina", "NEW_PASSWORD", "New-Passw0rd!"), "NotAuthorizedException", "User is disabled.")
	if _, err := e.Client.AdminEnableUser(e.ctx(), &cip.AdminEnableUserInput{UserPoolId: aws.String(pool), Username: aws.String("nina")}); err != nil {
		t.Fatal(err)
	}
	// None of that spent the session.
	if err := respond(client, session, "USERNAME", "nina", "NEW_PASSWORD", "New-Passw0rd!"); err != nil {
		t.Fatal(err)
	}
}

// With a client secret, the challenge response carries SECRET_HASH of the
// internal username; the user may answer with the alias they typed.
func TestRespondToAuthChallengeSecretHash(t *testing.T) {
	e := newEnv(t)
	pool := usersEmailPool(t, e)
	client := tokensClient(t, e, pool, func(in *cip.CreateUserPoolClientInput) { in.GenerateSecret = true })
	usersCreate(t, e, pool, "nina@example.com")
	ch := tokensNewPasswordChallenge(t, e, client, "nina@example.com")
	internal := ch.ChallengeParameters["USER_ID_FOR_SRP"]
	if !usersUUID.MatchString(internal) {
		t.Fatalf("USER_ID_FOR_SRP = %q, want the internal username", internal)
	}
	session := aws.ToString(ch.Session)
	id := aws.ToString(client.ClientId)
	_, err := tokensRespond(e, client, session, "USERNAME", internal, "NEW_PASSWORD", "New-Passw0rd!")
	wantAPIError(t, err, "NotAuthorizedException", "Client "+id+" is configured with secret but SECRET_HASH was not received")
	_, err = tokensRespond(e, client, session, "USERNAME", internal, "NEW_PASSWORD", "New-Passw0rd!", "SECRET_HASH", tokensSecretHash(client, "someone"))
	wantAPIError(t, err, "NotAuthorizedException", "Unable to verify secret hash for client "+id)
	out, err := tokensRespond(e, client, session, "USERNAME", internal, "NEW_PASSWORD", "New-Passw0rd!", "SECRET_HASH", tokensSecretHash(client, internal))
	if err != nil {
		t.Fatal(err)
	}
	if got := tokensClaims(t, aws.ToString(out.AuthenticationResult.AccessToken))["username"]; got != internal {
		t.Errorf("username claim = %v, want %s", got, internal)
	}
}

// A user answering NEW_PASSWORD_REQUIRED may only set attributes their
// app client may write: never the verification flags (or a user could
// verify an address they do not own), and only the client's
// WriteAttributes when it lists them.
func TestRespondToAuthChallengeUnwritableAttributes(t *testing.T) {
	e := newEnv(t)
	pool, client := tokensSetup(t, e, nil, nil)
	limited := tokensClient(t, e, pool, func(in *cip.CreateUserPoolClientInput) { in.WriteAttributes = []string{"given_name"} })
	usersCreate(t, e, pool, "nina", "email", "nina@example.com")
	session := aws.ToString(tokensNewPasswordChallenge(t, e, client, "nina").Session)
	for _, attr := range []string{"email_verified", "phone_number_verified", "sub"} {
		_, err := tokensRespond(e, client, session, "USERNAME", "nina", "NEW_PASSWORD", "New-Passw0rd!", "userAttributes."+attr, "true")
		wantAPIError(t, err, "NotAuthorizedException", "A client attempted to write unauthorized attribute")
	}
	limitedSession := aws.ToString(tokensNewPasswordChallenge(t, e, limited, "nina").Session)
	_, err := tokensRespond(e, limited, limitedSession, "USERNAME", "nina", "NEW_PASSWORD", "New-Passw0rd!", "userAttributes.family_name", "N")
	wantAPIError(t, err, "NotAuthorizedException", "A client attempted to write unauthorized attribute")
	got := usersGet(t, e, pool, "nina")
	if m := usersAttrMap(got.UserAttributes); m["email_verified"] == "true" || m["family_name"] != "" || got.UserStatus != types.UserStatusTypeForceChangePassword {
		t.Fatalf("refused answers changed the user: %s %v", got.UserStatus, m)
	}
	out, err := tokensRespond(e, limited, limitedSession, "USERNAME", "nina", "NEW_PASSWORD", "New-Passw0rd!", "userAttributes.given_name", "Nina")
	if err != nil {
		t.Fatal(err)
	}
	if c := tokensClaims(t, aws.ToString(out.AuthenticationResult.IdToken)); c["given_name"] != "Nina" || c["email_verified"] != nil {
		t.Errorf("ID token claims = %v", c)
	}
}

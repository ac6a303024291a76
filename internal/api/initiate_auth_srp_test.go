package api_test

import (
	"bytes"
	"encoding/base64"
	"math/big"
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/userpool/userpool/internal/srp"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/userpool"
)

var srpHex = regexp.MustCompile(`^[0-9a-f]+$`)

func TestInitiateAuthSRP(t *testing.T) {
	e := newEnv(t)
	pool, client := srpSetup(t, e, nil, nil)

	s := srpNew(t, pool, client, "alice", tokensPassword)
	ch := srpChallenge(t, e, client, s, nil)
	p := ch.ChallengeParameters
	if p["USERNAME"] != "alice" || p["USER_ID_FOR_SRP"] != "alice" {
		t.Errorf("USERNAME %q, USER_ID_FOR_SRP %q, want alice", p["USERNAME"], p["USER_ID_FOR_SRP"])
	}
	if !srpHex.MatchString(p["SALT"]) || !srpHex.MatchString(p["SRP_B"]) {
		t.Errorf("SALT %q, SRP_B %q: want lower-case hex", p["SALT"], p["SRP_B"])
	}
	if b, err := base64.StdEncoding.DecodeString(p["SECRET_BLOCK"]); err != nil || len(b) < 32 {
		t.Errorf("SECRET_BLOCK %q: not base64 of a sealed block (%v)", p["SECRET_BLOCK"], err)
	}
	if ch.AuthenticationResult != nil {
		t.Error("PASSWORD_VERIFIER came with tokens")
	}

	out, err := srpRespond(e, client, types.ChallengeNameTypePasswordVerifier, srpAnswer(t, e, s, p), ch.Session)
	if err != nil {
		t.Fatalf("RespondToAuthChallenge PASSWORD_VERIFIER: %v", err)
	}
	r := out.AuthenticationResult
	if r == nil || out.ChallengeName != "" {
		t.Fatalf("PASSWORD_VERIFIER answered %q, want tokens", out.ChallengeName)
	}
	if r.RefreshToken == nil || r.IdToken == nil || aws.ToString(r.TokenType) != "Bearer" || r.ExpiresIn != 3600 {
		t.Errorf("AuthenticationResult = %+v", r)
	}
	if r.NewDeviceMetadata != nil {
		t.Errorf("NewDeviceMetadata %+v in a pool without device tracking", r.NewDeviceMetadata)
	}
	claims := tokensClaims(t, aws.ToString(r.IdToken))
	if claims["cognito:username"] != "alice" || claims["iss"] != e.URL+"/"+pool {
		t.Errorf("ID token claims %v", claims)
	}
	if c := tokensClaims(t, aws.ToString(r.AccessToken)); c["device_key"] != nil {
		t.Errorf("access token device_key = %v without device tracking", c["device_key"])
	}
	tokensWantValid(t, e, aws.ToString(r.AccessToken))
	if _, err := tokensRefresh(e, client, "alice", aws.ToString(r.RefreshToken)); err != nil {
		t.Errorf("REFRESH_TOKEN_AUTH after SRP: %v", err)
	}

	// The salt is the user's, the same on every attempt; SRP_B is new.
	again := srpChallenge(t, e, client, srpNew(t, pool, client, "alice", tokensPassword), nil)
	if again.ChallengeParameters["SALT"] != p["SALT"] {
		t.Error("SALT changed between two attempts")
	}
	if again.ChallengeParameters["SRP_B"] == p["SRP_B"] || again.ChallengeParameters["SECRET_BLOCK"] == p["SECRET_BLOCK"] {
		t.Error("SRP_B or SECRET_BLOCK repeated between two attempts")
	}
}

// TestInitiateAuthSRPIdentifiers signs in with an alias and, in a pool
// whose usernames are e-mail addresses, with the address: USER_ID_FOR_SRP
// and USERNAME are the internal username, which the proof is made for.
func TestInitiateAuthSRPIdentifiers(t *testing.T) {
	e := newEnv(t)
	t.Run("alias", func(t *testing.T) {
		pool := usersAliasPool(t, e)
		client := srpClientFor(t, e, pool, nil)
		tokensUser(t, e, pool, "bob", "email", "bob@example.com", "email_verified", "true")
		s := srpNew(t, pool, client, "bob@example.com", tokensPassword)
		ch := srpChallenge(t, e, client, s, nil)
		if ch.ChallengeParameters["USER_ID_FOR_SRP"] != "bob" || ch.ChallengeParameters["USERNAME"] != "bob" {
			t.Errorf("challenge parameters %v, want bob", ch.ChallengeParameters)
		}
		out, err := srpRespond(e, client, types.ChallengeNameTypePasswordVerifier, srpAnswer(t, e, s, ch.ChallengeParameters), nil)
		if err != nil || out.AuthenticationResult == nil {
			t.Fatalf("sign-in with an alias: %v", err)
		}
	})
	t.Run("email as username", func(t *testing.T) {
		pool := usersEmailPool(t, e)
		client := srpClientFor(t, e, pool, func(in *cip.CreateUserPoolClientInput) { in.GenerateSecret = true })
		tokensUser(t, e, pool, "carol@example.com")
		internal := usersGet(t, e, pool, "carol@example.com").Username
		if !tokensUUID.MatchString(aws.ToString(internal)) {
			t.Fatalf("internal username %q is not a UUID", aws.ToString(internal))
		}
		s := srpNew(t, pool, client, "carol@example.com", tokensPassword)
		ch := srpChallenge(t, e, client, s, nil)
		if ch.ChallengeParameters["USER_ID_FOR_SRP"] != aws.ToString(internal) {
			t.Errorf("USER_ID_FOR_SRP = %q, want %q", ch.ChallengeParameters["USER_ID_FOR_SRP"], aws.ToString(internal))
		}
		// The client hashes the secret with the internal username in its
		// answer, as Cognito requires.
		out, err := srpRespond(e, client, types.ChallengeNameTypePasswordVerifier, srpAnswer(t, e, s, ch.ChallengeParameters), nil)
		if err != nil || out.AuthenticationResult == nil {
			t.Fatalf("sign-in with the e-mail address: %v", err)
		}
		if got := tokensClaims(t, aws.ToString(out.AuthenticationResult.AccessToken))["username"]; got != aws.ToString(internal) {
			t.Errorf("access token username = %v", got)
		}
	})
}

func TestAdminInitiateAuthSRP(t *testing.T) {
	e := newEnv(t)
	pool, client := srpSetup(t, e, nil, nil)
	s := srpNew(t, pool, client, "alice", tokensPassword)
	ch, err := e.Client.AdminInitiateAuth(e.ctx(), &cip.AdminInitiateAuthInput{
		UserPoolId: aws.String(pool), ClientId: client.ClientId,
		AuthFlow: types.AuthFlowTypeUserSrpAuth, AuthParameters: s.GetAuthParams(),
	})
	if err != nil {
		t.Fatalf("AdminInitiateAuth USER_SRP_AUTH: %v", err)
	}
	if ch.ChallengeName != types.ChallengeNameTypePasswordVerifier {
		t.Fatalf("ChallengeName = %q", ch.ChallengeName)
	}
	out, err := e.Client.AdminRespondToAuthChallenge(e.ctx(), &cip.AdminRespondToAuthChallengeInput{
		UserPoolId: aws.String(pool), ClientId: client.ClientId,
		ChallengeName:      types.ChallengeNameTypePasswordVerifier,
		ChallengeResponses: srpAnswer(t, e, s, ch.ChallengeParameters),
	})
	if err != nil {
		t.Fatalf("AdminRespondToAuthChallenge PASSWORD_VERIFIER: %v", err)
	}
	if out.AuthenticationResult == nil {
		t.Fatalf("answer %q, want tokens", out.ChallengeName)
	}
	tokensWantValid(t, e, aws.ToString(out.AuthenticationResult.AccessToken))

	// The client must allow the flow for the admin action too.
	noSRP := tokensClient(t, e, pool, nil)
	_, err = e.Client.AdminInitiateAuth(e.ctx(), &cip.AdminInitiateAuthInput{
		UserPoolId: aws.String(pool), ClientId: noSRP.ClientId,
		AuthFlow: types.AuthFlowTypeUserSrpAuth, AuthParameters: s.GetAuthParams(),
	})
	wantAPIError(t, err, "InvalidParameterException", "USER_SRP_AUTH is not enabled for the client.")
}

func TestInitiateAuthSRPErrors(t *testing.T) {
	e := newEnv(t)
	pool, client := srpSetup(t, e, nil, nil)
	secret := srpClientFor(t, e, pool, func(in *cip.CreateUserPoolClientInput) { in.GenerateSecret = true })
	noSRP := tokensClient(t, e, pool, nil)
	s := srpNew(t, pool, client, "alice", tokensPassword)
	a := s.GetAuthParams()["SRP_A"]
	n, _ := new(big.Int).SetString("FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF", 16)
	initiate := func(c *types.UserPoolClientType, params map[string]string) error {
		_, err := e.Client.InitiateAuth(e.ctx(), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserSrpAuth, ClientId: c.ClientId, AuthParameters: params})
		return err
	}
	id := aws.ToString(secret.ClientId)
	for _, tc := range []struct {
		name     string
		err      error
		typ, msg string
	}{
		{"flow not enabled", initiate(noSRP, map[string]string{"USERNAME": "alice", "SRP_A": a}),
			"InvalidParameterException", "USER_SRP_AUTH is not enabled for the client."},
		{"no username", initiate(client, map[string]string{"SRP_A": a}),
			"InvalidParameterException", "Missing required parameter USERNAME"},
		{"no SRP_A", initiate(client, map[string]string{"USERNAME": "alice"}),
			"InvalidParameterException", "Missing required parameter SRP_A"},
		{"SRP_A not hex", initiate(client, map[string]string{"USERNAME": "alice", "SRP_A": "xyz"}),
			"InvalidParameterException", "SRP_A is not a valid SRP public value."},
		{"SRP_A zero", initiate(client, map[string]string{"USERNAME": "alice", "SRP_A": "00"}),
			"InvalidParameterException", "SRP_A is not a valid SRP public value."},
		{"SRP_A is N", initiate(client, map[string]string{"USERNAME": "alice", "SRP_A": n.Text(16)}),
			"InvalidParameterException", "SRP_A is not a valid SRP public value."},
		{"SRP_A multiple of N", initiate(client, map[string]string{"USERNAME": "alice", "SRP_A": new(big.Int).Lsh(n, 1).Text(16)}),
			"InvalidParameterException", "SRP_A is not a valid SRP public value."},
		{"unknown user", initiate(client, map[string]string{"USERNAME": "nobody", "SRP_A": a}),
			"UserNotFoundException", "User does not exist."},
		{"secret hash missing", initiate(secret, map[string]string{"USERNAME": "alice", "SRP_A": a}),
			"NotAuthorizedException", "Client " + id + " is configured with secret but SECRET_HASH was not received"},
		{"secret hash wrong", initiate(secret, map[string]string{"USERNAME": "alice", "SRP_A": a, "SECRET_HASH": tokensSecretHash(secret, "bob")}),
			"NotAuthorizedException", "Unable to verify secret hash for client " + id},
		{"secret hash without secret", initiate(client, map[string]string{"USERNAME": "alice", "SRP_A": a, "SECRET_HASH": "x"}),
			"InvalidParameterException", "App client " + aws.ToString(client.ClientId) + " is not configured for secret but secret hash was received"},
		// The secret is checked before the user is looked up, so an
		// unknown user does not show through a bad hash.
		{"unknown user, secret hash missing", initiate(secret, map[string]string{"USERNAME": "nobody", "SRP_A": a}),
			"NotAuthorizedException", "Client " + id + " is configured with secret but SECRET_HASH was not received"},
		{"unknown client", initiate(&types.UserPoolClientType{ClientId: aws.String(poolsUnknownClient)}, map[string]string{"USERNAME": "alice", "SRP_A": a}),
			"ResourceNotFoundException", "User pool client " + poolsUnknownClient + " does not exist."},
	} {
		t.Run(tc.name, func(t *testing.T) { wantAPIError(t, tc.err, tc.typ, tc.msg) })
	}
}

// TestInitiateAuthSRPPreventUserExistence: with PreventUserExistenceErrors,
// an unknown user gets a challenge like a real one, with a salt as stable
// as a real user's, and fails at the verifier step with a wrong password's
// answer.
func TestInitiateAuthSRPPreventUserExistence(t *testing.T) {
	e := newEnv(t)
	pool, _ := srpSetup(t, e, nil, nil)
	client := srpClientFor(t, e, pool, func(in *cip.CreateUserPoolClientInput) {
		in.PreventUserExistenceErrors = types.PreventUserExistenceErrorTypesEnabled
	})
	s := srpNew(t, pool, client, "nobody", "Some-Passw0rd!")
	ch := srpChallenge(t, e, client, s, nil)
	p := ch.ChallengeParameters
	if p["USERNAME"] != "nobody" || p["USER_ID_FOR_SRP"] != "nobody" || !srpHex.MatchString(p["SALT"]) || !srpHex.MatchString(p["SRP_B"]) || p["SECRET_BLOCK"] == "" {
		t.Errorf("fake challenge parameters %v", p)
	}
	again := srpChallenge(t, e, client, srpNew(t, pool, client, "nobody", "x"), nil)
	if again.ChallengeParameters["SALT"] != p["SALT"] {
		t.Error("the fake salt changed between attempts")
	}
	other := srpChallenge(t, e, client, srpNew(t, pool, client, "somebody", "x"), nil)
	if other.ChallengeParameters["SALT"] == p["SALT"] {
		t.Error("two unknown users got the same salt")
	}
	_, err := srpRespond(e, client, types.ChallengeNameTypePasswordVerifier, srpAnswer(t, e, s, p), nil)
	wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")

	// A real user with a wrong password gets the same answer, and with
	// the right one signs in.
	srpWantFails(t, e, pool, client, "alice", tokensWrongPassword)
	srpTokens(t, e, pool, client, "alice", tokensPassword)

	// LEGACY keeps UserNotFoundException.
	legacy := srpClientFor(t, e, pool, func(in *cip.CreateUserPoolClientInput) {
		in.PreventUserExistenceErrors = types.PreventUserExistenceErrorTypesLegacy
	})
	_, err = srpInitiate(e, legacy, srpNew(t, pool, legacy, "nobody", "x"), nil)
	wantAPIError(t, err, "UserNotFoundException", "User does not exist.")
}

// TestInitiateAuthSRPWithoutVerifier: a user whose password was stored
// before SRP verifiers were (no verifier in the record) gets a challenge
// that fails at the verifier step like a wrong password, without counting
// towards the lockout; USER_PASSWORD_AUTH still works, and setting a new
// password makes SRP work.
func TestInitiateAuthSRPWithoutVerifier(t *testing.T) {
	e := newEnv(t)
	pool, client := srpSetup(t, e, nil, nil)
	sub := usersSub(t, e, pool, "alice")
	if _, err := e.Svc.UpdateSignInState(e.ctx(), pool, sub, func(u *store.User) { u.SRPSalt, u.SRPVerifier = nil, nil }); err != nil {
		t.Fatal(err)
	}
	for range 6 {
		srpWantFails(t, e, pool, client, "alice", tokensPassword)
	}
	// Six failures would have locked a user out for a second; these
	// were not counted.
	u, err := e.Svc.UserBySub(e.ctx(), pool, sub)
	if err != nil {
		t.Fatal(err)
	}
	if u.FailedSignIns != 0 {
		t.Errorf("FailedSignIns = %d after SRP attempts without a verifier", u.FailedSignIns)
	}
	signInUser(t, e, pool, client, "alice", tokensPassword)
	if _, err := e.Client.AdminSetUserPassword(e.ctx(), &cip.AdminSetUserPasswordInput{
		UserPoolId: aws.String(pool), Username: aws.String("alice"), Password: aws.String(tokensPassword), Permanent: true,
	}); err != nil {
		t.Fatal(err)
	}
	srpTokens(t, e, pool, client, "alice", tokensPassword)
}

// TestInitiateAuthSRPEveryPasswordPath sets a password on every path that
// sets one and signs in with SRP after each: a path that stored only the
// password hash would leave the user without a verifier.
func TestInitiateAuthSRPEveryPasswordPath(t *testing.T) {
	e := newLifecycleEnv(t)
	pool, client := lifecyclePool(t, e, nil, func(in *cip.CreateUserPoolClientInput) { in.ExplicitAuthFlows = srpFlows })

	// SignUp, then ConfirmSignUp.
	e.confirmedUser(client, "sam", "sam@example.com")
	srpTokens(t, e.env, pool, client, "sam", lifecyclePassword)

	// AdminCreateUser with a temporary password: SRP leads to
	// NEW_PASSWORD_REQUIRED, whose new password SRP then accepts.
	temporary := "Temp-Passw0rd!"
	if _, err := e.Client.AdminCreateUser(e.ctx(), &cip.AdminCreateUserInput{
		UserPoolId: aws.String(pool), Username: aws.String("tina"), TemporaryPassword: aws.String(temporary),
		MessageAction: types.MessageActionTypeSuppress,
	}); err != nil {
		t.Fatal(err)
	}
	out, err := srpSignIn(t, e.env, pool, client, "tina", temporary, nil)
	if err != nil {
		t.Fatalf("SRP with the temporary password: %v", err)
	}
	if out.ChallengeName != types.ChallengeNameTypeNewPasswordRequired || out.Session == nil {
		t.Fatalf("SRP with the temporary password answered %q, want NEW_PASSWORD_REQUIRED", out.ChallengeName)
	}
	if out.ChallengeParameters["USER_ID_FOR_SRP"] != "tina" {
		t.Errorf("NEW_PASSWORD_REQUIRED parameters %v", out.ChallengeParameters)
	}
	done, err := srpRespond(e.env, client, types.ChallengeNameTypeNewPasswordRequired,
		map[string]string{"USERNAME": "tina", "NEW_PASSWORD": lifecycleNewPassword}, out.Session)
	if err != nil || done.AuthenticationResult == nil {
		t.Fatalf("NEW_PASSWORD_REQUIRED: %v", err)
	}
	srpTokens(t, e.env, pool, client, "tina", lifecycleNewPassword)
	srpWantFails(t, e.env, pool, client, "tina", temporary)

	// AdminCreateUser RESEND: a new temporary password.
	if _, err := e.Client.AdminCreateUser(e.ctx(), &cip.AdminCreateUserInput{
		UserPoolId: aws.String(pool), Username: aws.String("uri"), TemporaryPassword: aws.String(temporary),
		MessageAction: types.MessageActionTypeSuppress,
	}); err != nil {
		t.Fatal(err)
	}
	resent := "Resent-Passw0rd!"
	if _, err := e.Client.AdminCreateUser(e.ctx(), &cip.AdminCreateUserInput{
		UserPoolId: aws.String(pool), Username: aws.String("uri"), TemporaryPassword: aws.String(resent),
		MessageAction: types.MessageActionTypeResend,
	}); err != nil {
		t.Fatal(err)
	}
	if out, err := srpSignIn(t, e.env, pool, client, "uri", resent, nil); err != nil || out.ChallengeName != types.ChallengeNameTypeNewPasswordRequired {
		t.Errorf("SRP with the resent temporary password: %v", err)
	}
	srpWantFails(t, e.env, pool, client, "uri", temporary)

	// AdminSetUserPassword, temporary and permanent.
	set := func(username, password string, permanent bool) {
		t.Helper()
		if _, err := e.Client.AdminSetUserPassword(e.ctx(), &cip.AdminSetUserPasswordInput{
			UserPoolId: aws.String(pool), Username: aws.String(username), Password: aws.String(password), Permanent: permanent,
		}); err != nil {
			t.Fatal(err)
		}
	}
	set("sam", "Set-Passw0rd-1!", false)
	if out, err := srpSignIn(t, e.env, pool, client, "sam", "Set-Passw0rd-1!", nil); err != nil || out.ChallengeName != types.ChallengeNameTypeNewPasswordRequired {
		t.Errorf("SRP after a temporary AdminSetUserPassword: %v", err)
	}
	set("sam", "Set-Passw0rd-2!", true)
	srpTokens(t, e.env, pool, client, "sam", "Set-Passw0rd-2!")
	srpWantFails(t, e.env, pool, client, "sam", lifecyclePassword)

	// ChangePassword.
	access := srpTokens(t, e.env, pool, client, "sam", "Set-Passw0rd-2!").AccessToken
	if _, err := e.Client.ChangePassword(e.ctx(), &cip.ChangePasswordInput{
		AccessToken: access, PreviousPassword: aws.String("Set-Passw0rd-2!"), ProposedPassword: aws.String("Changed-Passw0rd!"),
	}); err != nil {
		t.Fatal(err)
	}
	srpTokens(t, e.env, pool, client, "sam", "Changed-Passw0rd!")
	srpWantFails(t, e.env, pool, client, "sam", "Set-Passw0rd-2!")

	// ForgotPassword, then ConfirmForgotPassword.
	if _, err := e.forgot(client, "sam"); err != nil {
		t.Fatal(err)
	}
	if err := e.confirmForgot(client, "sam", e.code("sam@example.com"), "Forgot-Passw0rd!"); err != nil {
		t.Fatal(err)
	}
	srpTokens(t, e.env, pool, client, "sam", "Forgot-Passw0rd!")
	srpWantFails(t, e.env, pool, client, "sam", "Changed-Passw0rd!")
}

// TestInitiateAuthSRPVerifierSealed: the stored SRP salt and verifier are
// sealed with the data key, so a copy of the database gives no verifier
// to guess passwords against; a record from before they were sealed (the
// plain salt and verifier) keeps working, and the next password set seals
// it.
func TestInitiateAuthSRPVerifierSealed(t *testing.T) {
	e := newEnv(t)
	pool, client := srpSetup(t, e, nil, nil)
	sub := usersSub(t, e, pool, "alice")
	u, err := e.Svc.UserBySub(e.ctx(), pool, sub)
	if err != nil {
		t.Fatal(err)
	}
	salt, verifier, err := e.Svc.SRPVerifier(u)
	if err != nil || len(verifier) != srp.VerifierLen {
		t.Fatalf("SRPVerifier = %x, %v", verifier, err)
	}
	if want := srp.VerifierWithSalt(userpool.SRPPoolName(pool), u.Username, tokensPassword, salt); !bytes.Equal(verifier, want) {
		t.Fatal("the opened verifier is not the password's")
	}
	if bytes.Contains(u.SRPVerifier, verifier) || bytes.Contains(u.SRPSalt, salt) {
		t.Error("the stored record holds the salt or verifier in the clear")
	}
	srpTokens(t, e, pool, client, "alice", tokensPassword)

	// A record from before sealing.
	if _, err := e.Svc.UpdateSignInState(e.ctx(), pool, sub, func(u *store.User) { u.SRPSalt, u.SRPVerifier = salt, verifier }); err != nil {
		t.Fatal(err)
	}
	srpTokens(t, e, pool, client, "alice", tokensPassword)
	srpWantFails(t, e, pool, client, "alice", tokensPassword+"x")
	if _, err := e.Client.AdminSetUserPassword(e.ctx(), &cip.AdminSetUserPasswordInput{
		UserPoolId: aws.String(pool), Username: aws.String("alice"), Password: aws.String(tokensPassword), Permanent: true,
	}); err != nil {
		t.Fatal(err)
	}
	if u, err = e.Svc.UserBySub(e.ctx(), pool, sub); err != nil || len(u.SRPVerifier) == srp.VerifierLen {
		t.Errorf("after a new password the verifier is %d bytes (%v), want it sealed", len(u.SRPVerifier), err)
	}
	srpTokens(t, e, pool, client, "alice", tokensPassword)
}

package api_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"
)

func TestGetUser(t *testing.T) {
	e := newEnv(t)
	pool, client := tokensSetup(t, e, nil, nil)
	r := signInUser(t, e, pool, client, "alice", tokensPassword)
	out, err := tokensGetUser(e, aws.ToString(r.AccessToken))
	if err != nil {
		t.Fatal(err)
	}
	admin := usersGet(t, e, pool, "alice")
	if aws.ToString(out.Username) != "alice" {
		t.Errorf("Username = %s", aws.ToString(out.Username))
	}
	if diff := cmp.Diff(usersAttrNames(admin.UserAttributes), usersAttrNames(out.UserAttributes)); diff != "" {
		t.Errorf("attribute names (-AdminGetUser +GetUser):\n%s", diff)
	}
	if diff := cmp.Diff(usersAttrMap(admin.UserAttributes), usersAttrMap(out.UserAttributes)); diff != "" {
		t.Errorf("attributes (-AdminGetUser +GetUser):\n%s", diff)
	}
	// A change shows at once: GetUser reads the user, not the token.
	if _, err := e.Client.AdminUpdateUserAttributes(e.ctx(), &cip.AdminUpdateUserAttributesInput{
		UserPoolId: aws.String(pool), Username: aws.String("alice"), UserAttributes: usersAttrs("given_name", "Al"),
	}); err != nil {
		t.Fatal(err)
	}
	out, err = tokensGetUser(e, aws.ToString(r.AccessToken))
	if err != nil {
		t.Fatal(err)
	}
	if got := usersAttrMap(out.UserAttributes)["given_name"]; got != "Al" {
		t.Errorf("given_name = %q", got)
	}
}

// Access and ID tokens live exactly the client's validity, in any unit,
// from 5 minutes to a day; GetUser refuses an expired access token.
func TestGetUserAccessTokenExpiry(t *testing.T) {
	for _, tc := range []struct {
		name  string
		value int32
		unit  types.TimeUnitsType
		ttl   time.Duration
	}{
		{"300 seconds", 300, types.TimeUnitsTypeSeconds, 5 * time.Minute},
		{"5 minutes", 5, types.TimeUnitsTypeMinutes, 5 * time.Minute},
		{"2 hours", 2, types.TimeUnitsTypeHours, 2 * time.Hour},
		{"1 days", 1, types.TimeUnitsTypeDays, 24 * time.Hour},
		{"86400 seconds", 86400, types.TimeUnitsTypeSeconds, 24 * time.Hour},
		{"1440 minutes", 1440, types.TimeUnitsTypeMinutes, 24 * time.Hour},
		{"24 in the default unit (hours)", 24, "", 24 * time.Hour},
		{"default", 0, "", time.Hour},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			pool, client := tokensSetup(t, e, nil, func(in *cip.CreateUserPoolClientInput) {
				if tc.value != 0 {
					in.AccessTokenValidity, in.IdTokenValidity = aws.Int32(tc.value), aws.Int32(tc.value)
				}
				if tc.unit != "" {
					in.TokenValidityUnits = &types.TokenValidityUnitsType{AccessToken: tc.unit, IdToken: tc.unit}
				}
			})
			r := signInUser(t, e, pool, client, "alice", tokensPassword)
			if got := tokensTTL(t, aws.ToString(r.AccessToken)); got != tc.ttl {
				t.Errorf("access exp - iat = %v, want %v", got, tc.ttl)
			}
			if got := tokensTTL(t, aws.ToString(r.IdToken)); got != tc.ttl {
				t.Errorf("ID exp - iat = %v, want %v", got, tc.ttl)
			}
			if got := time.Duration(r.ExpiresIn) * time.Second; got != tc.ttl {
				t.Errorf("ExpiresIn = %v, want %v", got, tc.ttl)
			}
			idv, accv := tokensVerifiers(t, e, pool, aws.ToString(client.ClientId))
			e.Clock.Advance(tc.ttl - time.Second)
			tokensWantValid(t, e, aws.ToString(r.AccessToken))
			if _, err := idv.Verify(e.ctx(), aws.ToString(r.IdToken)); err != nil {
				t.Errorf("go-oidc: ID token a second before expiry: %v", err)
			}
			e.Clock.Advance(time.Second)
			_, err := tokensGetUser(e, aws.ToString(r.AccessToken))
			wantAPIError(t, err, "NotAuthorizedException", "Access Token has expired")
			e.Clock.Advance(time.Second)
			if _, err := accv.Verify(e.ctx(), aws.ToString(r.AccessToken)); err == nil {
				t.Error("go-oidc accepts the expired access token")
			}
			// The refresh token gives a fresh pair with the same validity.
			fresh, err := tokensRefresh(e, client, "alice", aws.ToString(r.RefreshToken))
			if err != nil {
				t.Fatal(err)
			}
			tokensWantValid(t, e, aws.ToString(fresh.AccessToken))
			if got := tokensTTL(t, aws.ToString(fresh.AccessToken)); got != tc.ttl {
				t.Errorf("refreshed access exp - iat = %v", got)
			}
		})
	}
}

// tokensResign replaces a JWT's payload, keeping its header and
// signature, which then no longer match.
func tokensResign(t *testing.T, jwt string, change func(map[string]any)) string {
	t.Helper()
	c := tokensClaims(t, jwt)
	change(c)
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(jwt, ".")
	return parts[0] + "." + base64.RawURLEncoding.EncodeToString(b) + "." + parts[2]
}

func TestGetUserInvalidTokens(t *testing.T) {
	e := newEnv(t)
	pool, client := tokensSetup(t, e, nil, nil)
	otherPool, otherClient := tokensSetup(t, e, nil, nil)
	r := signInUser(t, e, pool, client, "alice", tokensPassword)
	foreign := signInUser(t, e, otherPool, otherClient, "alice", tokensPassword)
	access := aws.ToString(r.AccessToken)
	parts := strings.Split(access, ".")
	for _, tc := range []struct {
		name, token string
	}{
		{"ID token", aws.ToString(r.IdToken)},
		{"altered signature", tokensTamper(access, 2)},
		{"altered payload", tokensResign(t, access, func(c map[string]any) { c["username"] = "bob" })},
		{"other pool's kid", tokensResign(t, access, func(c map[string]any) { c["iss"] = e.URL + "/" + otherPool })},
		{"other pool's token claiming this pool", tokensResign(t, aws.ToString(foreign.AccessToken), func(c map[string]any) { c["iss"] = e.URL + "/" + pool })},
		{"foreign issuer", tokensResign(t, access, func(c map[string]any) { c["iss"] = "https://cognito-idp.us-east-1.amazonaws.com/" + pool })},
		{"unknown pool", tokensResign(t, access, func(c map[string]any) { c["iss"] = e.URL + "/" + usersUnknownPool })},
		{"no signature", parts[0] + "." + parts[1] + "."},
		{"two parts", parts[0] + "." + parts[1]},
		{"garbage", "garbage"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tokensGetUser(e, tc.token)
			wantAPIError(t, err, "NotAuthorizedException", "Invalid Access Token")
		})
	}
	tokensWantValid(t, e, access)
}

// Disabling a user ends their sessions for good: enabling them again does
// not bring the old tokens back, a new sign-in is needed.
func TestGetUserDisabledUser(t *testing.T) {
	e := newEnv(t)
	pool, client := tokensSetup(t, e, nil, nil)
	tokensUser(t, e, pool, "bob")
	r := signInUser(t, e, pool, client, "alice", tokensPassword)
	bob := signInUser(t, e, pool, client, "bob", tokensPassword)
	if _, err := e.Client.AdminDisableUser(e.ctx(), &cip.AdminDisableUserInput{UserPoolId: aws.String(pool), Username: aws.String("alice")}); err != nil {
		t.Fatal(err)
	}
	tokensWantRevoked(t, e, client, "alice", r)
	tokensWantLive(t, e, client, bob)
	if _, err := e.Client.AdminEnableUser(e.ctx(), &cip.AdminEnableUserInput{UserPoolId: aws.String(pool), Username: aws.String("alice")}); err != nil {
		t.Fatal(err)
	}
	tokensWantRevoked(t, e, client, "alice", r)
	tokensWantLive(t, e, client, signInUser(t, e, pool, client, "alice", tokensPassword))
}

// Deleting a user ends their sessions; a new user with the same username
// does not inherit them.
func TestGetUserDeletedUser(t *testing.T) {
	e := newEnv(t)
	pool, client := tokensSetup(t, e, nil, nil)
	r := signInUser(t, e, pool, client, "alice", tokensPassword)
	if _, err := e.Client.AdminDeleteUser(e.ctx(), &cip.AdminDeleteUserInput{UserPoolId: aws.String(pool), Username: aws.String("alice")}); err != nil {
		t.Fatal(err)
	}
	check := func() {
		t.Helper()
		_, err := tokensGetUser(e, aws.ToString(r.AccessToken))
		wantAPIError(t, err, "UserNotFoundException", "User does not exist.")
		_, err = tokensGetTokens(e, client, aws.ToString(r.RefreshToken))
		wantAPIError(t, err, "NotAuthorizedException", "Invalid Refresh Token.")
		_, err = tokensRefresh(e, client, "alice", aws.ToString(r.RefreshToken))
		wantAPIError(t, err, "NotAuthorizedException", "Invalid Refresh Token.")
	}
	check()
	tokensUser(t, e, pool, "alice")
	check()
	tokensWantLive(t, e, client, signInUser(t, e, pool, client, "alice", tokensPassword))
}

// Deleting an app client ends its access tokens, with token revocation
// enabled (the token names its sign-in) or not (it does not), while
// another client's tokens for the same user go on.
func TestGetUserDeletedClient(t *testing.T) {
	for _, revocation := range []bool{true, false} {
		t.Run(fmt.Sprintf("revocation %v", revocation), func(t *testing.T) {
			e := newEnv(t)
			pool, client := tokensSetup(t, e, nil, func(in *cip.CreateUserPoolClientInput) {
				in.EnableTokenRevocation = aws.Bool(revocation)
			})
			other := tokensClient(t, e, pool, nil)
			access := aws.ToString(signInUser(t, e, pool, client, "alice", tokensPassword).AccessToken)
			kept := aws.ToString(signInUser(t, e, pool, other, "alice", tokensPassword).AccessToken)
			tokensWantValid(t, e, access)
			if _, err := e.Client.DeleteUserPoolClient(e.ctx(), &cip.DeleteUserPoolClientInput{UserPoolId: aws.String(pool), ClientId: client.ClientId}); err != nil {
				t.Fatal(err)
			}
			_, err := tokensGetUser(e, access)
			wantAPIError(t, err, "NotAuthorizedException", "Invalid Access Token")
			tokensWantValid(t, e, kept)
		})
	}
}

// The server remembers access tokens it has verified, but every check of
// the user and of revocation still runs on each call: a remembered token
// is refused once its user is disabled, and once it is signed out.
func TestGetUserRememberedTokenStillChecked(t *testing.T) {
	e := newEnv(t)
	pool, client := tokensSetup(t, e, nil, nil)
	r := signInUser(t, e, pool, client, "alice", tokensPassword)
	access := aws.ToString(r.AccessToken)
	tokensWantValid(t, e, access)
	tokensWantValid(t, e, access)
	if _, err := e.Client.AdminDisableUser(e.ctx(), &cip.AdminDisableUserInput{UserPoolId: aws.String(pool), Username: aws.String("alice")}); err != nil {
		t.Fatal(err)
	}
	_, err := tokensGetUser(e, access)
	wantAPIError(t, err, "NotAuthorizedException", "Access Token has been revoked")
	if _, err := e.Client.AdminEnableUser(e.ctx(), &cip.AdminEnableUserInput{UserPoolId: aws.String(pool), Username: aws.String("alice")}); err != nil {
		t.Fatal(err)
	}

	r = signInUser(t, e, pool, client, "alice", tokensPassword)
	access = aws.ToString(r.AccessToken)
	tokensWantValid(t, e, access)
	if _, err := e.Client.GlobalSignOut(e.ctx(), &cip.GlobalSignOutInput{AccessToken: aws.String(access)}); err != nil {
		t.Fatal(err)
	}
	_, err = tokensGetUser(e, access)
	wantAPIError(t, err, "NotAuthorizedException", "Access Token has been revoked")
	// A token that differs in one character is not the remembered one.
	r = signInUser(t, e, pool, client, "alice", tokensPassword)
	tokensWantValid(t, e, aws.ToString(r.AccessToken))
	_, err = tokensGetUser(e, tokensTamper(aws.ToString(r.AccessToken), 2))
	wantAPIError(t, err, "NotAuthorizedException", "Invalid Access Token")
}

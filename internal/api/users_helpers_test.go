package api_test

import (
	"regexp"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// Helpers for the tests of the user actions.

// usersTempPassword satisfies Cognito's default password policy.
const usersTempPassword = "Temp-Passw0rd!"

// usersUnknownPool is a well-formed id of a pool that does not exist.
const usersUnknownPool = "us-east-1_NoSuchPool"

// usersUUID is the shape of a sub (and of the username of a user in a pool
// that signs in with email or phone as username).
var usersUUID = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// usersIgnoreSerde makes cmp skip the SDK's unexported serialisation
// markers.
var usersIgnoreSerde = cmpopts.IgnoreUnexported(types.AttributeType{}, types.UserType{}, types.GroupType{})

// usersAttrs makes attributes from name, value pairs.
func usersAttrs(pairs ...string) []types.AttributeType {
	out := make([]types.AttributeType, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, types.AttributeType{Name: aws.String(pairs[i]), Value: aws.String(pairs[i+1])})
	}
	return out
}

// usersAttrMap indexes attributes by name.
func usersAttrMap(attrs []types.AttributeType) map[string]string {
	m := map[string]string{}
	for _, a := range attrs {
		m[aws.ToString(a.Name)] = aws.ToString(a.Value)
	}
	return m
}

// usersAttrNames lists attribute names in order.
func usersAttrNames(attrs []types.AttributeType) []string {
	var out []string
	for _, a := range attrs {
		out = append(out, aws.ToString(a.Name))
	}
	return out
}

// usersCreateInput is the request usersCreate sends: no invitation, the
// test temporary password.
func usersCreateInput(poolID, username string, attrs ...string) *cip.AdminCreateUserInput {
	return &cip.AdminCreateUserInput{
		UserPoolId:        aws.String(poolID),
		Username:          aws.String(username),
		TemporaryPassword: aws.String(usersTempPassword),
		MessageAction:     types.MessageActionTypeSuppress,
		UserAttributes:    usersAttrs(attrs...),
	}
}

// usersCreate creates a user with the given attribute pairs.
func usersCreate(t *testing.T, e *env, poolID, username string, attrs ...string) *types.UserType {
	t.Helper()
	out, err := e.Client.AdminCreateUser(e.ctx(), usersCreateInput(poolID, username, attrs...))
	if err != nil {
		t.Fatalf("AdminCreateUser(%s): %v", username, err)
	}
	return out.User
}

// usersGet returns AdminGetUser's answer for the username.
func usersGet(t *testing.T, e *env, poolID, username string) *cip.AdminGetUserOutput {
	t.Helper()
	out, err := e.Client.AdminGetUser(e.ctx(), &cip.AdminGetUserInput{UserPoolId: aws.String(poolID), Username: aws.String(username)})
	if err != nil {
		t.Fatalf("AdminGetUser(%s): %v", username, err)
	}
	return out
}

// usersGetErr is AdminGetUser's error for the username.
func usersGetErr(e *env, poolID, username string) error {
	_, err := e.Client.AdminGetUser(e.ctx(), &cip.AdminGetUserInput{UserPoolId: aws.String(poolID), Username: aws.String(username)})
	return err
}

// usersSub returns the user's sub.
func usersSub(t *testing.T, e *env, poolID, username string) string {
	t.Helper()
	sub := usersAttrMap(usersGet(t, e, poolID, username).UserAttributes)["sub"]
	if sub == "" {
		t.Fatalf("%s has no sub", username)
	}
	return sub
}

// usersConfirm gives the user a permanent password, which confirms them.
func usersConfirm(t *testing.T, e *env, poolID, username string) {
	t.Helper()
	_, err := e.Client.AdminSetUserPassword(e.ctx(), &cip.AdminSetUserPasswordInput{
		UserPoolId: aws.String(poolID), Username: aws.String(username),
		Password: aws.String("Perm-Passw0rd!"), Permanent: true,
	})
	if err != nil {
		t.Fatalf("AdminSetUserPassword(%s): %v", username, err)
	}
}

// usersCaseInsensitivePool creates a pool whose usernames are
// case-insensitive.
func usersCaseInsensitivePool(t *testing.T, e *env) string {
	t.Helper()
	return createTestPool(t, e, func(in *cip.CreateUserPoolInput) {
		in.UsernameConfiguration = &types.UsernameConfigurationType{CaseSensitive: aws.Bool(false)}
	})
}

// usersAliasPool creates a pool with email, phone and preferred_username
// aliases.
func usersAliasPool(t *testing.T, e *env) string {
	t.Helper()
	return createTestPool(t, e, func(in *cip.CreateUserPoolInput) {
		in.AliasAttributes = []types.AliasAttributeType{types.AliasAttributeTypeEmail, types.AliasAttributeTypePhoneNumber, types.AliasAttributeTypePreferredUsername}
	})
}

// usersEmailPool creates a pool that signs in with email or phone as
// username.
func usersEmailPool(t *testing.T, e *env) string {
	t.Helper()
	return createTestPool(t, e, func(in *cip.CreateUserPoolInput) {
		in.UsernameAttributes = []types.UsernameAttributeType{types.UsernameAttributeTypeEmail, types.UsernameAttributeTypePhoneNumber}
	})
}

// usersNow is the test clock's time as the wire carries it (milliseconds).
func usersNow(e *env) time.Time { return e.Clock.Now().Truncate(time.Millisecond) }

// usersListAll lists every user of the pool through ListUsers' pages.
func usersListAll(t *testing.T, e *env, in *cip.ListUsersInput) []types.UserType {
	t.Helper()
	var all []types.UserType
	for {
		out, err := e.Client.ListUsers(e.ctx(), in)
		if err != nil {
			t.Fatalf("ListUsers: %v", err)
		}
		all = append(all, out.Users...)
		if out.PaginationToken == nil {
			return all
		}
		next := *in
		next.PaginationToken = out.PaginationToken
		in = &next
	}
}

// usersNames lists the usernames of users in order.
func usersNames(users []types.UserType) []string {
	out := []string{}
	for _, u := range users {
		out = append(out, aws.ToString(u.Username))
	}
	return out
}

package api_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// AdminUserGlobalSignOut ends every sign-in of the user named (by
// username, alias or sub), and no one else's.
func TestAdminUserGlobalSignOut(t *testing.T) {
	e := newEnv(t)
	pool, client := tokensSetup(t, e, func(in *cip.CreateUserPoolInput) {
		in.AliasAttributes = []types.AliasAttributeType{types.AliasAttributeTypeEmail}
	}, nil)
	other := tokensClient(t, e, pool, nil)
	tokensUser(t, e, pool, "bob", "email", "bob@example.com")
	for _, name := range []string{"alice", "alice@example.com", usersSub(t, e, pool, "alice")} {
		t.Run(name, func(t *testing.T) {
			one := signInUser(t, e, pool, client, "alice", tokensPassword)
			two := signInUser(t, e, pool, other, "alice@example.com", tokensPassword)
			bob := signInUser(t, e, pool, client, "bob", tokensPassword)
			if _, err := e.Client.AdminUserGlobalSignOut(e.ctx(), &cip.AdminUserGlobalSignOutInput{
				UserPoolId: aws.String(pool), Username: aws.String(name),
			}); err != nil {
				t.Fatal(err)
			}
			tokensWantRevoked(t, e, client, "alice", one)
			tokensWantRevoked(t, e, other, "alice", two)
			tokensWantLive(t, e, client, bob)
		})
	}
}

func TestAdminUserGlobalSignOutErrors(t *testing.T) {
	e := newEnv(t)
	pool, _ := tokensSetup(t, e, nil, nil)
	signOut := func(pool, username string) error {
		_, err := e.Client.AdminUserGlobalSignOut(e.ctx(), &cip.AdminUserGlobalSignOutInput{UserPoolId: aws.String(pool), Username: aws.String(username)})
		return err
	}
	wantAPIError(t, signOut(pool, "nobody"), "UserNotFoundException", "User does not exist.")
	wantAPIError(t, signOut(usersUnknownPool, "alice"), "ResourceNotFoundException", "User pool "+usersUnknownPool+" does not exist.")
	status, _, body := e.rawUnsigned("AdminUserGlobalSignOut", `{"UserPoolId":"`+pool+`","Username":"alice"}`)
	if status < 400 || body["__type"] == nil {
		t.Errorf("unsigned AdminUserGlobalSignOut = %d %v", status, body)
	}
}

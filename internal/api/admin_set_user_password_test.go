package api_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func TestAdminSetUserPassword(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	usersCreate(t, e, pool, "quinn")
	set := func(username, pw string, permanent bool) error {
		_, err := e.Client.AdminSetUserPassword(e.ctx(), &cip.AdminSetUserPasswordInput{
			UserPoolId: aws.String(pool), Username: aws.String(username), Password: aws.String(pw), Permanent: permanent,
		})
		return err
	}

	e.Clock.Advance(time.Minute)
	if err := set("quinn", "Perm-Passw0rd!", true); err != nil {
		t.Fatal(err)
	}
	got := usersGet(t, e, pool, "quinn")
	if got.UserStatus != types.UserStatusTypeConfirmed {
		t.Errorf("after a permanent password: %s, want CONFIRMED", got.UserStatus)
	}
	if want := usersNow(e); !got.UserLastModifiedDate.Equal(want) {
		t.Errorf("UserLastModifiedDate = %v, want %v", got.UserLastModifiedDate, want)
	}

	if err := set("quinn", "Temp-Passw0rd!2", false); err != nil {
		t.Fatal(err)
	}
	if got := usersGet(t, e, pool, "quinn"); got.UserStatus != types.UserStatusTypeForceChangePassword {
		t.Errorf("after a temporary password: %s, want FORCE_CHANGE_PASSWORD", got.UserStatus)
	}
}

func TestAdminSetUserPasswordErrors(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, func(in *cip.CreateUserPoolInput) {
		in.Policies = &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{MinimumLength: aws.Int32(10), RequireNumbers: true}}
	})
	in := usersCreateInput(pool, "rita")
	in.TemporaryPassword = aws.String("temporary-1")
	if _, err := e.Client.AdminCreateUser(e.ctx(), in); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, pool, user, pw, typ, msg string
	}{
		{"short", pool, "rita", "abc-1", "InvalidPasswordException", "Password did not conform with policy: Password not long enough"},
		{"no number", pool, "rita", "abcdefghijk", "InvalidPasswordException", "Password did not conform with policy: Password must have numeric characters"},
		{"no user", pool, "nobody", "abcdefghij1", "UserNotFoundException", "User does not exist."},
		{"no pool", usersUnknownPool, "rita", "abcdefghij1", "ResourceNotFoundException", "User pool " + usersUnknownPool + " does not exist."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.Client.AdminSetUserPassword(e.ctx(), &cip.AdminSetUserPasswordInput{
				UserPoolId: aws.String(tt.pool), Username: aws.String(tt.user), Password: aws.String(tt.pw), Permanent: true,
			})
			wantAPIError(t, err, tt.typ, tt.msg)
		})
	}
	if got := usersGet(t, e, pool, "rita"); got.UserStatus != types.UserStatusTypeForceChangePassword {
		t.Errorf("a refused password changed the status to %s", got.UserStatus)
	}
}

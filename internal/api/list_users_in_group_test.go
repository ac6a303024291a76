package api_test

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"
)

func TestListUsersInGroup(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	resCreateGroup(t, e, pool, "team")
	resCreateGroup(t, e, pool, "empty")
	var want []types.UserType
	for i := range 5 {
		name := fmt.Sprintf("member%d", 4-i)
		u := usersCreate(t, e, pool, name, "email", name+"@example.com")
		if err := usersAddToGroup(e, pool, name, "team"); err != nil {
			t.Fatal(err)
		}
		want = append([]types.UserType{*u}, want...)
	}
	usersCreate(t, e, pool, "outsider")

	var got []types.UserType
	in := &cip.ListUsersInGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("team"), Limit: aws.Int32(2)}
	for {
		out, err := e.Client.ListUsersInGroup(e.ctx(), in)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, out.Users...)
		if out.NextToken == nil {
			break
		}
		in.NextToken = out.NextToken
	}
	if diff := cmp.Diff(want, got, usersIgnoreSerde); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}

	out, err := e.Client.ListUsersInGroup(e.ctx(), &cip.ListUsersInGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("empty")})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Users) != 0 || out.NextToken != nil {
		t.Errorf("empty group lists %v", usersNames(out.Users))
	}

	first, err := e.Client.ListUsersInGroup(e.ctx(), &cip.ListUsersInGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("team"), Limit: aws.Int32(1)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.Client.ListUsersInGroup(e.ctx(), &cip.ListUsersInGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("empty"), NextToken: first.NextToken})
	wantAPIError(t, err, "InvalidParameterException", "The NextToken is not valid.")
	_, err = e.Client.ListUsersInGroup(e.ctx(), &cip.ListUsersInGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("nogroup")})
	wantAPIError(t, err, "ResourceNotFoundException", "Group not found.")
	_, err = e.Client.ListUsersInGroup(e.ctx(), &cip.ListUsersInGroupInput{UserPoolId: aws.String(usersUnknownPool), GroupName: aws.String("team")})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool "+usersUnknownPool+" does not exist.")
}

package api_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"
)

func TestAdminListGroupsForUser(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	usersCreate(t, e, pool, "kai")
	usersCreate(t, e, pool, "lou")
	groups := map[string]*types.GroupType{}
	for _, g := range []string{"gamma", "alpha", "beta", "delta"} {
		groups[g] = resCreateGroup(t, e, pool, g)
		if g != "delta" {
			if err := usersAddToGroup(e, pool, "kai", g); err != nil {
				t.Fatal(err)
			}
		}
	}
	if diff := cmp.Diff([]string{}, usersGroupsOf(t, e, pool, "lou")); diff != "" {
		t.Errorf("user without groups (-want +got):\n%s", diff)
	}

	var got []types.GroupType
	in := &cip.AdminListGroupsForUserInput{UserPoolId: aws.String(pool), Username: aws.String("kai"), Limit: aws.Int32(2)}
	pages := 0
	for {
		out, err := e.Client.AdminListGroupsForUser(e.ctx(), in)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		got = append(got, out.Groups...)
		if out.NextToken == nil {
			break
		}
		in.NextToken = out.NextToken
	}
	want := []types.GroupType{*groups["alpha"], *groups["beta"], *groups["gamma"]}
	if diff := cmp.Diff(want, got, usersIgnoreSerde); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if pages != 2 {
		t.Errorf("%d pages of 2 for 3 groups", pages)
	}

	// A token is good only for the listing that issued it.
	first, err := e.Client.AdminListGroupsForUser(e.ctx(), &cip.AdminListGroupsForUserInput{UserPoolId: aws.String(pool), Username: aws.String("kai"), Limit: aws.Int32(1)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.Client.AdminListGroupsForUser(e.ctx(), &cip.AdminListGroupsForUserInput{UserPoolId: aws.String(pool), Username: aws.String("lou"), NextToken: first.NextToken})
	wantAPIError(t, err, "InvalidParameterException", "The NextToken is not valid.")
	_, err = e.Client.AdminListGroupsForUser(e.ctx(), &cip.AdminListGroupsForUserInput{UserPoolId: aws.String(pool), Username: aws.String("kai"), NextToken: aws.String("garbage")})
	wantAPIError(t, err, "InvalidParameterException", "The NextToken is not valid.")

	_, err = e.Client.AdminListGroupsForUser(e.ctx(), &cip.AdminListGroupsForUserInput{UserPoolId: aws.String(pool), Username: aws.String("nobody")})
	wantAPIError(t, err, "UserNotFoundException", "User does not exist.")
	_, err = e.Client.AdminListGroupsForUser(e.ctx(), &cip.AdminListGroupsForUserInput{UserPoolId: aws.String(usersUnknownPool), Username: aws.String("kai")})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool "+usersUnknownPool+" does not exist.")
}

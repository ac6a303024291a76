package api_test

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"
)

func TestListUsers(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	other := createTestPool(t, e, nil)
	usersCreate(t, e, other, "elsewhere")
	out, err := e.Client.ListUsers(e.ctx(), &cip.ListUsersInput{UserPoolId: aws.String(pool)})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Users) != 0 || out.PaginationToken != nil {
		t.Fatalf("empty pool lists %v", usersNames(out.Users))
	}

	created := map[string]*types.UserType{}
	for _, name := range []string{"carl", "alma", "bert"} {
		created[name] = usersCreate(t, e, pool, name, "email", name+"@example.com")
	}
	out, err = e.Client.ListUsers(e.ctx(), &cip.ListUsersInput{UserPoolId: aws.String(pool)})
	if err != nil {
		t.Fatal(err)
	}
	want := []types.UserType{*created["alma"], *created["bert"], *created["carl"]}
	if diff := cmp.Diff(want, out.Users, usersIgnoreSerde); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if out.PaginationToken != nil {
		t.Errorf("one page has a PaginationToken")
	}
}

func TestListUsersPagination(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	var names []string
	for i := range 7 {
		name := fmt.Sprintf("user%02d", i)
		names = append(names, name)
		usersCreate(t, e, pool, name)
	}
	first, err := e.Client.ListUsers(e.ctx(), &cip.ListUsersInput{UserPoolId: aws.String(pool), Limit: aws.Int32(3)})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(names[:3], usersNames(first.Users)); diff != "" || first.PaginationToken == nil {
		t.Fatalf("first page %v, token %v", usersNames(first.Users), first.PaginationToken)
	}
	all := usersListAll(t, e, &cip.ListUsersInput{UserPoolId: aws.String(pool), Limit: aws.Int32(3)})
	if diff := cmp.Diff(names, usersNames(all)); diff != "" {
		t.Errorf("pages (-want +got):\n%s", diff)
	}
	// Limit 0 is the default page of 60.
	zero, err := e.Client.ListUsers(e.ctx(), &cip.ListUsersInput{UserPoolId: aws.String(pool), Limit: aws.Int32(0)})
	if err != nil {
		t.Fatal(err)
	}
	if len(zero.Users) != 7 || zero.PaginationToken != nil {
		t.Errorf("Limit 0 lists %d users, token %v", len(zero.Users), zero.PaginationToken)
	}

	// A token is good only for the pool's listing that issued it.
	other := createTestPool(t, e, nil)
	_, err = e.Client.ListUsers(e.ctx(), &cip.ListUsersInput{UserPoolId: aws.String(other), PaginationToken: first.PaginationToken})
	wantAPIError(t, err, "InvalidParameterException", "The PaginationToken is not valid.")
	_, err = e.Client.ListUsers(e.ctx(), &cip.ListUsersInput{UserPoolId: aws.String(pool), PaginationToken: aws.String("not-a-token!")})
	wantAPIError(t, err, "InvalidParameterException", "The PaginationToken is not valid.")
	_, err = e.Client.ListUsers(e.ctx(), &cip.ListUsersInput{UserPoolId: aws.String(pool), Limit: aws.Int32(61)})
	wantAPIError(t, err, "InvalidParameterException", "1 validation error detected: Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60")
}

func TestListUsersFilter(t *testing.T) {
	e := newEnv(t)
	pool := usersCaseInsensitivePool(t, e)
	dana := usersCreate(t, e, pool, "Dana", "email", "dana@example.com", "given_name", "Dana", "phone_number", "+4915550001")
	usersCreate(t, e, pool, "dave", "email", "dave@example.org", "given_name", "Dave", "family_name", "Jones")
	usersCreate(t, e, pool, "eve", "email", "eve@example.com", "phone_number", "+3315550002", "preferred_username", "evie")
	usersConfirm(t, e, pool, "eve")
	if _, err := e.Client.AdminDisableUser(e.ctx(), &cip.AdminDisableUserInput{UserPoolId: aws.String(pool), Username: aws.String("dave")}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		filter string
		want   []string
	}{
		{`email = "dave@example.org"`, []string{"dave"}},
		{`email="dave@example.org"`, []string{"dave"}},
		{`email ^= "d"`, []string{"Dana", "dave"}},
		{`email ^= "x"`, []string{}},
		{`phone_number ^= "+49"`, []string{"Dana"}},
		{`given_name = "Dave"`, []string{"dave"}},
		{`family_name = "Jones"`, []string{"dave"}},
		{`name = "Dana"`, []string{}},
		{`preferred_username = "evie"`, []string{"eve"}},
		{`username = "dana"`, []string{"Dana"}},
		{`username ^= "DA"`, []string{"Dana", "dave"}},
		{`sub = "` + usersAttrMap(dana.Attributes)["sub"] + `"`, []string{"Dana"}},
		{`status = "Disabled"`, []string{"dave"}},
		{`status = "Enabled"`, []string{"Dana", "eve"}},
		{`cognito:user_status = "CONFIRMED"`, []string{"eve"}},
		{`cognito:user_status = "force_change_password"`, []string{"Dana", "dave"}},
		{`family_name = ""`, []string{}},
		{`   `, []string{"Dana", "dave", "eve"}},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			got := usersListAll(t, e, &cip.ListUsersInput{UserPoolId: aws.String(pool), Filter: aws.String(tt.filter), Limit: aws.Int32(1)})
			if diff := cmp.Diff(tt.want, usersNames(got)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	// username compares exactly in a case-sensitive pool.
	sensitive := createTestPool(t, e, nil)
	usersCreate(t, e, sensitive, "Fay")
	got := usersListAll(t, e, &cip.ListUsersInput{UserPoolId: aws.String(sensitive), Filter: aws.String(`username = "fay"`)})
	if len(got) != 0 {
		t.Errorf("case-sensitive pool: username = \"fay\" finds %v", usersNames(got))
	}
}

func TestListUsersFilterErrors(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	tests := []struct {
		filter, msg string
	}{
		{`username = foo`, "Error while parsing filter."},
		{`username=`, "Error while parsing filter."},
		{`email = "a" and name = "b"`, "Error while parsing filter."},
		{`email == "a"`, "Error while parsing filter."},
		{`custom:plan = "pro"`, "Invalid search attribute: custom:plan"},
		{`nickname ^= "a"`, "Invalid search attribute: nickname"},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			_, err := e.Client.ListUsers(e.ctx(), &cip.ListUsersInput{UserPoolId: aws.String(pool), Filter: aws.String(tt.filter)})
			wantAPIError(t, err, "InvalidParameterException", tt.msg)
		})
	}
	_, err := e.Client.ListUsers(e.ctx(), &cip.ListUsersInput{UserPoolId: aws.String(usersUnknownPool)})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool "+usersUnknownPool+" does not exist.")
}

func TestListUsersAttributesToGet(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, func(in *cip.CreateUserPoolInput) {
		in.Schema = []types.SchemaAttributeType{{Name: aws.String("plan"), AttributeDataType: types.AttributeDataTypeString}}
	})
	usersCreate(t, e, pool, "gil", "email", "gil@example.com", "given_name", "Gil", "custom:plan", "pro")
	usersCreate(t, e, pool, "hana", "given_name", "Hana")
	out, err := e.Client.ListUsers(e.ctx(), &cip.ListUsersInput{UserPoolId: aws.String(pool), AttributesToGet: []string{"custom:plan", "email"}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([][]string{{"email", "custom:plan"}, nil}, [][]string{usersAttrNames(out.Users[0].Attributes), usersAttrNames(out.Users[1].Attributes)}); diff != "" {
		t.Errorf("projected attributes (-want +got):\n%s", diff)
	}
	if out.Users[0].UserStatus == "" || out.Users[0].UserCreateDate == nil {
		t.Error("projection dropped the user's own members")
	}
	_, err = e.Client.ListUsers(e.ctx(), &cip.ListUsersInput{UserPoolId: aws.String(pool), AttributesToGet: []string{"email", "custom:nope"}})
	wantAPIError(t, err, "InvalidParameterException", "One or more requested attributes do not exist.")
}

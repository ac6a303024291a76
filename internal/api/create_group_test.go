package api_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"
)

func TestCreateGroup(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	e.Clock.Advance(1500 * time.Millisecond)
	now := e.Clock.Now()
	out, err := e.Client.CreateGroup(e.ctx(), &cip.CreateGroupInput{
		UserPoolId:  aws.String(pool),
		GroupName:   aws.String("Admins"),
		Description: aws.String("People who run things"),
		RoleArn:     aws.String("arn:aws:iam::123456789012:role/AdminRole"),
		Precedence:  aws.Int32(2147483647),
	})
	if err != nil {
		t.Fatal(err)
	}
	want := &types.GroupType{
		UserPoolId:       aws.String(pool),
		GroupName:        aws.String("Admins"),
		Description:      aws.String("People who run things"),
		RoleArn:          aws.String("arn:aws:iam::123456789012:role/AdminRole"),
		Precedence:       aws.Int32(2147483647),
		CreationDate:     &now,
		LastModifiedDate: &now,
	}
	if diff := cmp.Diff(want, out.Group, resIgnoreSerde); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}

	// Only the name is required; group names are case-sensitive.
	bare := resCreateGroup(t, e, pool, "admins")
	if bare.Precedence != nil || bare.Description != nil || bare.RoleArn != nil {
		t.Errorf("bare group = %+v", bare)
	}
	// The same name is free in another pool.
	resCreateGroup(t, e, createTestPool(t, e, nil), "Admins")
}

func TestCreateGroupErrors(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	resCreateGroup(t, e, pool, "taken")
	for _, tc := range []struct {
		name     string
		in       *cip.CreateGroupInput
		typ, msg string
	}{
		{"duplicate", &cip.CreateGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("taken")},
			"GroupExistsException", "A group with the name taken already exists."},
		{"unknown pool", &cip.CreateGroupInput{UserPoolId: aws.String(resUnknownPool), GroupName: aws.String("g")},
			"ResourceNotFoundException", "User pool " + resUnknownPool + " does not exist."},
		{"negative precedence", &cip.CreateGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("g"), Precedence: aws.Int32(-1)},
			"InvalidParameterException", "1 validation error detected: Value '-1' at 'precedence' failed to satisfy constraint: Member must have value greater than or equal to 0"},
		{"role not an ARN", &cip.CreateGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("g"), RoleArn: aws.String("AdminRoleWithALongName")},
			"InvalidParameterException", ""},
		{"name with a space", &cip.CreateGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("two words")},
			"InvalidParameterException", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.Client.CreateGroup(e.ctx(), tc.in)
			wantAPIError(t, err, tc.typ, tc.msg)
		})
	}
	// The SDK cannot send a precedence beyond int32; the server refuses it.
	status, _, body := e.raw("CreateGroup", `{"UserPoolId":"`+pool+`","GroupName":"big","Precedence":2147483648}`)
	want := "1 validation error detected: Value '2147483648' at 'precedence' failed to satisfy constraint: Member must have value less than or equal to 2147483647"
	if status != http.StatusBadRequest || body["__type"] != "InvalidParameterException" || body["message"] != want {
		t.Errorf("precedence 2^31: status %d, body %v", status, body)
	}
	list, err := e.Client.ListGroups(e.ctx(), &cip.ListGroupsInput{UserPoolId: aws.String(pool)})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Groups) != 1 {
		t.Errorf("%d groups after the refused creates, want 1", len(list.Groups))
	}
}

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

// UpdateGroup changes only the members it is given.
func TestUpdateGroup(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	created, err := e.Client.CreateGroup(e.ctx(), &cip.CreateGroupInput{
		UserPoolId: aws.String(pool), GroupName: aws.String("ops"), Description: aws.String("operators"),
		RoleArn: aws.String("arn:aws:iam::123456789012:role/Ops"), Precedence: aws.Int32(5),
	})
	if err != nil {
		t.Fatal(err)
	}
	e.Clock.Advance(time.Hour)
	later := e.Clock.Now()

	out, err := e.Client.UpdateGroup(e.ctx(), &cip.UpdateGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("ops"), Precedence: aws.Int32(1)})
	if err != nil {
		t.Fatal(err)
	}
	want := &types.GroupType{
		UserPoolId: aws.String(pool), GroupName: aws.String("ops"), Description: aws.String("operators"),
		RoleArn: aws.String("arn:aws:iam::123456789012:role/Ops"), Precedence: aws.Int32(1),
		CreationDate: created.Group.CreationDate, LastModifiedDate: &later,
	}
	if diff := cmp.Diff(want, out.Group, resIgnoreSerde); diff != "" {
		t.Errorf("after updating Precedence (-want +got):\n%s", diff)
	}

	out, err = e.Client.UpdateGroup(e.ctx(), &cip.UpdateGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("ops"),
		Description: aws.String("on call"), RoleArn: aws.String("arn:aws:iam::123456789012:role/OnCall")})
	if err != nil {
		t.Fatal(err)
	}
	want.Description, want.RoleArn = aws.String("on call"), aws.String("arn:aws:iam::123456789012:role/OnCall")
	if diff := cmp.Diff(want, out.Group, resIgnoreSerde); diff != "" {
		t.Errorf("after updating Description and RoleArn (-want +got):\n%s", diff)
	}
	got, err := e.Client.GetGroup(e.ctx(), &cip.GetGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("ops")})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got.Group, resIgnoreSerde); diff != "" {
		t.Errorf("GetGroup after update (-want +got):\n%s", diff)
	}
}

func TestUpdateGroupErrors(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	resCreateGroup(t, e, pool, "ops")
	for _, tc := range []struct {
		name     string
		in       *cip.UpdateGroupInput
		typ, msg string
	}{
		{"unknown group", &cip.UpdateGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("nope"), Precedence: aws.Int32(1)},
			"ResourceNotFoundException", "Group not found."},
		{"unknown pool", &cip.UpdateGroupInput{UserPoolId: aws.String(resUnknownPool), GroupName: aws.String("ops")},
			"ResourceNotFoundException", "User pool " + resUnknownPool + " does not exist."},
		{"negative precedence", &cip.UpdateGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("ops"), Precedence: aws.Int32(-5)},
			"InvalidParameterException", "1 validation error detected: Value '-5' at 'precedence' failed to satisfy constraint: Member must have value greater than or equal to 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.Client.UpdateGroup(e.ctx(), tc.in)
			wantAPIError(t, err, tc.typ, tc.msg)
		})
	}
	status, _, body := e.raw("UpdateGroup", `{"UserPoolId":"`+pool+`","GroupName":"ops","Precedence":4294967296}`)
	if status != http.StatusBadRequest || body["__type"] != "InvalidParameterException" {
		t.Errorf("precedence 2^32: status %d, body %v", status, body)
	}
	got, err := e.Client.GetGroup(e.ctx(), &cip.GetGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("ops")})
	if err != nil {
		t.Fatal(err)
	}
	if got.Group.Precedence != nil {
		t.Errorf("Precedence = %d after the refused updates", aws.ToInt32(got.Group.Precedence))
	}
}

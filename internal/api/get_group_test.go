package api_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/google/go-cmp/cmp"
)

func TestGetGroup(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	created, err := e.Client.CreateGroup(e.ctx(), &cip.CreateGroupInput{
		UserPoolId: aws.String(pool), GroupName: aws.String("editors"), Description: aws.String("d"), Precedence: aws.Int32(0),
	})
	if err != nil {
		t.Fatal(err)
	}
	out, err := e.Client.GetGroup(e.ctx(), &cip.GetGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("editors")})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(created.Group, out.Group, resIgnoreSerde); diff != "" {
		t.Errorf("get differs from create (-create +get):\n%s", diff)
	}
}

func TestGetGroupErrors(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	resCreateGroup(t, e, pool, "editors")
	other := createTestPool(t, e, nil)
	for _, tc := range []struct {
		name, pool, group, typ, msg string
	}{
		{"unknown group", pool, "nope", "ResourceNotFoundException", "Group not found."},
		{"other case", pool, "Editors", "ResourceNotFoundException", "Group not found."},
		{"group of another pool", other, "editors", "ResourceNotFoundException", "Group not found."},
		{"unknown pool", resUnknownPool, "editors", "ResourceNotFoundException", "User pool " + resUnknownPool + " does not exist."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.Client.GetGroup(e.ctx(), &cip.GetGroupInput{UserPoolId: aws.String(tc.pool), GroupName: aws.String(tc.group)})
			wantAPIError(t, err, tc.typ, tc.msg)
		})
	}
}

package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/google/go-cmp/cmp"
)

func TestListTagsForResource(t *testing.T) {
	e := newEnv(t)
	tagged := createTestPool(t, e, func(in *cip.CreateUserPoolInput) {
		in.UserPoolTags = map[string]string{"owner": "alice", "env": "test"}
	})
	plain := createTestPool(t, e, nil)

	list, err := e.Client.ListTagsForResource(e.ctx(), &cip.ListTagsForResourceInput{ResourceArn: aws.String(resPoolARN(t, e, tagged))})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{"owner": "alice", "env": "test"}, list.Tags); diff != "" {
		t.Errorf("tags of the tagged pool (-want +got):\n%s", diff)
	}
	list, err = e.Client.ListTagsForResource(e.ctx(), &cip.ListTagsForResourceInput{ResourceArn: aws.String(resPoolARN(t, e, plain))})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Tags) != 0 {
		t.Errorf("tags of the plain pool = %v", list.Tags)
	}
}

func TestListTagsForResourceErrors(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	arn := resPoolARN(t, e, pool)
	for _, tc := range []struct {
		name, arn, typ, msg string
	}{
		{"unknown pool", strings.Replace(arn, pool, resUnknownPool, 1), "ResourceNotFoundException", "User pool " + resUnknownPool + " does not exist."},
		{"client ARN", arn + "/client/abc", "InvalidParameterException", arn + "/client/abc is not a valid user pool ARN."},
		{"not an ARN", "userpool/" + pool + "-but-not-an-arn", "InvalidParameterException", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.Client.ListTagsForResource(e.ctx(), &cip.ListTagsForResourceInput{ResourceArn: aws.String(tc.arn)})
			wantAPIError(t, err, tc.typ, tc.msg)
		})
	}
	status, _, body := e.raw("ListTagsForResource", `{}`)
	if want := "1 validation error detected: Value null at 'resourceArn' failed to satisfy constraint: Member must not be null"; status != http.StatusBadRequest || body["message"] != want {
		t.Errorf("without ResourceArn: status %d, body %v", status, body)
	}
}

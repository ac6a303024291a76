package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/google/go-cmp/cmp"
)

func TestUntagResource(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	arn := resPoolARN(t, e, pool)
	if _, err := e.Client.TagResource(e.ctx(), &cip.TagResourceInput{ResourceArn: aws.String(arn), Tags: map[string]string{"a": "1", "b": "2", "c": "3"}}); err != nil {
		t.Fatal(err)
	}
	// Keys the pool does not have are ignored.
	if _, err := e.Client.UntagResource(e.ctx(), &cip.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: []string{"a", "c", "never-set"}}); err != nil {
		t.Fatal(err)
	}
	list, err := e.Client.ListTagsForResource(e.ctx(), &cip.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{"b": "2"}, list.Tags); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
	if _, err := e.Client.UntagResource(e.ctx(), &cip.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: []string{"b"}}); err != nil {
		t.Fatal(err)
	}
	desc, err := e.Client.DescribeUserPool(e.ctx(), &cip.DescribeUserPoolInput{UserPoolId: aws.String(pool)})
	if err != nil {
		t.Fatal(err)
	}
	if len(desc.UserPool.UserPoolTags) != 0 {
		t.Errorf("DescribeUserPool UserPoolTags = %v after removing every tag", desc.UserPool.UserPoolTags)
	}
}

func TestUntagResourceErrors(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	arn := resPoolARN(t, e, pool)
	unknown := strings.Replace(arn, pool, resUnknownPool, 1)
	_, err := e.Client.UntagResource(e.ctx(), &cip.UntagResourceInput{ResourceArn: aws.String(unknown), TagKeys: []string{"a"}})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool "+resUnknownPool+" does not exist.")
	bad := strings.Replace(arn, "cognito-idp", "cognito-identity", 1)
	_, err = e.Client.UntagResource(e.ctx(), &cip.UntagResourceInput{ResourceArn: aws.String(bad), TagKeys: []string{"a"}})
	wantAPIError(t, err, "InvalidParameterException", bad+" is not a valid user pool ARN.")
	status, _, body := e.raw("UntagResource", `{"ResourceArn":"`+arn+`"}`)
	if want := "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null"; status != http.StatusBadRequest || body["message"] != want {
		t.Errorf("without TagKeys: status %d, body %v", status, body)
	}
	status, _, body = e.raw("UntagResource", `{"ResourceArn":"`+arn+`","TagKeys":[""]}`)
	if status != http.StatusBadRequest || body["__type"] != "InvalidParameterException" {
		t.Errorf("empty key: status %d, body %v", status, body)
	}
}

package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/google/go-cmp/cmp"
)

func TestTagResource(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, func(in *cip.CreateUserPoolInput) {
		in.UserPoolTags = map[string]string{"from-create": "yes"}
	})
	arn := resPoolARN(t, e, pool)
	if _, err := e.Client.TagResource(e.ctx(), &cip.TagResourceInput{ResourceArn: aws.String(arn), Tags: map[string]string{"env": "dev", "team": "identity"}}); err != nil {
		t.Fatal(err)
	}
	// A second call adds keys and overwrites values; it replaces nothing else.
	if _, err := e.Client.TagResource(e.ctx(), &cip.TagResourceInput{ResourceArn: aws.String(arn), Tags: map[string]string{"env": "prod", "cost-center": ""}}); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"from-create": "yes", "env": "prod", "team": "identity", "cost-center": ""}
	list, err := e.Client.ListTagsForResource(e.ctx(), &cip.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, list.Tags); diff != "" {
		t.Errorf("ListTagsForResource (-want +got):\n%s", diff)
	}
	desc, err := e.Client.DescribeUserPool(e.ctx(), &cip.DescribeUserPoolInput{UserPoolId: aws.String(pool)})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, desc.UserPool.UserPoolTags); diff != "" {
		t.Errorf("DescribeUserPool UserPoolTags (-want +got):\n%s", diff)
	}
	// An empty map is allowed and changes nothing.
	if _, err := e.Client.TagResource(e.ctx(), &cip.TagResourceInput{ResourceArn: aws.String(arn), Tags: map[string]string{}}); err != nil {
		t.Fatal(err)
	}
}

func TestTagResourceLimit(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	arn := resPoolARN(t, e, pool)
	tags := map[string]string{}
	for i := range 49 {
		tags[fmt.Sprintf("key-%02d", i)] = "v"
	}
	if _, err := e.Client.TagResource(e.ctx(), &cip.TagResourceInput{ResourceArn: aws.String(arn), Tags: tags}); err != nil {
		t.Fatal(err)
	}
	// Two new keys would make 51; the limit counts the tags already there.
	_, err := e.Client.TagResource(e.ctx(), &cip.TagResourceInput{ResourceArn: aws.String(arn), Tags: map[string]string{"key-49": "v", "key-50": "v"}})
	wantAPIError(t, err, "InvalidParameterException", "A user pool can have at most 50 tags.")
	list, err := e.Client.ListTagsForResource(e.ctx(), &cip.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Tags) != 49 {
		t.Errorf("%d tags after the refused call, want 49", len(list.Tags))
	}
	if _, err := e.Client.TagResource(e.ctx(), &cip.TagResourceInput{ResourceArn: aws.String(arn), Tags: map[string]string{"key-00": "new", "key-49": "v"}}); err != nil {
		t.Errorf("the 50th tag: %v", err)
	}
}

func TestTagResourceErrors(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	arn := resPoolARN(t, e, pool)
	unknown := strings.Replace(arn, pool, resUnknownPool, 1)
	otherAccount := strings.Replace(arn, ":"+resARNAccount(t, arn)+":", ":111111111111:", 1)
	identityPool := strings.Replace(arn, ":userpool/", ":identitypool/", 1)
	tags := map[string]string{"k": "v"}
	for _, tc := range []struct {
		name, arn string
		tags      map[string]string
		typ, msg  string
	}{
		{"unknown pool", unknown, tags, "ResourceNotFoundException", "User pool " + resUnknownPool + " does not exist."},
		{"another account", otherAccount, tags, "ResourceNotFoundException", "User pool " + pool + " does not exist."},
		{"not a user pool", identityPool, tags, "InvalidParameterException", identityPool + " is not a valid user pool ARN."},
		{"not an ARN", "this-is-not-an-arn-at-all", tags, "InvalidParameterException", ""},
		{"reserved prefix", arn, map[string]string{"aws:cloudformation:stack-name": "x"}, "InvalidParameterException",
			"Tag keys may not begin with aws:, which is reserved for AWS use."},
		{"value too long", arn, map[string]string{"k": strings.Repeat("v", 257)}, "InvalidParameterException", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.Client.TagResource(e.ctx(), &cip.TagResourceInput{ResourceArn: aws.String(tc.arn), Tags: tc.tags})
			wantAPIError(t, err, tc.typ, tc.msg)
		})
	}
	status, _, body := e.raw("TagResource", `{"ResourceArn":"`+arn+`"}`)
	if want := "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null"; status != http.StatusBadRequest || body["message"] != want {
		t.Errorf("without Tags: status %d, body %v", status, body)
	}
	status, _, body = e.raw("TagResource", `{"ResourceArn":"`+arn+`","Tags":{"":"v"}}`)
	if status != http.StatusBadRequest || body["__type"] != "InvalidParameterException" {
		t.Errorf("empty key: status %d, body %v", status, body)
	}
	list, err := e.Client.ListTagsForResource(e.ctx(), &cip.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Tags) != 0 {
		t.Errorf("tags after the refused calls: %v", list.Tags)
	}
}

package api_test

import (
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/google/go-cmp/cmp"
)

func TestDeleteResourceServer(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	resCreateResourceServer(t, e, pool, "gone", "x")
	resCreateResourceServer(t, e, pool, "stays", "y")
	// The action has no output members: the body is {}.
	status, _, body := e.raw("DeleteResourceServer", `{"UserPoolId":"`+pool+`","Identifier":"gone"}`)
	if status != http.StatusOK {
		t.Fatalf("status %d, body %v", status, body)
	}
	if diff := cmp.Diff(map[string]any{}, body); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}
	_, err := e.Client.DescribeResourceServer(e.ctx(), &cip.DescribeResourceServerInput{UserPoolId: aws.String(pool), Identifier: aws.String("gone")})
	wantAPIError(t, err, "ResourceNotFoundException", "Resource server gone does not exist.")
	if _, err := e.Client.DescribeResourceServer(e.ctx(), &cip.DescribeResourceServerInput{UserPoolId: aws.String(pool), Identifier: aws.String("stays")}); err != nil {
		t.Errorf("the other server: %v", err)
	}
	// The identifier can be used again.
	resCreateResourceServer(t, e, pool, "gone")
}

func TestDeleteResourceServerErrors(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	resCreateResourceServer(t, e, pool, "once")
	if _, err := e.Client.DeleteResourceServer(e.ctx(), &cip.DeleteResourceServerInput{UserPoolId: aws.String(pool), Identifier: aws.String("once")}); err != nil {
		t.Fatal(err)
	}
	_, err := e.Client.DeleteResourceServer(e.ctx(), &cip.DeleteResourceServerInput{UserPoolId: aws.String(pool), Identifier: aws.String("once")})
	wantAPIError(t, err, "ResourceNotFoundException", "Resource server once does not exist.")
	_, err = e.Client.DeleteResourceServer(e.ctx(), &cip.DeleteResourceServerInput{UserPoolId: aws.String(resUnknownPool), Identifier: aws.String("once")})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool "+resUnknownPool+" does not exist.")
}

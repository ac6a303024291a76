package api_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/google/go-cmp/cmp"
)

func TestDescribeResourceServer(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	created := resCreateResourceServer(t, e, pool, "inventory", "items.read", "items.write")
	out, err := e.Client.DescribeResourceServer(e.ctx(), &cip.DescribeResourceServerInput{UserPoolId: aws.String(pool), Identifier: aws.String("inventory")})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(created, out.ResourceServer, resIgnoreSerde); diff != "" {
		t.Errorf("describe differs from create (-create +describe):\n%s", diff)
	}
}

func TestDescribeResourceServerErrors(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	resCreateResourceServer(t, e, pool, "inventory")
	other := createTestPool(t, e, nil)
	for _, tc := range []struct {
		name, pool, id, typ, msg string
	}{
		{"unknown identifier", pool, "nope", "ResourceNotFoundException", "Resource server nope does not exist."},
		{"identifier of another pool", other, "inventory", "ResourceNotFoundException", "Resource server inventory does not exist."},
		// Identifiers are case-sensitive.
		{"other case", pool, "Inventory", "ResourceNotFoundException", "Resource server Inventory does not exist."},
		{"unknown pool", resUnknownPool, "inventory", "ResourceNotFoundException", "User pool " + resUnknownPool + " does not exist."},
		{"malformed pool id", "no-underscore", "inventory", "InvalidParameterException", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.Client.DescribeResourceServer(e.ctx(), &cip.DescribeResourceServerInput{UserPoolId: aws.String(tc.pool), Identifier: aws.String(tc.id)})
			wantAPIError(t, err, tc.typ, tc.msg)
		})
	}
}

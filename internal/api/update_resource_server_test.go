package api_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"
)

// UpdateResourceServer is a full replace: the scopes sent are the scopes
// the server has afterwards.
func TestUpdateResourceServer(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	resCreateResourceServer(t, e, pool, "billing", "invoices.read", "invoices.write")
	out, err := e.Client.UpdateResourceServer(e.ctx(), &cip.UpdateResourceServerInput{
		UserPoolId: aws.String(pool), Identifier: aws.String("billing"), Name: aws.String("Billing v2"),
		Scopes: resScopes("invoices.read", "refunds.create"),
	})
	if err != nil {
		t.Fatal(err)
	}
	want := &types.ResourceServerType{UserPoolId: aws.String(pool), Identifier: aws.String("billing"), Name: aws.String("Billing v2"),
		Scopes: resScopes("invoices.read", "refunds.create")}
	if diff := cmp.Diff(want, out.ResourceServer, resIgnoreSerde); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
	desc, err := e.Client.DescribeResourceServer(e.ctx(), &cip.DescribeResourceServerInput{UserPoolId: aws.String(pool), Identifier: aws.String("billing")})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, desc.ResourceServer, resIgnoreSerde); diff != "" {
		t.Errorf("describe after update (-want +got):\n%s", diff)
	}

	// Leaving Scopes out removes them all.
	out, err = e.Client.UpdateResourceServer(e.ctx(), &cip.UpdateResourceServerInput{UserPoolId: aws.String(pool), Identifier: aws.String("billing"), Name: aws.String("Billing v3")})
	if err != nil {
		t.Fatal(err)
	}
	if out.ResourceServer.Scopes != nil || aws.ToString(out.ResourceServer.Name) != "Billing v3" {
		t.Errorf("after an update without scopes: %+v", out.ResourceServer)
	}
}

func TestUpdateResourceServerErrors(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	resCreateResourceServer(t, e, pool, "billing", "invoices.read")
	upd := func(pool, id string, scopes []types.ResourceServerScopeType) *cip.UpdateResourceServerInput {
		return &cip.UpdateResourceServerInput{UserPoolId: aws.String(pool), Identifier: aws.String(id), Name: aws.String("n"), Scopes: scopes}
	}
	for _, tc := range []struct {
		name     string
		in       *cip.UpdateResourceServerInput
		typ, msg string
	}{
		{"unknown identifier", upd(pool, "nope", nil), "ResourceNotFoundException", "Resource server nope does not exist."},
		{"unknown pool", upd(resUnknownPool, "billing", nil), "ResourceNotFoundException", "User pool " + resUnknownPool + " does not exist."},
		{"duplicate scope", upd(pool, "billing", resScopes("a", "a")), "InvalidParameterException", "The scope name a is listed more than once."},
		{"too many scopes", upd(pool, "billing", resScopes(resNames("s", 101)...)), "InvalidParameterException", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.Client.UpdateResourceServer(e.ctx(), tc.in)
			wantAPIError(t, err, tc.typ, tc.msg)
		})
	}
	desc, err := e.Client.DescribeResourceServer(e.ctx(), &cip.DescribeResourceServerInput{UserPoolId: aws.String(pool), Identifier: aws.String("billing")})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(resScopes("invoices.read"), desc.ResourceServer.Scopes, resIgnoreSerde); diff != "" {
		t.Errorf("the refused updates changed the scopes (-want +got):\n%s", diff)
	}
}

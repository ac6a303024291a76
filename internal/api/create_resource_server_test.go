package api_test

import (
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"
)

func TestCreateResourceServer(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	out, err := e.Client.CreateResourceServer(e.ctx(), &cip.CreateResourceServerInput{
		UserPoolId: aws.String(pool),
		Identifier: aws.String("https://api.example.com"),
		Name:       aws.String("Example API"),
		Scopes:     resScopes("orders.read", "orders.write"),
	})
	if err != nil {
		t.Fatal(err)
	}
	want := &types.ResourceServerType{
		UserPoolId: aws.String(pool),
		Identifier: aws.String("https://api.example.com"),
		Name:       aws.String("Example API"),
		Scopes:     resScopes("orders.read", "orders.write"),
	}
	if diff := cmp.Diff(want, out.ResourceServer, resIgnoreSerde); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
	// Scopes are optional.
	bare := resCreateResourceServer(t, e, pool, "bare")
	if bare.Scopes != nil {
		t.Errorf("Scopes = %+v, want none", bare.Scopes)
	}
	// The same identifier is free in another pool.
	resCreateResourceServer(t, e, createTestPool(t, e, nil), "https://api.example.com")
}

func TestCreateResourceServerErrors(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	resCreateResourceServer(t, e, pool, "taken", "read")
	in := func(id string, scopes []types.ResourceServerScopeType) *cip.CreateResourceServerInput {
		return &cip.CreateResourceServerInput{UserPoolId: aws.String(pool), Identifier: aws.String(id), Name: aws.String("n"), Scopes: scopes}
	}
	tooMany := resScopes(resNames("s", 101)...)
	for _, tc := range []struct {
		name     string
		in       *cip.CreateResourceServerInput
		typ, msg string
	}{
		{"duplicate identifier", in("taken", nil), "InvalidParameterException", "A resource server with the identifier taken already exists in this user pool."},
		{"duplicate scope", in("new", resScopes("read", "write", "read")), "InvalidParameterException", "The scope name read is listed more than once."},
		{"too many scopes", in("new", tooMany), "InvalidParameterException",
			"1 validation error detected: Value at 'scopes' failed to satisfy constraint: Member must have length less than or equal to 100"},
		{"scope name with a slash", in("new", resScopes("a/b")), "InvalidParameterException", ""},
		{"identifier with a space", in("my api", nil), "InvalidParameterException", ""},
		{"unknown pool", &cip.CreateResourceServerInput{UserPoolId: aws.String(resUnknownPool), Identifier: aws.String("x"), Name: aws.String("n")},
			"ResourceNotFoundException", "User pool " + resUnknownPool + " does not exist."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.Client.CreateResourceServer(e.ctx(), tc.in)
			wantAPIError(t, err, tc.typ, tc.msg)
		})
	}
	// The SDK will not send a scope without a description; the server
	// refuses it too.
	status, _, body := e.raw("CreateResourceServer", `{"UserPoolId":"`+pool+`","Identifier":"new","Name":"n","Scopes":[{"ScopeName":"x"}]}`)
	if want := "1 validation error detected: Value null at 'scopes.1.member.scopeDescription' failed to satisfy constraint: Member must not be null"; status != http.StatusBadRequest || body["message"] != want {
		t.Errorf("scope without description: status %d, body %v", status, body)
	}
	list, err := e.Client.ListResourceServers(e.ctx(), &cip.ListResourceServersInput{UserPoolId: aws.String(pool), MaxResults: aws.Int32(50)})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.ResourceServers) != 1 {
		t.Errorf("%d resource servers after the refused creates, want 1", len(list.ResourceServers))
	}
}

func TestCreateResourceServerLimit(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	for _, id := range resNames("api-", 25) {
		resCreateResourceServer(t, e, pool, id)
	}
	_, err := e.Client.CreateResourceServer(e.ctx(), &cip.CreateResourceServerInput{UserPoolId: aws.String(pool), Identifier: aws.String("api-25"), Name: aws.String("n")})
	wantAPIError(t, err, "LimitExceededException", "The user pool has reached its limit of 25 resource servers.")
	if _, err := e.Client.DeleteResourceServer(e.ctx(), &cip.DeleteResourceServerInput{UserPoolId: aws.String(pool), Identifier: aws.String("api-03")}); err != nil {
		t.Fatal(err)
	}
	resCreateResourceServer(t, e, pool, "api-25")
}

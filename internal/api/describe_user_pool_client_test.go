package api_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

func TestDescribeUserPoolClient(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	c := createTestClient(t, e, pool, func(in *cip.CreateUserPoolClientInput) { in.GenerateSecret = true })
	got := poolsDescribeClient(t, e, pool, aws.ToString(c.ClientId))
	if d := poolsDiff(c, got); d != "" {
		t.Errorf("DescribeUserPoolClient (-create +describe):\n%s", d)
	}
	if got.ClientSecret == nil {
		t.Error("DescribeUserPoolClient left out the secret")
	}
}

func TestDescribeUserPoolClientNotFound(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	other := createTestPool(t, e, nil)
	c := createTestClient(t, e, other, nil)
	tests := []struct {
		name, pool, client, typ, message string
	}{
		{"no such pool", poolsUnknownPool, aws.ToString(c.ClientId), "ResourceNotFoundException", "User pool us-east-1_NoSuchPool does not exist."},
		{"no such client", pool, poolsUnknownClient, "ResourceNotFoundException", "User pool client " + poolsUnknownClient + " does not exist."},
		{"client of another pool", pool, aws.ToString(c.ClientId), "ResourceNotFoundException", "User pool client " + aws.ToString(c.ClientId) + " does not exist."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.Client.DescribeUserPoolClient(e.ctx(), &cip.DescribeUserPoolClientInput{
				UserPoolId: aws.String(tt.pool), ClientId: aws.String(tt.client),
			})
			wantAPIError(t, err, tt.typ, tt.message)
		})
	}
}

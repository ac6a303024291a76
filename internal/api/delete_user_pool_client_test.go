package api_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

func TestDeleteUserPoolClient(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	c := createTestClient(t, e, pool, nil)
	kept := createTestClient(t, e, pool, nil)
	in := &cip.DeleteUserPoolClientInput{UserPoolId: aws.String(pool), ClientId: c.ClientId}
	if _, err := e.Client.DeleteUserPoolClient(e.ctx(), in); err != nil {
		t.Fatal(err)
	}
	_, err := e.Client.DescribeUserPoolClient(e.ctx(), &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(pool), ClientId: c.ClientId})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool client "+aws.ToString(c.ClientId)+" does not exist.")
	poolsDescribeClient(t, e, pool, aws.ToString(kept.ClientId))

	_, err = e.Client.DeleteUserPoolClient(e.ctx(), in)
	wantAPIError(t, err, "ResourceNotFoundException", "User pool client "+aws.ToString(c.ClientId)+" does not exist.")
}

func TestDeleteUserPoolClientErrors(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	other := createTestPool(t, e, nil)
	foreign := createTestClient(t, e, other, nil)

	_, err := e.Client.DeleteUserPoolClient(e.ctx(), &cip.DeleteUserPoolClientInput{UserPoolId: aws.String(poolsUnknownPool), ClientId: foreign.ClientId})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool us-east-1_NoSuchPool does not exist.")

	// A client is only deleted through its own pool.
	_, err = e.Client.DeleteUserPoolClient(e.ctx(), &cip.DeleteUserPoolClientInput{UserPoolId: aws.String(pool), ClientId: foreign.ClientId})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool client "+aws.ToString(foreign.ClientId)+" does not exist.")
	poolsDescribeClient(t, e, other, aws.ToString(foreign.ClientId))
}

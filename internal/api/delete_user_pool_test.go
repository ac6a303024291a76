package api_test

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/userpool/userpool/internal/cognito"
)

func TestDeleteUserPool(t *testing.T) {
	e := newEnv(t)
	id := createTestPool(t, e, nil)
	other := createTestPool(t, e, nil)
	client := createTestClient(t, e, id, nil)
	if _, err := e.Client.AdminCreateUser(e.ctx(), &cip.AdminCreateUserInput{UserPoolId: aws.String(id), Username: aws.String("alice")}); err != nil {
		t.Fatalf("AdminCreateUser: %v", err)
	}

	if _, err := e.Client.DeleteUserPool(e.ctx(), &cip.DeleteUserPoolInput{UserPoolId: aws.String(id)}); err != nil {
		t.Fatal(err)
	}
	_, err := e.Client.DescribeUserPool(e.ctx(), &cip.DescribeUserPoolInput{UserPoolId: aws.String(id)})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool "+id+" does not exist.")
	// Its clients went with it.
	if _, err := e.Svc.Client(e.ctx(), aws.ToString(client.ClientId)); !errors.Is(err, cognito.ResourceNotFound("")) {
		t.Errorf("client of the deleted pool: err = %v, want ResourceNotFoundException", err)
	}
	// Other pools stay.
	poolsDescribe(t, e, other)

	_, err = e.Client.DeleteUserPool(e.ctx(), &cip.DeleteUserPoolInput{UserPoolId: aws.String(id)})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool "+id+" does not exist.")
}

func TestDeleteUserPoolProtected(t *testing.T) {
	e := newEnv(t)
	id := createTestPool(t, e, func(in *cip.CreateUserPoolInput) { in.DeletionProtection = types.DeletionProtectionTypeActive })
	_, err := e.Client.DeleteUserPool(e.ctx(), &cip.DeleteUserPoolInput{UserPoolId: aws.String(id)})
	wantAPIError(t, err, "InvalidParameterException",
		"The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.")
	poolsDescribe(t, e, id)

	if _, err := e.Client.UpdateUserPool(e.ctx(), &cip.UpdateUserPoolInput{
		UserPoolId: aws.String(id), DeletionProtection: types.DeletionProtectionTypeInactive,
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Client.DeleteUserPool(e.ctx(), &cip.DeleteUserPoolInput{UserPoolId: aws.String(id)}); err != nil {
		t.Fatal(err)
	}
}

func TestDeleteUserPoolWithDomain(t *testing.T) {
	e := newEnv(t)
	id := createTestPool(t, e, nil)
	if _, err := e.Client.CreateUserPoolDomain(e.ctx(), &cip.CreateUserPoolDomainInput{
		UserPoolId: aws.String(id), Domain: aws.String("pools-delete-test"),
	}); err != nil {
		t.Fatalf("CreateUserPoolDomain: %v", err)
	}
	_, err := e.Client.DeleteUserPool(e.ctx(), &cip.DeleteUserPoolInput{UserPoolId: aws.String(id)})
	wantAPIError(t, err, "InvalidParameterException", "User pool cannot be deleted. It has a domain configured that should be deleted first.")

	if _, err := e.Client.DeleteUserPoolDomain(e.ctx(), &cip.DeleteUserPoolDomainInput{
		UserPoolId: aws.String(id), Domain: aws.String("pools-delete-test"),
	}); err != nil {
		t.Fatalf("DeleteUserPoolDomain: %v", err)
	}
	if _, err := e.Client.DeleteUserPool(e.ctx(), &cip.DeleteUserPoolInput{UserPoolId: aws.String(id)}); err != nil {
		t.Fatal(err)
	}
}

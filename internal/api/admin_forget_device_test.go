package api_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

func TestAdminForgetDevice(t *testing.T) {
	e := newEnv(t)
	pool, client := devicesSetup(t, e, false, nil)
	d, r := devicesRemembered(t, e, pool, client, "alice", tokensPassword)
	forget := func(username, key string) error {
		_, err := e.Client.AdminForgetDevice(e.ctx(), &cip.AdminForgetDeviceInput{UserPoolId: aws.String(pool), Username: aws.String(username), DeviceKey: aws.String(key)})
		return err
	}
	wantAPIError(t, forget("nobody", d.Key), "UserNotFoundException", "User does not exist.")
	if err := forget("alice", d.Key); err != nil {
		t.Fatalf("AdminForgetDevice: %v", err)
	}
	_, err := devicesRefresh(e, client, "alice", aws.ToString(r.RefreshToken), d.Key)
	wantAPIError(t, err, "NotAuthorizedException", "Refresh Token has been revoked")
	wantAPIError(t, forget("alice", d.Key), "ResourceNotFoundException", "Device does not exist.")
	_, err = e.Client.AdminGetDevice(e.ctx(), &cip.AdminGetDeviceInput{UserPoolId: aws.String(pool), Username: aws.String("alice"), DeviceKey: aws.String(d.Key)})
	wantAPIError(t, err, "ResourceNotFoundException", "Device does not exist.")
	_, err = e.Client.AdminForgetDevice(e.ctx(), &cip.AdminForgetDeviceInput{UserPoolId: aws.String(poolsUnknownPool), Username: aws.String("alice"), DeviceKey: aws.String(d.Key)})
	wantAPIError(t, err, "ResourceNotFoundException", "")
}

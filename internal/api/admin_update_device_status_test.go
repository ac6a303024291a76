package api_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func TestAdminUpdateDeviceStatus(t *testing.T) {
	e := newEnv(t)
	pool, client := devicesSetup(t, e, true, nil)
	d, r := devicesRemembered(t, e, pool, client, "alice", tokensPassword)
	update := func(username, key string, status types.DeviceRememberedStatusType) error {
		_, err := e.Client.AdminUpdateDeviceStatus(e.ctx(), &cip.AdminUpdateDeviceStatusInput{
			UserPoolId: aws.String(pool), Username: aws.String(username), DeviceKey: aws.String(key), DeviceRememberedStatus: status,
		})
		return err
	}
	if err := update("alice", d.Key, types.DeviceRememberedStatusTypeRemembered); err != nil {
		t.Fatalf("AdminUpdateDeviceStatus: %v", err)
	}
	// The user now sees it.
	out, err := e.Client.ListDevices(e.ctx(), &cip.ListDevicesInput{AccessToken: r.AccessToken})
	if err != nil || len(out.Devices) != 1 || aws.ToString(out.Devices[0].DeviceKey) != d.Key {
		t.Errorf("ListDevices after AdminUpdateDeviceStatus: %v %d", err, len(out.Devices))
	}
	if err := update("alice", d.Key, types.DeviceRememberedStatusTypeNotRemembered); err != nil {
		t.Fatal(err)
	}
	got, err := e.Client.AdminGetDevice(e.ctx(), &cip.AdminGetDeviceInput{UserPoolId: aws.String(pool), Username: aws.String("alice"), DeviceKey: aws.String(d.Key)})
	if err != nil {
		t.Fatal(err)
	}
	if s := devicesAttrs(got.Device)["dev:device_remembered_status"]; s != "not_remembered" {
		t.Errorf("status %q after not_remembered", s)
	}
	wantAPIError(t, update("nobody", d.Key, types.DeviceRememberedStatusTypeRemembered), "UserNotFoundException", "User does not exist.")
	wantAPIError(t, update("alice", "us-east-1_00000000-0000-4000-8000-000000000000", types.DeviceRememberedStatusTypeRemembered),
		"ResourceNotFoundException", "Device does not exist.")
	wantAPIError(t, update("alice", d.Key, "maybe"), "InvalidParameterException", "")
}

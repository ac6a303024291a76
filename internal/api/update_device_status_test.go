package api_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func TestUpdateDeviceStatus(t *testing.T) {
	e := newEnv(t)
	pool, client := devicesSetup(t, e, true, nil)
	d, r := devicesRemembered(t, e, pool, client, "alice", tokensPassword)
	update := func(key string, status types.DeviceRememberedStatusType) error {
		_, err := e.Client.UpdateDeviceStatus(e.ctx(), &cip.UpdateDeviceStatusInput{AccessToken: r.AccessToken, DeviceKey: aws.String(key), DeviceRememberedStatus: status})
		return err
	}
	get := func() error {
		_, err := e.Client.GetDevice(e.ctx(), &cip.GetDeviceInput{AccessToken: r.AccessToken, DeviceKey: aws.String(d.Key)})
		return err
	}
	wantAPIError(t, get(), "ResourceNotFoundException", "Device does not exist.")
	e.Clock.Advance(time.Minute)
	if err := update(d.Key, types.DeviceRememberedStatusTypeRemembered); err != nil {
		t.Fatalf("UpdateDeviceStatus remembered: %v", err)
	}
	got, err := e.Client.GetDevice(e.ctx(), &cip.GetDeviceInput{AccessToken: r.AccessToken, DeviceKey: aws.String(d.Key)})
	if err != nil {
		t.Fatalf("GetDevice once remembered: %v", err)
	}
	if m := aws.ToTime(got.Device.DeviceLastModifiedDate); !m.Equal(e.Clock.Now()) {
		t.Errorf("DeviceLastModifiedDate = %v, want %v", m, e.Clock.Now())
	}
	if c := aws.ToTime(got.Device.DeviceCreateDate); !c.Equal(e.Clock.Now().Add(-time.Minute)) {
		t.Errorf("DeviceCreateDate = %v changed", c)
	}
	// An empty status changes nothing.
	if err := update(d.Key, ""); err != nil {
		t.Fatalf("UpdateDeviceStatus without a status: %v", err)
	}
	if err := get(); err != nil {
		t.Errorf("GetDevice after an empty update: %v", err)
	}
	if err := update(d.Key, types.DeviceRememberedStatusTypeNotRemembered); err != nil {
		t.Fatalf("UpdateDeviceStatus not_remembered: %v", err)
	}
	wantAPIError(t, get(), "ResourceNotFoundException", "Device does not exist.")

	wantAPIError(t, update("us-east-1_00000000-0000-4000-8000-000000000000", types.DeviceRememberedStatusTypeRemembered),
		"ResourceNotFoundException", "Device does not exist.")
	wantAPIError(t, update(d.Key, "forgotten"), "InvalidParameterException", "")
}

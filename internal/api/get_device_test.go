package api_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestGetDevice(t *testing.T) {
	e := newEnv(t)
	pool, client := devicesSetup(t, e, false, nil)
	d, r := devicesRemembered(t, e, pool, client, "alice", tokensPassword)
	out, err := e.Client.GetDevice(e.ctx(), &cip.GetDeviceInput{AccessToken: r.AccessToken, DeviceKey: aws.String(d.Key)})
	if err != nil {
		t.Fatalf("GetDevice: %v", err)
	}
	now := e.Clock.Now()
	want := &types.DeviceType{
		DeviceKey: aws.String(d.Key),
		DeviceAttributes: usersAttrs(
			"device_status", "valid",
			"device_name", "Test device",
			"dev:device_arn", "arn:aws:cognito-idp:us-east-1:000000000000:owner/alice."+pool+"/device/"+d.Key,
			"dev:device_owner", "alice."+pool,
			"dev:device_remembered_status", "remembered",
		),
		DeviceCreateDate:            aws.Time(now),
		DeviceLastModifiedDate:      aws.Time(now),
		DeviceLastAuthenticatedDate: aws.Time(now),
	}
	if diff := cmp.Diff(want, out.Device, cmpopts.IgnoreUnexported(types.DeviceType{}, types.AttributeType{})); diff != "" {
		t.Errorf("GetDevice (-want +got):\n%s", diff)
	}
}

func TestGetDeviceErrors(t *testing.T) {
	e := newEnv(t)
	pool, client := devicesSetup(t, e, true, nil)
	tokensUser(t, e, pool, "bob")
	d, r := devicesRemembered(t, e, pool, client, "alice", tokensPassword)
	bobs, bobTokens := devicesRemembered(t, e, pool, client, "bob", tokensPassword)
	if _, err := e.Client.UpdateDeviceStatus(e.ctx(), &cip.UpdateDeviceStatusInput{
		AccessToken: bobTokens.AccessToken, DeviceKey: aws.String(bobs.Key), DeviceRememberedStatus: types.DeviceRememberedStatusTypeRemembered,
	}); err != nil {
		t.Fatal(err)
	}
	get := func(access *string, key string) error {
		_, err := e.Client.GetDevice(e.ctx(), &cip.GetDeviceInput{AccessToken: access, DeviceKey: aws.String(key)})
		return err
	}
	for _, tc := range []struct {
		name     string
		err      error
		typ, msg string
	}{
		// Tracked but not remembered: the user does not see it.
		{"not remembered", get(r.AccessToken, d.Key), "ResourceNotFoundException", "Device does not exist."},
		{"another user's device", get(r.AccessToken, bobs.Key), "ResourceNotFoundException", "Device does not exist."},
		{"unknown", get(r.AccessToken, "us-east-1_00000000-0000-4000-8000-000000000000"), "ResourceNotFoundException", "Device does not exist."},
		{"bad access token", get(aws.String("x.y.z"), d.Key), "NotAuthorizedException", ""},
	} {
		t.Run(tc.name, func(t *testing.T) { wantAPIError(t, tc.err, tc.typ, tc.msg) })
	}
	if err := get(bobTokens.AccessToken, bobs.Key); err != nil {
		t.Errorf("GetDevice of a remembered device: %v", err)
	}
	// The model requires the key.
	status, _, body := e.rawUnsigned("GetDevice", `{"AccessToken":"`+aws.ToString(r.AccessToken)+`"}`)
	if status != 400 || body["__type"] != "InvalidParameterException" {
		t.Errorf("GetDevice without DeviceKey: %d %v", status, body)
	}
}

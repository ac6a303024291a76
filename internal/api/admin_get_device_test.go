package api_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

func TestAdminGetDevice(t *testing.T) {
	e := newEnv(t)
	pool, client := devicesSetup(t, e, true, nil)
	tokensUser(t, e, pool, "bob")
	d, _ := devicesRemembered(t, e, pool, client, "alice", tokensPassword)
	bobs, _ := devicesRemembered(t, e, pool, client, "bob", tokensPassword)
	get := func(poolID, username, key string) (*cip.AdminGetDeviceOutput, error) {
		return e.Client.AdminGetDevice(e.ctx(), &cip.AdminGetDeviceInput{
			UserPoolId: aws.String(poolID), Username: aws.String(username), DeviceKey: aws.String(key),
		})
	}
	// Not remembered, yet the administrator sees it; by sub too.
	for _, name := range []string{"alice", usersSub(t, e, pool, "alice")} {
		out, err := get(pool, name, d.Key)
		if err != nil {
			t.Fatalf("AdminGetDevice(%s): %v", name, err)
		}
		if aws.ToString(out.Device.DeviceKey) != d.Key || devicesAttrs(out.Device)["dev:device_remembered_status"] != "not_remembered" {
			t.Errorf("AdminGetDevice(%s) = %s %v", name, aws.ToString(out.Device.DeviceKey), devicesAttrs(out.Device))
		}
	}
	for _, tc := range []struct {
		name, pool, user, key, typ, msg string
	}{
		{"another user's device", pool, "alice", bobs.Key, "ResourceNotFoundException", "Device does not exist."},
		{"unknown device", pool, "alice", "us-east-1_00000000-0000-4000-8000-000000000000", "ResourceNotFoundException", "Device does not exist."},
		{"unknown user", pool, "nobody", d.Key, "UserNotFoundException", "User does not exist."},
		{"unknown pool", poolsUnknownPool, "alice", d.Key, "ResourceNotFoundException", ""},
		{"malformed key", pool, "alice", "no-underscore", "InvalidParameterException", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := get(tc.pool, tc.user, tc.key)
			wantAPIError(t, err, tc.typ, tc.msg)
		})
	}
	// Admin actions need a signature.
	status, _, body := e.rawUnsigned("AdminGetDevice", `{"UserPoolId":"`+pool+`","Username":"alice","DeviceKey":"`+d.Key+`"}`)
	if status == 200 {
		t.Errorf("unsigned AdminGetDevice answered 200: %v", body)
	}
}

package api_test

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/google/go-cmp/cmp"
)

func TestAdminListDevices(t *testing.T) {
	e := newEnv(t)
	pool, client := devicesSetup(t, e, true, nil)
	tokensUser(t, e, pool, "bob")
	var want []string
	for range 3 {
		d, _ := devicesRemembered(t, e, pool, client, "alice", tokensPassword)
		want = append(want, d.Key)
	}
	devicesRemembered(t, e, pool, client, "bob", tokensPassword)
	slices.Sort(want)

	// Every device, remembered or not, two at a time.
	var got []string
	var token *string
	for page := 0; ; page++ {
		out, err := e.Client.AdminListDevices(e.ctx(), &cip.AdminListDevicesInput{
			UserPoolId: aws.String(pool), Username: aws.String("alice"), Limit: aws.Int32(2), PaginationToken: token,
		})
		if err != nil {
			t.Fatalf("page %d: %v", page, err)
		}
		for _, d := range out.Devices {
			got = append(got, aws.ToString(d.DeviceKey))
		}
		if out.PaginationToken == nil {
			break
		}
		if page > 3 {
			t.Fatal("listing does not end")
		}
		token = out.PaginationToken
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("AdminListDevices (-want +got):\n%s", diff)
	}

	// A user's token is no good for another user's listing.
	first, err := e.Client.AdminListDevices(e.ctx(), &cip.AdminListDevicesInput{UserPoolId: aws.String(pool), Username: aws.String("alice"), Limit: aws.Int32(1)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.Client.AdminListDevices(e.ctx(), &cip.AdminListDevicesInput{UserPoolId: aws.String(pool), Username: aws.String("bob"), PaginationToken: first.PaginationToken})
	wantAPIError(t, err, "InvalidParameterException", "The PaginationToken is not valid.")

	tokensUser(t, e, pool, "carol")
	out, err := e.Client.AdminListDevices(e.ctx(), &cip.AdminListDevicesInput{UserPoolId: aws.String(pool), Username: aws.String("carol")})
	if err != nil || len(out.Devices) != 0 {
		t.Errorf("AdminListDevices of a user without devices: %v, %d", err, len(out.Devices))
	}
	// The empty list is on the wire as [], not missing.
	status, _, body := e.raw("AdminListDevices", `{"UserPoolId":"`+pool+`","Username":"carol"}`)
	if list, ok := body["Devices"].([]any); status != 200 || !ok || len(list) != 0 {
		t.Errorf("raw AdminListDevices = %d %v", status, body)
	}
	_, err = e.Client.AdminListDevices(e.ctx(), &cip.AdminListDevicesInput{UserPoolId: aws.String(pool), Username: aws.String("nobody")})
	wantAPIError(t, err, "UserNotFoundException", "User does not exist.")
	_, err = e.Client.AdminListDevices(e.ctx(), &cip.AdminListDevicesInput{UserPoolId: aws.String(poolsUnknownPool), Username: aws.String("alice")})
	wantAPIError(t, err, "ResourceNotFoundException", "")
}

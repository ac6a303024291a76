package api_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"
)

func TestListDevices(t *testing.T) {
	e := newEnv(t)
	pool, client := devicesSetup(t, e, true, nil)
	var keys []string
	var access *string
	for range 3 {
		d, r := devicesRemembered(t, e, pool, client, "alice", tokensPassword)
		keys = append(keys, d.Key)
		access = r.AccessToken
	}
	list := func(limit int32, token *string) (*cip.ListDevicesOutput, error) {
		in := &cip.ListDevicesInput{AccessToken: access, PaginationToken: token}
		if limit > 0 {
			in.Limit = aws.Int32(limit)
		}
		return e.Client.ListDevices(e.ctx(), in)
	}
	// None is remembered yet (the pool waits for the user's word): the
	// user's list is empty, and says so with [].
	out, err := list(0, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Devices) != 0 || out.PaginationToken != nil {
		t.Errorf("ListDevices before remembering = %d devices, token %v", len(out.Devices), out.PaginationToken)
	}
	for _, k := range keys[:2] {
		if _, err := e.Client.UpdateDeviceStatus(e.ctx(), &cip.UpdateDeviceStatusInput{
			AccessToken: access, DeviceKey: aws.String(k), DeviceRememberedStatus: types.DeviceRememberedStatusTypeRemembered,
		}); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	var token *string
	for page := 0; ; page++ {
		out, err := list(1, token)
		if err != nil {
			t.Fatalf("page %d: %v", page, err)
		}
		if len(out.Devices) > 1 {
			t.Fatalf("page %d has %d devices, limit 1", page, len(out.Devices))
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
	want := []string{keys[0], keys[1]}
	if want[0] > want[1] {
		want[0], want[1] = want[1], want[0]
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("remembered devices (-want +got):\n%s", diff)
	}
	_, err = list(0, aws.String("bm90IGEgdG9rZW4"))
	wantAPIError(t, err, "InvalidParameterException", "The PaginationToken is not valid.")
	_, err = list(0, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Limit is at most 60 in the model.
	_, err = list(61, nil)
	wantAPIError(t, err, "InvalidParameterException", "")
}

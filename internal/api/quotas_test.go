package api_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/userpool/userpool/internal/limits"
	"github.com/userpool/userpool/internal/testserver"
)

// With a quota on a category, calls beyond it answer
// TooManyRequestsException "Rate exceeded" (which the SDKs retry with
// backoff) before anything else is looked at, and other categories go on.
func TestQuotaTooManyRequests(t *testing.T) {
	frozen := time.Unix(1_800_000_000, 0) // no refill during the test
	q, err := limits.ParseQuotas("UserPoolRead=2", func() time.Time { return frozen })
	if err != nil {
		t.Fatal(err)
	}
	e := newEnvFrom(t, testserver.New(t, testserver.WithQuotas(q)))
	pool := createTestPool(t, e, nil) // UserPoolUpdate: no quota
	for range 2 {
		if _, err := e.Client.DescribeUserPool(e.ctx(), &cip.DescribeUserPoolInput{UserPoolId: aws.String(pool)}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = e.Client.ListUserPools(e.ctx(), &cip.ListUserPoolsInput{MaxResults: aws.Int32(1)})
	wantAPIError(t, err, "TooManyRequestsException", "Rate exceeded")
	// Refused before the body is read or the signature checked.
	status, _, out := e.rawUnsigned("DescribeUserPool", `not json`)
	if status != 400 || out["__type"] != "TooManyRequestsException" {
		t.Errorf("unsigned, malformed call over the quota: %d %v", status, out)
	}
	if _, err := e.Client.ListUserPoolClients(e.ctx(), &cip.ListUserPoolClientsInput{UserPoolId: aws.String(pool)}); err != nil {
		t.Errorf("another category: %v", err)
	}
}

package api_test

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func TestListUserPoolsPages(t *testing.T) {
	e := newEnv(t)
	var want []string
	for range 5 {
		want = append(want, createTestPool(t, e, func(in *cip.CreateUserPoolInput) {
			in.LambdaConfig = &types.LambdaConfigType{PreSignUp: aws.String("arn:aws:lambda:us-east-1:000000000000:function:f")}
		}))
	}
	slices.Sort(want)

	var got []string
	var token *string
	pages := 0
	for {
		out, err := e.Client.ListUserPools(e.ctx(), &cip.ListUserPoolsInput{MaxResults: aws.Int32(2), NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if len(out.UserPools) > 2 {
			t.Fatalf("page of %d pools, want at most 2", len(out.UserPools))
		}
		for _, p := range out.UserPools {
			got = append(got, aws.ToString(p.Id))
			wantDesc := types.UserPoolDescriptionType{
				Id: p.Id, Name: aws.String("test-pool"), Status: types.StatusTypeEnabled,
				LambdaConfig:     &types.LambdaConfigType{PreSignUp: aws.String("arn:aws:lambda:us-east-1:000000000000:function:f")},
				CreationDate:     aws.Time(e.Clock.Now()),
				LastModifiedDate: aws.Time(e.Clock.Now()),
			}
			if d := poolsDiff(wantDesc, p); d != "" {
				t.Errorf("pool description (-want +got):\n%s", d)
			}
		}
		if out.NextToken == nil {
			break
		}
		token = out.NextToken
	}
	if d := poolsDiff(want, got); d != "" {
		t.Errorf("listed pools (-want +got):\n%s", d)
	}
	if pages != 3 {
		t.Errorf("%d pages, want 3", pages)
	}

	// The paginator the SDK ships follows the same tokens.
	p := cip.NewListUserPoolsPaginator(e.Client, &cip.ListUserPoolsInput{MaxResults: aws.Int32(3)})
	n := 0
	for p.HasMorePages() {
		out, err := p.NextPage(e.ctx())
		if err != nil {
			t.Fatal(err)
		}
		n += len(out.UserPools)
	}
	if n != 5 {
		t.Errorf("paginator listed %d pools, want 5", n)
	}
}

func TestListUserPoolsEmpty(t *testing.T) {
	e := newEnv(t)
	out, err := e.Client.ListUserPools(e.ctx(), &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.UserPools) != 0 || out.NextToken != nil {
		t.Errorf("ListUserPools = %d pools, token %v; want none", len(out.UserPools), out.NextToken)
	}
}

func TestListUserPoolsErrors(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	for range 2 {
		createTestClient(t, e, pool, nil)
	}
	clients, err := e.Client.ListUserPoolClients(e.ctx(), &cip.ListUserPoolClientsInput{UserPoolId: aws.String(pool), MaxResults: aws.Int32(1)})
	if err != nil {
		t.Fatal(err)
	}
	if clients.NextToken == nil {
		t.Fatal("ListUserPoolClients gave no NextToken")
	}

	tests := []struct {
		name    string
		in      *cip.ListUserPoolsInput
		message string
	}{
		{"MaxResults too large", &cip.ListUserPoolsInput{MaxResults: aws.Int32(61)},
			"1 validation error detected: Value '61' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60"},
		{"MaxResults zero", &cip.ListUserPoolsInput{MaxResults: aws.Int32(0)},
			"1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"token that does not decode", &cip.ListUserPoolsInput{MaxResults: aws.Int32(5), NextToken: aws.String("not*a*token")},
			"The NextToken is not valid."},
		{"token of another listing", &cip.ListUserPoolsInput{MaxResults: aws.Int32(5), NextToken: clients.NextToken},
			"The NextToken is not valid."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.Client.ListUserPools(e.ctx(), tt.in)
			wantAPIError(t, err, "InvalidParameterException", tt.message)
		})
	}

	// The SDK refuses to send a request without the required MaxResults.
	status, _, body := e.raw("ListUserPools", `{}`)
	poolsWantRawError(t, status, body, "InvalidParameterException",
		"1 validation error detected: Value null at 'maxResults' failed to satisfy constraint: Member must not be null")
}

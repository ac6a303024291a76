package api_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func TestListUserPoolClientsPages(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	other := createTestPool(t, e, nil)
	createTestClient(t, e, other, nil)
	var want []types.UserPoolClientDescription
	for i := range 5 {
		name := fmt.Sprintf("client-%d", i)
		c := createTestClient(t, e, pool, func(in *cip.CreateUserPoolClientInput) {
			in.ClientName = aws.String(name)
			in.GenerateSecret = i%2 == 0
		})
		want = append(want, types.UserPoolClientDescription{ClientId: c.ClientId, ClientName: aws.String(name), UserPoolId: aws.String(pool)})
	}
	slices.SortFunc(want, func(a, b types.UserPoolClientDescription) int {
		return strings.Compare(aws.ToString(a.ClientId), aws.ToString(b.ClientId))
	})

	var got []types.UserPoolClientDescription
	p := cip.NewListUserPoolClientsPaginator(e.Client, &cip.ListUserPoolClientsInput{UserPoolId: aws.String(pool), MaxResults: aws.Int32(2)})
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(e.ctx())
		if err != nil {
			t.Fatal(err)
		}
		pages++
		got = append(got, out.UserPoolClients...)
	}
	if d := poolsDiff(want, got); d != "" {
		t.Errorf("listed clients (-want +got):\n%s", d)
	}
	if pages != 3 {
		t.Errorf("%d pages, want 3", pages)
	}

	// Without MaxResults a page holds up to 60.
	out, err := e.Client.ListUserPoolClients(e.ctx(), &cip.ListUserPoolClientsInput{UserPoolId: aws.String(pool)})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.UserPoolClients) != 5 || out.NextToken != nil {
		t.Errorf("one page = %d clients, token %v; want 5, none", len(out.UserPoolClients), out.NextToken)
	}
}

func TestListUserPoolClientsErrors(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	other := createTestPool(t, e, nil)
	for range 2 {
		createTestClient(t, e, other, nil)
	}
	page, err := e.Client.ListUserPoolClients(e.ctx(), &cip.ListUserPoolClientsInput{UserPoolId: aws.String(other), MaxResults: aws.Int32(1)})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		in      *cip.ListUserPoolClientsInput
		typ     string
		message string
	}{
		{"no such pool", &cip.ListUserPoolClientsInput{UserPoolId: aws.String(poolsUnknownPool)},
			"ResourceNotFoundException", "User pool us-east-1_NoSuchPool does not exist."},
		{"token that does not decode", &cip.ListUserPoolClientsInput{UserPoolId: aws.String(pool), NextToken: aws.String("@@@")},
			"InvalidParameterException", "The NextToken is not valid."},
		{"token of another pool", &cip.ListUserPoolClientsInput{UserPoolId: aws.String(pool), NextToken: page.NextToken},
			"InvalidParameterException", "The NextToken is not valid."},
		{"MaxResults too large", &cip.ListUserPoolClientsInput{UserPoolId: aws.String(pool), MaxResults: aws.Int32(61)},
			"InvalidParameterException", "1 validation error detected: Value '61' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.Client.ListUserPoolClients(e.ctx(), tt.in)
			wantAPIError(t, err, tt.typ, tt.message)
		})
	}
}

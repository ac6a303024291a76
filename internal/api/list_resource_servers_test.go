package api_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/google/go-cmp/cmp"
)

func TestListResourceServersPages(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	want := resNames("rs-", 5)
	// Created out of order: the listing is by identifier.
	for _, i := range []int{3, 0, 4, 1, 2} {
		resCreateResourceServer(t, e, pool, want[i], "read")
	}
	// Another pool's servers never show up.
	resCreateResourceServer(t, e, createTestPool(t, e, nil), "rs-99")

	var got []string
	pages := 0
	p := cip.NewListResourceServersPaginator(e.Client, &cip.ListResourceServersInput{UserPoolId: aws.String(pool), MaxResults: aws.Int32(2)})
	for p.HasMorePages() {
		page, err := p.NextPage(e.ctx())
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if len(page.ResourceServers) > 2 {
			t.Fatalf("page of %d, want at most 2", len(page.ResourceServers))
		}
		for _, rs := range page.ResourceServers {
			got = append(got, aws.ToString(rs.Identifier))
			if aws.ToString(rs.UserPoolId) != pool || len(rs.Scopes) != 1 {
				t.Errorf("listed %+v", rs)
			}
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("identifiers (-want +got):\n%s", diff)
	}
	if pages != 3 {
		t.Errorf("%d pages, want 3", pages)
	}

	// Without MaxResults, one page holds all five.
	out, err := e.Client.ListResourceServers(e.ctx(), &cip.ListResourceServersInput{UserPoolId: aws.String(pool)})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.ResourceServers) != 5 || out.NextToken != nil {
		t.Errorf("without MaxResults: %d servers, NextToken %v", len(out.ResourceServers), out.NextToken)
	}
}

func TestListResourceServersEmpty(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	out, err := e.Client.ListResourceServers(e.ctx(), &cip.ListResourceServersInput{UserPoolId: aws.String(pool), MaxResults: aws.Int32(10)})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.ResourceServers) != 0 || out.NextToken != nil {
		t.Errorf("empty pool: %+v", out)
	}
}

func TestListResourceServersErrors(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	for _, id := range resNames("rs-", 3) {
		resCreateResourceServer(t, e, pool, id)
	}
	first, err := e.Client.ListResourceServers(e.ctx(), &cip.ListResourceServersInput{UserPoolId: aws.String(pool), MaxResults: aws.Int32(1)})
	if err != nil {
		t.Fatal(err)
	}
	token := aws.ToString(first.NextToken)
	if token == "" || slices.Contains(resNames("rs-", 3), token) {
		t.Fatalf("NextToken = %q, want an opaque token", token)
	}
	other := createTestPool(t, e, nil)
	for _, tc := range []struct {
		name     string
		in       *cip.ListResourceServersInput
		typ, msg string
	}{
		{"garbage token", &cip.ListResourceServersInput{UserPoolId: aws.String(pool), NextToken: aws.String("not-a-token!")}, "InvalidParameterException", "The NextToken is not valid."},
		{"token of another pool", &cip.ListResourceServersInput{UserPoolId: aws.String(other), NextToken: aws.String(token)}, "InvalidParameterException", "The NextToken is not valid."},
		{"MaxResults 0", &cip.ListResourceServersInput{UserPoolId: aws.String(pool), MaxResults: aws.Int32(0)}, "InvalidParameterException",
			"1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"MaxResults 51", &cip.ListResourceServersInput{UserPoolId: aws.String(pool), MaxResults: aws.Int32(51)}, "InvalidParameterException",
			"1 validation error detected: Value '51' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50"},
		{"unknown pool", &cip.ListResourceServersInput{UserPoolId: aws.String(resUnknownPool)}, "ResourceNotFoundException", "User pool " + resUnknownPool + " does not exist."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.Client.ListResourceServers(e.ctx(), tc.in)
			wantAPIError(t, err, tc.typ, tc.msg)
		})
	}
	// A group listing's token is not a resource server listing's.
	resCreateGroup(t, e, pool, "g1")
	resCreateGroup(t, e, pool, "g2")
	groups, err := e.Client.ListGroups(e.ctx(), &cip.ListGroupsInput{UserPoolId: aws.String(pool), Limit: aws.Int32(1)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.Client.ListResourceServers(e.ctx(), &cip.ListResourceServersInput{UserPoolId: aws.String(pool), NextToken: groups.NextToken})
	wantAPIError(t, err, "InvalidParameterException", "The NextToken is not valid.")

	status, _, body := e.raw("ListResourceServers", `{"UserPoolId":"`+pool+`","MaxResults":"two"}`)
	if status != http.StatusBadRequest || body["__type"] != "SerializationException" {
		t.Errorf("MaxResults as a string: status %d, body %v", status, body)
	}
}

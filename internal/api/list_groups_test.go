package api_test

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/google/go-cmp/cmp"
)

func TestListGroupsPages(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	want := resNames("group-", 7)
	for _, i := range []int{6, 2, 0, 5, 1, 4, 3} {
		resCreateGroup(t, e, pool, want[i])
	}
	resCreateGroup(t, e, createTestPool(t, e, nil), "group-99")

	var got []string
	pages := 0
	p := cip.NewListGroupsPaginator(e.Client, &cip.ListGroupsInput{UserPoolId: aws.String(pool), Limit: aws.Int32(3)})
	for p.HasMorePages() {
		page, err := p.NextPage(e.ctx())
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, g := range page.Groups {
			got = append(got, aws.ToString(g.GroupName))
			if aws.ToString(g.UserPoolId) != pool || g.CreationDate == nil || g.LastModifiedDate == nil {
				t.Errorf("listed %+v", g)
			}
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("names (-want +got):\n%s", diff)
	}
	if pages != 3 {
		t.Errorf("%d pages, want 3", pages)
	}

	// No Limit, and Limit 0, both give the largest page.
	for _, limit := range []*int32{nil, aws.Int32(0)} {
		out, err := e.Client.ListGroups(e.ctx(), &cip.ListGroupsInput{UserPoolId: aws.String(pool), Limit: limit})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Groups) != 7 || out.NextToken != nil {
			t.Errorf("Limit %v: %d groups, NextToken %v", limit, len(out.Groups), out.NextToken)
		}
	}
}

func TestListGroupsEmpty(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	out, err := e.Client.ListGroups(e.ctx(), &cip.ListGroupsInput{UserPoolId: aws.String(pool)})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Groups) != 0 || out.NextToken != nil {
		t.Errorf("empty pool: %+v", out)
	}
}

func TestListGroupsErrors(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	names := resNames("g", 3)
	for _, n := range names {
		resCreateGroup(t, e, pool, n)
	}
	first, err := e.Client.ListGroups(e.ctx(), &cip.ListGroupsInput{UserPoolId: aws.String(pool), Limit: aws.Int32(1)})
	if err != nil {
		t.Fatal(err)
	}
	token := aws.ToString(first.NextToken)
	if token == "" || slices.Contains(names, token) {
		t.Fatalf("NextToken = %q, want an opaque token", token)
	}
	other := createTestPool(t, e, nil)
	for _, tc := range []struct {
		name     string
		in       *cip.ListGroupsInput
		typ, msg string
	}{
		{"garbage token", &cip.ListGroupsInput{UserPoolId: aws.String(pool), NextToken: aws.String("g00")}, "InvalidParameterException", "The NextToken is not valid."},
		{"token of another pool", &cip.ListGroupsInput{UserPoolId: aws.String(other), NextToken: aws.String(token)}, "InvalidParameterException", "The NextToken is not valid."},
		{"Limit 61", &cip.ListGroupsInput{UserPoolId: aws.String(pool), Limit: aws.Int32(61)}, "InvalidParameterException",
			"1 validation error detected: Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60"},
		{"negative Limit", &cip.ListGroupsInput{UserPoolId: aws.String(pool), Limit: aws.Int32(-1)}, "InvalidParameterException", ""},
		{"unknown pool", &cip.ListGroupsInput{UserPoolId: aws.String(resUnknownPool)}, "ResourceNotFoundException", "User pool " + resUnknownPool + " does not exist."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.Client.ListGroups(e.ctx(), tc.in)
			wantAPIError(t, err, tc.typ, tc.msg)
		})
	}
	// The token resumes after the first group, even if groups are added before it.
	resCreateGroup(t, e, pool, "a-first")
	next, err := e.Client.ListGroups(e.ctx(), &cip.ListGroupsInput{UserPoolId: aws.String(pool), NextToken: first.NextToken})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, g := range next.Groups {
		got = append(got, aws.ToString(g.GroupName))
	}
	if diff := cmp.Diff(names[1:], got); diff != "" {
		t.Errorf("second page (-want +got):\n%s", diff)
	}
}

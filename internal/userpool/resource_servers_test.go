package userpool

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/userpool/userpool/internal/cognito"
)

func TestResourceServerQuota(t *testing.T) {
	s, st, _ := resTestService(t)
	ctx := t.Context()
	pool := resTestPool(t, s, st, "us-east-1_Rs1")
	for i := range maxResourceServers {
		_, err := s.CreateResourceServer(ctx, &cognito.CreateResourceServerInput{UserPoolID: pool, Identifier: fmt.Sprintf("api-%02d", i), Name: "api"})
		resNoErr(t, err)
	}
	_, err := s.CreateResourceServer(ctx, &cognito.CreateResourceServerInput{UserPoolID: pool, Identifier: "one-too-many", Name: "api"})
	resWantErr(t, err, cognito.TypeLimitExceeded, "The user pool has reached its limit of 25 resource servers.")
	// A duplicate is reported as such even at the quota.
	_, err = s.CreateResourceServer(ctx, &cognito.CreateResourceServerInput{UserPoolID: pool, Identifier: "api-00", Name: "api"})
	resWantErr(t, err, cognito.TypeInvalidParameter, "A resource server with the identifier api-00 already exists in this user pool.")

	// The quota is per pool, and freed by a delete.
	other := resTestPool(t, s, st, "us-east-1_Rs2")
	_, err = s.CreateResourceServer(ctx, &cognito.CreateResourceServerInput{UserPoolID: other, Identifier: "api-00", Name: "api"})
	resNoErr(t, err)
	resNoErr(t, s.DeleteResourceServer(ctx, &cognito.DeleteResourceServerInput{UserPoolID: pool, Identifier: "api-07"}))
	_, err = s.CreateResourceServer(ctx, &cognito.CreateResourceServerInput{UserPoolID: pool, Identifier: "one-too-many", Name: "api"})
	resNoErr(t, err)
}

func TestCheckScopes(t *testing.T) {
	many := make([]cognito.ResourceServerScopeType, maxResourceScopes+1)
	for i := range many {
		many[i] = cognito.ResourceServerScopeType{ScopeName: fmt.Sprintf("s%d", i), ScopeDescription: "d"}
	}
	_, err := checkScopes(many)
	resWantErr(t, err, cognito.TypeInvalidParameter, "A resource server can have at most 100 scopes.")
	got, err := checkScopes(many[:maxResourceScopes])
	resNoErr(t, err)
	if len(got) != maxResourceScopes || got[99].Name != "s99" || got[99].Description != "d" {
		t.Errorf("checkScopes kept %d scopes, last %+v", len(got), got[len(got)-1])
	}
	_, err = checkScopes([]cognito.ResourceServerScopeType{{ScopeName: "read", ScopeDescription: "a"}, {ScopeName: "write", ScopeDescription: "b"}, {ScopeName: "read", ScopeDescription: "c"}})
	resWantErr(t, err, cognito.TypeInvalidParameter, "The scope name read is listed more than once.")
}

func TestCustomScopes(t *testing.T) {
	s, st, _ := resTestService(t)
	ctx := t.Context()
	pool := resTestPool(t, s, st, "us-east-1_Rs3")
	got, err := s.CustomScopes(ctx, pool)
	resNoErr(t, err)
	if len(got) != 0 {
		t.Errorf("CustomScopes of an empty pool = %v", got)
	}
	for _, id := range []string{"https://b.example", "a"} {
		_, err := s.CreateResourceServer(ctx, &cognito.CreateResourceServerInput{UserPoolID: pool, Identifier: id, Name: "n",
			Scopes: []cognito.ResourceServerScopeType{{ScopeName: "read", ScopeDescription: "r"}, {ScopeName: "write", ScopeDescription: "w"}}})
		resNoErr(t, err)
	}
	got, err = s.CustomScopes(ctx, pool)
	resNoErr(t, err)
	want := []string{"a/read", "a/write", "https://b.example/read", "https://b.example/write"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CustomScopes (-want +got):\n%s", diff)
	}
	_, err = s.CustomScopes(ctx, "us-east-1_Nope")
	resWantErr(t, err, cognito.TypeResourceNotFound, "User pool us-east-1_Nope does not exist.")
}

func TestResourceServerNextTokenIsBoundToPool(t *testing.T) {
	s, st, _ := resTestService(t)
	ctx := t.Context()
	a := resTestPool(t, s, st, "us-east-1_RsA")
	b := resTestPool(t, s, st, "us-east-1_RsB")
	for _, pool := range []string{a, b} {
		for _, id := range []string{"x", "y"} {
			_, err := s.CreateResourceServer(ctx, &cognito.CreateResourceServerInput{UserPoolID: pool, Identifier: id, Name: "n"})
			resNoErr(t, err)
		}
	}
	page, err := s.ListResourceServers(ctx, &cognito.ListResourceServersInput{UserPoolID: a, MaxResults: resPtr[int64](1)})
	resNoErr(t, err)
	// The token is opaque, not the store's resume key.
	if page.NextToken == "" || page.NextToken == "x" {
		t.Fatalf("NextToken = %q", page.NextToken)
	}
	_, err = s.ListResourceServers(ctx, &cognito.ListResourceServersInput{UserPoolID: b, NextToken: page.NextToken})
	resWantErr(t, err, cognito.TypeInvalidParameter, "")
	// Nor does a group listing accept it.
	_, err = s.ListGroups(ctx, &cognito.ListGroupsInput{UserPoolID: a, NextToken: page.NextToken})
	resWantErr(t, err, cognito.TypeInvalidParameter, "")
}

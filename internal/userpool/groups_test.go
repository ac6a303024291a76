package userpool

import (
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

func TestGroupType(t *testing.T) {
	created := time.Date(2026, 1, 2, 3, 4, 5, 6e6, time.UTC)
	g := store.Group{PoolID: "us-east-1_G", Name: "admins", Description: "d", RoleARN: "arn:aws:iam::123456789012:role/r",
		Precedence: resPtr[int64](3), CreatedAt: created, UpdatedAt: created.Add(time.Hour)}
	got := groupType(g)
	want := &cognito.GroupType{UserPoolID: "us-east-1_G", GroupName: "admins", Description: "d", RoleARn: "arn:aws:iam::123456789012:role/r",
		Precedence: resPtr[int64](3), CreationDate: cognito.Epoch(created), LastModifiedDate: cognito.Epoch(created.Add(time.Hour))}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("groupType (-want +got):\n%s", diff)
	}
	// The output does not alias the record.
	*got.Precedence = 9
	if *g.Precedence != 3 {
		t.Error("groupType shares Precedence with the record")
	}
	if got := groupTypes(nil); got == nil || len(got) != 0 {
		t.Errorf("groupTypes(nil) = %#v, want an empty slice", got)
	}
}

func TestGroupService(t *testing.T) {
	s, st, clk := resTestService(t)
	ctx := t.Context()
	pool := resTestPool(t, s, st, "us-east-1_Grp1")

	_, err := s.CreateGroup(ctx, &cognito.CreateGroupInput{UserPoolID: pool, GroupName: "g", Precedence: resPtr[int64](math.MaxInt32 + 1)})
	resWantErr(t, err, cognito.TypeInvalidParameter,
		"1 validation error detected: Value '2147483648' at 'precedence' failed to satisfy constraint: Member must have value less than or equal to 2147483647")
	_, err = s.CreateGroup(ctx, &cognito.CreateGroupInput{UserPoolID: pool, GroupName: "g", Precedence: resPtr[int64](math.MaxInt32),
		Description: "first", RoleARn: "arn:aws:iam::123456789012:role/first"})
	resNoErr(t, err)

	// Only the members given change.
	clk.advance(time.Minute)
	out, err := s.UpdateGroup(ctx, &cognito.UpdateGroupInput{UserPoolID: pool, GroupName: "g", Precedence: resPtr[int64](0)})
	resNoErr(t, err)
	want := &cognito.GroupType{UserPoolID: pool, GroupName: "g", Description: "first", RoleARn: "arn:aws:iam::123456789012:role/first",
		Precedence: resPtr[int64](0), CreationDate: cognito.Epoch(clk.now().Add(-time.Minute)), LastModifiedDate: cognito.Epoch(clk.now())}
	if diff := cmp.Diff(want, out.Group); diff != "" {
		t.Errorf("after update (-want +got):\n%s", diff)
	}
	_, err = s.UpdateGroup(ctx, &cognito.UpdateGroupInput{UserPoolID: pool, GroupName: "g", Precedence: resPtr[int64](math.MaxInt32 + 1)})
	resWantErr(t, err, cognito.TypeInvalidParameter, "")

	// Group is what the membership actions use.
	g, err := s.Group(ctx, pool, "g")
	resNoErr(t, err)
	if g.Description != "first" || g.Precedence == nil || *g.Precedence != 0 {
		t.Errorf("Group = %+v", g)
	}
	_, err = s.Group(ctx, pool, "G")
	resWantErr(t, err, cognito.TypeResourceNotFound, "Group not found.")
	_, err = s.Group(ctx, "us-east-1_Nope", "g")
	resWantErr(t, err, cognito.TypeResourceNotFound, "User pool us-east-1_Nope does not exist.")
}

package userpool

import (
	"context"
	"errors"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

// Group membership, seen from the user. The group is checked before the
// user, so a request naming neither gets "Group not found.".

// maxUserMembershipPage is the largest page, and the default, of
// AdminListGroupsForUser and ListUsersInGroup (Limit 0..60).
const maxUserMembershipPage = 60

// Listing kinds for NextTokens: the pool and the user or group are part
// of them, so a token is only good for the listing that issued it.
func userGroupsKind(poolID, sub string) string         { return "user-groups/" + poolID + "/" + sub }
func userGroupMembersKind(poolID, group string) string { return "group-users/" + poolID + "/" + group }

func userMembershipPage(limit *int64, after string) store.Page {
	n := maxUserMembershipPage
	if limit != nil && *limit > 0 {
		n = int(*limit)
	}
	return store.Page{Limit: n, After: after}
}

// membership resolves the pool, the group and the user a membership
// request names.
func (s *Service) userMembership(ctx context.Context, poolID, group, username string) (*cognito.UserPoolType, store.User, error) {
	pool, err := s.Pool(ctx, poolID)
	if err != nil {
		return nil, store.User{}, err
	}
	if _, err := s.Group(ctx, poolID, group); err != nil {
		return nil, store.User{}, err
	}
	u, err := s.lookupUser(ctx, pool, username)
	if err != nil {
		return nil, store.User{}, err
	}
	return pool, u, nil
}

// membershipError translates ErrNotFound from a membership write: the
// group or the user went away after they were looked up.
func (s *Service) userMembershipError(ctx context.Context, poolID, group string, err error) error {
	if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if _, gerr := s.Group(ctx, poolID, group); gerr != nil {
		return gerr
	}
	return cognito.UserNotFound(msgUserNotFound)
}

// AdminAddUserToGroup makes a user a member of a group; adding a member
// again is not an error.
func (s *Service) AdminAddUserToGroup(ctx context.Context, in *cognito.AdminAddUserToGroupInput) error {
	pool, u, err := s.userMembership(ctx, in.UserPoolID, in.GroupName, in.Username)
	if err != nil {
		return err
	}
	if err := s.cfg.Store.AddUserToGroup(ctx, pool.ID, in.GroupName, u.Sub); err != nil {
		return s.userMembershipError(ctx, pool.ID, in.GroupName, err)
	}
	return nil
}

// AdminRemoveUserFromGroup ends a membership; removing a user who is not a
// member is not an error.
func (s *Service) AdminRemoveUserFromGroup(ctx context.Context, in *cognito.AdminRemoveUserFromGroupInput) error {
	pool, u, err := s.userMembership(ctx, in.UserPoolID, in.GroupName, in.Username)
	if err != nil {
		return err
	}
	if err := s.cfg.Store.RemoveUserFromGroup(ctx, pool.ID, in.GroupName, u.Sub); err != nil {
		return s.userMembershipError(ctx, pool.ID, in.GroupName, err)
	}
	return nil
}

// AdminListGroupsForUser lists the groups of a user by name.
func (s *Service) AdminListGroupsForUser(ctx context.Context, in *cognito.AdminListGroupsForUserInput) (*cognito.AdminListGroupsForUserOutput, error) {
	pool, u, err := s.poolUser(ctx, in.UserPoolID, in.Username)
	if err != nil {
		return nil, err
	}
	kind := userGroupsKind(pool.ID, u.Sub)
	after, err := decodeNextToken(kind, in.NextToken)
	if err != nil {
		return nil, err
	}
	groups, next, err := s.cfg.Store.ListGroupsForUser(ctx, pool.ID, u.Sub, userMembershipPage(in.Limit, after))
	if errors.Is(err, store.ErrNotFound) {
		return nil, cognito.UserNotFound(msgUserNotFound)
	}
	if err != nil {
		return nil, err
	}
	out := &cognito.AdminListGroupsForUserOutput{NextToken: encodeNextToken(kind, next)}
	for _, g := range groups {
		out.Groups = append(out.Groups, *groupType(g))
	}
	return out, nil
}

// ListUsersInGroup lists the members of a group by username.
func (s *Service) ListUsersInGroup(ctx context.Context, in *cognito.ListUsersInGroupInput) (*cognito.ListUsersInGroupOutput, error) {
	if _, err := s.Pool(ctx, in.UserPoolID); err != nil {
		return nil, err
	}
	if _, err := s.Group(ctx, in.UserPoolID, in.GroupName); err != nil {
		return nil, err
	}
	kind := userGroupMembersKind(in.UserPoolID, in.GroupName)
	after, err := decodeNextToken(kind, in.NextToken)
	if err != nil {
		return nil, err
	}
	users, next, err := s.cfg.Store.ListUsersInGroup(ctx, in.UserPoolID, in.GroupName, userMembershipPage(in.Limit, after))
	if errors.Is(err, store.ErrNotFound) {
		return nil, cognito.ResourceNotFound(msgGroupNotFound)
	}
	if err != nil {
		return nil, err
	}
	out := &cognito.ListUsersInGroupOutput{NextToken: encodeNextToken(kind, next)}
	for _, u := range users {
		out.Users = append(out.Users, userType(u, nil))
	}
	return out, nil
}

package userpool

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

// Answers about groups (reference §2.4; the wording of the first two is
// Cognito's).
const (
	msgGroupExists   = "A group with the name %s already exists."
	msgGroupNotFound = "Group not found."
	// Precedence is a Java Integer in Cognito: the model only says
	// "minimum 0", the type caps it at 2^31-1. The message follows the
	// model validation style.
	msgPrecedenceMax = "1 validation error detected: Value '%d' at 'precedence' failed to satisfy constraint: Member must have value less than or equal to 2147483647"
)

const (
	maxGroupsPage = 60 // ListGroups' Limit range is 0..60; 0 means the default
	maxPrecedence = math.MaxInt32
)

// groupListKind names the listing in its NextTokens; the pool is part of
// it, so a token of one pool's listing is refused by another's.
func groupListKind(poolID string) string { return "groups/" + poolID }

// groupType renders a group in the wire shape that CreateGroup, GetGroup,
// ListGroups and AdminListGroupsForUser return.
func groupType(g store.Group) *cognito.GroupType {
	out := &cognito.GroupType{
		UserPoolID:       g.PoolID,
		GroupName:        g.Name,
		Description:      g.Description,
		RoleARn:          g.RoleARN,
		CreationDate:     cognito.Epoch(g.CreatedAt),
		LastModifiedDate: cognito.Epoch(g.UpdatedAt),
	}
	if g.Precedence != nil {
		p := *g.Precedence
		out.Precedence = &p
	}
	return out
}

// groupTypes renders a page of groups.
func groupTypes(groups []store.Group) []cognito.GroupType {
	out := make([]cognito.GroupType, 0, len(groups))
	for _, g := range groups {
		out = append(out, *groupType(g))
	}
	return out
}

func checkPrecedence(p *int64) error {
	if p != nil && *p > maxPrecedence {
		return cognito.InvalidParameter(fmt.Sprintf(msgPrecedenceMax, *p))
	}
	return nil
}

// groupError translates ErrNotFound from a store call about one group:
// the pool or the group is missing.
func groupError(ctx context.Context, st store.Store, poolID string, err error) error {
	if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if perr := checkPoolExists(ctx, st, poolID); perr != nil {
		return perr
	}
	return cognito.ResourceNotFound(msgGroupNotFound)
}

// Group returns a group of a pool: ResourceNotFoundException "Group not
// found." when there is no such group, and the pool's own
// ResourceNotFoundException when there is no such pool.
func (s *Service) Group(ctx context.Context, poolID, name string) (store.Group, error) {
	st := s.cfg.Store
	g, err := st.GetGroup(ctx, poolID, name)
	if err != nil {
		return store.Group{}, groupError(ctx, st, poolID, err)
	}
	return g, nil
}

// CreateGroup creates a group in a pool.
func (s *Service) CreateGroup(ctx context.Context, in *cognito.CreateGroupInput) (*cognito.CreateGroupOutput, error) {
	if err := checkPrecedence(in.Precedence); err != nil {
		return nil, err
	}
	now := s.now()
	g := store.Group{
		PoolID:      in.UserPoolID,
		Name:        in.GroupName,
		Description: in.Description,
		RoleARN:     in.RoleARn,
		Precedence:  in.Precedence,
		CreatedAt:   now,
		UpdatedAt:   now,
	}
	err := s.cfg.Store.CreateGroup(ctx, g)
	if errors.Is(err, store.ErrAlreadyExists) {
		return nil, cognito.GroupExists(fmt.Sprintf(msgGroupExists, in.GroupName))
	}
	if err != nil {
		return nil, poolError(in.UserPoolID, err)
	}
	return &cognito.CreateGroupOutput{Group: groupType(g)}, nil
}

// GetGroup returns one group.
func (s *Service) GetGroup(ctx context.Context, in *cognito.GetGroupInput) (*cognito.GetGroupOutput, error) {
	g, err := s.Group(ctx, in.UserPoolID, in.GroupName)
	if err != nil {
		return nil, err
	}
	return &cognito.GetGroupOutput{Group: groupType(g)}, nil
}

// ListGroups lists a pool's groups by name. A Limit of 0, or none, is the
// largest page, 60.
func (s *Service) ListGroups(ctx context.Context, in *cognito.ListGroupsInput) (*cognito.ListGroupsOutput, error) {
	limit := maxGroupsPage
	if in.Limit != nil && *in.Limit > 0 {
		limit = int(*in.Limit)
	}
	after, err := decodeNextToken(groupListKind(in.UserPoolID), in.NextToken)
	if err != nil {
		return nil, err
	}
	st := s.cfg.Store
	if err := checkPoolExists(ctx, st, in.UserPoolID); err != nil {
		return nil, err
	}
	groups, next, err := st.ListGroups(ctx, in.UserPoolID, store.Page{Limit: limit, After: after})
	if err != nil {
		return nil, err
	}
	return &cognito.ListGroupsOutput{Groups: groupTypes(groups), NextToken: encodeNextToken(groupListKind(in.UserPoolID), next)}, nil
}

// UpdateGroup changes the members the request gives and keeps the others:
// Cognito documents UpdateGroup as updating "any of the properties", and
// its own example leaves RoleArn out yet returns the group's role.
func (s *Service) UpdateGroup(ctx context.Context, in *cognito.UpdateGroupInput) (*cognito.UpdateGroupOutput, error) {
	if err := checkPrecedence(in.Precedence); err != nil {
		return nil, err
	}
	st := s.cfg.Store
	g, err := st.UpdateGroup(ctx, in.UserPoolID, in.GroupName, func(g *store.Group) error {
		if in.Description != "" {
			g.Description = in.Description
		}
		if in.RoleARn != "" {
			g.RoleARN = in.RoleARn
		}
		if in.Precedence != nil {
			p := *in.Precedence
			g.Precedence = &p
		}
		g.UpdatedAt = s.now()
		return nil
	})
	if err != nil {
		return nil, groupError(ctx, st, in.UserPoolID, err)
	}
	return &cognito.UpdateGroupOutput{Group: groupType(g)}, nil
}

// DeleteGroup removes a group; its members stay in the pool and lose the
// membership.
func (s *Service) DeleteGroup(ctx context.Context, in *cognito.DeleteGroupInput) error {
	st := s.cfg.Store
	if err := st.DeleteGroup(ctx, in.UserPoolID, in.GroupName); err != nil {
		return groupError(ctx, st, in.UserPoolID, err)
	}
	return nil
}

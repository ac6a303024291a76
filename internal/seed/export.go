package seed

import (
	"context"
	"encoding/json"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/userpool"
)

// Export writes the pool poolID as a seed file: its settings, domain,
// resource servers, groups, app clients and users with their attributes
// and groups. Passwords and client secrets are left out (a client with a
// secret says GenerateSecret: true); the ids are kept, so applying the
// file elsewhere gives the same pool and client ids. Users' subs cannot be
// given, and are left out.
func Export(ctx context.Context, svc *userpool.Service, poolID string) ([]byte, error) {
	pool, err := svc.DescribePool(ctx, poolID)
	if err != nil {
		return nil, err
	}
	entry := map[string]any{"Id": pool.ID}
	var in cognito.CreateUserPoolInput
	if err := convert(pool, &in); err != nil {
		return nil, err
	}
	in.PoolName = pool.Name
	// Only custom attributes are declared at creation, without their
	// prefix; the standard ones are always there.
	for _, a := range pool.SchemaAttributes {
		if name, ok := strings.CutPrefix(a.Name, "custom:"); ok {
			a.Name = name
			in.Schema = append(in.Schema, a)
		}
	}
	if err := merge(entry, &in); err != nil {
		return nil, err
	}
	if pool.Domain != "" {
		entry["Domain"] = pool.Domain
	}

	rs, err := svc.ListResourceServers(ctx, &cognito.ListResourceServersInput{UserPoolID: poolID, MaxResults: ptr(int64(50))})
	if err != nil {
		return nil, err
	}
	var servers []cognito.CreateResourceServerInput
	for _, r := range rs.ResourceServers {
		servers = append(servers, cognito.CreateResourceServerInput{Identifier: r.Identifier, Name: r.Name, Scopes: r.Scopes})
	}
	setList(entry, "ResourceServers", servers)

	var groups []cognito.CreateGroupInput
	for next := ""; ; {
		out, err := svc.ListGroups(ctx, &cognito.ListGroupsInput{UserPoolID: poolID, NextToken: next})
		if err != nil {
			return nil, err
		}
		for _, g := range out.Groups {
			groups = append(groups, cognito.CreateGroupInput{GroupName: g.GroupName, Description: g.Description, Precedence: g.Precedence, RoleARn: g.RoleARn})
		}
		if next = out.NextToken; next == "" {
			break
		}
	}
	setList(entry, "Groups", groups)

	clients, err := exportClients(ctx, svc, poolID)
	if err != nil {
		return nil, err
	}
	setList(entry, "Clients", clients)

	users, err := exportUsers(ctx, svc, poolID)
	if err != nil {
		return nil, err
	}
	setList(entry, "Users", users)
	return yaml.Marshal(map[string]any{"pools": []any{entry}})
}

func exportClients(ctx context.Context, svc *userpool.Service, poolID string) ([]map[string]any, error) {
	var out []map[string]any
	for next := ""; ; {
		page, tok, err := svc.ListClients(ctx, poolID, 60, next)
		if err != nil {
			return nil, err
		}
		for _, d := range page {
			c, err := svc.DescribeClient(ctx, poolID, d.ClientID)
			if err != nil {
				return nil, err
			}
			var in cognito.CreateUserPoolClientInput
			if err := convert(c, &in); err != nil {
				return nil, err
			}
			in.UserPoolID, in.ClientSecret = "", ""
			if c.ClientSecret != "" {
				in.GenerateSecret = ptr(true)
			}
			m := map[string]any{"ClientId": c.ClientID}
			if err := merge(m, &in); err != nil {
				return nil, err
			}
			out = append(out, m)
		}
		if next = tok; next == "" {
			return out, nil
		}
	}
}

func exportUsers(ctx context.Context, svc *userpool.Service, poolID string) ([]User, error) {
	var out []User
	for next := ""; ; {
		page, err := svc.ListUsers(ctx, &cognito.ListUsersInput{UserPoolID: poolID, PaginationToken: next})
		if err != nil {
			return nil, err
		}
		for _, u := range page.Users {
			e := User{Username: u.Username}
			for _, a := range u.Attributes {
				if a.Name == "sub" {
					continue
				}
				if e.Attributes == nil {
					e.Attributes = map[string]any{}
				}
				e.Attributes[a.Name] = a.Value
			}
			groups, err := svc.AdminListGroupsForUser(ctx, &cognito.AdminListGroupsForUserInput{UserPoolID: poolID, Username: u.Username})
			if err != nil {
				return nil, err
			}
			for _, g := range groups.Groups {
				e.Groups = append(e.Groups, g.GroupName)
			}
			out = append(out, e)
		}
		if next = page.PaginationToken; next == "" {
			return out, nil
		}
	}
}

// merge adds v's members to m.
func merge(m map[string]any, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, &m)
}

// setList sets m[name] to a list that is not empty.
func setList[T any](m map[string]any, name string, list []T) {
	if len(list) > 0 {
		m[name] = list
	}
}

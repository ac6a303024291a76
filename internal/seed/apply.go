package seed

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/userpool"
)

// Apply makes svc hold what f declares: it creates what is missing and
// updates what differs, and deletes nothing. It returns one line per
// change made, none when the file was applied before. Errors name the
// file and the entry.
//
// Entries are matched by their fixed id, else by name: pools by PoolName,
// clients by ClientName within their pool, groups, resource servers and
// users by their names. Before writing anything it checks what would
// conflict with what exists (a pool or a client named twice, another
// domain, another client secret), so such a file changes nothing.
func Apply(ctx context.Context, svc *userpool.Service, f *File) ([]string, error) {
	a := &applier{svc: svc, f: f}
	ids := make([]string, len(f.Pools))
	for i := range f.Pools {
		id, err := a.conflicts(ctx, &f.Pools[i])
		if err != nil {
			return nil, a.wrap(i, "", err)
		}
		ids[i] = id
	}
	for i := range f.Pools {
		if err := a.pool(ctx, i, ids[i]); err != nil {
			return a.changes, err
		}
	}
	return a.changes, nil
}

type applier struct {
	svc     *userpool.Service
	f       *File
	changes []string
}

func (a *applier) wrap(i int, entry string, err error) error {
	return fmt.Errorf("%s: pools[%d]%s%s: %w", a.f.Name, i, label(a.f.Pools[i].Input.PoolName), entry, err)
}

func (a *applier) changed(format string, args ...any) {
	a.changes = append(a.changes, fmt.Sprintf(format, args...))
}

func isType(err error, typ string) bool {
	var ce *cognito.Error
	return errors.As(err, &ce) && ce.Type == typ
}

// findPool returns the id of the pool the entry names, or "" when there is
// none yet.
func (a *applier) findPool(ctx context.Context, p *Pool) (string, error) {
	if p.ID != "" {
		_, err := a.svc.Pool(ctx, p.ID)
		if isType(err, cognito.TypeResourceNotFound) {
			return "", nil
		}
		return p.ID, err
	}
	found := ""
	next := ""
	for {
		page, tok, err := a.svc.ListPools(ctx, 60, next)
		if err != nil {
			return "", err
		}
		for _, d := range page {
			if d.Name != p.Input.PoolName {
				continue
			}
			if found != "" {
				return "", fmt.Errorf("PoolName: pools %s and %s are both named %q; give the entry an Id", found, d.ID, d.Name)
			}
			found = d.ID
		}
		if next = tok; next == "" {
			return found, nil
		}
	}
}

// findClient returns the id of the client the entry names, or "".
func (a *applier) findClient(ctx context.Context, poolID string, c *Client) (string, error) {
	if c.ID != "" {
		_, err := a.svc.DescribeClient(ctx, poolID, c.ID)
		if isType(err, cognito.TypeResourceNotFound) {
			return "", nil
		}
		return c.ID, err
	}
	found, next := "", ""
	for {
		page, tok, err := a.svc.ListClients(ctx, poolID, 60, next)
		if err != nil {
			return "", err
		}
		for _, d := range page {
			if d.ClientName != c.Input.ClientName {
				continue
			}
			if found != "" {
				return "", fmt.Errorf("ClientName: clients %s and %s are both named %q; give the entry a ClientId", found, d.ClientID, d.ClientName)
			}
			found = d.ClientID
		}
		if next = tok; next == "" {
			return found, nil
		}
	}
}

// conflicts checks, reading only, what would stop the entry from being
// applied to what exists, and returns the id of the existing pool.
func (a *applier) conflicts(ctx context.Context, p *Pool) (string, error) {
	id, err := a.findPool(ctx, p)
	if err != nil {
		return "", err
	}
	if p.Domain != "" {
		d, err := a.svc.DescribeUserPoolDomain(ctx, &cognito.DescribeUserPoolDomainInput{Domain: p.Domain})
		if err != nil {
			return "", err
		}
		if owner := d.DomainDescription.UserPoolID; owner != "" && owner != id {
			return "", fmt.Errorf("Domain: %s belongs to pool %s", p.Domain, owner)
		}
	}
	if p.Domain != "" && id != "" {
		pool, err := a.svc.DescribePool(ctx, id)
		if err != nil {
			return "", err
		}
		if pool.Domain != "" && pool.Domain != p.Domain {
			return "", fmt.Errorf("Domain: the pool has the domain %s already; a seed never deletes it", pool.Domain)
		}
	}
	for i := range p.Clients {
		if err := a.clientConflicts(ctx, id, &p.Clients[i]); err != nil {
			return "", fmt.Errorf("Clients[%d]%s: %w", i, label(p.Clients[i].Input.ClientName), err)
		}
	}
	return id, nil
}

// clientConflicts checks a client entry against what exists: a fixed id
// another pool's client has, or a secret other than the existing client's.
func (a *applier) clientConflicts(ctx context.Context, poolID string, c *Client) error {
	if c.ID != "" {
		other, err := a.svc.Client(ctx, c.ID)
		switch {
		case isType(err, cognito.TypeResourceNotFound):
		case err != nil:
			return err
		case other.PoolID != poolID:
			return fmt.Errorf("ClientId: %s is a client of pool %s", c.ID, other.PoolID)
		}
	}
	if poolID == "" || c.Input.ClientSecret == "" {
		return nil
	}
	id, err := a.findClient(ctx, poolID, c)
	if err != nil || id == "" {
		return err
	}
	have, err := a.svc.DescribeClient(ctx, poolID, id)
	if err != nil {
		return err
	}
	if have.ClientSecret != c.Input.ClientSecret {
		return fmt.Errorf("ClientSecret: the client %s has another secret, which cannot be changed", id)
	}
	return nil
}

// pool applies pools[i], whose existing id is id ("" to create it).
func (a *applier) pool(ctx context.Context, i int, id string) error {
	p := &a.f.Pools[i]
	in := p.Input
	switch {
	case id == "" && p.ID != "":
		if _, err := a.svc.CreatePoolWithID(ctx, p.ID, &in); err != nil {
			return a.wrap(i, "", err)
		}
		id = p.ID
		a.changed("created pool %s (%s)", id, in.PoolName)
	case id == "":
		out, err := a.svc.CreatePool(ctx, &in)
		if err != nil {
			return a.wrap(i, "", err)
		}
		id = out.ID
		a.changed("created pool %s (%s)", id, in.PoolName)
	default:
		have, err := a.svc.DescribePool(ctx, id)
		if err != nil {
			return a.wrap(i, "", err)
		}
		var up cognito.UpdateUserPoolInput
		if err := convert(&in, &up); err != nil {
			return a.wrap(i, "", err)
		}
		up.UserPoolID, up.PoolName = id, in.PoolName
		if have.Name != in.PoolName || !agrees(&up, have, "UserPoolId", "PoolName") {
			if err := a.svc.UpdatePool(ctx, &up); err != nil {
				return a.wrap(i, "", err)
			}
			a.changed("updated pool %s (%s)", id, in.PoolName)
		}
	}
	if p.Domain != "" {
		pool, err := a.svc.DescribePool(ctx, id)
		if err != nil {
			return a.wrap(i, "", err)
		}
		if pool.Domain == "" {
			if _, err := a.svc.CreateUserPoolDomain(ctx, &cognito.CreateUserPoolDomainInput{Domain: p.Domain, UserPoolID: id}); err != nil {
				return a.wrap(i, ".Domain", err)
			}
			a.changed("created domain %s for pool %s", p.Domain, id)
		}
	}
	for j := range p.ResourceServers {
		if err := a.resourceServer(ctx, id, p.ResourceServers[j]); err != nil {
			return a.wrap(i, fmt.Sprintf(".ResourceServers[%d]%s", j, label(p.ResourceServers[j].Identifier)), err)
		}
	}
	for j := range p.Groups {
		if err := a.group(ctx, id, p.Groups[j]); err != nil {
			return a.wrap(i, fmt.Sprintf(".Groups[%d]%s", j, label(p.Groups[j].GroupName)), err)
		}
	}
	for j := range p.Clients {
		if err := a.client(ctx, id, &p.Clients[j]); err != nil {
			return a.wrap(i, fmt.Sprintf(".Clients[%d]%s", j, label(p.Clients[j].Input.ClientName)), err)
		}
	}
	for j := range p.Users {
		if err := a.user(ctx, id, &p.Users[j]); err != nil {
			return a.wrap(i, fmt.Sprintf(".Users[%d]%s", j, label(p.Users[j].Username)), err)
		}
	}
	return nil
}

func (a *applier) resourceServer(ctx context.Context, poolID string, in cognito.CreateResourceServerInput) error {
	in.UserPoolID = poolID
	have, err := a.svc.DescribeResourceServer(ctx, &cognito.DescribeResourceServerInput{UserPoolID: poolID, Identifier: in.Identifier})
	if isType(err, cognito.TypeResourceNotFound) {
		if _, err := a.svc.CreateResourceServer(ctx, &in); err != nil {
			return err
		}
		a.changed("created resource server %s in pool %s", in.Identifier, poolID)
		return nil
	}
	if err != nil {
		return err
	}
	if have.ResourceServer.Name == in.Name && slices.Equal(have.ResourceServer.Scopes, in.Scopes) {
		return nil
	}
	_, err = a.svc.UpdateResourceServer(ctx, &cognito.UpdateResourceServerInput{UserPoolID: poolID, Identifier: in.Identifier, Name: in.Name, Scopes: in.Scopes})
	if err == nil {
		a.changed("updated resource server %s in pool %s", in.Identifier, poolID)
	}
	return err
}

func (a *applier) group(ctx context.Context, poolID string, in cognito.CreateGroupInput) error {
	in.UserPoolID = poolID
	have, err := a.svc.GetGroup(ctx, &cognito.GetGroupInput{UserPoolID: poolID, GroupName: in.GroupName})
	if isType(err, cognito.TypeResourceNotFound) {
		if _, err := a.svc.CreateGroup(ctx, &in); err != nil {
			return err
		}
		a.changed("created group %s in pool %s", in.GroupName, poolID)
		return nil
	}
	if err != nil {
		return err
	}
	g := have.Group
	if g.Description == in.Description && g.RoleARn == in.RoleARn && equalPtr(g.Precedence, in.Precedence) {
		return nil
	}
	_, err = a.svc.UpdateGroup(ctx, &cognito.UpdateGroupInput{
		UserPoolID: poolID, GroupName: in.GroupName, Description: in.Description, Precedence: in.Precedence, RoleARn: in.RoleARn,
	})
	if err == nil {
		a.changed("updated group %s in pool %s", in.GroupName, poolID)
	}
	return err
}

func equalPtr[T comparable](a, b *T) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

func (a *applier) client(ctx context.Context, poolID string, c *Client) error {
	in := c.Input
	in.UserPoolID = poolID
	id, err := a.findClient(ctx, poolID, c)
	if err != nil {
		return err
	}
	if id == "" {
		var out *cognito.UserPoolClientType
		if c.ID != "" {
			out, err = a.svc.CreateClientWithID(ctx, c.ID, &in)
		} else {
			out, err = a.svc.CreateClient(ctx, &in)
		}
		if err != nil {
			return err
		}
		a.changed("created app client %s (%s) in pool %s", out.ClientID, in.ClientName, poolID)
		return nil
	}
	have, err := a.svc.DescribeClient(ctx, poolID, id)
	if err != nil {
		return err
	}
	var up cognito.UpdateUserPoolClientInput
	if err := convert(&in, &up); err != nil {
		return err
	}
	up.UserPoolID, up.ClientID = poolID, id
	if agrees(&up, have, "UserPoolId", "ClientId") {
		return nil
	}
	if _, err := a.svc.UpdateClient(ctx, &up); err != nil {
		return err
	}
	a.changed("updated app client %s (%s) in pool %s", id, in.ClientName, poolID)
	return nil
}

func (a *applier) user(ctx context.Context, poolID string, u *User) error {
	attrs, err := attributes(u.Attributes)
	if err != nil {
		return fmt.Errorf("Attributes: %w", err)
	}
	have, err := a.svc.AdminGetUser(ctx, &cognito.AdminGetUserInput{UserPoolID: poolID, Username: u.Username})
	switch {
	case isType(err, cognito.TypeUserNotFound):
		if _, err := a.svc.AdminCreateUser(ctx, &cognito.AdminCreateUserInput{
			UserPoolID: poolID, Username: u.Username, UserAttributes: attrs,
			TemporaryPassword: u.TemporaryPassword, MessageAction: "SUPPRESS",
		}); err != nil {
			return err
		}
		a.changed("created user %s in pool %s", u.Username, poolID)
	case err != nil:
		return err
	default:
		differ := slices.ContainsFunc(attrs, func(at cognito.AttributeType) bool {
			i := slices.IndexFunc(have.UserAttributes, func(h cognito.AttributeType) bool { return h.Name == at.Name })
			return i < 0 || have.UserAttributes[i].Value != at.Value
		})
		if differ {
			// All of them, not only those that differ: a new email
			// without its email_verified would be unverified.
			if err := a.svc.AdminUpdateUserAttributes(ctx, &cognito.AdminUpdateUserAttributesInput{UserPoolID: poolID, Username: u.Username, UserAttributes: attrs}); err != nil {
				return fmt.Errorf("Attributes: %w", err)
			}
			a.changed("updated attributes of user %s in pool %s", u.Username, poolID)
		}
	}
	if u.Password != "" {
		same, err := a.passwordIs(ctx, poolID, u)
		if err != nil {
			return err
		}
		if !same {
			if err := a.svc.AdminSetUserPassword(ctx, &cognito.AdminSetUserPasswordInput{
				UserPoolID: poolID, Username: u.Username, Password: u.Password, Permanent: ptr(true),
			}); err != nil {
				return fmt.Errorf("Password: %w", err)
			}
			a.changed("set the password of user %s in pool %s", u.Username, poolID)
		}
	}
	if len(u.Groups) > 0 {
		out, err := a.svc.AdminListGroupsForUser(ctx, &cognito.AdminListGroupsForUserInput{UserPoolID: poolID, Username: u.Username})
		if err != nil {
			return err
		}
		for _, g := range u.Groups {
			if slices.ContainsFunc(out.Groups, func(h cognito.GroupType) bool { return h.GroupName == g }) {
				continue
			}
			if err := a.svc.AdminAddUserToGroup(ctx, &cognito.AdminAddUserToGroupInput{UserPoolID: poolID, Username: u.Username, GroupName: g}); err != nil {
				return fmt.Errorf("Groups: %w", err)
			}
			a.changed("added user %s to group %s in pool %s", u.Username, g, poolID)
		}
	}
	return nil
}

// passwordIs reports whether the user's permanent password is already
// u.Password, so that applying a file again changes nothing.
func (a *applier) passwordIs(ctx context.Context, poolID string, u *User) (bool, error) {
	pool, err := a.svc.Pool(ctx, poolID)
	if err != nil {
		return false, err
	}
	rec, err := a.svc.LookupUser(ctx, pool, u.Username)
	if err != nil {
		return false, err
	}
	return rec.Status == "CONFIRMED" && a.svc.CheckPassword(rec, u.Password), nil
}

func ptr[T any](v T) *T { return &v }

// convert copies the members two API shapes share, by their names.
func convert(from, to any) error {
	b, err := json.Marshal(from)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, to)
}

// agrees reports whether every member want sets (except those named in
// skip) has the same value in have, where have may say more: what the
// file leaves out keeps its value.
func agrees(want, have any, skip ...string) bool {
	var w, h map[string]any
	if convert(want, &w) != nil || convert(have, &h) != nil {
		return false
	}
	for _, k := range skip {
		delete(w, k)
	}
	return subset(w, h)
}

// subset reports whether w is contained in h: objects member by member,
// lists element by element and of the same length, other values equal.
func subset(w, h any) bool {
	switch w := w.(type) {
	case map[string]any:
		hm, ok := h.(map[string]any)
		if !ok {
			return false
		}
		for k, v := range w {
			if !subset(v, hm[k]) {
				return false
			}
		}
		return true
	case []any:
		hl, ok := h.([]any)
		if !ok || len(hl) != len(w) {
			return false
		}
		for i := range w {
			if !subset(w[i], hl[i]) {
				return false
			}
		}
		return true
	}
	return w == h
}

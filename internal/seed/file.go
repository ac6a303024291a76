package seed

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"

	"sigs.k8s.io/yaml"

	"github.com/userpool/userpool/internal/cognito"
)

// File is a parsed seed file.
type File struct {
	// Name is where the file came from, for error messages.
	Name  string `json:"-"`
	Pools []Pool `json:"pools"`
}

// Pool is one pool entry: CreateUserPool's members, an optional fixed id,
// and what lives in the pool.
type Pool struct {
	// ID, when set, is the pool's id (region_name), so that an app's
	// committed configuration can name it; otherwise the pool is matched
	// by its PoolName.
	ID              string
	Input           cognito.CreateUserPoolInput
	Domain          string
	ResourceServers []cognito.CreateResourceServerInput
	Groups          []cognito.CreateGroupInput
	Clients         []Client
	Users           []User
}

// Client is one app client: CreateUserPoolClient's members and an
// optional fixed id. A ClientSecret fixes the secret (GenerateSecret is
// implied).
type Client struct {
	ID    string
	Input cognito.CreateUserPoolClientInput
}

// User is one user. Password is permanent; TemporaryPassword leaves the
// user in FORCE_CHANGE_PASSWORD and is used only when the user is created.
type User struct {
	Username          string         `json:"Username"`
	Password          string         `json:"Password,omitempty"`
	TemporaryPassword string         `json:"TemporaryPassword,omitempty"`
	Attributes        map[string]any `json:"Attributes,omitempty"`
	Groups            []string       `json:"Groups,omitempty"`
}

// Parse reads a seed file; name is used in error messages. Every entry
// is checked against the API's constraints before anything is applied.
func Parse(name string, data []byte) (*File, error) {
	js, err := yaml.YAMLToJSON(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var top struct {
		Pools []json.RawMessage `json:"pools"`
	}
	if err := decodeStrict(js, &top); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	f := &File{Name: name}
	for i, raw := range top.Pools {
		p, err := parsePool(raw)
		if err != nil {
			return nil, fmt.Errorf("%s: pools[%d]%s: %w", name, i, label(p.Input.PoolName), err)
		}
		f.Pools = append(f.Pools, p)
	}
	if err := f.check(); err != nil {
		return nil, err
	}
	return f, nil
}

// label names an entry after its index, when it has a name.
func label(name string) string {
	if name == "" {
		return ""
	}
	return " (" + name + ")"
}

func decodeStrict(js []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// take removes the named members from an object and returns them with
// the object's other members re-encoded, for the API type to decode.
func take(raw json.RawMessage, names ...string) (map[string]json.RawMessage, []byte, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return nil, nil, fmt.Errorf("the entry is not a mapping")
	}
	taken := map[string]json.RawMessage{}
	for _, n := range names {
		if v, ok := m[n]; ok {
			taken[n] = v
			delete(m, n)
		}
	}
	rest, err := json.Marshal(m)
	return taken, rest, err
}

// member decodes one taken member into v, naming it in errors.
func member(taken map[string]json.RawMessage, name string, v any) error {
	raw, ok := taken[name]
	if !ok {
		return nil
	}
	if err := decodeStrict(raw, v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

func parsePool(raw json.RawMessage) (Pool, error) {
	var p Pool
	taken, rest, err := take(raw, "Id", "Domain", "ResourceServers", "Groups", "Clients", "Users")
	if err != nil {
		return p, err
	}
	if err := decodeStrict(rest, &p.Input); err != nil {
		return p, err
	}
	var clients, users []json.RawMessage
	for _, m := range []struct {
		name string
		v    any
	}{{"Id", &p.ID}, {"Domain", &p.Domain}, {"ResourceServers", &p.ResourceServers}, {"Groups", &p.Groups}, {"Clients", &clients}, {"Users", &users}} {
		if err := member(taken, m.name, m.v); err != nil {
			return p, err
		}
	}
	for i, raw := range clients {
		c, err := parseClient(raw)
		if err != nil {
			return p, fmt.Errorf("Clients[%d]%s: %w", i, label(c.Input.ClientName), err)
		}
		p.Clients = append(p.Clients, c)
	}
	for i, raw := range users {
		var u User
		if err := decodeStrict(raw, &u); err != nil {
			return p, fmt.Errorf("Users[%d]: %w", i, err)
		}
		p.Users = append(p.Users, u)
	}
	return p, nil
}

func parseClient(raw json.RawMessage) (Client, error) {
	var c Client
	taken, rest, err := take(raw, "ClientId")
	if err != nil {
		return c, err
	}
	if err := decodeStrict(rest, &c.Input); err != nil {
		return c, err
	}
	return c, member(taken, "ClientId", &c.ID)
}

// placeholderPool stands in for a pool's id in the inputs' own checks,
// which require one, before the pool exists.
const placeholderPool = "us-east-1_Seed"

// check applies the API's constraints to every entry, and the file's own
// rules: no entry twice, no password both permanent and temporary, groups
// of users declared.
func (f *File) check() error {
	seen := map[string]bool{}
	for i := range f.Pools {
		p := &f.Pools[i]
		where := fmt.Sprintf("%s: pools[%d]%s", f.Name, i, label(p.Input.PoolName))
		key := "name " + p.Input.PoolName
		if p.ID != "" {
			key = "id " + p.ID
		}
		if seen[key] {
			return fmt.Errorf("%s: another entry has the same pool %s", where, key)
		}
		seen[key] = true
		if err := p.check(); err != nil {
			return fmt.Errorf("%s%w", where, err)
		}
	}
	return nil
}

// validator is what the generated API inputs implement.
type validator interface{ Validate() error }

func (p *Pool) check() error {
	if err := p.Input.Validate(); err != nil {
		return fmt.Errorf(": %w", err)
	}
	if p.Domain != "" {
		in := cognito.CreateUserPoolDomainInput{Domain: p.Domain, UserPoolID: placeholderPool}
		if err := in.Validate(); err != nil {
			return fmt.Errorf(": Domain: %w", err)
		}
	}
	groups := map[string]bool{}
	for i := range p.Groups {
		g := &p.Groups[i]
		if err := checkOne(fmt.Sprintf(".Groups[%d]%s", i, label(g.GroupName)), "group "+g.GroupName, groups, &g.UserPoolID, g); err != nil {
			return err
		}
	}
	servers := map[string]bool{}
	for i := range p.ResourceServers {
		rs := &p.ResourceServers[i]
		if err := checkOne(fmt.Sprintf(".ResourceServers[%d]%s", i, label(rs.Identifier)), rs.Identifier, servers, &rs.UserPoolID, rs); err != nil {
			return err
		}
	}
	clients := map[string]bool{}
	for i := range p.Clients {
		c := &p.Clients[i]
		key := "name " + c.Input.ClientName
		if c.ID != "" {
			key = "id " + c.ID
		}
		if err := checkOne(fmt.Sprintf(".Clients[%d]%s", i, label(c.Input.ClientName)), key, clients, &c.Input.UserPoolID, &c.Input); err != nil {
			return err
		}
	}
	users := map[string]bool{}
	for i, u := range p.Users {
		where := fmt.Sprintf(".Users[%d]%s", i, label(u.Username))
		switch {
		case u.Username == "":
			return fmt.Errorf("%s: Username: required", where)
		case users[u.Username]:
			return fmt.Errorf("%s: Username: another user has the same", where)
		case u.Password != "" && u.TemporaryPassword != "":
			return fmt.Errorf("%s: Password: give Password (permanent) or TemporaryPassword, not both", where)
		}
		users[u.Username] = true
		for _, g := range u.Groups {
			if !groups["group "+g] {
				return fmt.Errorf("%s: Groups: %q is not in the pool's Groups", where, g)
			}
		}
		if _, err := attributes(u.Attributes); err != nil {
			return fmt.Errorf("%s: Attributes: %w", where, err)
		}
	}
	return nil
}

// checkOne refuses an entry seen before under key and runs its input's
// own checks with a placeholder pool id, which the apply replaces.
func checkOne(where, key string, seen map[string]bool, poolID *string, in validator) error {
	if seen[key] {
		return fmt.Errorf("%s: another entry has the same %s", where, key)
	}
	seen[key] = true
	*poolID = placeholderPool
	if err := in.Validate(); err != nil {
		return fmt.Errorf("%s: %w", where, err)
	}
	return nil
}

// attributes turns a user's attribute map into the API's list, in name
// order. Values are strings in the API; YAML's true and 42 are accepted
// for "true" and "42".
func attributes(m map[string]any) ([]cognito.AttributeType, error) {
	out := make([]cognito.AttributeType, 0, len(m))
	for name, v := range m {
		var s string
		switch v := v.(type) {
		case string:
			s = v
		case bool, float64:
			b, _ := json.Marshal(v)
			s = string(b)
		default:
			return nil, fmt.Errorf("%s: a value must be a string", name)
		}
		out = append(out, cognito.AttributeType{Name: name, Value: s})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

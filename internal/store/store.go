package store

import (
	"context"
	"time"
)

// Store is everything a backend provides. Every backend passes the
// storetest conformance suite; nothing above this package knows which
// backend it talks to.
type Store interface {
	Pools
	Clients
	Domains
	ResourceServers
	IdentityProviders
	SAMLSigningKeys
	SAMLAssertions
	ProviderLinks
	Groups
	Users
	Keys
	RefreshTokens
	AuthCodes
	Codes
	Devices
	WebAuthnCredentials
	Meta
	PoolSettings
	AuthEvents
	ImportJobs

	// InTx runs fn in one transaction against a Store bound to it. fn may
	// be called again when the backend reports a serialisation conflict, so
	// it must not have side effects outside the transaction. A nested InTx
	// on the Store given to fn joins the outer transaction; if the nested
	// fn fails, its writes are undone and the outer transaction goes on.
	// A method of the tx Store that fails leaves the transaction usable
	// (backends whose database aborts the transaction on an error use a
	// savepoint per method). Inside fn, use only tx: writing through the
	// outer Store may wait for the transaction fn is running in.
	InTx(ctx context.Context, fn func(tx Store) error) error

	// Close releases the backend's resources.
	Close() error
}

// Page asks for one page of a listing. Listings are ordered by their key
// in byte order ("Z" before "a"), so a page resumes strictly after the key
// given. Listing the children of a missing parent returns an empty list,
// not ErrNotFound: services check the parent where it matters.
type Page struct {
	// Limit is the most records to return; zero or less means 60.
	Limit int
	// After is the Next value of the previous page; empty starts at the beginning.
	After string
}

// Update methods (UpdatePool, UpdateUser, ...) refuse a callback that
// changes the record's key fields with an error.

// Pools stores user pools.
type Pools interface {
	// CreatePool inserts p. ErrAlreadyExists when the id is taken.
	CreatePool(ctx context.Context, p Pool) error
	// GetPool returns the pool. ErrNotFound when there is none.
	GetPool(ctx context.Context, id string) (Pool, error)
	// UpdatePool reads the pool, lets fn change it and writes it back in
	// one transaction. ErrNotFound when there is none; fn's error aborts
	// and is returned as is.
	UpdatePool(ctx context.Context, id string, fn func(*Pool) error) (Pool, error)
	// DeletePool removes the pool and everything in it (clients, domains,
	// resource servers, groups, users). ErrNotFound when there is none.
	DeletePool(ctx context.Context, id string) error
	// ListPools lists pools ordered by id; next is "" on the last page.
	ListPools(ctx context.Context, page Page) (pools []Pool, next string, err error)
}

// Clients stores app clients. Client ids are unique across pools, because
// the hosted endpoints find the pool from the client id alone.
type Clients interface {
	// CreateClient inserts c. ErrNotFound when its pool does not exist,
	// ErrAlreadyExists when the id is taken.
	CreateClient(ctx context.Context, c Client) error
	// GetClient returns the client by id, whatever its pool. ErrNotFound.
	GetClient(ctx context.Context, clientID string) (Client, error)
	// UpdateClient is the read-modify-write of one client. ErrNotFound.
	UpdateClient(ctx context.Context, clientID string, fn func(*Client) error) (Client, error)
	// DeleteClient removes the client. ErrNotFound.
	DeleteClient(ctx context.Context, clientID string) error
	// ListClients lists a pool's clients ordered by id.
	ListClients(ctx context.Context, poolID string, page Page) (clients []Client, next string, err error)
}

// Domains stores user pool domains. A domain name is unique across pools,
// and a pool has at most one domain.
type Domains interface {
	// CreateDomain inserts d. ErrNotFound when the pool does not exist;
	// ErrAlreadyExists when the domain name is taken or the pool already
	// has a domain.
	CreateDomain(ctx context.Context, d Domain) error
	// GetDomain returns the domain by name. ErrNotFound.
	GetDomain(ctx context.Context, domain string) (Domain, error)
	// GetPoolDomain returns the pool's domain. ErrNotFound when it has none.
	GetPoolDomain(ctx context.Context, poolID string) (Domain, error)
	// UpdateDomain is the read-modify-write of one domain. ErrNotFound.
	UpdateDomain(ctx context.Context, domain string, fn func(*Domain) error) (Domain, error)
	// DeleteDomain removes the domain. ErrNotFound.
	DeleteDomain(ctx context.Context, domain string) error
}

// ResourceServers stores OAuth resource servers and their scopes.
type ResourceServers interface {
	// CreateResourceServer inserts rs. ErrNotFound when the pool does not
	// exist, ErrAlreadyExists when the identifier is taken in the pool.
	CreateResourceServer(ctx context.Context, rs ResourceServer) error
	// GetResourceServer returns one. ErrNotFound.
	GetResourceServer(ctx context.Context, poolID, identifier string) (ResourceServer, error)
	// UpdateResourceServer is the read-modify-write of one. ErrNotFound.
	UpdateResourceServer(ctx context.Context, poolID, identifier string, fn func(*ResourceServer) error) (ResourceServer, error)
	// DeleteResourceServer removes one. ErrNotFound.
	DeleteResourceServer(ctx context.Context, poolID, identifier string) error
	// ListResourceServers lists a pool's resource servers ordered by identifier.
	ListResourceServers(ctx context.Context, poolID string, page Page) (servers []ResourceServer, next string, err error)
}

// Groups stores groups and their members.
type Groups interface {
	// CreateGroup inserts g. ErrNotFound when the pool does not exist,
	// ErrAlreadyExists when the name is taken in the pool.
	CreateGroup(ctx context.Context, g Group) error
	// GetGroup returns one. ErrNotFound.
	GetGroup(ctx context.Context, poolID, name string) (Group, error)
	// UpdateGroup is the read-modify-write of one group. ErrNotFound.
	UpdateGroup(ctx context.Context, poolID, name string, fn func(*Group) error) (Group, error)
	// DeleteGroup removes the group and its memberships. ErrNotFound.
	DeleteGroup(ctx context.Context, poolID, name string) error
	// ListGroups lists a pool's groups ordered by name.
	ListGroups(ctx context.Context, poolID string, page Page) (groups []Group, next string, err error)

	// AddUserToGroup makes the user (by sub) a member; adding a member
	// again is not an error. ErrNotFound when the group or user is missing.
	AddUserToGroup(ctx context.Context, poolID, group, sub string) error
	// RemoveUserFromGroup ends a membership; removing a non-member is not
	// an error. ErrNotFound when the group or user is missing.
	RemoveUserFromGroup(ctx context.Context, poolID, group, sub string) error
	// ListGroupsForUser lists the user's groups ordered by name.
	ListGroupsForUser(ctx context.Context, poolID, sub string, page Page) (groups []Group, next string, err error)
	// ListUsersInGroup lists the group's members ordered by username key.
	ListUsersInGroup(ctx context.Context, poolID, group string, page Page) (users []User, next string, err error)
}

// Users stores users. Within a pool the username key, the sub and each
// alias key are unique; the database enforces it.
type Users interface {
	// CreateUser inserts u. ErrNotFound when the pool does not exist; a
	// *ConflictError (which Is ErrAlreadyExists) naming the field that is
	// taken otherwise.
	CreateUser(ctx context.Context, u User) error
	// GetUser finds a user by username key. ErrNotFound.
	GetUser(ctx context.Context, poolID, usernameKey string) (User, error)
	// GetUserBySub finds a user by sub. ErrNotFound.
	GetUserBySub(ctx context.Context, poolID, sub string) (User, error)
	// GetUserBySubAndFamily is GetUserBySub and the state of the refresh
	// token family familyID, read in one statement: every call an access
	// token authorizes checks both, and one read costs the database half
	// of two. The family need not be the user's. ErrNotFound when the
	// user does not exist; a family that does not is FamilyState{}.
	GetUserBySubAndFamily(ctx context.Context, poolID, sub, familyID string) (User, FamilyState, error)
	// GetUserByAlias finds a user by an alias key (AliasEmail,
	// AliasPhone or AliasPreferredUsername). ErrNotFound.
	GetUserByAlias(ctx context.Context, poolID string, alias AliasKind, key string) (User, error)
	// UpdateUser is the read-modify-write of one user, by sub. fn must not
	// change PoolID or Sub. A *ConflictError when the change would take an
	// alias another user has. ErrNotFound.
	UpdateUser(ctx context.Context, poolID, sub string, fn func(*User) error) (User, error)
	// ClearSignInFailures sets the user's FailedSignIns to 0 and
	// LockedUntil to zero in one statement, reading nothing: the reset
	// after a right password, which every sign-in makes. ErrNotFound.
	ClearSignInFailures(ctx context.Context, poolID, sub string) error
	// DeleteUser removes the user and its group memberships. ErrNotFound.
	DeleteUser(ctx context.Context, poolID, sub string) error
	// ListUsers lists a pool's users ordered by username key, keeping only
	// those that match the filter when one is given.
	ListUsers(ctx context.Context, poolID string, filter *UserFilter, page Page) (users []User, next string, err error)
	// CountUsers returns the number of users in the pool (for
	// EstimatedNumberOfUsers).
	CountUsers(ctx context.Context, poolID string) (int64, error)
}

// Pool is a user pool. Its configuration is the Settings document, owned
// and interpreted by the userpool package; the store only keeps it.
type Pool struct {
	ID       string
	Name     string
	Settings []byte // JSON
	// MFA is the part of the pool's MFA configuration the Settings
	// document (a cognito.UserPoolType) has no member for: JSON owned by
	// the userpool package, nil until SetUserPoolMfaConfig first runs. It
	// is kept apart from Settings so that UpdateUserPool, which rewrites
	// the document, leaves it alone, as Cognito does.
	MFA       []byte
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Client is an app client.
type Client struct {
	ID       string
	PoolID   string
	Name     string
	Settings []byte // JSON, owned by the userpool package
	// SecretHash is SHA-256 of the client secret, for constant-time
	// checks of a presented secret; nil when the client has none.
	SecretHash []byte
	// SecretSealed is the secret encrypted with the server's data key.
	// SECRET_HASH (an HMAC keyed with the secret) cannot be verified from
	// a hash, and DescribeUserPoolClient returns the secret, so it must be
	// recoverable; it is never stored in the clear.
	SecretSealed []byte
	// SecretCreatedAt is when the first secret was made; zero for secrets
	// from before rotation, which were made with the client.
	SecretCreatedAt time.Time
	// Secret2 is the second secret AddUserPoolClientSecret adds for a
	// rotation, accepted like the first until one of them is deleted; nil
	// when the client has one secret or none.
	Secret2   *ClientSecret
	CreatedAt time.Time
	UpdatedAt time.Time
}

// ClientSecret is one secret of an app client: hashed for constant-time
// checks and sealed for SECRET_HASH, as Client's first secret is.
type ClientSecret struct {
	Hash      []byte
	Sealed    []byte
	CreatedAt time.Time
}

// Domain is a user pool domain (a prefix or a custom domain).
type Domain struct {
	Domain    string
	PoolID    string
	Settings  []byte // JSON, owned by the userpool package
	CreatedAt time.Time
	UpdatedAt time.Time
}

// ResourceServer is an OAuth resource server of a pool.
type ResourceServer struct {
	PoolID     string
	Identifier string
	Name       string
	Scopes     []Scope
}

// Scope is one custom scope of a resource server.
type Scope struct {
	Name        string
	Description string
}

// Group is a group of users.
type Group struct {
	PoolID      string
	Name        string
	Description string
	RoleARN     string
	Precedence  *int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// User is a user of a pool.
type User struct {
	PoolID string
	Sub    string
	// Username is the internal username as created (a UUID in pools
	// that sign in with e-mail or phone as username).
	Username string
	// UsernameKey is Username normalised for lookups: lower-cased when
	// the pool's usernames are case-insensitive.
	UsernameKey string
	Status      string // cognito UserStatusType
	Enabled     bool
	// PasswordHash is an argon2id PHC string; empty when no password is set.
	PasswordHash string
	// Attributes are the user's attributes in the order they were set,
	// sub included.
	Attributes []Attribute
	// Alias keys: normalised values that must be unique in the pool; empty
	// when the user has no such alias.
	AliasEmail             string
	AliasPhone             string
	AliasPreferredUsername string
	CreatedAt              time.Time
	UpdatedAt              time.Time
	// PasswordUpdatedAt is when the password was last set.
	PasswordUpdatedAt time.Time
	// FailedSignIns counts wrong passwords since the last success; with
	// LockedUntil it is Cognito's "Password attempts exceeded" lockout,
	// kept here so it holds across nodes.
	FailedSignIns int
	LockedUntil   time.Time
	// SignedOutAt is the global sign-out watermark: access tokens issued
	// before it are refused even when they carry no origin_jti.
	SignedOutAt time.Time
	// SRPSalt and SRPVerifier are what USER_SRP_AUTH checks a password
	// against (internal/srp): set together with PasswordHash whenever a
	// password is set, since they cannot be derived from the hash later.
	// Both are empty for users whose password predates them.
	SRPSalt     []byte
	SRPVerifier []byte
	// MFA is the user's multi-factor authentication state.
	MFA UserMFA
}

// UserMFA is a user's MFA settings and TOTP authenticator.
type UserMFA struct {
	// TOTPSecret is the secret of the user's verified authenticator app,
	// sealed with the server's data key: codes are checked against the
	// secret itself, so it must be recoverable, and it is never stored in
	// the clear. Empty when the user has none.
	TOTPSecret []byte
	// TOTPPending is the sealed secret AssociateSoftwareToken issued last,
	// until VerifySoftwareToken shows the user's app has it; the verified
	// secret stays in force meanwhile, as Cognito replaces it only then.
	TOTPPending []byte
	// TOTPName is the FriendlyDeviceName given when the secret was verified.
	TOTPName string
	// TOTPLastStep is the RFC 6238 time step of the last code accepted, so
	// that a code is good only once.
	TOTPLastStep int64
	// TOTPEnabled, SMSEnabled and EmailEnabled are the factors the user
	// turned on (SetUserMFAPreference); Preferred is the one they prefer
	// ("", "SOFTWARE_TOKEN_MFA", "SMS_MFA" or "EMAIL_OTP").
	TOTPEnabled  bool
	SMSEnabled   bool
	EmailEnabled bool
	Preferred    string
	// WebAuthnEnabled says the user turned on passkeys as MFA: a passkey
	// with user verification then satisfies MFA where the pool lets it.
	// It is never the preferred factor.
	WebAuthnEnabled bool
}

// Attribute is one user attribute.
type Attribute struct {
	Name  string
	Value string
}

// Attr returns the value of the named attribute and whether it is set.
func (u *User) Attr(name string) (string, bool) {
	for _, a := range u.Attributes {
		if a.Name == name {
			return a.Value, true
		}
	}
	return "", false
}

// AliasKind names one of the unique alias keys of a user.
type AliasKind int

// The aliases Cognito can make unique in a pool.
const (
	AliasEmail AliasKind = iota + 1
	AliasPhone
	AliasPreferredUsername
)

// UserFilter is one ListUsers filter: Cognito allows a single condition.
type UserFilter struct {
	// Field is an attribute name ("email", "given_name", ...), or one of
	// the user's own fields: FieldUsername, FieldStatus, FieldEnabled.
	Field string
	Value string
	// Prefix selects "starts with" (^=) instead of equality (=).
	Prefix bool
}

// Filter fields that are columns of the user rather than attributes.
const (
	FieldUsername = "username" // matched against UsernameKey
	FieldStatus   = "cognito:user_status"
	FieldEnabled  = "status" // "Enabled" or "Disabled"
	// FieldSub is an attribute every user has, equal to the Sub column,
	// which the store matches instead (it is the primary key's).
	FieldSub = "sub"
)

// ProviderLink makes an upstream identity sign in as an existing user
// (AdminLinkProviderForUser). The identity is named by the provider's user
// id (AttributeName "Cognito_Subject") or by the value of a pool attribute
// the provider's AttributeMapping fills (AttributeName "email", ...).
type ProviderLink struct {
	PoolID         string
	ProviderName   string
	AttributeName  string
	AttributeValue string
	Sub            string
	CreatedAt      time.Time
}

// ProviderLinks stores the links of upstream identities to users. An
// identity links to one user at most; a user's or a provider's links go
// with it.
type ProviderLinks interface {
	// CreateProviderLink inserts l. ErrNotFound when the user or the
	// provider does not exist, ErrAlreadyExists when the identity is
	// linked already.
	CreateProviderLink(ctx context.Context, l ProviderLink) error
	// GetProviderLink returns the link of one identity. ErrNotFound.
	GetProviderLink(ctx context.Context, poolID, provider, attrName, attrValue string) (ProviderLink, error)
	// DeleteProviderLink removes the link of one identity. ErrNotFound.
	DeleteProviderLink(ctx context.Context, poolID, provider, attrName, attrValue string) error
	// ListProviderLinks lists the links to one user, oldest first.
	ListProviderLinks(ctx context.Context, poolID, sub string) ([]ProviderLink, error)
}

package userpool

import (
	"regexp"
	"slices"
	"strings"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

// Attribute names the identity rules refer to.
const (
	attrSub               = "sub"
	attrEmail             = "email"
	attrEmailVerified     = "email_verified"
	attrPhone             = "phone_number"
	attrPhoneVerified     = "phone_number_verified"
	attrPreferredUsername = "preferred_username"
	attrValueTrue         = "true"
	attrValueFalse        = "false"
	attrCustomPrefix      = "custom:"
	attrDevCustomPrefix   = "dev:custom:"
)

// Cognito's answers about the Username parameter and sign-in identifiers.
const (
	msgUserNotFound         = "User does not exist."
	msgUserExists           = "User account already exists"
	msgUsernameEmailOrPhone = "Username should be either an email or a phone number."
	msgUsernameEmail        = "Username should be an email."
	msgUsernamePhone        = "Username should be a phone number."
	msgUsernameEmailAlias   = "Username cannot be of email format, since user pool is configured for email alias."
	// Cognito's phone wording is reported in the same shape as the email
	// one; the exact text is unverified.
	msgUsernamePhoneAlias = "Username cannot be of phone number format, since user pool is configured for phone number alias."
)

// msgAccountExists is the message of both AliasExistsException and (in
// pools that sign in with email or phone as username)
// UsernameExistsException when an identifier is taken.
func msgAccountExists(attr string) string {
	return "An account with the given " + attr + " already exists."
}

// identity is how a pool names and finds its users: whether usernames are
// case-sensitive, which attributes stand in for the username
// (UsernameAttributes) and which are extra sign-in aliases
// (AliasAttributes). Cognito allows one of the two lists, not both.
type identity struct {
	caseSensitive bool
	usernameAttrs []string
	aliasAttrs    []string
}

// poolIdentity reads the pool's sign-in configuration. A pool without
// UsernameConfiguration is case-sensitive: that is Cognito's documented
// default for CaseSensitive (only the console proposes false).
func poolIdentity(p *cognito.UserPoolType) identity {
	id := identity{caseSensitive: true, usernameAttrs: p.UsernameAttributes, aliasAttrs: p.AliasAttributes}
	if c := p.UsernameConfiguration; c != nil && c.CaseSensitive != nil {
		id.caseSensitive = *c.CaseSensitive
	}
	return id
}

// fold lower-cases s in case-insensitive pools; lookups and uniqueness go
// through it, while the value as given is what is stored and returned.
func (id identity) fold(s string) string {
	if id.caseSensitive {
		return s
	}
	return strings.ToLower(s)
}

// usernameKey is the store's lookup key for a username.
func (id identity) usernameKey(username string) string { return id.fold(username) }

// aliasKinds are the alias keys a lookup by Username may go through in this
// pool, in the order they are tried.
func (id identity) aliasKinds() []store.AliasKind {
	var kinds []store.AliasKind
	names := id.usernameAttrs
	if len(names) == 0 {
		names = id.aliasAttrs
	}
	if slices.Contains(names, attrEmail) {
		kinds = append(kinds, store.AliasEmail)
	}
	if slices.Contains(names, attrPhone) {
		kinds = append(kinds, store.AliasPhone)
	}
	if slices.Contains(names, attrPreferredUsername) {
		kinds = append(kinds, store.AliasPreferredUsername)
	}
	return kinds
}

// aliasKey normalises a value for the alias key of kind. CaseSensitive
// false makes the email and preferred_username aliases case-insensitive
// too (Cognito's documentation of UsernameConfiguration); phone numbers
// have no case.
func (id identity) aliasKey(kind store.AliasKind, value string) string {
	if kind == store.AliasPhone {
		return value
	}
	return id.fold(value)
}

// aliasAttr is the attribute an alias kind is made of.
func aliasAttr(kind store.AliasKind) string {
	switch kind {
	case store.AliasEmail:
		return attrEmail
	case store.AliasPhone:
		return attrPhone
	default:
		return attrPreferredUsername
	}
}

// aliasField is the ConflictError.Field a store reports for kind.
func aliasKindOfField(field string) (store.AliasKind, bool) {
	switch field {
	case attrEmail:
		return store.AliasEmail, true
	case attrPhone:
		return store.AliasPhone, true
	case attrPreferredUsername:
		return store.AliasPreferredUsername, true
	}
	return 0, false
}

// aliasKeys computes the user's unique identifier keys from its
// attributes. In pools that sign in with email or phone as username those
// attributes are identifiers whether verified or not. In pools with
// aliases an email or phone alias exists only while the value is verified
// (Cognito lets unverified users share an address; the alias belongs to
// the one who verifies it), and preferred_username, which has no
// verification, is an alias whenever it is set.
func (id identity) aliasKeys(u *store.User) {
	u.AliasEmail, u.AliasPhone, u.AliasPreferredUsername = "", "", ""
	for _, kind := range id.aliasKinds() {
		v, ok := u.Attr(aliasAttr(kind))
		if !ok || v == "" {
			continue
		}
		if len(id.usernameAttrs) == 0 {
			switch kind {
			case store.AliasEmail:
				if verified, _ := u.Attr(attrEmailVerified); verified != attrValueTrue {
					continue
				}
			case store.AliasPhone:
				if verified, _ := u.Attr(attrPhoneVerified); verified != attrValueTrue {
					continue
				}
			}
		}
		setAliasKey(u, kind, id.aliasKey(kind, v))
	}
}

func setAliasKey(u *store.User, kind store.AliasKind, key string) {
	switch kind {
	case store.AliasEmail:
		u.AliasEmail = key
	case store.AliasPhone:
		u.AliasPhone = key
	case store.AliasPreferredUsername:
		u.AliasPreferredUsername = key
	}
}

func aliasKeyOf(u *store.User, kind store.AliasKind) string {
	switch kind {
	case store.AliasEmail:
		return u.AliasEmail
	case store.AliasPhone:
		return u.AliasPhone
	default:
		return u.AliasPreferredUsername
	}
}

// emailRE and phoneRE are the formats Cognito accepts for the email and
// phone_number attributes: an address with one @ and no spaces, and
// E.164 (+, then up to 15 digits, no leading zero).
var (
	emailRE = regexp.MustCompile(`^[^\s@]+@[^\s@]+$`)
	phoneRE = regexp.MustCompile(`^\+[1-9][0-9]{1,14}$`)
)

func isEmail(s string) bool { return emailRE.MatchString(s) }
func isPhone(s string) bool { return phoneRE.MatchString(s) }

// newUsername decides the internal username of a user being created and,
// in pools that sign in with email or phone as username, which attribute
// the given username becomes. newSub is the user's new sub, which is also
// the internal username there (Cognito shows a UUID as Username in such
// pools).
func (id identity) newUsername(given, newSub string) (username, attr string, err error) {
	if len(id.usernameAttrs) > 0 {
		email, phone := slices.Contains(id.usernameAttrs, attrEmail), slices.Contains(id.usernameAttrs, attrPhone)
		switch {
		case email && isEmail(given):
			return newSub, attrEmail, nil
		case phone && isPhone(given):
			return newSub, attrPhone, nil
		case email && phone:
			return "", "", cognito.InvalidParameter(msgUsernameEmailOrPhone)
		case email:
			return "", "", cognito.InvalidParameter(msgUsernameEmail)
		default:
			return "", "", cognito.InvalidParameter(msgUsernamePhone)
		}
	}
	// With an alias, a username shaped like one would make sign-in by
	// that string ambiguous, so Cognito refuses it.
	if slices.Contains(id.aliasAttrs, attrEmail) && isEmail(given) {
		return "", "", cognito.InvalidParameter(msgUsernameEmailAlias)
	}
	if slices.Contains(id.aliasAttrs, attrPhone) && isPhone(given) {
		return "", "", cognito.InvalidParameter(msgUsernamePhoneAlias)
	}
	return given, "", nil
}

// CouldBeUsername reports whether a sign-in name could be a user's own
// username in the pool, rather than only an e-mail address or phone
// number that names one: in a pool with UsernameAttributes every
// username is the user's sub, and with an e-mail or phone alias no
// username may look like one.
func CouldBeUsername(pool *cognito.UserPoolType, name string) bool {
	id := poolIdentity(pool)
	if len(id.usernameAttrs) > 0 {
		return false
	}
	_, _, err := id.newUsername(name, "")
	return err == nil
}

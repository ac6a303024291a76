package tokens

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/userpool/userpool/internal/federation"
)

// ScopeAdmin is the scope of every token the JSON API mints, and the one
// the token-authorized actions (GetUser, ...) require.
const ScopeAdmin = "aws.cognito.signin.user.admin"

// Event describes one authentication event: a sign-in, or a refresh of the
// tokens it produced. The ID and access tokens minted for it share its
// event_id, jti-free facts and times.
type Event struct {
	Issuer   string // https://host/{userPoolId}
	ClientID string
	Sub      string
	Username string // the internal username (cognito:username / username)
	// Attributes the client may read, in the user's order; sub is skipped.
	Attributes []Attribute
	Groups     []string
	// PreferredRole and Roles come from the groups' RoleArn values.
	PreferredRole string
	Roles         []string
	Scopes        []string
	AuthTime      time.Time
	IssuedAt      time.Time
	IDTTL         time.Duration
	AccessTTL     time.Duration
	// OriginJTI identifies the refresh-token family; with JTI it is only
	// present when the client has token revocation enabled.
	OriginJTI string
	EventID   string
	// Revocable adds jti and origin_jti, as Cognito does when the app
	// client has EnableTokenRevocation.
	Revocable bool
	DeviceKey string
	Nonce     string
	// IDJTI and AccessJTI are the tokens' own ids.
	IDJTI     string
	AccessJTI string
	// IDChanges and AccessChanges are what pre token generation asked of
	// each token.
	IDChanges, AccessChanges ClaimChanges
}

// Attribute is a user attribute as it goes into the ID token.
type Attribute struct {
	Name  string
	Value string
}

// AccessClaims are the claims of a Cognito access token, in Cognito's
// order. It is also what verification of an access token returns.
type AccessClaims struct {
	Sub       string   `json:"sub"`
	DeviceKey string   `json:"device_key,omitempty"`
	Groups    []string `json:"cognito:groups,omitempty"`
	Issuer    string   `json:"iss"`
	Version   int      `json:"version"`
	ClientID  string   `json:"client_id"`
	OriginJTI string   `json:"origin_jti,omitempty"`
	EventID   string   `json:"event_id"`
	TokenUse  string   `json:"token_use"`
	Scope     string   `json:"scope"`
	AuthTime  int64    `json:"auth_time"`
	Exp       int64    `json:"exp"`
	Iat       int64    `json:"iat"`
	JTI       string   `json:"jti,omitempty"`
	Username  string   `json:"username"`
}

// HasScope reports whether the token grants scope.
func (c *AccessClaims) HasScope(scope string) bool {
	for _, s := range strings.Fields(c.Scope) {
		if s == scope {
			return true
		}
	}
	return false
}

func (e *Event) accessClaims() *AccessClaims {
	c := &AccessClaims{
		Sub:       e.Sub,
		DeviceKey: e.DeviceKey,
		Groups:    e.Groups,
		Issuer:    e.Issuer,
		Version:   2,
		ClientID:  e.ClientID,
		EventID:   e.EventID,
		TokenUse:  UseAccess,
		Scope:     strings.Join(e.Scopes, " "),
		AuthTime:  e.AuthTime.Unix(),
		Exp:       e.IssuedAt.Add(e.AccessTTL).Unix(),
		Iat:       e.IssuedAt.Unix(),
		Username:  e.Username,
	}
	if e.Revocable {
		c.OriginJTI, c.JTI = e.OriginJTI, e.AccessJTI
	}
	return c
}

// idClaims writes the ID token's payload. It is built by hand because the
// user's attributes are claims of their own, typed as Cognito types them:
// the *_verified attributes are booleans, updated_at a number, and every
// other attribute, custom ones included, a string.
func (e *Event) idClaims() []byte {
	var w objectWriter
	w.str("sub", e.Sub)
	if len(e.Groups) > 0 {
		w.val("cognito:groups", e.Groups)
	}
	if e.PreferredRole != "" {
		w.str("cognito:preferred_role", e.PreferredRole)
	}
	if len(e.Roles) > 0 {
		w.val("cognito:roles", e.Roles)
	}
	for _, a := range e.Attributes {
		switch a.Name {
		case "sub":
			continue
		case "email_verified", "phone_number_verified":
			w.raw(a.Name, strconv.AppendBool(nil, a.Value == "true"))
		case "identities":
			w.raw(a.Name, identitiesClaim(a.Value))
		case "updated_at":
			if n, err := strconv.ParseInt(a.Value, 10, 64); err == nil {
				w.raw(a.Name, strconv.AppendInt(nil, n, 10))
			} else {
				w.str(a.Name, a.Value)
			}
		default:
			w.str(a.Name, a.Value)
		}
	}
	w.str("iss", e.Issuer)
	w.str("cognito:username", e.Username)
	if e.Revocable {
		w.str("origin_jti", e.OriginJTI)
	}
	w.str("aud", e.ClientID)
	w.str("event_id", e.EventID)
	w.str("token_use", UseID)
	w.num("auth_time", e.AuthTime.Unix())
	if e.Nonce != "" {
		w.str("nonce", e.Nonce)
	}
	w.num("exp", e.IssuedAt.Add(e.IDTTL).Unix())
	w.num("iat", e.IssuedAt.Unix())
	if e.Revocable {
		w.str("jti", e.IDJTI)
	}
	return w.close()
}

// objectWriter appends the members of one JSON object in order.
type objectWriter struct {
	buf bytes.Buffer
}

func (w *objectWriter) key(k string) {
	if w.buf.Len() == 0 {
		w.buf.WriteByte('{')
	} else {
		w.buf.WriteByte(',')
	}
	b, _ := json.Marshal(k)
	w.buf.Write(b)
	w.buf.WriteByte(':')
}

func (w *objectWriter) str(k, v string) {
	w.key(k)
	b, _ := json.Marshal(v)
	w.buf.Write(b)
}

func (w *objectWriter) num(k string, v int64) {
	w.key(k)
	w.buf.Write(strconv.AppendInt(nil, v, 10))
}

func (w *objectWriter) raw(k string, v []byte) {
	w.key(k)
	w.buf.Write(v)
}

func (w *objectWriter) val(k string, v any) {
	w.key(k)
	b, _ := json.Marshal(v)
	w.buf.Write(b)
}

func (w *objectWriter) close() []byte {
	if w.buf.Len() == 0 {
		return []byte("{}")
	}
	w.buf.WriteByte('}')
	return w.buf.Bytes()
}

// identitiesClaim is the identities attribute as the ID token carries it
// (reference federation.md §5, observed): an array of objects in the
// attribute's order of members, whose scalars are strings
// ("primary":"true", "dateCreated":"1673913190125"), and issuer null when
// it is. A value that does not parse is carried as the string it is.
func identitiesClaim(v string) []byte {
	var list []federation.IdentitiesEntry
	if err := json.Unmarshal([]byte(v), &list); err != nil {
		b, _ := json.Marshal(v)
		return b
	}
	type claim struct {
		UserID       string  `json:"userId"`
		ProviderName string  `json:"providerName"`
		ProviderType string  `json:"providerType"`
		Issuer       *string `json:"issuer"`
		Primary      string  `json:"primary"`
		DateCreated  string  `json:"dateCreated"`
	}
	out := make([]claim, 0, len(list))
	for _, e := range list {
		out = append(out, claim{e.UserID, e.ProviderName, e.ProviderType, e.Issuer,
			strconv.FormatBool(e.Primary), strconv.FormatInt(e.DateCreated, 10)})
	}
	b, _ := json.Marshal(out)
	return b
}

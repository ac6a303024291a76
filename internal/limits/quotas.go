package limits

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Categories maps each action to its quota category, as the Amazon Cognito
// developer guide's "Quotas in Amazon Cognito" groups them. An action
// missing here has no quota. This is the one place to change it. Two
// placements are ours, the guide's table not naming them where we could
// read it: GetTokensFromRefreshToken with the sign-ins it continues
// (UserAuthentication), and ResendConfirmationCode with the sign-up it
// completes (UserCreation). The passkey actions go where the guide's
// table puts a user's devices, which they are to the user: the listing
// with the reads of a user's resources, registration and deletion with
// their updates; GetUserAuthFactors reads the user, as GetUser does.
var Categories = map[string]string{
	"InitiateAuth": UserAuthentication, "AdminInitiateAuth": UserAuthentication,
	"RespondToAuthChallenge": UserAuthentication, "AdminRespondToAuthChallenge": UserAuthentication,
	"GetTokensFromRefreshToken": UserAuthentication,

	"SignUp": UserCreation, "ConfirmSignUp": UserCreation, "AdminCreateUser": UserCreation,
	"AdminConfirmSignUp": UserCreation, "ResendConfirmationCode": UserCreation,

	"ForgotPassword": UserAccountRecovery, "ConfirmForgotPassword": UserAccountRecovery,
	"ChangePassword": UserAccountRecovery, "AdminResetUserPassword": UserAccountRecovery,
	"AdminSetUserPassword": UserAccountRecovery,

	"GetUser": UserRead, "AdminGetUser": UserRead, "GetUserAuthFactors": UserRead,

	"UpdateUserAttributes": UserUpdate, "AdminUpdateUserAttributes": UserUpdate,
	"DeleteUserAttributes": UserUpdate, "AdminDeleteUserAttributes": UserUpdate,
	"DeleteUser": UserUpdate, "AdminDeleteUser": UserUpdate,
	"AdminDisableUser": UserUpdate, "AdminEnableUser": UserUpdate,
	"VerifyUserAttribute": UserUpdate, "GetUserAttributeVerificationCode": UserUpdate,
	"GlobalSignOut": UserUpdate, "AdminUserGlobalSignOut": UserUpdate,
	"SetUserMFAPreference": UserUpdate, "AdminSetUserMFAPreference": UserUpdate,
	"SetUserSettings": UserUpdate, "AdminSetUserSettings": UserUpdate,
	"AssociateSoftwareToken": UserUpdate, "VerifySoftwareToken": UserUpdate,

	"GetDevice": UserResourceRead, "AdminGetDevice": UserResourceRead,
	"ListDevices": UserResourceRead, "AdminListDevices": UserResourceRead,
	"AdminListGroupsForUser": UserResourceRead, "ListWebAuthnCredentials": UserResourceRead,

	"ConfirmDevice": UserResourceUpdate, "ForgetDevice": UserResourceUpdate, "AdminForgetDevice": UserResourceUpdate,
	"UpdateDeviceStatus": UserResourceUpdate, "AdminUpdateDeviceStatus": UserResourceUpdate,
	"AdminAddUserToGroup": UserResourceUpdate, "AdminRemoveUserFromGroup": UserResourceUpdate,
	"AdminLinkProviderForUser": UserResourceUpdate, "AdminDisableProviderForUser": UserResourceUpdate,
	"StartWebAuthnRegistration": UserResourceUpdate, "CompleteWebAuthnRegistration": UserResourceUpdate,
	"DeleteWebAuthnCredential": UserResourceUpdate,

	"ListUsers": UserList, "ListUsersInGroup": UserList,

	"DescribeUserPool": UserPoolRead, "ListUserPools": UserPoolRead,

	"CreateUserPool": UserPoolUpdate, "UpdateUserPool": UserPoolUpdate, "DeleteUserPool": UserPoolUpdate,

	"GetGroup": UserPoolResourceRead, "ListGroups": UserPoolResourceRead,
	"DescribeResourceServer": UserPoolResourceRead, "ListResourceServers": UserPoolResourceRead,
	"DescribeUserPoolDomain": UserPoolResourceRead, "GetUserPoolMfaConfig": UserPoolResourceRead,
	"ListTagsForResource": UserPoolResourceRead, "GetSigningCertificate": UserPoolResourceRead,

	"CreateGroup": UserPoolResourceUpdate, "UpdateGroup": UserPoolResourceUpdate, "DeleteGroup": UserPoolResourceUpdate,
	"CreateResourceServer": UserPoolResourceUpdate, "UpdateResourceServer": UserPoolResourceUpdate,
	"DeleteResourceServer": UserPoolResourceUpdate, "CreateUserPoolDomain": UserPoolResourceUpdate,
	"UpdateUserPoolDomain": UserPoolResourceUpdate, "DeleteUserPoolDomain": UserPoolResourceUpdate,
	"AddCustomAttributes": UserPoolResourceUpdate, "SetUserPoolMfaConfig": UserPoolResourceUpdate,
	"TagResource": UserPoolResourceUpdate, "UntagResource": UserPoolResourceUpdate,

	"DescribeUserPoolClient": UserPoolClientRead, "ListUserPoolClients": UserPoolClientRead,

	"CreateUserPoolClient": UserPoolClientUpdate, "UpdateUserPoolClient": UserPoolClientUpdate,
	"DeleteUserPoolClient": UserPoolClientUpdate,

	"RevokeToken": UserToken,
}

// The quota categories.
const (
	UserAuthentication     = "UserAuthentication"
	UserCreation           = "UserCreation"
	UserAccountRecovery    = "UserAccountRecovery"
	UserRead               = "UserRead"
	UserUpdate             = "UserUpdate"
	UserResourceRead       = "UserResourceRead"
	UserResourceUpdate     = "UserResourceUpdate"
	UserList               = "UserList"
	UserPoolRead           = "UserPoolRead"
	UserPoolUpdate         = "UserPoolUpdate"
	UserPoolResourceRead   = "UserPoolResourceRead"
	UserPoolResourceUpdate = "UserPoolResourceUpdate"
	UserPoolClientRead     = "UserPoolClientRead"
	UserPoolClientUpdate   = "UserPoolClientUpdate"
	UserToken              = "UserToken"
)

// challengeAnswers are the actions the developer guide counts apart from
// the rest of UserAuthentication, at three times its rate, since a sign-in
// may answer several challenges. Here they have a bucket of their own at
// that rate (the guide's spill-over of the excess into the category is
// left out).
var challengeAnswers = map[string]bool{"RespondToAuthChallenge": true, "AdminRespondToAuthChallenge": true}

// Quotas holds a token bucket per configured category.
type Quotas struct {
	now     func() time.Time
	buckets map[string]*bucket // by category, and challengeBucket
}

const challengeBucket = UserAuthentication + "/challenges"

// ParseQuotas reads "UserAuthentication=120,UserCreation=50": requests per
// second per category; each category's burst is one second's worth. An
// empty string means no quotas (nil).
func ParseQuotas(s string, now func() time.Time) (*Quotas, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	known := map[string]bool{}
	for _, c := range Categories {
		known[c] = true
	}
	q := &Quotas{now: now, buckets: map[string]*bucket{}}
	for _, part := range strings.Split(s, ",") {
		name, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return nil, fmt.Errorf("quota %q: want Category=requests-per-second", part)
		}
		if !known[name] {
			return nil, fmt.Errorf("quota %q: unknown category (known: %s)", name, strings.Join(sortedKeys(known), ", "))
		}
		rps, err := strconv.ParseFloat(val, 64)
		if err != nil || rps <= 0 || math.IsInf(rps, 0) || math.IsNaN(rps) {
			return nil, fmt.Errorf("quota %s: %q is not a positive number of requests per second", name, val)
		}
		if _, dup := q.buckets[name]; dup {
			return nil, fmt.Errorf("quota %s given twice", name)
		}
		q.buckets[name] = newBucket(rps, now())
		if name == UserAuthentication {
			q.buckets[challengeBucket] = newBucket(3*rps, now())
		}
	}
	return q, nil
}

// Allow reports whether one more call of action fits its category's
// quota, and counts it if so. Actions without a configured quota always
// fit.
func (q *Quotas) Allow(action string) bool {
	if q == nil {
		return true
	}
	name := Categories[action]
	if challengeAnswers[action] {
		name = challengeBucket
	}
	b := q.buckets[name]
	return b == nil || b.take(q.now())
}

// bucket is a token bucket: rate tokens a second, at most burst held.
type bucket struct {
	mu     sync.Mutex
	rate   float64
	burst  float64
	tokens float64
	last   time.Time
}

func newBucket(rps float64, now time.Time) *bucket {
	burst := math.Max(1, math.Ceil(rps))
	return &bucket{rate: rps, burst: burst, tokens: burst, last: now}
}

func (b *bucket) take(now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if d := now.Sub(b.last); d > 0 {
		b.tokens = math.Min(b.burst, b.tokens+d.Seconds()*b.rate)
		b.last = now
	}
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

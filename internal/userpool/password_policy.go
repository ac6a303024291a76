package userpool

import (
	"crypto/rand"
	"math/big"
	"strings"

	"github.com/userpool/userpool/internal/cognito"
)

// passwordPolicy is a pool's password policy as the checks need it.
type passwordPolicy struct {
	minLength int
	lower     bool
	upper     bool
	numbers   bool
	symbols   bool
}

// defaultPasswordPolicy is what Cognito applies to a pool created without
// a PasswordPolicy: eight characters with all four kinds required.
var defaultPasswordPolicy = passwordPolicy{minLength: 8, lower: true, upper: true, numbers: true, symbols: true}

// poolPasswordPolicy reads the pool's policy. A pool without one gets
// Cognito's default. Inside a policy an absent Require* is false, as
// DescribeUserPool shows it after CreateUserPool with a partial policy; an
// absent MinimumLength is 8, the console's default (the reference is
// silent on that corner).
func poolPasswordPolicy(p *cognito.UserPoolType) passwordPolicy {
	if p == nil || p.Policies == nil || p.Policies.PasswordPolicy == nil {
		return defaultPasswordPolicy
	}
	pp := p.Policies.PasswordPolicy
	out := passwordPolicy{minLength: 8}
	if pp.MinimumLength != nil {
		out.minLength = int(*pp.MinimumLength)
	}
	out.lower = pp.RequireLowercase != nil && *pp.RequireLowercase
	out.upper = pp.RequireUppercase != nil && *pp.RequireUppercase
	out.numbers = pp.RequireNumbers != nil && *pp.RequireNumbers
	out.symbols = pp.RequireSymbols != nil && *pp.RequireSymbols
	return out
}

// passwordSymbols are the characters Cognito counts as symbols (its
// developer guide's list, space included).
const passwordSymbols = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- "

// Cognito's answers for a password that breaks the policy. It names the
// first rule broken, in this order: length, lower case, upper case,
// numbers, symbols.
const (
	msgPasswordPolicyPrefix = "Password did not conform with policy: "
	msgPasswordTooShort     = msgPasswordPolicyPrefix + "Password not long enough"
	msgPasswordNoLower      = msgPasswordPolicyPrefix + "Password must have lowercase characters"
	msgPasswordNoUpper      = msgPasswordPolicyPrefix + "Password must have uppercase characters"
	msgPasswordNoNumber     = msgPasswordPolicyPrefix + "Password must have numeric characters"
	msgPasswordNoSymbol     = msgPasswordPolicyPrefix + "Password must have symbol characters"
)

// check returns InvalidPasswordException naming the first rule pw breaks,
// or nil. Length counts characters, not bytes; the letter rules count
// only Basic Latin letters, as Cognito's do.
func (pp passwordPolicy) check(pw string) error {
	if len([]rune(pw)) < pp.minLength {
		return cognito.InvalidPassword(msgPasswordTooShort)
	}
	var lower, upper, number, symbol bool
	for _, r := range pw {
		switch {
		case r >= 'a' && r <= 'z':
			lower = true
		case r >= 'A' && r <= 'Z':
			upper = true
		case r >= '0' && r <= '9':
			number = true
		case strings.ContainsRune(passwordSymbols, r):
			symbol = true
		}
	}
	switch {
	case pp.lower && !lower:
		return cognito.InvalidPassword(msgPasswordNoLower)
	case pp.upper && !upper:
		return cognito.InvalidPassword(msgPasswordNoUpper)
	case pp.numbers && !number:
		return cognito.InvalidPassword(msgPasswordNoNumber)
	case pp.symbols && !symbol:
		return cognito.InvalidPassword(msgPasswordNoSymbol)
	}
	return nil
}

// Alphabets of generated temporary passwords. The symbols leave out space,
// quotes and backslash, which are easy to lose when a password is pasted
// from an invitation.
const (
	genLower   = "abcdefghijklmnopqrstuvwxyz"
	genUpper   = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	genNumbers = "0123456789"
	genSymbols = "^$*.[]{}()?!@#%&/,><:;|_~=+-"
)

// generatedPasswordLength is the least length of a generated temporary
// password: long enough to be unguessable whatever the policy says.
const generatedPasswordLength = 16

// generate returns a random password that satisfies the policy: one
// character of every kind (so any policy is met), the rest drawn from all
// kinds, shuffled, at least generatedPasswordLength long.
func (pp passwordPolicy) generate() string {
	n := max(pp.minLength, generatedPasswordLength)
	all := genLower + genUpper + genNumbers + genSymbols
	b := []byte(randomString(1, genLower) + randomString(1, genUpper) + randomString(1, genNumbers) + randomString(1, genSymbols) + randomString(n-4, all))
	for i := len(b) - 1; i > 0; i-- {
		j, err := rand.Int(rand.Reader, big.NewInt(int64(i+1)))
		if err != nil {
			panic("userpool: crypto/rand failed: " + err.Error())
		}
		b[i], b[j.Int64()] = b[j.Int64()], b[i]
	}
	return string(b)
}

package userpool

import (
	"errors"
	"strings"
	"testing"

	"github.com/userpool/userpool/internal/cognito"
)

func TestPoolPasswordPolicy(t *testing.T) {
	tr, fa := true, false
	six := int64(6)
	tests := []struct {
		name string
		pool *cognito.UserPoolType
		want passwordPolicy
	}{
		{"no policies", &cognito.UserPoolType{}, defaultPasswordPolicy},
		{"no password policy", &cognito.UserPoolType{Policies: &cognito.UserPoolPolicyType{}}, defaultPasswordPolicy},
		{"explicit", &cognito.UserPoolType{Policies: &cognito.UserPoolPolicyType{PasswordPolicy: &cognito.PasswordPolicyType{
			MinimumLength: &six, RequireLowercase: &tr, RequireUppercase: &fa, RequireNumbers: &tr, RequireSymbols: &fa,
		}}}, passwordPolicy{minLength: 6, lower: true, numbers: true}},
		{"partial: absent rules are off, length defaults to 8", &cognito.UserPoolType{Policies: &cognito.UserPoolPolicyType{PasswordPolicy: &cognito.PasswordPolicyType{
			RequireSymbols: &tr,
		}}}, passwordPolicy{minLength: 8, symbols: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := poolPasswordPolicy(tt.pool); got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestPasswordPolicyCheck(t *testing.T) {
	all := defaultPasswordPolicy
	tests := []struct {
		name   string
		policy passwordPolicy
		pw     string
		want   string // the InvalidPasswordException message, "" when accepted
	}{
		{"good", all, "Passw0rd!", ""},
		{"too short", all, "Pa0!", msgPasswordTooShort},
		{"length counts characters, not bytes", passwordPolicy{minLength: 4}, "éééé", ""},
		{"length first", all, "a", msgPasswordTooShort},
		{"no lower case", all, "PASSW0RD!", msgPasswordNoLower},
		{"no upper case", all, "passw0rd!", msgPasswordNoUpper},
		{"no number", all, "Password!", msgPasswordNoNumber},
		{"no symbol", all, "Passw0rdd", msgPasswordNoSymbol},
		{"space is a symbol", all, "Passw0rd d", ""},
		{"backquote is a symbol", all, "Passw0rd`", ""},
		{"non-Latin letters are not letters", all, "ÉÉÉÉ0000!", msgPasswordNoLower},
		{"lower before upper", all, "00000000!", msgPasswordNoLower},
		{"nothing required", passwordPolicy{minLength: 6}, "aaaaaa", ""},
		{"only numbers required", passwordPolicy{minLength: 6, numbers: true}, "aaaaaa", msgPasswordNoNumber},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.policy.check(tt.pw)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("check(%q) = %v, want nil", tt.pw, err)
				}
				return
			}
			var ce *cognito.Error
			if !errors.As(err, &ce) || ce.Type != cognito.TypeInvalidPassword || ce.Message != tt.want {
				t.Fatalf("check(%q) = %v, want InvalidPasswordException %q", tt.pw, err, tt.want)
			}
		})
	}
}

func TestPasswordPolicyGenerate(t *testing.T) {
	for _, p := range []passwordPolicy{defaultPasswordPolicy, {minLength: 6}, {minLength: 99, upper: true, symbols: true}} {
		seen := map[string]bool{}
		for range 50 {
			pw := p.generate()
			if err := p.check(pw); err != nil {
				t.Fatalf("generated %q breaks %+v: %v", pw, p, err)
			}
			if err := defaultPasswordPolicy.check(pw); err != nil {
				t.Fatalf("generated %q lacks a kind of character: %v", pw, err)
			}
			if len(pw) < max(p.minLength, generatedPasswordLength) {
				t.Fatalf("generated %q is shorter than %d", pw, max(p.minLength, generatedPasswordLength))
			}
			if strings.ContainsAny(pw, " \"'\\`") {
				t.Fatalf("generated %q has a character that is easy to lose", pw)
			}
			if seen[pw] {
				t.Fatalf("generated %q twice", pw)
			}
			seen[pw] = true
		}
	}
}

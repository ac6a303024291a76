package userpool

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

func TestPoolIdentity(t *testing.T) {
	if !poolIdentity(&cognito.UserPoolType{}).caseSensitive {
		t.Error("a pool without UsernameConfiguration must be case-sensitive")
	}
	p := &cognito.UserPoolType{UsernameConfiguration: &cognito.UsernameConfigurationType{CaseSensitive: bptr(false)}}
	id := poolIdentity(p)
	if id.caseSensitive || id.usernameKey("BoB") != "bob" || id.aliasKey(store.AliasEmail, "A@X.org") != "a@x.org" {
		t.Errorf("case-insensitive pool folds nothing: %+v", id)
	}
	if poolIdentity(&cognito.UserPoolType{}).usernameKey("BoB") != "BoB" {
		t.Error("case-sensitive pool folds usernames")
	}
}

func TestNewUsername(t *testing.T) {
	const sub = "6b1f3a52-0d4e-4a8e-9a43-3b1f7a0c2d11"
	emailOrPhone := identity{caseSensitive: true, usernameAttrs: []string{"email", "phone_number"}}
	emailOnly := identity{caseSensitive: true, usernameAttrs: []string{"email"}}
	phoneOnly := identity{caseSensitive: true, usernameAttrs: []string{"phone_number"}}
	aliases := identity{caseSensitive: true, aliasAttrs: []string{"email", "phone_number", "preferred_username"}}
	plain := identity{caseSensitive: true}
	tests := []struct {
		name         string
		id           identity
		given        string
		wantUsername string
		wantAttr     string
		err          string
	}{
		{"plain", plain, "bob", "bob", "", ""},
		{"plain takes an email-shaped name", plain, "bob@example.com", "bob@example.com", "", ""},
		{"email as username", emailOrPhone, "bob@example.com", sub, "email", ""},
		{"phone as username", emailOrPhone, "+15551234567", sub, "phone_number", ""},
		{"neither", emailOrPhone, "bob", "", "", msgUsernameEmailOrPhone},
		{"email only", emailOnly, "+15551234567", "", "", msgUsernameEmail},
		{"phone only", phoneOnly, "bob@example.com", "", "", msgUsernamePhone},
		{"alias refuses email shape", aliases, "bob@example.com", "", "", msgUsernameEmailAlias},
		{"alias refuses phone shape", aliases, "+15551234567", "", "", msgUsernamePhoneAlias},
		{"alias takes a plain name", aliases, "bob", "bob", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, attr, err := tt.id.newUsername(tt.given, sub)
			if tt.err != "" {
				wantInvalidParameter(t, err, tt.err)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if u != tt.wantUsername || attr != tt.wantAttr {
				t.Errorf("newUsername(%q) = %q, %q; want %q, %q", tt.given, u, attr, tt.wantUsername, tt.wantAttr)
			}
		})
	}
}

func TestAliasKeys(t *testing.T) {
	type keys struct{ Email, Phone, Preferred string }
	tests := []struct {
		name  string
		id    identity
		attrs []store.Attribute
		want  keys
	}{
		{"no aliases", identity{caseSensitive: true},
			attrs("email", "a@x", "email_verified", "true", "preferred_username", "p"), keys{}},
		{"alias needs verification", identity{caseSensitive: true, aliasAttrs: []string{"email", "phone_number", "preferred_username"}},
			attrs("email", "A@x", "email_verified", "false", "phone_number", "+1555", "preferred_username", "Pat"), keys{Preferred: "Pat"}},
		{"verified aliases, folded", identity{caseSensitive: false, aliasAttrs: []string{"email", "phone_number", "preferred_username"}},
			attrs("email", "A@x", "email_verified", "true", "phone_number", "+1555", "phone_number_verified", "true", "preferred_username", "Pat"),
			keys{Email: "a@x", Phone: "+1555", Preferred: "pat"}},
		{"only configured aliases", identity{caseSensitive: true, aliasAttrs: []string{"phone_number"}},
			attrs("email", "a@x", "email_verified", "true", "phone_number", "+1555", "phone_number_verified", "true"), keys{Phone: "+1555"}},
		{"username attributes need no verification", identity{caseSensitive: true, usernameAttrs: []string{"email", "phone_number"}},
			attrs("email", "a@x", "phone_number", "+1555"), keys{Email: "a@x", Phone: "+1555"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := store.User{Attributes: tt.attrs, AliasEmail: "stale"}
			tt.id.aliasKeys(&u)
			if diff := cmp.Diff(tt.want, keys{u.AliasEmail, u.AliasPhone, u.AliasPreferredUsername}); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

package userpool

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

func TestParseFilter(t *testing.T) {
	tests := []struct {
		in   string
		want userFilter
		ok   bool
		err  string // the InvalidParameterException message, "" for none
	}{
		{in: "", ok: false},
		{in: "   ", ok: false},
		{in: `email = "a@example.com"`, want: userFilter{attr: "email", value: "a@example.com"}, ok: true},
		{in: `email="a@example.com"`, want: userFilter{attr: "email", value: "a@example.com"}, ok: true},
		{in: `  phone_number ^= "+33"  `, want: userFilter{attr: "phone_number", value: "+33", prefix: true}, ok: true},
		{in: `phone_number^="+33"`, want: userFilter{attr: "phone_number", value: "+33", prefix: true}, ok: true},
		{in: "name\t=\t\"Jo\"", want: userFilter{attr: "name", value: "Jo"}, ok: true},
		{in: `family_name = ""`, want: userFilter{attr: "family_name", value: ""}, ok: true},
		{in: `given_name = "say \"hi\""`, want: userFilter{attr: "given_name", value: `say "hi"`}, ok: true},
		{in: `given_name = "back\\slash"`, want: userFilter{attr: "given_name", value: `back\slash`}, ok: true},
		{in: `cognito:user_status = "CONFIRMED"`, want: userFilter{attr: "cognito:user_status", value: "CONFIRMED"}, ok: true},
		{in: `status = "Disabled"`, want: userFilter{attr: "status", value: "Disabled"}, ok: true},
		{in: `username ^= "jo"`, want: userFilter{attr: "username", value: "jo", prefix: true}, ok: true},
		{in: `sub = "1c2d"`, want: userFilter{attr: "sub", value: "1c2d"}, ok: true},
		{in: `preferred_username = "é 日本"`, want: userFilter{attr: "preferred_username", value: "é 日本"}, ok: true},
		{in: `email = "a = b"`, want: userFilter{attr: "email", value: "a = b"}, ok: true},

		{in: `username = foo`, err: msgFilterParse},
		{in: `username=`, err: msgFilterParse},
		{in: `username`, err: msgFilterParse},
		{in: `= "x"`, err: msgFilterParse},
		{in: `"x"`, err: msgFilterParse},
		{in: `email == "x"`, err: msgFilterParse},
		{in: `email ^ "x"`, err: msgFilterParse},
		{in: `email != "x"`, err: msgFilterParse},
		{in: `email = "unterminated`, err: msgFilterParse},
		{in: `email = "ends in backslash\`, err: msgFilterParse},
		{in: `email = 'single'`, err: msgFilterParse},
		{in: `email = "a" and name = "b"`, err: msgFilterParse},
		{in: `email = "a" "b"`, err: msgFilterParse},
		{in: `email name = "b"`, err: msgFilterParse},

		{in: `custom:plan = "pro"`, err: msgFilterAttribute("custom:plan")},
		{in: `nickname = "x"`, err: msgFilterAttribute("nickname")},
		{in: `Email = "x"`, err: msgFilterAttribute("Email")},
		{in: `email_verified = "true"`, err: msgFilterAttribute("email_verified")},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok, err := parseFilter(tt.in)
			if tt.err != "" {
				var ce *cognito.Error
				if !errors.As(err, &ce) || ce.Type != cognito.TypeInvalidParameter || ce.Message != tt.err {
					t.Fatalf("parseFilter(%q) err = %v, want InvalidParameterException %q", tt.in, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseFilter(%q): %v", tt.in, err)
			}
			if ok != tt.ok {
				t.Fatalf("parseFilter(%q) ok = %v, want %v", tt.in, ok, tt.ok)
			}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(userFilter{})); diff != "" {
				t.Errorf("parseFilter(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestStoreFilter(t *testing.T) {
	sensitive := identity{caseSensitive: true}
	insensitive := identity{caseSensitive: false}
	tests := []struct {
		name string
		f    userFilter
		id   identity
		want store.UserFilter
	}{
		{"username kept in a case-sensitive pool", userFilter{attr: "username", value: "Bob"}, sensitive,
			store.UserFilter{Field: store.FieldUsername, Value: "Bob"}},
		{"username folded in a case-insensitive pool", userFilter{attr: "username", value: "Bob", prefix: true}, insensitive,
			store.UserFilter{Field: store.FieldUsername, Value: "bob", Prefix: true}},
		{"user status is case-insensitive", userFilter{attr: "cognito:user_status", value: "force_change"}, sensitive,
			store.UserFilter{Field: store.FieldStatus, Value: "FORCE_CHANGE"}},
		{"enabled status compares exactly", userFilter{attr: "status", value: "enabled"}, insensitive,
			store.UserFilter{Field: store.FieldEnabled, Value: "enabled"}},
		{"attributes compare exactly", userFilter{attr: "email", value: "A@B.C"}, insensitive,
			store.UserFilter{Field: "email", Value: "A@B.C"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(&tt.want, tt.f.storeFilter(tt.id)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// quoteFilterValue writes v as the filter grammar quotes it.
func quoteFilterValue(v string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(v) + `"`
}

// FuzzParseFilter checks that no input panics the parser, that every
// accepted filter names a searchable attribute, and that an accepted
// filter written back in the grammar parses to the same filter.
func FuzzParseFilter(f *testing.F) {
	for _, seed := range []string{
		``, `email = "a@example.com"`, `phone_number^="+33"`, `given_name = "say \"hi\""`,
		`username = foo`, `email = "unterminated`, `custom:x = "y"`, `status = "Enabled"`,
		`email = "a\`, `^=`, `=""`, "\x00", `cognito:user_status ^= "UN"`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, ok, err := parseFilter(in)
		if err != nil {
			var ce *cognito.Error
			if !errors.As(err, &ce) || ce.Type != cognito.TypeInvalidParameter {
				t.Fatalf("parseFilter(%q) err = %v, want an InvalidParameterException", in, err)
			}
			return
		}
		if !ok {
			if strings.Trim(in, " \t\r\n") != "" {
				t.Fatalf("parseFilter(%q) accepted a non-blank filter as no filter", in)
			}
			return
		}
		if !searchable[got.attr] {
			t.Fatalf("parseFilter(%q) accepted attribute %q", in, got.attr)
		}
		op := " = "
		if got.prefix {
			op = " ^= "
		}
		again, ok, err := parseFilter(got.attr + op + quoteFilterValue(got.value))
		if err != nil || !ok || again != got {
			t.Fatalf("round trip of %q: got %+v, %v, %v; want %+v", in, again, ok, err, got)
		}
	})
}

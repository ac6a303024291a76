package userpool

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

func bptr(b bool) *bool { return &b }

// attrTestPool has a required standard attribute, an immutable one, and
// custom attributes of each type, stored the way CreateUserPool stores
// them (prefixed) and the way its input names them (bare).
func attrTestPool() *cognito.UserPoolType {
	return &cognito.UserPoolType{SchemaAttributes: []cognito.SchemaAttributeType{
		{Name: "name", Required: bptr(true), Mutable: bptr(true)},
		{Name: "custom:plan", AttributeDataType: "String", Mutable: bptr(true),
			StringAttributeConstraints: &cognito.StringAttributeConstraintsType{MinLength: "2", MaxLength: "5"}},
		{Name: "custom:tenant", AttributeDataType: "String", Mutable: bptr(false)},
		{Name: "age", AttributeDataType: "Number",
			NumberAttributeConstraints: &cognito.NumberAttributeConstraintsType{MinValue: "0", MaxValue: "150"}},
		{Name: "dev:custom:score", AttributeDataType: "Number", DeveloperOnlyAttribute: bptr(true)},
		{Name: "custom:vip", AttributeDataType: "Boolean"},
	}}
}

func attrs(pairs ...string) []store.Attribute {
	var out []store.Attribute
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, store.Attribute{Name: pairs[i], Value: pairs[i+1]})
	}
	return out
}

func wire(pairs ...string) []cognito.AttributeType {
	var out []cognito.AttributeType
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, cognito.AttributeType{Name: pairs[i], Value: pairs[i+1]})
	}
	return out
}

// wantInvalidParameter asserts err is InvalidParameterException with msg.
func wantInvalidParameter(t *testing.T, err error, msg string) {
	t.Helper()
	var ce *cognito.Error
	if !errors.As(err, &ce) || ce.Type != cognito.TypeInvalidParameter || ce.Message != msg {
		t.Fatalf("err = %v, want InvalidParameterException %q", err, msg)
	}
}

func TestPoolSchema(t *testing.T) {
	s := poolSchema(attrTestPool())
	for _, name := range []string{"sub", "email", "email_verified", "updated_at", "custom:plan", "custom:tenant", "custom:age", "dev:custom:score", "custom:vip"} {
		if _, ok := s[name]; !ok {
			t.Errorf("schema lacks %s", name)
		}
	}
	for _, name := range []string{"age", "plan", "custom:score", "score"} {
		if _, ok := s[name]; ok {
			t.Errorf("schema has %s", name)
		}
	}
	if !s["name"].required || s["email"].required {
		t.Error("required flags not applied")
	}
	if s["custom:tenant"].mutable || !s["custom:plan"].mutable || s["sub"].mutable {
		t.Error("mutable flags not applied")
	}
	if d := s["custom:plan"]; d.minLen != 2 || d.maxLen != 5 {
		t.Errorf("custom:plan bounds = %d..%d, want 2..5", d.minLen, d.maxLen)
	}
}

func TestNewUserAttributes(t *testing.T) {
	s := poolSchema(attrTestPool())
	got, err := s.newUserAttributes(wire(
		"email", "a@example.com", "custom:plan", "pro", "email_verified", "TRUE",
		"custom:age", "42", "dev:custom:score", "-1.5", "custom:vip", "false",
		"custom:plan", "free", "given_name", "", "birthdate", "2000-01-31",
	))
	if err != nil {
		t.Fatal(err)
	}
	want := attrs("email", "a@example.com", "custom:plan", "free", "email_verified", "true",
		"custom:age", "42", "dev:custom:score", "-1.5", "custom:vip", "false", "birthdate", "2000-01-31")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}

	const prefix = "Attributes did not conform to the schema: "
	tests := []struct {
		name  string
		given []cognito.AttributeType
		want  string
	}{
		{"unknown", wire("custom:nope", "x"), prefix + "custom:nope: Attribute does not exist in the schema.\n"},
		{"custom without prefix", wire("plan", "x"), prefix + "plan: Attribute does not exist in the schema.\n"},
		{"several, one line each", wire("nope", "x", "custom:nope", "y"),
			prefix + "nope: Attribute does not exist in the schema.\ncustom:nope: Attribute does not exist in the schema.\n"},
		{"sub is the server's", wire("sub", "x"), prefix + "sub: " + reasonImmutable + "\n"},
		{"string too long", wire("custom:plan", "enterprise"), prefix + "custom:plan: " + reasonTooLong(5) + "\n"},
		{"string too short", wire("custom:plan", "x"), prefix + "custom:plan: " + reasonTooShort(2) + "\n"},
		{"birthdate length", wire("birthdate", "2000-1-1"), prefix + "birthdate: " + reasonTooShort(10) + "\n"},
		{"2048 at most", wire("nickname", strings.Repeat("x", 2049)), prefix + "nickname: " + reasonTooLong(2048) + "\n"},
		{"not a number", wire("custom:age", "old"), prefix + "custom:age: " + reasonNumber + "\n"},
		{"below minimum", wire("custom:age", "-1"), prefix + "custom:age: " + reasonBelow(0) + "\n"},
		{"above maximum", wire("custom:age", "151"), prefix + "custom:age: " + reasonAbove(150) + "\n"},
		{"updated_at is a number", wire("updated_at", "yesterday"), prefix + "updated_at: " + reasonNumber + "\n"},
		{"boolean", wire("email_verified", "yes"), prefix + "email_verified: " + reasonBoolean + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.newUserAttributes(tt.given)
			wantInvalidParameter(t, err, tt.want)
		})
	}
}

func TestMissingRequired(t *testing.T) {
	p := attrTestPool()
	p.SchemaAttributes = append(p.SchemaAttributes, cognito.SchemaAttributeType{Name: "email", Required: bptr(true)})
	s := poolSchema(p)
	got := s.missingRequired(attrs("sub", "x"))
	want := []schemaViolation{{"name", reasonRequired}, {"email", reasonRequired}}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(schemaViolation{})); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	wantInvalidParameter(t, createSchemaError(got),
		"Attributes did not conform to the schema: name: The attribute is required\nemail: The attribute is required\n")
	if got := s.missingRequired(attrs("sub", "x", "email", "e@x", "name", "n")); got != nil {
		t.Errorf("missingRequired = %v, want none", got)
	}
}

func TestApplyUpdate(t *testing.T) {
	s := poolSchema(attrTestPool())
	current := attrs("sub", "s1", "name", "Jo", "email", "a@example.com", "email_verified", "true", "custom:tenant", "t1")
	tests := []struct {
		name    string
		changes []cognito.AttributeType
		want    []store.Attribute
		err     string
	}{
		{"set in place and append", wire("name", "Joe", "custom:plan", "pro"),
			attrs("sub", "s1", "name", "Joe", "email", "a@example.com", "email_verified", "true", "custom:tenant", "t1", "custom:plan", "pro"), ""},
		{"a new email is unverified", wire("email", "b@example.com"),
			attrs("sub", "s1", "name", "Jo", "email", "b@example.com", "email_verified", "false", "custom:tenant", "t1"), ""},
		{"a new email said to be verified", wire("email", "b@example.com", "email_verified", "true"),
			attrs("sub", "s1", "name", "Jo", "email", "b@example.com", "email_verified", "true", "custom:tenant", "t1"), ""},
		{"the same email keeps its flag", wire("email", "a@example.com"), current, ""},
		{"a new phone is unverified", wire("phone_number", "+15551234567"),
			attrs("sub", "s1", "name", "Jo", "email", "a@example.com", "email_verified", "true", "custom:tenant", "t1", "phone_number", "+15551234567", "phone_number_verified", "false"), ""},
		{"blank deletes, with its flag", wire("email", ""),
			attrs("sub", "s1", "name", "Jo", "custom:tenant", "t1"), ""},
		{"immutable unchanged is fine", wire("custom:tenant", "t1"), current, ""},
		{"unknown", wire("custom:nope", "1"), nil, "user.custom:nope: " + reasonNotInSchema},
		{"immutable", wire("custom:tenant", "t2"), nil, "user.custom:tenant: " + reasonImmutable},
		{"sub", wire("sub", "s2"), nil, "user.sub: " + reasonImmutable},
		{"required cannot be blanked", wire("name", ""), nil, "user.name: " + reasonRequired},
		{"value checked", wire("custom:plan", "enterprise"), nil, "user.custom:plan: " + reasonTooLong(5)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := append([]store.Attribute(nil), current...)
			got, err := s.applyUpdate(current, tt.changes)
			if diff := cmp.Diff(before, current); diff != "" {
				t.Fatalf("applyUpdate changed its input:\n%s", diff)
			}
			if tt.err != "" {
				wantInvalidParameter(t, err, tt.err)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}

	// An immutable attribute the user does not have yet can be set once.
	got, err := s.applyUpdate(attrs("sub", "s1", "name", "Jo"), wire("custom:tenant", "t9"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(attrs("sub", "s1", "name", "Jo", "custom:tenant", "t9"), got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestApplyDelete(t *testing.T) {
	s := poolSchema(attrTestPool())
	current := attrs("sub", "s1", "name", "Jo", "email", "a@example.com", "email_verified", "true", "phone_number", "+15551234567", "phone_number_verified", "true", "custom:tenant", "t1")
	got, err := s.applyDelete(current, []string{"email", "phone_number_verified", "nickname"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(attrs("sub", "s1", "name", "Jo", "phone_number", "+15551234567", "custom:tenant", "t1"), got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for name, msg := range map[string]string{
		"name":          "user.name: " + reasonRequiredDelete,
		"sub":           "user.sub: " + reasonRequiredDelete,
		"custom:tenant": "user.custom:tenant: " + reasonImmutable,
		"custom:nope":   "user.custom:nope: " + reasonNotInSchema,
	} {
		_, err := s.applyDelete(current, []string{name})
		wantInvalidParameter(t, err, msg)
	}
}

func TestCheckFormatsAndVerifiedFlags(t *testing.T) {
	for _, good := range [][]store.Attribute{
		attrs("email", "a@example.com", "phone_number", "+15551234567"),
		attrs("email", "a+b@sub.example.co.uk"),
	} {
		if err := checkFormats(good); err != nil {
			t.Errorf("checkFormats(%v) = %v", good, err)
		}
	}
	for _, bad := range []struct {
		a   []store.Attribute
		msg string
	}{
		{attrs("email", "not-an-email"), msgInvalidEmail},
		{attrs("email", "a@b@c"), msgInvalidEmail},
		{attrs("email", "a b@c"), msgInvalidEmail},
		{attrs("phone_number", "5551234567"), msgInvalidPhone},
		{attrs("phone_number", "+1 555 123"), msgInvalidPhone},
		{attrs("phone_number", "+1234567890123456"), msgInvalidPhone},
	} {
		wantInvalidParameter(t, checkFormats(bad.a), bad.msg)
	}
	if err := checkVerifiedNeedsValue(attrs("email", "a@x", "email_verified", "true")); err != nil {
		t.Error(err)
	}
	wantInvalidParameter(t, checkVerifiedNeedsValue(attrs("email_verified", "true")), msgEmailRequiredToVerify)
	wantInvalidParameter(t, checkVerifiedNeedsValue(attrs("phone_number_verified", "false")), msgPhoneRequiredToVerify)
}

func TestCheckAttributesToGet(t *testing.T) {
	s := poolSchema(attrTestPool())
	if err := s.checkAttributesToGet([]string{"sub", "email", "custom:plan", "dev:custom:score"}); err != nil {
		t.Error(err)
	}
	wantInvalidParameter(t, s.checkAttributesToGet([]string{"email", "custom:nope"}), msgUnknownAttributesToGet)
}

func TestWireAttributes(t *testing.T) {
	a := attrs("sub", "s", "email", "e@x", "name", "n")
	if diff := cmp.Diff(wire("sub", "s", "email", "e@x", "name", "n"), wireAttributes(a, nil)); diff != "" {
		t.Errorf("all: (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wire("sub", "s", "name", "n"), wireAttributes(a, []string{"name", "sub", "nickname"})); diff != "" {
		t.Errorf("projection: (-want +got):\n%s", diff)
	}
	if got := wireAttributes(a, []string{}); got != nil {
		t.Errorf("empty projection = %v, want none", got)
	}
}

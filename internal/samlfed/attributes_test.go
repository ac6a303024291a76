package samlfed

import (
	"testing"

	"github.com/crewjam/saml"
)

func TestJoinValues(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want string
	}{
		{[]string{"Admins"}, "Admins"},
		{[]string{"a b&c"}, "a b&c"}, // a single value is kept as sent
		{[]string{"test-group-two", "test-group-one"}, "[test-group-two, test-group-one]"},
		{[]string{"Domain Users", "a,b", "x*y.z_w~", "é"}, "[Domain+Users, a%2Cb, x*y.z_w%7E, %C3%A9]"},
		{[]string{"", "x"}, "[, x]"},
	} {
		if got := JoinValues(tc.in); got != tc.want {
			t.Errorf("JoinValues(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestAttributes(t *testing.T) {
	a := &saml.Assertion{AttributeStatements: []saml.AttributeStatement{
		{Attributes: []saml.Attribute{
			{Name: "email", FriendlyName: "mail", Values: []saml.AttributeValue{{Value: "a@example.com"}}},
			{Name: "groups", Values: []saml.AttributeValue{{Value: "g1"}, {Nil: true}, {Value: "g 2"}}},
			{Name: "empty"},
			{Name: "only-nil", Values: []saml.AttributeValue{{Nil: true}}},
			{FriendlyName: "nameless", Values: []saml.AttributeValue{{Value: "x"}}},
			{Name: "manager", Values: []saml.AttributeValue{{NameID: &saml.NameID{Value: "bob@example.com"}}}},
		}},
		// A Name repeated in a second statement adds its values.
		{Attributes: []saml.Attribute{{Name: "groups", Values: []saml.AttributeValue{{Value: "g3"}}}}},
	}}
	got := Attributes(a)
	want := map[string]string{
		"email":   "a@example.com",
		"groups":  "[g1, g+2, g3]",
		"manager": "bob@example.com",
	}
	if len(got) != len(want) {
		t.Errorf("Attributes = %q, want %q", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	if _, ok := got["mail"]; ok {
		t.Error("an attribute is known by its FriendlyName")
	}
}

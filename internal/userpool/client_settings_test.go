package userpool

import (
	"reflect"
	"slices"
	"testing"

	"github.com/userpool/userpool/internal/cognito"
)

// fillMembers gives every member of the structure v a value of its own:
// strings their member's name, pointers and slices new memory, so that a
// copy shows where each member came from.
func fillMembers(t *testing.T, v reflect.Value) {
	t.Helper()
	for i := range v.NumField() {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.String:
			f.SetString(v.Type().Field(i).Name)
		case reflect.Pointer:
			f.Set(reflect.New(f.Type().Elem()))
		case reflect.Slice:
			f.Set(reflect.MakeSlice(f.Type(), 1, 1))
		default:
			t.Fatalf("member %s: no value for a %s", v.Type().Field(i).Name, f.Kind())
		}
	}
}

// sameMember reports whether a copied member is the one it was copied from.
func sameMember(got, want reflect.Value) bool {
	switch want.Kind() {
	case reflect.String:
		return got.String() == want.String()
	case reflect.Pointer, reflect.Slice:
		return !want.IsNil() && got.Pointer() == want.Pointer()
	}
	return false
}

// Each input's settings are copied whole: every clientSettings member from
// the input's member of its name, and every member of the input is either
// a setting or one known to be none. A member dropped from either copy, or
// a new member of either input, fails here.
func TestClientSettingsOf(t *testing.T) {
	var create cognito.CreateUserPoolClientInput
	var update cognito.UpdateUserPoolClientInput
	for _, c := range []struct {
		in       any
		settings func() clientSettings
		// others are the members that are not settings.
		others []string
	}{
		{&create, func() clientSettings { return createClientSettings(&create) }, []string{"ClientName", "ClientSecret", "GenerateSecret", "UserPoolID"}},
		{&update, func() clientSettings { return updateClientSettings(&update) }, []string{"ClientID", "ClientName", "UserPoolID"}},
	} {
		in := reflect.ValueOf(c.in).Elem()
		fillMembers(t, in)
		got := reflect.ValueOf(c.settings())
		for i := range got.NumField() {
			name := got.Type().Field(i).Name
			if src := in.FieldByName(name); !src.IsValid() || !sameMember(got.Field(i), src) {
				t.Errorf("%s: setting %s is not the input's", in.Type().Name(), name)
			}
		}
		for i := range in.NumField() {
			name := in.Type().Field(i).Name
			if _, ok := got.Type().FieldByName(name); !ok && !slices.Contains(c.others, name) {
				t.Errorf("%s: member %s is neither a client setting nor known to be none", in.Type().Name(), name)
			}
		}
	}
}

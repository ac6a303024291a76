package userpool

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

func TestMapAttributes(t *testing.T) {
	p := &Provider{Name: "Corp", Type: IdPTypeOIDC, Mapping: map[string]string{
		"email": "mail", "email_verified": "mail_verified", "given_name": "first", "custom:dept": "department", "username": "oid",
	}}
	got := p.MapAttributes(map[string]string{
		"mail": "a@corp.example", "mail_verified": "true", "department": "", "oid": "42", "unmapped": "x",
	})
	// Sorted by attribute; the username claim is no attribute; empty and
	// missing claims are left out, so a later sign-in keeps the value.
	want := []cognito.AttributeType{{Name: "email", Value: "a@corp.example"}, {Name: "email_verified", Value: "true"}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("MapAttributes (-want +got):\n%s", d)
	}
	if c := p.UsernameClaim(); c != "oid" {
		t.Errorf("UsernameClaim = %q", c)
	}
	for typ, want := range map[string]string{IdPTypeFacebook: "id", IdPTypeAmazon: "user_id", IdPTypeGoogle: "sub", IdPTypeApple: "sub", IdPTypeOIDC: "sub"} {
		if c := (&Provider{Type: typ}).UsernameClaim(); c != want {
			t.Errorf("UsernameClaim(%s) = %q, want %q", typ, c, want)
		}
	}
}

func TestExternalUsername(t *testing.T) {
	x := &External{Provider: &Provider{Name: "Azure"}, UserID: "PY5dp6qYCyodowdB_x"}
	sensitive := &cognito.UserPoolType{}
	no := false
	insensitive := &cognito.UserPoolType{UsernameConfiguration: &cognito.UsernameConfigurationType{CaseSensitive: &no}}
	if got := x.Username(sensitive); got != "Azure_PY5dp6qYCyodowdB_x" {
		t.Errorf("case-sensitive pool: %q", got)
	}
	if got := x.Username(insensitive); got != "azure_py5dp6qycyodowdb_x" {
		t.Errorf("case-insensitive pool: %q", got)
	}
}

func TestPrepareExternalUser(t *testing.T) {
	s := &Service{cfg: Config{Now: func() time.Time { return time.UnixMilli(1651166579396) }}}
	pool := &cognito.UserPoolType{ID: "us-east-1_Pool"}
	x := &External{Provider: &Provider{Name: "Google", Type: IdPTypeGoogle}, UserID: "1074275782",
		Attributes: []cognito.AttributeType{{Name: "email", Value: "a@gmail.com"}}}
	u, err := s.PrepareExternalUser(pool, nil, x)
	if err != nil {
		t.Fatal(err)
	}
	if u.Username != "Google_1074275782" || u.Status != cognito.UserStatusExternalProvider || !u.Enabled || u.AliasEmail != "" {
		t.Errorf("user %+v", u)
	}
	v, _ := u.Attr(AttrIdentities)
	want := `[{"userId":"1074275782","providerName":"Google","providerType":"Google","issuer":null,"primary":true,"dateCreated":1651166579396}]`
	if v != want {
		t.Errorf("identities = %s\nwant          %s", v, want)
	}

	// Every required attribute must be mapped.
	req := true
	strict := &cognito.UserPoolType{ID: "p", SchemaAttributes: []cognito.SchemaAttributeType{{Name: "email", Required: &req}}}
	_, err = s.PrepareExternalUser(strict, nil, &External{Provider: x.Provider, UserID: "1"})
	var ce *cognito.Error
	if !errors.As(err, &ce) || ce.Type != cognito.TypeInvalidParameter {
		t.Errorf("missing required attribute: %v", err)
	}
	// A mapped value the schema refuses is refused.
	_, err = s.PrepareExternalUser(pool, nil, &External{Provider: x.Provider, UserID: "1",
		Attributes: []cognito.AttributeType{{Name: "birthdate", Value: "1990"}}})
	if !errors.As(err, &ce) || ce.Type != cognito.TypeInvalidParameter {
		t.Errorf("bad birthdate: %v", err)
	}
	// A custom attribute the client may not write is refused.
	client := &AppClient{Config: &cognito.UserPoolClientType{WriteAttributes: []string{"email"}}}
	_, err = s.PrepareExternalUser(pool, client, &External{Provider: x.Provider, UserID: "1",
		Attributes: []cognito.AttributeType{{Name: "custom:dept", Value: "x"}}})
	if !errors.As(err, &ce) || ce.Type != cognito.TypeNotAuthorized {
		t.Errorf("unwritable custom attribute: %v", err)
	}
}

func TestIdentitiesEntries(t *testing.T) {
	at := time.UnixMilli(1700000000000)
	list := []identityEntry{
		newIdentityEntry("Corp", IdPTypeSAML, "nameid", "urn:corp", true, at),
		newIdentityEntry("Google", IdPTypeGoogle, "1", "", false, at),
	}
	u := store.User{Attributes: writeIdentities(nil, list)}
	if d := cmp.Diff(list, readIdentities(u)); d != "" {
		t.Errorf("round trip (-want +got):\n%s", d)
	}
	var raw []map[string]any
	v, _ := u.Attr(AttrIdentities)
	if err := json.Unmarshal([]byte(v), &raw); err != nil || raw[0]["issuer"] != "urn:corp" || raw[1]["issuer"] != nil {
		t.Errorf("identities %s", v)
	}
	if got := writeIdentities(u.Attributes, nil); len(got) != 0 {
		t.Errorf("an empty list leaves %v", got)
	}
}

package userpool

import (
	"errors"
	"testing"

	"github.com/userpool/userpool/internal/cognito"
)

// TestCreateWithFixedIDs covers the seed's narrow way in: a pool and a
// client created under given ids, which are then theirs everywhere, and
// refused when malformed or taken.
func TestCreateWithFixedIDs(t *testing.T) {
	s, _ := poolsTestService(t)
	ctx := t.Context()
	p, err := s.CreatePoolWithID(ctx, "us-east-1_LocalDev01", &cognito.CreateUserPoolInput{PoolName: "dev"})
	if err != nil {
		t.Fatal(err)
	}
	if p.ID != "us-east-1_LocalDev01" || p.ARn == "" || p.Name != "dev" {
		t.Fatalf("pool = %s %s %s", p.ID, p.ARn, p.Name)
	}
	if _, err := s.DescribePool(ctx, "us-east-1_LocalDev01"); err != nil {
		t.Fatal(err)
	}
	_, err = s.CreatePoolWithID(ctx, "us-east-1_LocalDev01", &cognito.CreateUserPoolInput{PoolName: "again"})
	poolsWantErr(t, err, cognito.TypeInvalidParameter, "User pool us-east-1_LocalDev01 already exists.")
	for _, bad := range []string{"LocalDev01", "us-east-1_", "us-east-1_bad!", "us east-1_x"} {
		_, err := s.CreatePoolWithID(ctx, bad, &cognito.CreateUserPoolInput{PoolName: "x"})
		var ce *cognito.Error
		if !errors.As(err, &ce) || ce.Type != cognito.TypeInvalidParameter {
			t.Errorf("pool id %q: err = %v, want InvalidParameterException", bad, err)
		}
	}

	in := &cognito.CreateUserPoolClientInput{UserPoolID: p.ID, ClientName: "web", ClientSecret: "fixed-secret-0123456789abcdef"}
	c, err := s.CreateClientWithID(ctx, "1example23456789abcdefghij", in)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.DescribeClient(ctx, p.ID, "1example23456789abcdefghij")
	if err != nil || got.ClientSecret != "fixed-secret-0123456789abcdef" || c.ClientID != "1example23456789abcdefghij" {
		t.Fatalf("client = %+v, %v", got, err)
	}
	_, err = s.CreateClientWithID(ctx, "1example23456789abcdefghij", in)
	poolsWantErr(t, err, cognito.TypeInvalidParameter, "App client 1example23456789abcdefghij already exists.")
	_, err = s.CreateClientWithID(ctx, "not valid", in)
	poolsWantErr(t, err, cognito.TypeInvalidParameter, `"not valid" is not an app client id: up to 128 letters, digits, _ or +.`)
}

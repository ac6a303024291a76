package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/store/postgres"
	"github.com/userpool/userpool/internal/store/postgres/pgtest"
	"github.com/userpool/userpool/internal/testserver"
)

func TestSeedSQLite(t *testing.T) {
	testSeed(t, testserver.New(t))
}

// TestSeedPostgres seeds a server whose store is PostgreSQL, in a schema of
// its own, dropped at the end.
func TestSeedPostgres(t *testing.T) {
	dsn, schema := pgtest.Schema(t)
	pg, err := postgres.Open(t.Context(), postgres.Config{URL: dsn, Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pg.Close() })
	testSeed(t, testserver.New(t, testserver.WithStore(func(store.Store) store.Store { return pg })))
}

// testSeed seeds more users and tokens than one batch holds and checks,
// through the API where it can, that they are what the server itself would
// have written: the users sign in with the seeded password and their
// sign-ins refresh, the filters of -op listusers find them by their
// attributes, and each user holds the refresh families spread over it.
func testSeed(t *testing.T, s *testserver.Stack) {
	ctx := t.Context()
	idp := newClient(s.URL, func(k string) string {
		return map[string]string{"AWS_ACCESS_KEY_ID": testserver.AdminKeyID, "AWS_SECRET_ACCESS_KEY": testserver.AdminSecret}[k]
	}, 1)
	f, err := setUp(ctx, idp, false)
	if err != nil {
		t.Fatalf("set up: %v", err)
	}
	const users, tokens = seedBatch + 100, 2*(seedBatch+100) + 5
	var out bytes.Buffer
	if err := seed(ctx, s.Store, f, users, tokens, &out); err != nil {
		t.Fatalf("seed: %v", err)
	}
	if !strings.Contains(out.String(), "seeded users=2100 ") || !strings.Contains(out.String(), "refresh_tokens=4205 ") {
		t.Errorf("seed printed %q", out.String())
	}

	for _, i := range []int{0, seedBatch - 1, seedBatch, users - 1} {
		in, err := idp.InitiateAuth(ctx, &cip.InitiateAuthInput{
			ClientId: aws.String(f.client), AuthFlow: types.AuthFlowTypeUserPasswordAuth,
			AuthParameters: map[string]string{"USERNAME": seededUsername(i), "PASSWORD": seedPassword},
		})
		if err != nil {
			t.Fatalf("sign-in of %s: %v", seededUsername(i), err)
		}
		_, err = idp.InitiateAuth(ctx, &cip.InitiateAuthInput{
			ClientId: aws.String(f.client), AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
			AuthParameters: map[string]string{"REFRESH_TOKEN": *in.AuthenticationResult.RefreshToken},
		})
		if err != nil {
			t.Errorf("refresh of %s's sign-in: %v", seededUsername(i), err)
		}
	}

	subs := map[int]string{}
	for _, i := range []int{3, 7, users - 1} {
		for _, filter := range []string{
			`email = "` + seededEmail(i) + `"`, `phone_number = "` + seededPhone(i) + `"`, `username = "` + seededUsername(i) + `"`,
		} {
			l, err := idp.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: aws.String(f.pool), Filter: aws.String(filter)})
			if err != nil {
				t.Fatalf("ListUsers(%s): %v", filter, err)
			}
			if len(l.Users) != 1 || *l.Users[0].Username != seededUsername(i) {
				t.Fatalf("ListUsers(%s) = %d users, want %s", filter, len(l.Users), seededUsername(i))
			}
			attrs := map[string]string{}
			for _, a := range l.Users[0].Attributes {
				attrs[*a.Name] = *a.Value
			}
			if attrs["email"] != seededEmail(i) || attrs["email_verified"] != "true" ||
				attrs["phone_number"] != seededPhone(i) || attrs["phone_number_verified"] != "true" || attrs["sub"] == "" {
				t.Errorf("ListUsers(%s): attributes %v", filter, attrs)
			}
			if l.Users[0].UserStatus != types.UserStatusTypeConfirmed || !l.Users[0].Enabled {
				t.Errorf("ListUsers(%s): status %s, enabled %v", filter, l.Users[0].UserStatus, l.Users[0].Enabled)
			}
			subs[i] = attrs["sub"]
		}
	}

	// Token i belongs to user i mod users: users 0 to 4 hold three
	// families, the others two, besides their sign-ins above.
	for i, want := range map[int]int{3: 3, 7: 2, users - 1: 2 + 1} {
		n, err := s.Store.RevokeUserRefreshFamilies(ctx, f.pool, subs[i], time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if n != want {
			t.Errorf("%s holds %d refresh families, want %d", seededUsername(i), n, want)
		}
	}

	// Seeding the pool again collides on the first username, and says so.
	err = seed(ctx, s.Store, f, 10, 0, &out)
	if err == nil || !strings.Contains(err.Error(), "user0000000") || !strings.Contains(err.Error(), "username") {
		t.Errorf("seeding again: %v, want user0000000's username taken", err)
	}
}

package seed

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"

	"github.com/userpool/userpool/client"
	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/testserver"
)

// devSeed is the example, with password sign-in allowed so the
// test can hold tokens across applies.
const devSeed = `
pools:
  - Id: us-east-1_LocalDev01
    PoolName: dev
    Domain: dev-local
    ResourceServers: [{Identifier: https://api.local, Name: api, Scopes: [{ScopeName: read, ScopeDescription: read}]}]
    Groups: [{GroupName: admins, Precedence: 1}]
    Clients:
      - ClientId: 1example23456789abcdefghij
        ClientName: web
        ExplicitAuthFlows: [ALLOW_USER_PASSWORD_AUTH, ALLOW_REFRESH_TOKEN_AUTH]
      - ClientId: 2example23456789abcdefghij
        ClientSecret: fixed_secret_for_the_backend_0123456789
        ClientName: backend
        AllowedOAuthFlows: [client_credentials]
        AllowedOAuthFlowsUserPoolClient: true
        AllowedOAuthScopes: [https://api.local/read]
    Users:
      - Username: alice
        Password: Passw0rd!
        Attributes: {email: alice@example.com, email_verified: "true"}
        Groups: [admins]
      - Username: bob
        TemporaryPassword: Temp0rary!
`

func apply(t *testing.T, s *testserver.Stack, src string) []string {
	t.Helper()
	f, err := Parse("seed.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	changes, err := Apply(t.Context(), s.Service, f)
	if err != nil {
		t.Fatal(err)
	}
	return changes
}

func sdk(s *testserver.Stack) *cip.Client {
	return cip.New(cip.Options{Region: "us-east-1", RetryMaxAttempts: 1}, client.WithEndpoint(s.URL))
}

func sub(t *testing.T, s *testserver.Stack, username string) string {
	t.Helper()
	out, err := s.Service.AdminGetUser(t.Context(), &cognito.AdminGetUserInput{UserPoolID: "us-east-1_LocalDev01", Username: username})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range out.UserAttributes {
		if a.Name == "sub" {
			return a.Value
		}
	}
	t.Fatalf("%s has no sub", username)
	return ""
}

func TestApplyTwiceThenChanged(t *testing.T) {
	s := testserver.New(t)
	ctx := t.Context()
	first := apply(t, s, devSeed)
	want := []string{
		"created pool us-east-1_LocalDev01 (dev)",
		"created domain dev-local for pool us-east-1_LocalDev01",
		"created resource server https://api.local in pool us-east-1_LocalDev01",
		"created group admins in pool us-east-1_LocalDev01",
		"created app client 1example23456789abcdefghij (web) in pool us-east-1_LocalDev01",
		"created app client 2example23456789abcdefghij (backend) in pool us-east-1_LocalDev01",
		"created user alice in pool us-east-1_LocalDev01",
		"set the password of user alice in pool us-east-1_LocalDev01",
		"added user alice to group admins in pool us-east-1_LocalDev01",
		"created user bob in pool us-east-1_LocalDev01",
	}
	if d := cmp.Diff(want, first); d != "" {
		t.Fatalf("first apply (-want +got):\n%s", d)
	}

	// The app's configuration works at once: the fixed ids sign alice in.
	idp := sdk(s)
	signIn, err := idp.InitiateAuth(ctx, &cip.InitiateAuthInput{
		AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String("1example23456789abcdefghij"),
		AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": "Passw0rd!"},
	})
	if err != nil {
		t.Fatal(err)
	}
	bob, err := idp.InitiateAuth(ctx, &cip.InitiateAuthInput{
		AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String("1example23456789abcdefghij"),
		AuthParameters: map[string]string{"USERNAME": "bob", "PASSWORD": "Temp0rary!"},
	})
	if err != nil || bob.ChallengeName != types.ChallengeNameTypeNewPasswordRequired {
		t.Fatalf("bob: %v, challenge %q; want NEW_PASSWORD_REQUIRED", err, bob.ChallengeName)
	}
	backend, err := s.Service.DescribeClient(ctx, "us-east-1_LocalDev01", "2example23456789abcdefghij")
	if err != nil || backend.ClientSecret != "fixed_secret_for_the_backend_0123456789" {
		t.Fatalf("backend client: %v, secret %q", err, backend.ClientSecret)
	}
	aliceSub := sub(t, s, "alice")

	// Again: nothing changes, and alice's tokens are still good.
	if again := apply(t, s, devSeed); len(again) != 0 {
		t.Fatalf("the second apply changed %q", again)
	}
	if sub(t, s, "alice") != aliceSub {
		t.Fatal("alice's sub changed")
	}
	if _, err := idp.GetUser(ctx, &cip.GetUserInput{AccessToken: signIn.AuthenticationResult.AccessToken}); err != nil {
		t.Fatalf("alice's access token after the second apply: %v", err)
	}
	if _, err := idp.InitiateAuth(ctx, &cip.InitiateAuthInput{
		AuthFlow: types.AuthFlowTypeRefreshTokenAuth, ClientId: aws.String("1example23456789abcdefghij"),
		AuthParameters: map[string]string{"REFRESH_TOKEN": aws.ToString(signIn.AuthenticationResult.RefreshToken)},
	}); err != nil {
		t.Fatalf("alice's refresh token after the second apply: %v", err)
	}

	// Changed: a client setting, a group's precedence, an attribute, a
	// password, a new user; bob is left out of the file but stays.
	changed := strings.NewReplacer(
		"        ClientName: web\n", "        ClientName: web\n        AccessTokenValidity: 5\n",
		"Precedence: 1", "Precedence: 2",
		"alice@example.com", "alice@example.org",
		"Password: Passw0rd!", "Password: N3w-Passw0rd!",
		"      - Username: bob\n        TemporaryPassword: Temp0rary!\n", "      - Username: carol\n        Password: Car0l-Passw0rd!\n",
	).Replace(devSeed)
	want = []string{
		"updated group admins in pool us-east-1_LocalDev01",
		"updated app client 1example23456789abcdefghij (web) in pool us-east-1_LocalDev01",
		"updated attributes of user alice in pool us-east-1_LocalDev01",
		"set the password of user alice in pool us-east-1_LocalDev01",
		"created user carol in pool us-east-1_LocalDev01",
		"set the password of user carol in pool us-east-1_LocalDev01",
	}
	if d := cmp.Diff(want, apply(t, s, changed)); d != "" {
		t.Fatalf("apply of the changed file (-want +got):\n%s", d)
	}
	web, _ := s.Service.DescribeClient(ctx, "us-east-1_LocalDev01", "1example23456789abcdefghij")
	if web.AccessTokenValidity == nil || *web.AccessTokenValidity != 5 {
		t.Fatalf("AccessTokenValidity = %v, want 5", web.AccessTokenValidity)
	}
	if sub(t, s, "alice") != aliceSub || sub(t, s, "bob") == "" {
		t.Fatal("alice's sub changed, or bob was deleted")
	}
	if again := apply(t, s, changed); len(again) != 0 {
		t.Fatalf("applying the changed file again changed %q", again)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"not YAML", "pools: [", "seed.yaml: "},
		{"unknown top level", "pool: []", `seed.yaml: json: unknown field "pool"`},
		{"unknown pool member", "pools: [{PoolName: p, Colour: red}]", `seed.yaml: pools[0] (p): json: unknown field "Colour"`},
		{"pool name missing", "pools: [{Id: us-east-1_X}]", "seed.yaml: pools[0]: InvalidParameterException: 1 validation error detected: Value null at 'poolName'"},
		{"wrong type", "pools: [{PoolName: p, MfaConfiguration: [1]}]", "seed.yaml: pools[0] (p): json: cannot unmarshal array into Go struct field CreateUserPoolInput.MfaConfiguration"},
		{"unknown client member", "pools: [{PoolName: p, Clients: [{ClientName: web, Secret: x}]}]", `seed.yaml: pools[0] (p): Clients[0] (web): json: unknown field "Secret"`},
		{"client name missing", "pools: [{PoolName: p, Clients: [{ClientId: abc}]}]", "seed.yaml: pools[0] (p).Clients[0]: InvalidParameterException: 1 validation error detected: Value null at 'clientName'"},
		{"bad token validity", "pools: [{PoolName: p, Clients: [{ClientName: web, AccessTokenValidity: 0}]}]", "seed.yaml: pools[0] (p).Clients[0] (web): InvalidParameterException: 1 validation error detected: Value '0' at 'accessTokenValidity'"},
		{"domain too long", "pools: [{PoolName: p, Domain: " + strings.Repeat("d", 64) + "}]", "seed.yaml: pools[0] (p): Domain: InvalidParameterException: 1 validation error detected"},
		{"user without name", "pools: [{PoolName: p, Users: [{Password: x}]}]", "seed.yaml: pools[0] (p).Users[0]: Username: required"},
		{"both passwords", "pools: [{PoolName: p, Users: [{Username: a, Password: x1, TemporaryPassword: y1}]}]", "seed.yaml: pools[0] (p).Users[0] (a): Password: give Password (permanent) or TemporaryPassword, not both"},
		{"unknown group", "pools: [{PoolName: p, Users: [{Username: a, Groups: [admins]}]}]", `seed.yaml: pools[0] (p).Users[0] (a): Groups: "admins" is not in the pool's Groups`},
		{"attribute not a scalar", "pools: [{PoolName: p, Users: [{Username: a, Attributes: {email: [x]}}]}]", "seed.yaml: pools[0] (p).Users[0] (a): Attributes: email: a value must be a string"},
		{"unknown user member", "pools: [{PoolName: p, Users: [{Username: a, Pasword: x}]}]", `seed.yaml: pools[0] (p): Users[0]: json: unknown field "Pasword"`},
		{"pool twice", "pools: [{PoolName: p}, {PoolName: p}]", "seed.yaml: pools[1] (p): another entry has the same pool name p"},
		{"client twice", "pools: [{PoolName: p, Clients: [{ClientName: w}, {ClientName: w}]}]", "seed.yaml: pools[0] (p).Clients[1] (w): another entry has the same name w"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("seed.yaml", []byte(tc.src))
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to start with %q", err, tc.want)
			}
		})
	}
}

// TestConflictChangesNothing checks that a file that cannot be applied to
// what exists is refused before anything is written.
func TestConflictChangesNothing(t *testing.T) {
	s := testserver.New(t)
	apply(t, s, devSeed)
	bad := strings.Replace(devSeed, "fixed_secret_for_the_backend_0123456789", "another_secret_for_the_backend_0123456", 1)
	bad = "pools:\n  - PoolName: brand-new\n" + strings.TrimPrefix(bad, "\npools:\n")
	f, err := Parse("seed.yaml", []byte(bad))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Apply(t.Context(), s.Service, f)
	if err == nil || !strings.Contains(err.Error(), "seed.yaml: pools[1] (dev): Clients[1] (backend): ClientSecret: the client 2example23456789abcdefghij has another secret") {
		t.Fatalf("err = %v", err)
	}
	pools, _, err := s.Service.ListPools(context.Background(), 60, "")
	if err != nil || len(pools) != 1 {
		t.Fatalf("pools after a refused file: %v, %v", pools, err)
	}
}

// TestConflictsWithOtherPools checks that a new pool whose domain or
// fixed client id another pool has is refused before it is created.
func TestConflictsWithOtherPools(t *testing.T) {
	s := testserver.New(t)
	apply(t, s, devSeed)
	for _, tc := range []struct{ src, want string }{
		{"pools: [{PoolName: other, Domain: dev-local}]", "seed.yaml: pools[0] (other): Domain: dev-local belongs to pool us-east-1_LocalDev01"},
		{"pools: [{PoolName: other, Clients: [{ClientId: 1example23456789abcdefghij, ClientName: web}]}]",
			"seed.yaml: pools[0] (other): Clients[0] (web): ClientId: 1example23456789abcdefghij is a client of pool us-east-1_LocalDev01"},
	} {
		f, err := Parse("seed.yaml", []byte(tc.src))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Apply(t.Context(), s.Service, f); err == nil || err.Error() != tc.want {
			t.Errorf("err = %v, want %s", err, tc.want)
		}
	}
	if pools, _, err := s.Service.ListPools(t.Context(), 60, ""); err != nil || len(pools) != 1 {
		t.Fatalf("pools after refused files: %v, %v", pools, err)
	}
}

// TestExportRoundTrip exports a seeded pool, applies the export to a fresh
// server and to the first one: the fresh one gets the same pool, the
// first one no change.
func TestExportRoundTrip(t *testing.T) {
	s := testserver.New(t)
	apply(t, s, devSeed)
	out, err := Export(t.Context(), s.Service, "us-east-1_LocalDev01")
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"Passw0rd!", "Temp0rary!", "fixed_secret_for_the_backend"} {
		if strings.Contains(string(out), secret) {
			t.Fatalf("the export holds %q:\n%s", secret, out)
		}
	}
	if again := apply(t, s, string(out)); len(again) != 0 {
		t.Fatalf("applying the export to its own pool changed %q\n%s", again, out)
	}
	fresh := testserver.New(t)
	apply(t, fresh, string(out))
	for _, st := range []*testserver.Stack{s, fresh} {
		c, err := st.Service.DescribeClient(t.Context(), "us-east-1_LocalDev01", "2example23456789abcdefghij")
		if err != nil || c.ClientSecret == "" || len(c.AllowedOAuthScopes) != 1 {
			t.Fatalf("backend client: %+v, %v", c, err)
		}
	}
	g, err := fresh.Service.AdminListGroupsForUser(t.Context(), &cognito.AdminListGroupsForUserInput{UserPoolID: "us-east-1_LocalDev01", Username: "alice"})
	if err != nil || len(g.Groups) != 1 || g.Groups[0].GroupName != "admins" {
		t.Fatalf("alice's groups on the fresh server: %+v, %v", g, err)
	}
	if e1, e2 := mustExport(t, s), mustExport(t, fresh); e1 != e2 {
		t.Fatalf("the exports differ:\n%s\n---\n%s", e1, e2)
	}
}

func mustExport(t *testing.T, s *testserver.Stack) string {
	out, err := Export(t.Context(), s.Service, "us-east-1_LocalDev01")
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// FuzzParse checks that no file makes Parse panic, and that every error
// names the file.
func FuzzParse(f *testing.F) {
	f.Add(devSeed)
	f.Add("pools: [{PoolName: p, Users: [{Username: a, Attributes: {n: 1}}]}]")
	f.Add(`{"pools": [{"PoolName": "p", "Clients": [{"ClientName": "c", "ClientId": "x"}]}]}`)
	f.Fuzz(func(t *testing.T, src string) {
		if _, err := Parse("seed.yaml", []byte(src)); err != nil && !strings.HasPrefix(err.Error(), "seed.yaml: ") {
			t.Fatalf("error without the file's name: %v", err)
		}
	})
}

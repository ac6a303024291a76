package auth

import (
	"testing"

	"github.com/google/uuid"

	"github.com/userpool/userpool/internal/cognito"
)

// An unknown user costs the same password check as a wrong password when
// the client hides who exists, so the time of the answer does not tell.
func TestUnknownUserCostsAPasswordCheck(t *testing.T) {
	hasher := newSlowHasher()
	h := newHostedEnvWith(t, hasher)
	hidden := h.client(t, cognito.PreventUserExistenceErrorTypesEnabled, "ALLOW_USER_PASSWORD_AUTH")
	h.user(t, "alice", hostedTestPassword, false)
	for _, username := range []string{"alice", "nobody"} {
		hasher.verifies.Store(0)
		err := passwordSignIn(h, t, hidden, username, "Wrong-1!")
		wantHostedError(t, err, cognito.TypeNotAuthorized, msgIncorrect)
		if n := hasher.verifies.Load(); n != 1 {
			t.Errorf("%s: %d password checks, want 1", username, n)
		}
	}
}

// In a pool whose users sign in with their e-mail address, a real user's
// USER_ID_FOR_SRP is their sub, a UUID; an unknown user's must look the
// same, and stay the same from one attempt to the next, rather than echo
// the address typed.
func TestSRPUnknownUserIDLooksReal(t *testing.T) {
	h := newHostedEnv(t)
	ctx := t.Context()
	pool, err := h.svc.CreatePool(ctx, &cognito.CreateUserPoolInput{PoolName: "mail", UsernameAttributes: []string{"email"}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := h.svc.CreateClient(ctx, &cognito.CreateUserPoolClientInput{
		UserPoolID: pool.ID, ClientName: "web", ExplicitAuthFlows: []string{"ALLOW_USER_SRP_AUTH"},
		PreventUserExistenceErrors: cognito.PreventUserExistenceErrorTypesEnabled,
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.svc.AdminCreateUser(ctx, &cognito.AdminCreateUserInput{UserPoolID: pool.ID, Username: "ann@example.com",
		TemporaryPassword: hostedTestPassword, MessageAction: cognito.MessageActionSuppress}); err != nil {
		t.Fatal(err)
	}
	userID := func(username string) string {
		t.Helper()
		r, err := h.e.InitiateAuth(ctx, InitiateRequest{ClientID: c.ClientID, Flow: cognito.AuthFlowUserSrpAuth,
			Params: map[string]string{"USERNAME": username, "SRP_A": "0a1b2c3d4e5f"}})
		if err != nil {
			t.Fatalf("%s: %v", username, err)
		}
		id := r.ChallengeParameters["USER_ID_FOR_SRP"]
		if u, err := uuid.Parse(id); err != nil || u.Version() != 4 || r.ChallengeParameters["USERNAME"] != id {
			t.Errorf("%s: USER_ID_FOR_SRP %q, USERNAME %q, want the same UUID v4", username, id, r.ChallengeParameters["USERNAME"])
		}
		return id
	}
	userID("ann@example.com")
	fake := userID("bob@example.com")
	if again := userID("Bob@Example.com"); again != fake {
		t.Errorf("unknown user's id changed between attempts: %q, then %q", fake, again)
	}
	if other := userID("cy@example.com"); other == fake {
		t.Errorf("two unknown users share the id %q", fake)
	}
}

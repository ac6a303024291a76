package oauth2_test

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"sync"
	"testing"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/testserver"
	"github.com/userpool/userpool/internal/triggers"
	"github.com/userpool/userpool/internal/userpool"
)

// An upstream identity linked to alice signs in as alice; unlinked, it
// gets a user of its own; that user disabled for the provider, it cannot
// sign in.
func TestFederatedLinkedIdentity(t *testing.T) {
	e := newFedEnv(t)
	ctx := t.Context()
	if err := e.Svc.AdminLinkProviderForUser(ctx, &cognito.AdminLinkProviderForUserInput{
		UserPoolID:      e.PoolID,
		DestinationUser: &cognito.ProviderUserIdentifierType{ProviderName: "Cognito", ProviderAttributeValue: hostedUser},
		SourceUser:      &cognito.ProviderUserIdentifierType{ProviderName: "UpPool", ProviderAttributeName: "Cognito_Subject", ProviderAttributeValue: e.UpSub},
	}); err != nil {
		t.Fatal(err)
	}
	id := e.federatedClaims(e.authorizeQuery("identity_provider", "UpPool"))
	if id["cognito:username"] != hostedUser || id["email"] != "bob@upstream.example" {
		t.Errorf("linked sign-in claims %v", id)
	}
	ids, _ := id["identities"].([]any)
	if len(ids) != 1 || ids[0].(map[string]any)["primary"] != "false" || ids[0].(map[string]any)["userId"] != e.UpSub {
		t.Errorf("identities = %v", id["identities"])
	}
	// A linked native user does not join the provider's group.
	if groups, _ := id["cognito:groups"].([]any); len(groups) != 0 {
		t.Errorf("cognito:groups = %v", groups)
	}

	if err := e.Svc.AdminDisableProviderForUser(ctx, &cognito.AdminDisableProviderForUserInput{UserPoolID: e.PoolID,
		User: &cognito.ProviderUserIdentifierType{ProviderName: "UpPool", ProviderAttributeName: "Cognito_Subject", ProviderAttributeValue: e.UpSub},
	}); err != nil {
		t.Fatal(err)
	}
	id = e.federatedClaims(e.authorizeQuery("identity_provider", "UpPool"))
	if id["cognito:username"] != "UpPool_"+e.UpSub {
		t.Errorf("unlinked sign-in is %v", id["cognito:username"])
	}

	// Disabling the provider's own user stops the identity signing in.
	if err := e.Svc.AdminDisableProviderForUser(ctx, &cognito.AdminDisableProviderForUserInput{UserPoolID: e.PoolID,
		User: &cognito.ProviderUserIdentifierType{ProviderName: "UpPool", ProviderAttributeName: "Cognito_Subject", ProviderAttributeValue: e.UpSub},
	}); err != nil {
		t.Fatal(err)
	}
	wantRedirectError(t, e.upstreamAnswer(e.authorizeQuery("identity_provider", "UpPool")), hostedCallback, "access_denied", "st-123")
}

// An identity linked by a mapped attribute (email) signs in as the user
// it was linked to.
func TestFederatedLinkByAttribute(t *testing.T) {
	e := newFedEnv(t)
	if err := e.Svc.AdminLinkProviderForUser(t.Context(), &cognito.AdminLinkProviderForUserInput{
		UserPoolID:      e.PoolID,
		DestinationUser: &cognito.ProviderUserIdentifierType{ProviderName: "Cognito", ProviderAttributeValue: hostedUser},
		SourceUser:      &cognito.ProviderUserIdentifierType{ProviderName: "UpPool", ProviderAttributeName: "email", ProviderAttributeValue: "bob@upstream.example"},
	}); err != nil {
		t.Fatal(err)
	}
	if id := e.federatedClaims(e.authorizeQuery("identity_provider", "UpPool")); id["cognito:username"] != hostedUser {
		t.Errorf("signed in as %v", id["cognito:username"])
	}
}

// federatedClaims runs the journey and returns the ID token's claims.
func (e *fedEnv) federatedClaims(q url.Values) map[string]any {
	e.t.Helper()
	cb := e.upstreamSignIn(q)
	ts, err := e.exchange(cb.Get("code"), hostedCallback, hostedVerifier)
	if err != nil {
		e.t.Fatal(err)
	}
	return tokClaims(e.t, ts.IDToken)
}

// fedFunctions are the downstream pool's triggers, run in process: they
// record every event, refuse the PreSignUp of an identity while refuse is
// set, and link it to alice instead while link is.
type fedFunctions struct {
	mu     sync.Mutex
	events []map[string]any
	refuse bool
	link   func(username string) error
}

func (f *fedFunctions) Invoke(_ context.Context, _ string, event []byte) ([]byte, error) {
	var ev map[string]any
	if err := json.Unmarshal(event, &ev); err != nil {
		return nil, err
	}
	f.mu.Lock()
	f.events = append(f.events, ev)
	refuse, link := f.refuse, f.link
	f.mu.Unlock()
	if ev["triggerSource"] == "PreSignUp_ExternalProvider" {
		if refuse {
			return nil, &triggers.FunctionError{Message: "Not today", Type: "Error"}
		}
		if link != nil {
			if err := link(ev["userName"].(string)); err != nil {
				return nil, &triggers.FunctionError{Message: err.Error(), Type: "Error"}
			}
		}
	}
	return event, nil
}

func (f *fedFunctions) sources() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, ev := range f.events {
		out = append(out, ev["triggerSource"].(string))
	}
	return out
}

func (f *fedFunctions) event(t *testing.T, source string) map[string]any {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, ev := range f.events {
		if ev["triggerSource"] == source {
			return ev
		}
	}
	t.Fatalf("no %s event", source)
	return nil
}

func TestTriggerPreSignUpExternalProvider(t *testing.T) {
	fn := &fedFunctions{refuse: true}
	e := newFedEnv(t, testserver.WithTriggers(fn))
	arn := func(n string) string { return "arn:aws:lambda:us-east-1:123456789012:function:" + n }
	if err := e.Svc.UpdatePool(t.Context(), &cognito.UpdateUserPoolInput{UserPoolID: e.PoolID, LambdaConfig: &cognito.LambdaConfigType{
		PreSignUp: arn("pre"), PostConfirmation: arn("confirm"), PreAuthentication: arn("preauth"), PostAuthentication: arn("postauth"),
		PreTokenGeneration: arn("tokens"),
	}}); err != nil {
		t.Fatal(err)
	}
	want := "UpPool_" + e.UpSub

	// A refusal reaches the app as invalid_request with Cognito's
	// message, and no user is made.
	r := e.upstreamAnswer(e.authorizeQuery("identity_provider", "UpPool"))
	wantRedirectError(t, r, hostedCallback, "invalid_request", "st-123")
	if d := r.Location(t).Query().Get("error_description"); d != "PreSignUp failed with error Not today." {
		t.Errorf("error_description = %q", d)
	}
	if _, err := e.Svc.AdminGetUser(t.Context(), &cognito.AdminGetUserInput{UserPoolID: e.PoolID, Username: want}); err == nil {
		t.Error("a refused PreSignUp left a user")
	}
	ev := fn.event(t, "PreSignUp_ExternalProvider")
	attrs := ev["request"].(map[string]any)["userAttributes"].(map[string]any)
	if ev["userName"] != want || attrs["email"] != "bob@upstream.example" || attrs["cognito:email_alias"] != "" {
		t.Errorf("PreSignUp event %v", ev)
	}
	if _, ok := attrs["identities"]; ok {
		t.Error("the PreSignUp event carries identities")
	}

	// Accepted, the first sign-in runs every trigger in order (pre token
	// generation when the code is redeemed), and the federated user's
	// status reaches them.
	fn.mu.Lock()
	fn.refuse, fn.events = false, nil
	fn.mu.Unlock()
	if id := e.federatedClaims(e.authorizeQuery("identity_provider", "UpPool")); id["cognito:username"] != want {
		t.Fatalf("signed in as %v", id["cognito:username"])
	}
	wantSources := []string{"PreSignUp_ExternalProvider", "PostConfirmation_ConfirmSignUp", "PreAuthentication_Authentication",
		"PostAuthentication_Authentication", "TokenGeneration_HostedAuth"}
	if got := fn.sources(); !slices.Equal(got, wantSources) {
		t.Errorf("sources = %v, want %v", got, wantSources)
	}
	if st := fn.event(t, "PostConfirmation_ConfirmSignUp")["request"].(map[string]any)["userAttributes"].(map[string]any)["cognito:user_status"]; st != "EXTERNAL_PROVIDER" {
		t.Errorf("PostConfirmation user status %v", st)
	}
	// A later sign-in is no sign-up.
	fn.mu.Lock()
	fn.events = nil
	fn.mu.Unlock()
	e.federatedClaims(e.authorizeQuery("identity_provider", "UpPool"))
	if got := fn.sources(); !slices.Equal(got, wantSources[2:]) {
		t.Errorf("later sources = %v", got)
	}
}

// PreSignUp_ExternalProvider may link the identity to an existing user,
// the documented way to merge accounts: that user signs in at once.
func TestTriggerPreSignUpExternalProviderLinks(t *testing.T) {
	fn := &fedFunctions{}
	e := newFedEnv(t, testserver.WithTriggers(fn))
	fn.link = func(username string) error {
		return e.Svc.AdminLinkProviderForUser(context.Background(), &cognito.AdminLinkProviderForUserInput{
			UserPoolID:      e.PoolID,
			DestinationUser: &cognito.ProviderUserIdentifierType{ProviderName: userpool.ProviderCognito, ProviderAttributeValue: hostedUser},
			SourceUser:      &cognito.ProviderUserIdentifierType{ProviderName: "UpPool", ProviderAttributeName: userpool.LinkBySubject, ProviderAttributeValue: e.UpSub},
		})
	}
	if err := e.Svc.UpdatePool(t.Context(), &cognito.UpdateUserPoolInput{UserPoolID: e.PoolID, LambdaConfig: &cognito.LambdaConfigType{
		PreSignUp: "arn:aws:lambda:us-east-1:123456789012:function:pre",
	}}); err != nil {
		t.Fatal(err)
	}
	if id := e.federatedClaims(e.authorizeQuery("identity_provider", "UpPool")); id["cognito:username"] != hostedUser {
		t.Errorf("signed in as %v", id["cognito:username"])
	}
	if _, err := e.Svc.AdminGetUser(t.Context(), &cognito.AdminGetUserInput{UserPoolID: e.PoolID, Username: "UpPool_" + e.UpSub}); err == nil {
		t.Error("the linked identity got a user of its own")
	}
}

// A user who took the name an identity would get (signed up as
// "UpPool_<id>") does not receive that identity's sign-ins: the journey
// ends in Cognito's error, and the user is left as it was.
func TestFederatedNameTakenByLocalUser(t *testing.T) {
	e := newFedEnv(t)
	squatter := "UpPool_" + e.UpSub
	e.createUser(squatter, hostedPassword, true, cognito.AttributeType{Name: "email", Value: "squatter@example.com"})
	r := e.upstreamAnswer(e.authorizeQuery("identity_provider", "UpPool"))
	wantRedirectError(t, r, hostedCallback, "invalid_request", "st-123")
	if d := r.Location(t).Query().Get("error_description"); d != "Already found an entry for username "+squatter {
		t.Errorf("error_description = %q", d)
	}
	u, err := e.Svc.AdminGetUser(t.Context(), &cognito.AdminGetUserInput{UserPoolID: e.PoolID, Username: squatter})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range u.UserAttributes {
		if a.Name == "email" && a.Value != "squatter@example.com" || a.Name == "identities" {
			t.Errorf("the local user was changed: %s=%s", a.Name, a.Value)
		}
	}
}

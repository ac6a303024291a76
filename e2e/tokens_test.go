package e2e

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/coreos/go-oidc/v3/oidc"
)

// TestSigningKeyRotation verifies tokens with go-oidc, an independent OIDC
// client that knows the pool only by its issuer URL, across a signing-key
// rotation made the way an operator would: stop the server, run
// `userpool keys rotate` on its data directory, start it again. The JWKS
// then publishes the old and the new keys, new tokens carry the new kids,
// and tokens signed before the rotation still verify and still work.
func TestSigningKeyRotation(t *testing.T) {
	t.Parallel()
	first := startServer(t)
	ctx := clientContext(t, 90*time.Second)
	c := goClient(first.Endpoint, first.Key)

	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("e2e-go-keys-" + randomSuffix())})
	if err != nil {
		t.Fatalf("CreateUserPool: %v", err)
	}
	poolID := aws.ToString(pool.UserPool.Id)
	appClient, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{
		UserPoolId: aws.String(poolID),
		ClientName: aws.String("e2e-go"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{
			types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth,
		},
	})
	if err != nil {
		t.Fatalf("CreateUserPoolClient: %v", err)
	}
	clientID := aws.ToString(appClient.UserPoolClient.ClientId)
	username, password := "carol-"+randomSuffix(), "Pw-"+randomSuffix()+"-7Qx!"
	first.addSecrets(password)
	if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{
		UserPoolId: aws.String(poolID), Username: aws.String(username), MessageAction: types.MessageActionTypeSuppress,
	}); err != nil {
		t.Fatalf("AdminCreateUser: %v", err)
	}
	if _, err := c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{
		UserPoolId: aws.String(poolID), Username: aws.String(username), Password: aws.String(password), Permanent: true,
	}); err != nil {
		t.Fatalf("AdminSetUserPassword: %v", err)
	}

	before := tokensSignIn(ctx, t, first, clientID, username, password)
	issuer := first.Endpoint + "/" + poolID
	idV, accessV := tokensVerifiers(ctx, t, issuer, clientID)
	tokensCheck(ctx, t, idV, accessV, before, username, clientID)

	// go-oidc refuses a token whose payload was changed after signing.
	parts := strings.Split(aws.ToString(before.IdToken), ".")
	forged := tokensClaims(t, aws.ToString(before.IdToken))
	forged["cognito:username"] = "mallory"
	payload, _ := json.Marshal(forged)
	if _, err := idV.Verify(ctx, parts[0]+"."+base64.RawURLEncoding.EncodeToString(payload)+"."+parts[2]); err == nil {
		t.Error("go-oidc accepted an ID token whose payload was changed")
	}
	// An access token is not an ID token for the client: it has no aud.
	if _, err := idV.Verify(ctx, aws.ToString(before.AccessToken)); err == nil {
		t.Error("go-oidc accepted an access token as an ID token for the client")
	}

	oldKids := jwksKids(ctx, t, first.Endpoint, poolID)
	oldID, oldAccess := tokensKid(t, aws.ToString(before.IdToken)), tokensKid(t, aws.ToString(before.AccessToken))
	if want := []string{oldAccess, oldID}; !tokensSameSet(oldKids, want) {
		t.Fatalf("JWKS before the rotation has kids %v, want those of the ID and access tokens %v", oldKids, want)
	}

	first.Stop()
	rotated := tokensUserpool(ctx, t, "keys", "rotate", "--pool", poolID, "--publish-ahead", "0s", "--data", first.DataDir)
	m := regexp.MustCompile(`new keys (\S+) \(id\) and (\S+) \(access\)`).FindStringSubmatch(rotated)
	if m == nil {
		t.Fatalf("keys rotate printed %q, which names no new keys", rotated)
	}
	newID, newAccess := m[1], m[2]
	if slices.Contains(oldKids, newID) || slices.Contains(oldKids, newAccess) || newID == newAccess {
		t.Fatalf("keys rotate made kids %s and %s; the old ones are %v", newID, newAccess, oldKids)
	}
	listed := tokensUserpool(ctx, t, "keys", "list", "--pool", poolID, "--data", first.DataDir)
	for _, kid := range []string{oldID, oldAccess, newID, newAccess} {
		if !strings.Contains(listed, kid) {
			t.Errorf("keys list does not show kid %s:\n%s", kid, listed)
		}
	}

	// The same address, so the issuer (http://addr/poolId) is unchanged.
	second := launch(t, serverConfig{DataDir: first.DataDir, ExpectKey: &first.Key, Addr: first.Addr})
	second.addSecrets(password, aws.ToString(before.AccessToken), aws.ToString(before.RefreshToken))
	kids := jwksKids(ctx, t, second.Endpoint, poolID)
	if want := []string{oldID, oldAccess, newID, newAccess}; !tokensSameSet(kids, want) {
		t.Errorf("JWKS after the rotation has kids %v, want the old and the new ones %v", kids, want)
	}

	after := tokensSignIn(ctx, t, second, clientID, username, password)
	if got := tokensKid(t, aws.ToString(after.IdToken)); got != newID {
		t.Errorf("ID token after the rotation has kid %s, want the new key %s", got, newID)
	}
	if got := tokensKid(t, aws.ToString(after.AccessToken)); got != newAccess {
		t.Errorf("access token after the rotation has kid %s, want the new key %s", got, newAccess)
	}
	idV, accessV = tokensVerifiers(ctx, t, issuer, clientID)
	tokensCheck(ctx, t, idV, accessV, after, username, clientID)
	// Tokens signed by the replaced keys still verify, offline and with
	// the server, and their refresh token now yields new-key tokens.
	tokensCheck(ctx, t, idV, accessV, before, username, clientID)
	c = goClient(second.Endpoint, first.Key)
	if _, err := c.GetUser(ctx, &cip.GetUserInput{AccessToken: before.AccessToken}); err != nil {
		t.Errorf("GetUser with an access token signed before the rotation: %v", err)
	}
	refreshed, err := c.InitiateAuth(ctx, &cip.InitiateAuthInput{
		AuthFlow: types.AuthFlowTypeRefreshTokenAuth, ClientId: aws.String(clientID),
		AuthParameters: map[string]string{"REFRESH_TOKEN": aws.ToString(before.RefreshToken)},
	})
	if err != nil {
		t.Fatalf("REFRESH_TOKEN_AUTH with a refresh token from before the rotation: %v", err)
	}
	second.addSecrets(aws.ToString(refreshed.AuthenticationResult.AccessToken))
	if got := tokensKid(t, aws.ToString(refreshed.AuthenticationResult.AccessToken)); got != newAccess {
		t.Errorf("refreshed access token has kid %s, want the new key %s", got, newAccess)
	}
	tokensCheck(ctx, t, idV, accessV, refreshed.AuthenticationResult, username, clientID)
}

// tokensSignIn signs in with USER_PASSWORD_AUTH and registers the bearer
// tokens for the log check.
func tokensSignIn(ctx context.Context, t *testing.T, s *server, clientID, username, password string) *types.AuthenticationResultType {
	t.Helper()
	out, err := goClient(s.Endpoint, s.Key).InitiateAuth(ctx, &cip.InitiateAuthInput{
		AuthFlow:       types.AuthFlowTypeUserPasswordAuth,
		ClientId:       aws.String(clientID),
		AuthParameters: map[string]string{"USERNAME": username, "PASSWORD": password},
	})
	if err != nil {
		t.Fatalf("InitiateAuth USER_PASSWORD_AUTH: %v", err)
	}
	r := out.AuthenticationResult
	if r == nil || r.IdToken == nil || r.AccessToken == nil || r.RefreshToken == nil {
		t.Fatalf("InitiateAuth returned no tokens: %+v", out)
	}
	s.addSecrets(aws.ToString(r.AccessToken), aws.ToString(r.RefreshToken))
	return r
}

// tokensVerifiers builds go-oidc verifiers from the pool's discovery
// document: ID tokens for the client, and access tokens, which have no aud.
func tokensVerifiers(ctx context.Context, t *testing.T, issuer, clientID string) (id, access *oidc.IDTokenVerifier) {
	t.Helper()
	p, err := oidc.NewProvider(ctx, issuer)
	if err != nil {
		t.Fatalf("oidc.NewProvider(%s): %v", issuer, err)
	}
	return p.Verifier(&oidc.Config{ClientID: clientID}), p.Verifier(&oidc.Config{SkipClientIDCheck: true})
}

// tokensCheck verifies a result's ID and access tokens with go-oidc and
// checks the claims that say what each token is and whose.
func tokensCheck(ctx context.Context, t *testing.T, idV, accessV *oidc.IDTokenVerifier, r *types.AuthenticationResultType, username, clientID string) {
	t.Helper()
	idTok, err := idV.Verify(ctx, aws.ToString(r.IdToken))
	if err != nil {
		t.Errorf("go-oidc: ID token: %v", err)
	} else {
		var cl struct {
			TokenUse string `json:"token_use"`
			Username string `json:"cognito:username"`
		}
		if err := idTok.Claims(&cl); err != nil {
			t.Fatal(err)
		}
		if cl.TokenUse != "id" || cl.Username != username {
			t.Errorf("ID token: token_use %q, cognito:username %q; want id, %s", cl.TokenUse, cl.Username, username)
		}
	}
	accTok, err := accessV.Verify(ctx, aws.ToString(r.AccessToken))
	if err != nil {
		t.Errorf("go-oidc: access token: %v", err)
		return
	}
	var cl struct {
		TokenUse string `json:"token_use"`
		ClientID string `json:"client_id"`
		Username string `json:"username"`
	}
	if err := accTok.Claims(&cl); err != nil {
		t.Fatal(err)
	}
	if cl.TokenUse != "access" || cl.ClientID != clientID || cl.Username != username {
		t.Errorf("access token: token_use %q, client_id %q, username %q; want access, %s, %s", cl.TokenUse, cl.ClientID, cl.Username, clientID, username)
	}
	if len(accTok.Audience) != 0 {
		t.Errorf("access token has aud %v; Cognito's have none", accTok.Audience)
	}
}

// jwksKids returns the kids a server publishes for the pool, sorted.
func jwksKids(ctx context.Context, t *testing.T, endpoint, poolID string) []string {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint+"/"+poolID+"/.well-known/jwks.json", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET jwks.json: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET jwks.json: %s", resp.Status)
	}
	var doc struct {
		Keys []struct {
			Kid string `json:"kid"`
		} `json:"keys"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatalf("decode jwks.json: %v", err)
	}
	var kids []string
	for _, k := range doc.Keys {
		kids = append(kids, k.Kid)
	}
	slices.Sort(kids)
	return kids
}

// tokensKid returns a JWT's kid header.
func tokensKid(t *testing.T, jwt string) string {
	t.Helper()
	var h struct {
		Kid string `json:"kid"`
	}
	tokensDecode(t, jwt, 0, &h)
	return h.Kid
}

// tokensClaims returns a JWT's payload, unverified.
func tokensClaims(t *testing.T, jwt string) map[string]any {
	t.Helper()
	m := map[string]any{}
	tokensDecode(t, jwt, 1, &m)
	return m
}

func tokensDecode(t *testing.T, jwt string, part int, v any) {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("%d-part token, want a JWS", len(parts))
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[part])
	if err != nil {
		t.Fatalf("token part %d: %v", part, err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("token part %d: %v", part, err)
	}
}

// tokensUserpool runs a userpool subcommand other than serve and returns
// its stdout, failing the test on a non-zero exit.
func tokensUserpool(ctx context.Context, t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = cleanEnv()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("userpool %s: %v\n%s%s", strings.Join(args, " "), err, out, stderr.String())
	}
	return string(out)
}

// tokensSameSet reports whether two lists hold the same strings, in any
// order.
func tokensSameSet(a, b []string) bool {
	return slices.Equal(slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b)))
}

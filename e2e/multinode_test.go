package e2e

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"
	"github.com/jackc/pgx/v5"
)

// multiNodeDefaultDSN is the PostgreSQL server the test uses when
// TEST_POSTGRES_DSN is unset: the machine's own, with trust
// authentication, as on the development machines and in CI. Only its
// server and credentials matter; the test creates a database of its own.
const multiNodeDefaultDSN = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// multiNodePublicURL is the address the nodes are reached at in a real
// deployment: the load balancer's. Every node must be started with the
// same --public-url, since it is the tokens' issuer and a node refuses an
// access token whose issuer is not its own.
const multiNodePublicURL = "https://userpool.multinode.test"

// multiNodes is three `userpool serve` processes sharing one PostgreSQL
// database, the admin key and the data key, as a deployment behind a load
// balancer runs them.
type multiNodes struct {
	nodes    []*server
	clients  []*cip.Client
	key      adminKey
	dataKey  string
	storeURL string
	// secrets are every password, session and token the test used, so a
	// node started later checks its log for them too.
	secrets []string
}

// TestMultiNode runs three nodes against one fresh PostgreSQL database,
// started at the same moment (so their migrations meet the advisory lock),
// and checks that nothing a security decision depends on is held by one
// node alone: tokens minted on one node are refreshed on a second, revoked
// on a third and refused at once by all; concurrent rotations of one token
// spread across the nodes have one winner; a challenge started on one node
// is answered on another; and killing a node in the middle of a write load
// loses no write that was acknowledged.
func TestMultiNode(t *testing.T) {
	t.Parallel()
	m := startMultiNodes(t)
	ctx := clientContext(t, 3*time.Minute)
	admin := m.clients[0]

	pool, err := admin.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("e2e-multinode-" + randomSuffix())})
	if err != nil {
		t.Fatalf("CreateUserPool on node 1: %v", err)
	}
	poolID := aws.ToString(pool.UserPool.Id)
	plain := multiNodeClient(ctx, t, admin, poolID, &cip.CreateUserPoolClientInput{
		ClientName: aws.String("plain"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{
			types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth,
		},
	})
	rotating := multiNodeClient(ctx, t, admin, poolID, &cip.CreateUserPoolClientInput{
		ClientName:           aws.String("rotating"),
		ExplicitAuthFlows:    []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth},
		RefreshTokenRotation: &types.RefreshTokenRotationType{Feature: types.FeatureTypeEnabled, RetryGracePeriodSeconds: aws.Int32(0)},
	})

	// Erin has a permanent password; the first tokens of the pool are hers,
	// asked for on all three nodes at the same moment, so the nodes race to
	// create the pool's signing keys.
	username, password := "erin-"+randomSuffix(), "Pw-"+randomSuffix()+"-8Zr!"
	m.addSecrets(password)
	if _, err := admin.AdminCreateUser(ctx, &cip.AdminCreateUserInput{
		UserPoolId: aws.String(poolID), Username: aws.String(username), MessageAction: types.MessageActionTypeSuppress,
	}); err != nil {
		t.Fatalf("AdminCreateUser on node 1: %v", err)
	}
	if _, err := admin.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{
		UserPoolId: aws.String(poolID), Username: aws.String(username), Password: aws.String(password), Permanent: true,
	}); err != nil {
		t.Fatalf("AdminSetUserPassword on node 1: %v", err)
	}

	t.Run("first sign-ins on every node at once agree on one key pair", func(t *testing.T) {
		results := make([]*types.AuthenticationResultType, len(m.clients))
		errs := make([]error, len(m.clients))
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i, c := range m.clients {
			wg.Go(func() {
				<-start
				results[i], errs[i] = multiNodeSignIn(ctx, c, plain, username, password)
			})
		}
		close(start)
		wg.Wait()
		var kids []string
		for i, r := range results {
			if errs[i] != nil {
				t.Fatalf("sign-in on node %d: %v", i+1, errs[i])
			}
			m.addTokens(r)
			for _, jwt := range []string{aws.ToString(r.IdToken), aws.ToString(r.AccessToken)} {
				var header struct {
					Kid string `json:"kid"`
				}
				var claims struct {
					Iss string `json:"iss"`
				}
				multiNodeDecode(t, jwt, 0, &header)
				multiNodeDecode(t, jwt, 1, &claims)
				if want := multiNodePublicURL + "/" + poolID; claims.Iss != want {
					t.Errorf("node %d minted a token with iss %q, want %q", i+1, claims.Iss, want)
				}
				if !slices.Contains(kids, header.Kid) {
					kids = append(kids, header.Kid)
				}
			}
		}
		if len(kids) != 2 {
			t.Errorf("the nodes signed the first tokens with %d keys %v, want one ID key and one access key", len(kids), kids)
		}
		slices.Sort(kids)
		for i, n := range m.nodes {
			if got := jwksKids(ctx, t, n.Endpoint, poolID); !slices.Equal(got, kids) {
				t.Errorf("node %d publishes kids %v, want the ones the nodes signed with %v", i+1, got, kids)
			}
		}
	})

	t.Run("challenge started on one node is answered on another", func(t *testing.T) {
		// The session is sealed with the shared data key, not kept by the
		// node that started the sign-in.
		dana := "dana-" + randomSuffix()
		temporary, chosen := "Tmp-"+randomSuffix()+"-4Kp!", "Pw-"+randomSuffix()+"-6Wq!"
		m.addSecrets(temporary, chosen)
		if _, err := m.clients[0].AdminCreateUser(ctx, &cip.AdminCreateUserInput{
			UserPoolId: aws.String(poolID), Username: aws.String(dana),
			TemporaryPassword: aws.String(temporary), MessageAction: types.MessageActionTypeSuppress,
		}); err != nil {
			t.Fatalf("AdminCreateUser on node 1: %v", err)
		}
		started, err := m.clients[0].InitiateAuth(ctx, &cip.InitiateAuthInput{
			ClientId: aws.String(plain), AuthFlow: types.AuthFlowTypeUserPasswordAuth,
			AuthParameters: map[string]string{"USERNAME": dana, "PASSWORD": temporary},
		})
		if err != nil {
			t.Fatalf("InitiateAuth on node 1: %v", err)
		}
		if started.ChallengeName != types.ChallengeNameTypeNewPasswordRequired || aws.ToString(started.Session) == "" {
			t.Fatalf("InitiateAuth on node 1 answered challenge %q with session %q, want NEW_PASSWORD_REQUIRED and a session",
				started.ChallengeName, aws.ToString(started.Session))
		}
		m.addSecrets(aws.ToString(started.Session))
		done, err := m.clients[1].RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{
			ClientId: aws.String(plain), ChallengeName: types.ChallengeNameTypeNewPasswordRequired,
			Session:            started.Session,
			ChallengeResponses: map[string]string{"USERNAME": dana, "NEW_PASSWORD": chosen},
		})
		if err != nil {
			t.Fatalf("RespondToAuthChallenge on node 2 with node 1's session: %v", err)
		}
		if done.AuthenticationResult == nil {
			t.Fatalf("RespondToAuthChallenge on node 2 returned no tokens (challenge %q)", done.ChallengeName)
		}
		m.addTokens(done.AuthenticationResult)
		if _, err := m.clients[2].GetUser(ctx, &cip.GetUserInput{AccessToken: done.AuthenticationResult.AccessToken}); err != nil {
			t.Errorf("GetUser on node 3 with the tokens node 2 minted: %v", err)
		}
		after, err := m.clients[2].AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(poolID), Username: aws.String(dana)})
		if err != nil {
			t.Fatalf("AdminGetUser on node 3: %v", err)
		}
		if after.UserStatus != types.UserStatusTypeConfirmed {
			t.Errorf("after the challenge, UserStatus = %q on node 3, want CONFIRMED", after.UserStatus)
		}
	})

	t.Run("a token revoked on one node is refused at once by every node", func(t *testing.T) {
		signedIn, err := multiNodeSignIn(ctx, m.clients[0], plain, username, password)
		if err != nil {
			t.Fatalf("sign-in on node 1: %v", err)
		}
		m.addTokens(signedIn)
		refreshed, err := m.clients[1].InitiateAuth(ctx, &cip.InitiateAuthInput{
			ClientId: aws.String(plain), AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
			AuthParameters: map[string]string{"REFRESH_TOKEN": aws.ToString(signedIn.RefreshToken)},
		})
		if err != nil {
			t.Fatalf("REFRESH_TOKEN_AUTH on node 2 with node 1's refresh token: %v", err)
		}
		m.addTokens(refreshed.AuthenticationResult)
		access := []string{aws.ToString(signedIn.AccessToken), aws.ToString(refreshed.AuthenticationResult.AccessToken)}
		for i, c := range m.clients {
			for j, token := range access {
				if _, err := c.GetUser(ctx, &cip.GetUserInput{AccessToken: aws.String(token)}); err != nil {
					t.Fatalf("before the revocation, GetUser on node %d with access token %d: %v", i+1, j+1, err)
				}
			}
		}

		if _, err := m.clients[2].RevokeToken(ctx, &cip.RevokeTokenInput{ClientId: aws.String(plain), Token: signedIn.RefreshToken}); err != nil {
			t.Fatalf("RevokeToken on node 3: %v", err)
		}
		// No wait: nothing about a sign-in is cached by a node.
		_, err = m.clients[0].InitiateAuth(ctx, &cip.InitiateAuthInput{
			ClientId: aws.String(plain), AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
			AuthParameters: map[string]string{"REFRESH_TOKEN": aws.ToString(signedIn.RefreshToken)},
		})
		multiNodeWantError(t, err, "node 1 refresh after node 3 revoked", "NotAuthorizedException", "Refresh Token has been revoked")
		for i, c := range m.clients {
			for j, token := range access {
				_, err := c.GetUser(ctx, &cip.GetUserInput{AccessToken: aws.String(token)})
				multiNodeWantError(t, err, fmt.Sprintf("GetUser on node %d with access token %d", i+1, j+1),
					"NotAuthorizedException", "Access Token has been revoked")
			}
		}
	})

	t.Run("concurrent rotations across the nodes have one winner, and revoke the sign-in", func(t *testing.T) {
		signedIn, err := multiNodeSignIn(ctx, m.clients[0], rotating, username, password)
		if err != nil {
			t.Fatalf("sign-in on node 1: %v", err)
		}
		m.addTokens(signedIn)
		const perNode = 4
		n := perNode * len(m.clients)
		results := make([]*cip.GetTokensFromRefreshTokenOutput, n)
		errs := make([]error, n)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range n {
			c := m.clients[i%len(m.clients)]
			wg.Go(func() {
				<-start
				results[i], errs[i] = c.GetTokensFromRefreshToken(ctx, &cip.GetTokensFromRefreshTokenInput{
					ClientId: aws.String(rotating), RefreshToken: signedIn.RefreshToken,
				})
			})
		}
		close(start)
		wg.Wait()
		winner := -1
		for i := range n {
			if errs[i] != nil {
				// A loser is a reuse, which revokes the sign-in; a loser
				// that comes after such a revocation finds it revoked.
				what := fmt.Sprintf("rotation %d on node %d", i+1, i%len(m.clients)+1)
				if ae := (smithy.APIError)(nil); errors.As(errs[i], &ae) && ae.ErrorCode() == "NotAuthorizedException" {
					multiNodeWantError(t, errs[i], what, "NotAuthorizedException", "Refresh Token has been revoked")
				} else {
					multiNodeWantError(t, errs[i], what, "RefreshTokenReuseException", "Refresh token has been invalidated by refresh token rotation.")
				}
				continue
			}
			m.addTokens(results[i].AuthenticationResult)
			if winner >= 0 {
				t.Errorf("rotations on nodes %d and %d both succeeded", winner%len(m.clients)+1, i%len(m.clients)+1)
			}
			winner = i
		}
		if winner < 0 {
			t.Fatalf("none of %d concurrent rotations succeeded", n)
		}
		// The losers' reuse revoked the sign-in, the winner's new refresh
		// token included, on every node.
		won := results[winner].AuthenticationResult
		if aws.ToString(won.RefreshToken) == "" {
			t.Fatal("the winning rotation returned no new refresh token")
		}
		_, err = m.clients[(winner+1)%len(m.clients)].GetTokensFromRefreshToken(ctx, &cip.GetTokensFromRefreshTokenInput{
			ClientId: aws.String(rotating), RefreshToken: won.RefreshToken,
		})
		multiNodeWantError(t, err, "the winner's refresh token on another node", "NotAuthorizedException", "Refresh Token has been revoked")
	})

	t.Run("killing a node mid-load loses no acknowledged write", func(t *testing.T) {
		m.killMidLoad(ctx, t, poolID)
	})
}

// killMidLoad spreads AdminCreateUser calls over the nodes from several
// workers, SIGKILLs node 2 while they run, carries on against the others,
// and then looks up, through a fresh node started on the same database,
// every user whose creation was answered 200. A call that failed may or
// may not have committed, so it is only required that nothing appears that
// was never asked for.
func (m *multiNodes) killMidLoad(ctx context.Context, t *testing.T, poolID string) {
	const (
		workers  = 9
		victim   = 1 // node 2
		before   = 1500 * time.Millisecond
		after    = 1500 * time.Millisecond
		maxCalls = 5000
	)
	var (
		mu          sync.Mutex
		acked       = map[string]int{} // username -> node that answered 200
		attempted   = map[string]bool{}
		killed      atomic.Bool
		stop        atomic.Bool
		inFlight    [3]atomic.Int64
		victimFails atomic.Int64
		ackedAfter  atomic.Int64
		calls       atomic.Int64
		unexpected  []string
	)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := 0; !stop.Load() && calls.Add(1) <= maxCalls; i++ {
				node := (w + i) % len(m.clients)
				if node == victim && killed.Load() {
					// A load balancer takes a dead node out; the call goes
					// to the next one.
					node = (node + 1) % len(m.clients)
				}
				name := fmt.Sprintf("load-%d-%d", w, i)
				mu.Lock()
				attempted[name] = true
				mu.Unlock()
				inFlight[node].Add(1)
				wasKilled := killed.Load()
				_, err := m.clients[node].AdminCreateUser(ctx, &cip.AdminCreateUserInput{
					UserPoolId: aws.String(poolID), Username: aws.String(name), MessageAction: types.MessageActionTypeSuppress,
				})
				inFlight[node].Add(-1)
				mu.Lock()
				switch {
				case err == nil:
					acked[name] = node
					if wasKilled && node != victim {
						ackedAfter.Add(1)
					}
				case node == victim && killed.Load():
					// Cut off by the kill: the outcome is unknown.
					victimFails.Add(1)
				case ctx.Err() == nil:
					unexpected = append(unexpected, fmt.Sprintf("node %d, %s: %v", node+1, name, err))
				}
				mu.Unlock()
			}
		})
	}
	time.Sleep(before)
	mu.Lock()
	ackedByVictim := 0
	for _, n := range acked {
		if n == victim {
			ackedByVictim++
		}
	}
	mu.Unlock()
	busy := inFlight[victim].Load()
	// Set first, so a call the kill cuts off is known to be one.
	killed.Store(true)
	multiNodeKill(m.nodes[victim])
	time.Sleep(after)
	stop.Store(true)
	wg.Wait()

	t.Logf("%d calls, %d acknowledged; node 2 acknowledged %d before it was killed with %d calls in flight; %d calls to it failed; the survivors acknowledged %d after the kill",
		calls.Load(), len(acked), ackedByVictim, busy, victimFails.Load(), ackedAfter.Load())
	for _, u := range unexpected {
		t.Errorf("AdminCreateUser on a surviving node failed: %s", u)
	}
	if ackedByVictim == 0 {
		t.Fatal("node 2 acknowledged no write before it was killed, so the kill tested nothing")
	}
	if ackedAfter.Load() == 0 {
		t.Error("the surviving nodes acknowledged no write after the kill")
	}

	// A node started after the crash, on the same database, sees every
	// acknowledged write.
	fresh := m.start(t, 1)[0]
	m.nodes = append(m.nodes, fresh)
	found := map[string]bool{}
	var token *string
	for {
		out, err := m.client(fresh).ListUsers(ctx, &cip.ListUsersInput{UserPoolId: aws.String(poolID), Limit: aws.Int32(60), PaginationToken: token})
		if err != nil {
			t.Fatalf("ListUsers on the restarted node: %v", err)
		}
		for _, u := range out.Users {
			found[aws.ToString(u.Username)] = true
		}
		if token = out.PaginationToken; aws.ToString(token) == "" {
			break
		}
	}
	var lost []string
	for name, node := range acked {
		if !found[name] {
			lost = append(lost, fmt.Sprintf("%s (node %d)", name, node+1))
		}
	}
	slices.Sort(lost)
	if len(lost) > 0 {
		t.Errorf("%d acknowledged AdminCreateUser calls are missing after the kill: %s", len(lost), strings.Join(lost, ", "))
	}
	for name := range found {
		if strings.HasPrefix(name, "load-") && !attempted[name] {
			t.Errorf("user %s exists but was never created", name)
		}
	}
}

// startMultiNodes creates a database and starts three nodes on it at the
// same moment.
func startMultiNodes(t *testing.T) *multiNodes {
	t.Helper()
	keyBytes := make([]byte, 32)
	rand.Read(keyBytes)
	m := &multiNodes{
		storeURL: multiNodeDatabase(t),
		key: adminKey{
			AccessKeyID:     "AKIAE2EMULTI" + strings.ToUpper(randomSuffix()),
			SecretAccessKey: "multinode/" + randomSuffix() + randomSuffix(),
		},
		dataKey: base64.StdEncoding.EncodeToString(keyBytes),
	}
	m.nodes = m.start(t, 3)
	for _, n := range m.nodes {
		m.clients = append(m.clients, m.client(n))
	}
	return m
}

// start launches n nodes at once on the shared database, each with its own
// data directory: nothing a node needs from another is on its disk.
func (m *multiNodes) start(t *testing.T, n int) []*server {
	t.Helper()
	cfg := serverConfig{
		Key: &m.key,
		Env: []string{"USERPOOL_DATA_KEY=" + m.dataKey},
		Args: []string{
			"--store", m.storeURL,
			"--public-url", multiNodePublicURL,
			// Cheap password hashing: the load below is about durability,
			// and a node on a small CI machine should spend its time on
			// the database rather than on Argon2.
			"--argon2-memory", "1024", "--argon2-iterations", "1",
		},
	}
	nodes := make([]*server, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			c := cfg
			c.DataDir = t.TempDir()
			// A free port can be taken before the node binds it.
			for range 3 {
				nodes[i], errs[i] = tryLaunch(t, c)
				if errs[i] == nil || !strings.Contains(errs[i].Error(), "address already in use") {
					return
				}
			}
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("start node %d: %v", i+1, err)
		}
	}
	for _, s := range nodes {
		s.addSecrets(m.dataKey)
		s.addSecrets(m.secrets...)
	}
	return nodes
}

func (m *multiNodes) client(s *server) *cip.Client { return goClient(s.Endpoint, m.key) }

// addSecrets registers secrets with every node's log check. The test
// calls it from its own goroutine only.
func (m *multiNodes) addSecrets(secrets ...string) {
	m.secrets = append(m.secrets, secrets...)
	for _, n := range m.nodes {
		n.addSecrets(secrets...)
	}
}

// addTokens registers tokens, which are bearer credentials, as secrets.
func (m *multiNodes) addTokens(r *types.AuthenticationResultType) {
	if r != nil {
		m.addSecrets(aws.ToString(r.IdToken), aws.ToString(r.AccessToken), aws.ToString(r.RefreshToken))
	}
}

// multiNodeKill ends a node with SIGKILL, as a crash or the OOM killer
// would: it gets no chance to drain, and its cleanup no longer expects a
// clean exit.
func multiNodeKill(s *server) {
	s.mu.Lock()
	s.stopped = true
	s.mu.Unlock()
	s.kill()
}

// multiNodeDatabase creates an empty database for the test and drops it
// when the test ends, after the nodes (whose cleanups run first) have
// stopped. PostgreSQL that cannot be reached skips the test, or fails it
// in CI, where a skip would let the suite pass by testing nothing.
func multiNodeDatabase(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv("TEST_POSTGRES_DSN")
	if dsn == "" {
		dsn = multiNodeDefaultDSN
	}
	u, err := url.Parse(dsn)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		t.Fatalf("TEST_POSTGRES_DSN must be a postgres:// URL for this test")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err == nil {
		err = conn.Ping(ctx)
	}
	if err != nil {
		msg := fmt.Sprintf("PostgreSQL at %s is not reachable (set TEST_POSTGRES_DSN): %v", u.Redacted(), err)
		if inCI() {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "userpool_e2e_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		conn.Close(context.Background())
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		defer conn.Close(ctx)
		// FORCE: a node killed by the test may have left sessions that
		// PostgreSQL has not noticed are gone yet.
		if _, err := conn.Exec(ctx, "DROP DATABASE "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	return u.String()
}

// multiNodeClient creates an app client in the pool and returns its id.
func multiNodeClient(ctx context.Context, t *testing.T, c *cip.Client, poolID string, in *cip.CreateUserPoolClientInput) string {
	t.Helper()
	in.UserPoolId = aws.String(poolID)
	out, err := c.CreateUserPoolClient(ctx, in)
	if err != nil {
		t.Fatalf("CreateUserPoolClient %s: %v", aws.ToString(in.ClientName), err)
	}
	return aws.ToString(out.UserPoolClient.ClientId)
}

// multiNodeDecode decodes part 0 (header) or 1 (claims) of a JWT, unverified.
func multiNodeDecode(t *testing.T, jwt string, part int, v any) {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("a %d-part token, want a JWS", len(parts))
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[part])
	if err == nil {
		err = json.Unmarshal(b, v)
	}
	if err != nil {
		t.Fatalf("token part %d: %v", part, err)
	}
}

// multiNodeSignIn signs in with USER_PASSWORD_AUTH and requires tokens.
func multiNodeSignIn(ctx context.Context, c *cip.Client, clientID, username, password string) (*types.AuthenticationResultType, error) {
	out, err := c.InitiateAuth(ctx, &cip.InitiateAuthInput{
		ClientId: aws.String(clientID), AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": username, "PASSWORD": password},
	})
	if err != nil {
		return nil, err
	}
	if out.AuthenticationResult == nil {
		return nil, fmt.Errorf("no tokens but challenge %q", out.ChallengeName)
	}
	return out.AuthenticationResult, nil
}

// multiNodeWantError checks the type, message and status (400) of an error
// aws-sdk-go-v2 surfaced.
func multiNodeWantError(t *testing.T, err error, what, code, message string) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: got no error, want %s %q", what, code, message)
		return
	}
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		t.Errorf("%s: got %v, want %s %q", what, err, code, message)
		return
	}
	if apiErr.ErrorCode() != code || apiErr.ErrorMessage() != message {
		t.Errorf("%s: got %s %q, want %s %q", what, apiErr.ErrorCode(), apiErr.ErrorMessage(), code, message)
	}
	var respErr *awshttp.ResponseError
	if errors.As(err, &respErr) && respErr.HTTPStatusCode() != http.StatusBadRequest {
		t.Errorf("%s: HTTP status %d, want 400", what, respErr.HTTPStatusCode())
	}
}

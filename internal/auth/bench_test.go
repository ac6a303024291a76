package auth

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/password"
	"github.com/userpool/userpool/internal/seal"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/store/sqlite"
	"github.com/userpool/userpool/internal/tokens"
	"github.com/userpool/userpool/internal/userpool"
)

// benchEngine is the whole engine over a SQLite store in a temporary
// directory, with a pool, a client and a confirmed user signed in once.
func benchEngine(b *testing.B, rotate bool) (e *Engine, clientID, refresh string) {
	e, clientID, r := benchEngineStore(b, rotate, "", nil)
	return e, clientID, r.RefreshToken
}

// benchEngineMode is benchEngine with the pool's threat protection in
// mode ("" for none).
func benchEngineMode(b *testing.B, rotate bool, mode string) (e *Engine, clientID, refresh string) {
	e, clientID, r := benchEngineStore(b, rotate, mode, nil)
	return e, clientID, r.RefreshToken
}

// benchEngineStore is benchEngineMode with the store seen through wrap,
// when not nil, and the tokens of the sign-in.
func benchEngineStore(b testing.TB, rotate bool, mode string, wrap func(store.Store) store.Store) (e *Engine, clientID string, signedIn *TokenSet) {
	b.Helper()
	ctx := context.Background()
	sq, err := sqlite.Open(ctx, sqlite.Config{Path: filepath.Join(b.TempDir(), "bench.db")})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { sq.Close() })
	var st store.Store = sq
	if wrap != nil {
		st = wrap(st)
	}
	key := bytes.Repeat([]byte{3}, seal.KeySize)
	sealer, _ := seal.New(key)
	codec, _ := tokens.NewRefreshCodec(key)
	svc := userpool.New(userpool.Config{Store: st, Sealer: sealer, Passwords: password.Hasher{MemoryKiB: 64, Iterations: 1}})
	iss := tokens.New(tokens.Config{Store: st, Sealer: sealer, Refresh: codec, PublicURL: "http://127.0.0.1:9229"})
	e = New(Config{Users: svc, Tokens: iss, Store: st, Sealer: sealer})

	poolIn := &cognito.CreateUserPoolInput{PoolName: "bench"}
	if mode != "" {
		poolIn.UserPoolAddOns = &cognito.UserPoolAddOnsType{AdvancedSecurityMode: mode}
	}
	pool, err := svc.CreatePool(ctx, poolIn)
	if err != nil {
		b.Fatal(err)
	}
	in := &cognito.CreateUserPoolClientInput{UserPoolID: pool.ID, ClientName: "bench",
		ExplicitAuthFlows: []string{cognito.ExplicitAuthFlowsAllowUserPasswordAuth, cognito.ExplicitAuthFlowsAllowRefreshTokenAuth,
			cognito.ExplicitAuthFlowsAllowUserAuth}}
	if rotate {
		in.ExplicitAuthFlows = in.ExplicitAuthFlows[:1]
		in.RefreshTokenRotation = &cognito.RefreshTokenRotationType{Feature: cognito.FeatureEnabled}
	}
	client, err := svc.CreateClient(ctx, in)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := svc.AdminCreateUser(ctx, &cognito.AdminCreateUserInput{UserPoolID: pool.ID, Username: "bench",
		UserAttributes: []cognito.AttributeType{{Name: "email", Value: "bench@example.com"}}, MessageAction: cognito.MessageActionSuppress}); err != nil {
		b.Fatal(err)
	}
	permanent := true
	if err := svc.AdminSetUserPassword(ctx, &cognito.AdminSetUserPasswordInput{UserPoolID: pool.ID, Username: "bench", Password: "Bench-password-1", Permanent: &permanent}); err != nil {
		b.Fatal(err)
	}
	r, err := e.InitiateAuth(ctx, InitiateRequest{ClientID: client.ClientID, Flow: cognito.AuthFlowUserPasswordAuth,
		Params: map[string]string{"USERNAME": "bench", "PASSWORD": "Bench-password-1"}})
	if err != nil {
		b.Fatal(err)
	}
	return e, client.ClientID, r.Tokens
}

// BenchmarkRefresh is the whole REFRESH_TOKEN_AUTH path below the HTTP
// layer: redeem the token, load the client, pool, user and groups, mint.
// Profile it with -cpuprofile to see what beyond the two RSA signatures
// it costs.
func BenchmarkRefresh(b *testing.B) {
	e, clientID, refresh := benchEngine(b, false)
	ctx := context.Background()
	req := InitiateRequest{ClientID: clientID, Flow: cognito.AuthFlowRefreshTokenAuth, Params: map[string]string{"REFRESH_TOKEN": refresh}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.InitiateAuth(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRotate is GetTokensFromRefreshToken on a rotating client: the
// refresh path plus the rotation's write transaction.
func BenchmarkRotate(b *testing.B) {
	e, clientID, refresh := benchEngine(b, true)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		r, err := e.GetTokensFromRefreshToken(ctx, RefreshRequest{ClientID: clientID, RefreshToken: refresh})
		if err != nil {
			b.Fatal(err)
		}
		refresh = r.Tokens.RefreshToken
	}
}

// BenchmarkAuthenticate is the check of a token-authorized action's
// access token (GetUser's, below the HTTP layer): the verified token is
// remembered, so what remains is the read of the user and of the
// token's sign-in, on every call.
func BenchmarkAuthenticate(b *testing.B) {
	e, _, tok := benchEngineStore(b, false, "", nil)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Authenticate(ctx, tok.AccessToken); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSignIn is a whole USER_PASSWORD_AUTH sign-in below the HTTP
// layer (with a cheap password hash, so the rest shows): in a pool
// without threat protection, and in one auditing, which records an auth
// event per sign-in.
func BenchmarkSignIn(b *testing.B) {
	for _, mode := range []string{cognito.AdvancedSecurityModeOff, cognito.AdvancedSecurityModeAudit} {
		b.Run(mode, func(b *testing.B) {
			e, clientID, _ := benchEngineMode(b, false, mode)
			ctx := context.Background()
			req := InitiateRequest{ClientID: clientID, Flow: cognito.AuthFlowUserPasswordAuth,
				Params: map[string]string{"USERNAME": "bench", "PASSWORD": "Bench-password-1"}}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := e.InitiateAuth(ctx, req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkChallengeSignIn is a sign-in with a challenge: USER_AUTH's
// SELECT_CHALLENGE, answered with the password. In a pool auditing, the
// answer finds its sign-in's auth event by the id its session carries.
func BenchmarkChallengeSignIn(b *testing.B) {
	for _, mode := range []string{cognito.AdvancedSecurityModeOff, cognito.AdvancedSecurityModeAudit} {
		b.Run(mode, func(b *testing.B) {
			e, clientID, _ := benchEngineMode(b, false, mode)
			ctx := context.Background()
			start := InitiateRequest{ClientID: clientID, Flow: cognito.AuthFlowUserAuth, Params: map[string]string{"USERNAME": "bench"}}
			answer := ChallengeRequest{ClientID: clientID, Name: cognito.ChallengeNameTypeSelectChallenge,
				Responses: map[string]string{"USERNAME": "bench", "ANSWER": "PASSWORD", "PASSWORD": "Bench-password-1"}}
			b.ReportAllocs()
			for b.Loop() {
				r, err := e.InitiateAuth(ctx, start)
				if err != nil || r.Session == "" {
					b.Fatalf("InitiateAuth = %+v, %v", r, err)
				}
				answer.Session = r.Session
				if r, err = e.RespondToAuthChallenge(ctx, answer); err != nil || r.Tokens == nil {
					b.Fatalf("RespondToAuthChallenge = %+v, %v", r, err)
				}
			}
		})
	}
}

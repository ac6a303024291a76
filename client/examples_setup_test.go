package client_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/userpool/userpool/client"
	"github.com/userpool/userpool/internal/testserver"
)

// dev is a running Userpool server with one pool, one public app client
// allowing SRP and refresh, and the confirmed user alice.
type dev struct {
	url, poolID, clientID string
	clock                 *testserver.Clock
	admin                 *cip.Client
	tb                    *exampleTB
}

// startDev starts a dev server; mutate, when not nil, adjusts the app
// client. Examples have no *testing.T, so a failure panics, which fails
// the example.
func startDev(mutate func(*cip.CreateUserPoolClientInput)) *dev {
	tb := &exampleTB{}
	s := testserver.New(tb)
	// The stack's clock starts at a fixed date; moving it to the wall
	// clock lets the examples use time.Now as a program would.
	s.Clock.Advance(time.Since(testserver.Start))
	d := &dev{url: s.URL, clock: s.Clock, tb: tb}
	d.admin = cip.New(cip.Options{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider(testserver.AdminKeyID, testserver.AdminSecret, ""),
	}, client.WithEndpoint(s.URL))
	ctx := context.Background()
	pool, err := d.admin.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("dev")})
	must(err)
	d.poolID = aws.ToString(pool.UserPool.Id)
	in := &cip.CreateUserPoolClientInput{
		UserPoolId: aws.String(d.poolID), ClientName: aws.String("web"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{
			types.ExplicitAuthFlowsTypeAllowUserSrpAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth,
		},
	}
	if mutate != nil {
		mutate(in)
	}
	app, err := d.admin.CreateUserPoolClient(ctx, in)
	must(err)
	d.clientID = aws.ToString(app.UserPoolClient.ClientId)
	d.createUser("alice", "Passw0rd!", true)
	return d
}

// createUser creates a user with password, permanent or temporary.
func (d *dev) createUser(username, password string, permanent bool) {
	ctx := context.Background()
	_, err := d.admin.AdminCreateUser(ctx, &cip.AdminCreateUserInput{
		UserPoolId: aws.String(d.poolID), Username: aws.String(username),
		MessageAction: types.MessageActionTypeSuppress,
	})
	must(err)
	_, err = d.admin.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{
		UserPoolId: aws.String(d.poolID), Username: aws.String(username),
		Password: aws.String(password), Permanent: permanent,
	})
	must(err)
}

func (d *dev) close() { d.tb.cleanup() }

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// exampleTB is the part of testing.TB that testserver.New uses, for
// examples, which run without a *testing.T. Any other method would call
// the nil embedded interface and panic, failing the example.
type exampleTB struct {
	testing.TB
	cleanups []func()
}

func (e *exampleTB) Helper()                  {}
func (e *exampleTB) Context() context.Context { return context.Background() }
func (e *exampleTB) Cleanup(f func())         { e.cleanups = append(e.cleanups, f) }
func (e *exampleTB) Fatal(args ...any)        { panic(fmt.Sprint(args...)) }

func (e *exampleTB) TempDir() string {
	dir, err := os.MkdirTemp("", "userpool-example")
	must(err)
	e.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// cleanup runs the cleanups in reverse order, as testing does.
func (e *exampleTB) cleanup() {
	for i := len(e.cleanups) - 1; i >= 0; i-- {
		e.cleanups[i]()
	}
}

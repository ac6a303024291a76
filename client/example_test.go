package client_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/userpool/userpool/client"
)

// Each example runs against a Userpool server of its own (see
// examples_setup_test.go) holding the pool dev.poolID, its public app
// client dev.clientID and the user alice.

func ExampleAppClient_SignInSRP() {
	dev := startDev(nil)
	defer dev.close()

	idp := cip.New(cip.Options{Region: "us-east-1"}, client.WithEndpoint(dev.url))
	app := &client.AppClient{API: idp, PoolID: dev.poolID, ClientID: dev.clientID}
	step, err := app.SignInSRP(context.Background(), "alice", "Passw0rd!")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("tokens:", step.Tokens.AccessToken != "", step.Tokens.IDToken != "", step.Tokens.RefreshToken != "")
	// Output: tokens: true true true
}

func ExampleAppClient_Respond() {
	dev := startDev(nil)
	defer dev.close()
	dev.createUser("bob", "Temp0rary!", false) // must choose a new password

	idp := cip.New(cip.Options{Region: "us-east-1"}, client.WithEndpoint(dev.url))
	app := &client.AppClient{API: idp, PoolID: dev.poolID, ClientID: dev.clientID}
	ctx := context.Background()
	step, err := app.SignInSRP(ctx, "bob", "Temp0rary!")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("challenge:", step.Challenge)
	step, err = app.Respond(ctx, step, "N3w-Passw0rd!")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("signed in:", step.Tokens != nil)
	// Output:
	// challenge: NEW_PASSWORD_REQUIRED
	// signed in: true
}

func ExampleAppClient_TokenSource() {
	// This client rotates refresh tokens: each refresh returns a new one,
	// which the token source keeps.
	dev := startDev(func(in *cip.CreateUserPoolClientInput) {
		in.RefreshTokenRotation = &types.RefreshTokenRotationType{Feature: types.FeatureTypeEnabled}
	})
	defer dev.close()

	idp := cip.New(cip.Options{Region: "us-east-1"}, client.WithEndpoint(dev.url))
	// The example moves the server's clock forward instead of waiting an
	// hour; Now follows that clock (leave it nil in a program).
	app := &client.AppClient{API: idp, PoolID: dev.poolID, ClientID: dev.clientID, Now: dev.clock.Now}
	ctx := context.Background()
	step, err := app.SignInSRP(ctx, "alice", "Passw0rd!")
	if err != nil {
		fmt.Println(err)
		return
	}
	ts := app.TokenSource(ctx, step.Tokens)

	first, _ := ts.Token()
	dev.clock.Advance(2 * time.Hour) // the access token has expired
	second, err := ts.Token()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("same access token before expiry:", first.AccessToken == step.Tokens.AccessToken)
	fmt.Println("new access token after expiry:", second.AccessToken != first.AccessToken)
	fmt.Println("refresh token rotated:", second.RefreshToken != first.RefreshToken)
	fmt.Println("has an ID token:", second.Extra("id_token") != "")
	// Output:
	// same access token before expiry: true
	// new access token after expiry: true
	// refresh token rotated: true
	// has an ID token: true
}

func ExampleVerifier_Middleware() {
	dev := startDev(nil)
	defer dev.close()

	// An API that serves signed-in users of the pool only.
	v := &client.Verifier{
		Issuer:    dev.url + "/" + dev.poolID, // https://cognito-idp.{region}.amazonaws.com/{poolId} on Cognito
		ClientIDs: []string{dev.clientID},
	}
	api := httptest.NewServer(v.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		claims, _ := client.ClaimsFrom(r.Context())
		fmt.Fprintf(w, "hello %s", claims.Username)
	})))
	defer api.Close()

	call := func(token string) {
		req, _ := http.NewRequest("GET", api.URL, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			fmt.Println(err)
			return
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			fmt.Println(resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
			return
		}
		fmt.Println(resp.StatusCode, string(body))
	}

	idp := cip.New(cip.Options{Region: "us-east-1"}, client.WithEndpoint(dev.url))
	app := &client.AppClient{API: idp, PoolID: dev.poolID, ClientID: dev.clientID}
	step, err := app.SignInSRP(context.Background(), "alice", "Passw0rd!")
	if err != nil {
		fmt.Println(err)
		return
	}
	call(step.Tokens.AccessToken)
	call("")
	call(step.Tokens.IDToken) // an ID token is not an access token
	// Output:
	// 200 hello alice
	// 401 Bearer
	// 401 Bearer error="invalid_token"
}

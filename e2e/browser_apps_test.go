package e2e

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// TestBrowserApps runs web apps in headless chromium against Userpool,
// each served from an origin of its own so that every call is a
// cross-origin request: an Amplify v6 app bundled with esbuild (sign-up,
// confirmation with the e-mailed code, SRP sign-in, a forced refresh, the
// user's attributes, a global sign-out after which the old access token
// is refused; then a sign-in with an e-mailed one-time code through
// USER_AUTH, and a refresh; and from http://localhost, a passkey
// registered in a virtual authenticator and a sign-in with it), a single-page OIDC client doing code + PKCE on the hosted
// pages and calling userInfo from the page, and the hosted sign-up and
// password-reset journeys through to the callback. browser/apps.dev.mjs
// drives the browsers; this test builds and serves the apps, and redeems
// the codes the hosted journeys brought back.
//
// The e-mailed codes are read from the development outbox, so the server
// runs with --dev, given a configured admin key as TestBrowserHostedMFASetup's is.
func TestBrowserApps(t *testing.T) {
	t.Parallel()
	browserDir := requireBrowser(t)
	key := &adminKey{AccessKeyID: "AKIAE2EAPP" + strings.ToUpper(randomSuffix()), SecretAccessKey: "e2e/" + randomSuffix() + randomSuffix()}
	s := launch(t, serverConfig{Key: key, Args: []string{"--dev"}})
	cb := newBrowserCallback(t)
	ctx := clientContext(t, 3*time.Minute)
	c := goClient(s.Endpoint, s.Key)

	// The apps, built into a temporary directory and served from another
	// port than the server's: another origin.
	appDir := t.TempDir()
	build := exec.CommandContext(ctx, "node", "build-app.mjs", appDir)
	build.Dir = browserDir
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("node build-app.mjs: %v\n%s", err, out)
	}
	app := httptest.NewServer(http.FileServer(http.Dir(appDir)))
	t.Cleanup(app.Close)

	suffix := randomSuffix()
	// Passkeys' relying party is localhost, where the Amplify app is
	// opened for them.
	webAuthn := &cip.SetUserPoolMfaConfigInput{WebAuthnConfiguration: &types.WebAuthnConfigurationType{RelyingPartyId: aws.String("localhost")}}
	poolID, clientID := newBrowserPool(ctx, t, c, "e2e-browser-apps-"+suffix, cb, webAuthn,
		func(p *cip.CreateUserPoolInput, cl *cip.CreateUserPoolClientInput) {
			p.AutoVerifiedAttributes = []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}
			p.Policies = &types.UserPoolPolicyType{SignInPolicy: &types.SignInPolicyType{
				AllowedFirstAuthFactors: []types.AuthFactorType{types.AuthFactorTypePassword, types.AuthFactorTypeEmailOtp, types.AuthFactorTypeWebAuthn},
			}}
			// The default flows (SRP for Amplify's signIn, refresh) and USER_AUTH.
			cl.ExplicitAuthFlows = []types.ExplicitAuthFlowsType{
				types.ExplicitAuthFlowsTypeAllowUserSrpAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth, types.ExplicitAuthFlowsTypeAllowUserAuth,
			}
			p.Schema = []types.SchemaAttributeType{{Name: aws.String("email"), AttributeDataType: types.AttributeDataTypeString, Required: aws.Bool(true), Mutable: aws.Bool(true)}}
			cl.CallbackURLs = append(cl.CallbackURLs, app.URL+"/spa.html")
		})
	amplifyUser, hostedUser := "amp-"+suffix, "hosted-"+suffix
	password, newPassword := "App-"+suffix+"-5eE!", "Reset-"+suffix+"-6fF!"
	s.addSecrets(password, newPassword)

	verifier := browserVerifier()
	screenshots := t.TempDir()
	if *updateScreenshot {
		screenshots = filepath.Join(repoRoot, "docs")
	}
	result := filepath.Join(t.TempDir(), "result.json")
	s.runBrowser(t, browserDir, "apps.dev.mjs",
		"APP_URL="+app.URL,
		"POOL_ID="+poolID,
		"CLIENT_ID="+clientID,
		"CALLBACK_URL="+cb.Callback,
		"AMPLIFY_USERNAME="+amplifyUser,
		"HOSTED_USERNAME="+hostedUser,
		"APP_PASSWORD="+password,
		"APP_NEW_PASSWORD="+newPassword,
		"AUTHORIZE_URL_SIGNUP="+browserAuthorizeURL(s, clientID, cb, verifier, "signup-state", "nonce-signup"),
		"AUTHORIZE_URL_FORGOT="+browserAuthorizeURL(s, clientID, cb, verifier, "forgot-state", "nonce-forgot"),
		"SCREENSHOT_DIR="+screenshots,
		"RESULT_FILE="+result,
	)

	var got struct{ SignUp, Forgot string }
	readBrowserResult(t, result, &got)
	for _, tc := range []struct{ callback, state, nonce, username string }{
		{got.SignUp, "signup-state", "nonce-signup", hostedUser},
		{got.Forgot, "forgot-state", "nonce-forgot", amplifyUser},
	} {
		code := browserCode(t, tc.callback, cb.Callback, tc.state)
		if !cb.saw(tc.callback) {
			t.Errorf("the callback server never received %s", tc.callback)
		}
		claims := browserExchange(t, s, clientID, code, cb.Callback, verifier)
		if claims["nonce"] != tc.nonce || claims["cognito:username"] != tc.username || claims["email"] != tc.username+"@example.com" || claims["email_verified"] != true {
			t.Errorf("ID token of %s: %v", tc.state, claims)
		}
	}
	for _, name := range []string{"hosted-signup.png", "hosted-confirm.png", "hosted-forgot-password.png", "hosted-reset-password.png"} {
		wantPNG(t, filepath.Join(screenshots, name))
	}

	// The hosted sign-up left a confirmed user.
	u, err := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(poolID), Username: aws.String(hostedUser)})
	if err != nil || u.UserStatus != types.UserStatusTypeConfirmed {
		t.Errorf("the hosted sign-up's user: %v %v", err, u)
	}

	// A UI customization of the pool shows on the hosted pages.
	if _, err := c.SetUICustomization(ctx, &cip.SetUICustomizationInput{
		UserPoolId: aws.String(poolID), ClientId: aws.String("ALL"), ImageFile: browserLogo(t),
		CSS: aws.String(".submitButton-customizable { background-color: rgb(21, 128, 61); }\n" +
			".banner-customizable { padding: 0.5rem; background-color: rgb(240, 253, 244); border-radius: 0.5rem; }"),
	}); err != nil {
		t.Fatalf("SetUICustomization: %v", err)
	}
	customized := filepath.Join(screenshots, "hosted-customized.png")
	s.runBrowser(t, browserDir, "customized.mjs",
		"AUTHORIZE_URL="+browserAuthorizeURL(s, clientID, cb, verifier, "custom-state", "nonce-custom"),
		"UI_BUTTON_COLOR=rgb(21, 128, 61)",
		"SCREENSHOT_FILE="+customized,
	)
	wantPNG(t, customized)
}

// browserLogo is a PNG logo: a green bar with a white square.
func browserLogo(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 160, 48))
	for y := 0; y < 48; y++ {
		for x := 0; x < 160; x++ {
			c := color.RGBA{21, 128, 61, 255}
			if x >= 12 && x < 36 && y >= 12 && y < 36 {
				c = color.RGBA{255, 255, 255, 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

package e2e

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/document"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// TestBrowserManagedLogin sets a pool's domain to managed login and gives
// its app client a managed login style through the SDK (colours for light
// and dark mode, following the browser, and a logo for each), then has
// browser/branded.mjs check the login page in headless chromium in both
// modes.
func TestBrowserManagedLogin(t *testing.T) {
	t.Parallel()
	browserDir := requireBrowser(t)
	s := startServer(t)
	cb := newBrowserCallback(t)
	ctx := clientContext(t, 3*time.Minute)
	c := goClient(s.Endpoint, s.Key)

	name := "e2e-branded-" + randomSuffix()
	poolID, clientID := newBrowserPool(ctx, t, c, name, cb, nil)
	if _, err := c.UpdateUserPoolDomain(ctx, &cip.UpdateUserPoolDomainInput{
		UserPoolId: aws.String(poolID), Domain: aws.String(name), ManagedLoginVersion: aws.Int32(2),
	}); err != nil {
		t.Fatalf("UpdateUserPoolDomain: %v", err)
	}
	mode := func(button string) map[string]any {
		return map[string]any{"defaults": map[string]any{"backgroundColor": button, "textColor": "ffffffff"}}
	}
	settings := map[string]any{
		"categories": map[string]any{"global": map[string]any{"colorSchemeMode": "DYNAMIC"}},
		"components": map[string]any{
			"primaryButton": map[string]any{"lightMode": mode("aa0000ff"), "darkMode": mode("007800ff")},
			"form":          map[string]any{"logo": map[string]any{"enabled": true}},
		},
	}
	darkLogo := []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="160" height="48"><rect width="160" height="48" fill="#15803d"/></svg>`)
	if _, err := c.CreateManagedLoginBranding(ctx, &cip.CreateManagedLoginBrandingInput{
		UserPoolId: aws.String(poolID), ClientId: aws.String(clientID), Settings: document.NewLazyDocument(settings),
		Assets: []types.AssetType{
			{Category: types.AssetCategoryTypeFormLogo, ColorMode: types.ColorSchemeModeTypeLight, Extension: types.AssetExtensionTypePng, Bytes: browserLogo(t)},
			{Category: types.AssetCategoryTypeFormLogo, ColorMode: types.ColorSchemeModeTypeDark, Extension: types.AssetExtensionTypeSvg, Bytes: darkLogo},
		},
	}); err != nil {
		t.Fatalf("CreateManagedLoginBranding: %v", err)
	}
	s.runBrowser(t, browserDir, "branded.mjs",
		"AUTHORIZE_URL="+browserAuthorizeURL(s, clientID, cb, browserVerifier(), "branded-state", "nonce-branded"),
		"LIGHT_BUTTON_COLOR=rgb(170, 0, 0)",
		"DARK_BUTTON_COLOR=rgb(0, 120, 0)",
	)
}

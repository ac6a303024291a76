package oauth2_test

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/testserver"
)

// BenchmarkManagedLoginStyle loads a hosted page, and one of its images,
// of a client whose managed login style holds 4 MB of assets: four images
// of 1 MB, the largest the API takes.
func BenchmarkManagedLoginStyle(b *testing.B) {
	s := testserver.New(b, testserver.WithoutAPI())
	ctx := b.Context()
	pool, err := s.Service.CreatePool(ctx, &cognito.CreateUserPoolInput{PoolName: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	v2 := int64(2)
	if _, err := s.Service.CreateUserPoolDomain(ctx, &cognito.CreateUserPoolDomainInput{UserPoolID: pool.ID, Domain: "bench-style", ManagedLoginVersion: &v2}); err != nil {
		b.Fatal(err)
	}
	yes := true
	client, err := s.Service.CreateClient(ctx, &cognito.CreateUserPoolClientInput{
		UserPoolID: pool.ID, ClientName: "bench", AllowedOAuthFlowsUserPoolClient: &yes,
		AllowedOAuthFlows: []string{cognito.OAuthFlowCode}, AllowedOAuthScopes: []string{"openid"},
		CallbackURLs: []string{hostedCallback}, SupportedIdentityProviders: []string{"COGNITO"},
	})
	if err != nil {
		b.Fatal(err)
	}
	image := bytes.Repeat([]byte{'x'}, 1_000_000)
	copy(image, "\x89PNG\r\n\x1a\n")
	var assets []cognito.AssetType
	for _, a := range [][2]string{{cognito.AssetCategoryFormLogo, "LIGHT"}, {cognito.AssetCategoryFormLogo, "DARK"}, {cognito.AssetCategoryPageBackground, "LIGHT"}, {cognito.AssetCategoryPageBackground, "DARK"}} {
		assets = append(assets, cognito.AssetType{Category: a[0], ColorMode: a[1], Extension: "PNG", Bytes: image})
	}
	if _, err := s.Service.CreateManagedLoginBranding(ctx, &cognito.CreateManagedLoginBrandingInput{
		UserPoolID: pool.ID, ClientID: client.ClientID, Assets: assets,
		Settings: brandingAccent("aa0000ff"),
	}); err != nil {
		b.Fatal(err)
	}

	get := func(b *testing.B, u string) string {
		resp, err := http.Get(u)
		if err != nil {
			b.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("GET %s: %d %v", u, resp.StatusCode, err)
		}
		return string(body)
	}
	login := s.URL + "/login?" + url.Values{"response_type": {"code"}, "client_id": {client.ClientID}, "redirect_uri": {hostedCallback}, "scope": {"openid"}}.Encode()
	page := get(b, login)
	const marker = `<img class="logo-customizable" src="`
	i := strings.Index(page, marker)
	if i < 0 {
		b.Fatalf("no logo on the page:\n%s", page)
	}
	logo := page[i+len(marker):]
	logo = s.URL + logo[:strings.IndexByte(logo, '"')]

	b.Run("page", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			get(b, login)
		}
	})
	b.Run("image", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if len(get(b, logo)) != len(image) {
				b.Fatal("not the image")
			}
		}
	})
}

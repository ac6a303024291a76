package api_test

import (
	"bytes"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/document"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"
)

var brandingLogo = []byte("<svg xmlns=\"http://www.w3.org/2000/svg\"/>")

// brandingSettings decodes a style's settings document.
func brandingSettings(t *testing.T, b *types.ManagedLoginBrandingType) map[string]any {
	t.Helper()
	if b.Settings == nil {
		return nil
	}
	var m map[string]any
	if err := b.Settings.UnmarshalSmithyDocument(&m); err != nil {
		t.Fatalf("settings document: %v", err)
	}
	return m
}

func brandingByClient(t *testing.T, e *env, pool, client string) *types.ManagedLoginBrandingType {
	t.Helper()
	out, err := e.Client.DescribeManagedLoginBrandingByClient(e.ctx(), &cip.DescribeManagedLoginBrandingByClientInput{UserPoolId: aws.String(pool), ClientId: aws.String(client)})
	if err != nil {
		t.Fatalf("DescribeManagedLoginBrandingByClient: %v", err)
	}
	return out.ManagedLoginBranding
}

func TestManagedLoginBranding(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	client := aws.ToString(createTestClient(t, e, pool, nil).ClientId)
	settings := map[string]any{"components": map[string]any{"primaryButton": map[string]any{"lightMode": map[string]any{"defaults": map[string]any{"backgroundColor": "0972d3ff"}}}}}
	created, err := e.Client.CreateManagedLoginBranding(e.ctx(), &cip.CreateManagedLoginBrandingInput{
		UserPoolId: aws.String(pool), ClientId: aws.String(client),
		Settings: document.NewLazyDocument(settings),
		Assets:   []types.AssetType{{Category: types.AssetCategoryTypeFormLogo, ColorMode: types.ColorSchemeModeTypeLight, Extension: types.AssetExtensionTypeSvg, Bytes: brandingLogo}},
	})
	if err != nil {
		t.Fatalf("CreateManagedLoginBranding: %v", err)
	}
	b := created.ManagedLoginBranding
	id := aws.ToString(b.ManagedLoginBrandingId)
	if !tokensUUID.MatchString(id) || aws.ToString(b.UserPoolId) != pool || b.UseCognitoProvidedValues || b.CreationDate == nil {
		t.Fatalf("created branding = %+v", b)
	}
	check := func(what string, got *types.ManagedLoginBrandingType) {
		t.Helper()
		if aws.ToString(got.ManagedLoginBrandingId) != id {
			t.Errorf("%s: id %s, want %s", what, aws.ToString(got.ManagedLoginBrandingId), id)
		}
		if d := cmp.Diff(settings, brandingSettings(t, got)); d != "" {
			t.Errorf("%s: settings (-want +got):\n%s", what, d)
		}
		if len(got.Assets) != 1 || !bytes.Equal(got.Assets[0].Bytes, brandingLogo) || got.Assets[0].Category != types.AssetCategoryTypeFormLogo {
			t.Errorf("%s: assets = %+v", what, got.Assets)
		}
	}
	check("create", b)
	described, err := e.Client.DescribeManagedLoginBranding(e.ctx(), &cip.DescribeManagedLoginBrandingInput{UserPoolId: aws.String(pool), ManagedLoginBrandingId: aws.String(id)})
	if err != nil {
		t.Fatalf("DescribeManagedLoginBranding: %v", err)
	}
	check("describe", described.ManagedLoginBranding)
	check("describe by client", brandingByClient(t, e, pool, client))

	// Settings given replace the stored ones; assets omitted stay.
	settings = map[string]any{"categories": map[string]any{"global": map[string]any{"colorSchemeMode": "DARK"}}}
	if _, err := e.Client.UpdateManagedLoginBranding(e.ctx(), &cip.UpdateManagedLoginBrandingInput{
		UserPoolId: aws.String(pool), ManagedLoginBrandingId: aws.String(id), Settings: document.NewLazyDocument(settings),
	}); err != nil {
		t.Fatalf("UpdateManagedLoginBranding: %v", err)
	}
	check("after update", brandingByClient(t, e, pool, client))

	// Cognito's values drop the settings and assets.
	updated, err := e.Client.UpdateManagedLoginBranding(e.ctx(), &cip.UpdateManagedLoginBrandingInput{
		UserPoolId: aws.String(pool), ManagedLoginBrandingId: aws.String(id), UseCognitoProvidedValues: true,
	})
	if err != nil {
		t.Fatalf("UpdateManagedLoginBranding(Cognito's values): %v", err)
	}
	if got := updated.ManagedLoginBranding; !got.UseCognitoProvidedValues || got.Settings != nil || len(got.Assets) != 0 {
		t.Errorf("branding on Cognito's values = %+v", got)
	}

	if _, err := e.Client.DeleteManagedLoginBranding(e.ctx(), &cip.DeleteManagedLoginBrandingInput{UserPoolId: aws.String(pool), ManagedLoginBrandingId: aws.String(id)}); err != nil {
		t.Fatalf("DeleteManagedLoginBranding: %v", err)
	}
	_, err = e.Client.DescribeManagedLoginBrandingByClient(e.ctx(), &cip.DescribeManagedLoginBrandingByClientInput{UserPoolId: aws.String(pool), ClientId: aws.String(client)})
	wantAPIError(t, err, "ResourceNotFoundException", "App client "+client+" has no managed login branding.")

	// Once deleted, the client can have a new one, which goes with the client.
	again, err := e.Client.CreateManagedLoginBranding(e.ctx(), &cip.CreateManagedLoginBrandingInput{UserPoolId: aws.String(pool), ClientId: aws.String(client), UseCognitoProvidedValues: true})
	if err != nil {
		t.Fatalf("CreateManagedLoginBranding(again): %v", err)
	}
	if _, err := e.Client.DeleteUserPoolClient(e.ctx(), &cip.DeleteUserPoolClientInput{UserPoolId: aws.String(pool), ClientId: aws.String(client)}); err != nil {
		t.Fatalf("DeleteUserPoolClient: %v", err)
	}
	againID := aws.ToString(again.ManagedLoginBranding.ManagedLoginBrandingId)
	_, err = e.Client.DescribeManagedLoginBranding(e.ctx(), &cip.DescribeManagedLoginBrandingInput{UserPoolId: aws.String(pool), ManagedLoginBrandingId: aws.String(againID)})
	wantAPIError(t, err, "ResourceNotFoundException", "Managed login branding "+againID+" does not exist.")
}

func TestManagedLoginBrandingErrors(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	other := createTestPool(t, e, nil)
	client := aws.ToString(createTestClient(t, e, pool, nil).ClientId)
	foreign := aws.ToString(createTestClient(t, e, other, nil).ClientId)
	created, err := e.Client.CreateManagedLoginBranding(e.ctx(), &cip.CreateManagedLoginBrandingInput{UserPoolId: aws.String(pool), ClientId: aws.String(client), UseCognitoProvidedValues: true})
	if err != nil {
		t.Fatalf("CreateManagedLoginBranding: %v", err)
	}
	id := aws.ToString(created.ManagedLoginBranding.ManagedLoginBrandingId)
	create := func(pool, client string, mutate func(*cip.CreateManagedLoginBrandingInput)) error {
		in := &cip.CreateManagedLoginBrandingInput{UserPoolId: aws.String(pool), ClientId: aws.String(client), UseCognitoProvidedValues: true}
		if mutate != nil {
			mutate(in)
		}
		_, err := e.Client.CreateManagedLoginBranding(e.ctx(), in)
		return err
	}
	describe := func(pool, id string) error {
		_, err := e.Client.DescribeManagedLoginBranding(e.ctx(), &cip.DescribeManagedLoginBrandingInput{UserPoolId: aws.String(pool), ManagedLoginBrandingId: aws.String(id)})
		return err
	}
	update := func(pool, id string, mutate func(*cip.UpdateManagedLoginBrandingInput)) error {
		in := &cip.UpdateManagedLoginBrandingInput{UserPoolId: aws.String(pool), ManagedLoginBrandingId: aws.String(id)}
		if mutate != nil {
			mutate(in)
		}
		_, err := e.Client.UpdateManagedLoginBranding(e.ctx(), in)
		return err
	}
	del := func(pool, id string) error {
		_, err := e.Client.DeleteManagedLoginBranding(e.ctx(), &cip.DeleteManagedLoginBrandingInput{UserPoolId: aws.String(pool), ManagedLoginBrandingId: aws.String(id)})
		return err
	}
	unknown := "00000000-0000-4000-8000-000000000000"
	cognitoAndSettings := "Settings and Assets cannot be given when UseCognitoProvidedValues is true."
	withSettings := document.NewLazyDocument(map[string]any{"a": 1})
	tests := []struct {
		name, typ, message string
		err                error
	}{
		{"second style of a client", "ManagedLoginBrandingExistsException", "Managed login branding already exists for app client " + client + ".", create(pool, client, nil)},
		{"client of another pool", "ResourceNotFoundException", "User pool client " + foreign + " does not exist.", create(pool, foreign, nil)},
		{"no such pool", "ResourceNotFoundException", "User pool " + poolsUnknownPool + " does not exist.", create(poolsUnknownPool, client, nil)},
		{"Cognito's values and settings", "InvalidParameterException", cognitoAndSettings,
			create(other, foreign, func(in *cip.CreateManagedLoginBrandingInput) { in.Settings = withSettings })},
		{"describe unknown", "ResourceNotFoundException", "Managed login branding " + unknown + " does not exist.", describe(pool, unknown)},
		{"describe in another pool", "ResourceNotFoundException", "Managed login branding " + id + " does not exist.", describe(other, id)},
		{"update unknown", "ResourceNotFoundException", "Managed login branding " + unknown + " does not exist.", update(pool, unknown, nil)},
		{"update with Cognito's values and assets", "InvalidParameterException", cognitoAndSettings, update(pool, id, func(in *cip.UpdateManagedLoginBrandingInput) {
			in.UseCognitoProvidedValues = true
			in.Assets = []types.AssetType{{Category: types.AssetCategoryTypeFaviconIco, ColorMode: types.ColorSchemeModeTypeLight, Extension: types.AssetExtensionTypeIco, Bytes: []byte{0}}}
		})},
		{"delete unknown", "ResourceNotFoundException", "Managed login branding " + unknown + " does not exist.", del(pool, unknown)},
		{"delete in no such pool", "ResourceNotFoundException", "User pool " + poolsUnknownPool + " does not exist.", del(poolsUnknownPool, id)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantAPIError(t, tt.err, tt.typ, tt.message) })
	}
	_, err = e.Client.DescribeManagedLoginBrandingByClient(e.ctx(), &cip.DescribeManagedLoginBrandingByClientInput{UserPoolId: aws.String(pool), ClientId: aws.String(foreign)})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool client "+foreign+" does not exist.")
}

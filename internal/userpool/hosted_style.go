package userpool

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

// Which style the hosted pages of an app client wear is the pool domain's
// branding version, as on Cognito: ManagedLoginVersion 1 (the classic
// hosted UI) shows SetUICustomization's CSS and logo, 2 (managed login)
// the client's managed login branding, or Cognito's default style when it
// has none. Neither applies without a domain.

// ManagedLoginStyle is the managed login branding of an app client, as
// its hosted pages apply it.
type ManagedLoginStyle struct {
	PoolID   string
	ClientID string
	// Settings and Assets are the client's style; both are empty when it
	// has none or its style uses Cognito's values.
	Settings json.RawMessage
	Assets   []cognito.AssetType
	// Version changes whenever the style does, so the URLs of what it
	// serves can carry it and be cached for long.
	Version string
}

// HostedStyle returns the style of an app client's hosted pages: its UI
// customization on a classic domain, its managed login branding on a
// managed login one; both nil when the pool has no domain or a classic
// domain has no customization.
func (s *Service) HostedStyle(ctx context.Context, poolID, clientID string) (*UICustomization, *ManagedLoginStyle, error) {
	ds, err := s.poolDomainSettings(ctx, poolID)
	if err != nil || ds == nil {
		return nil, nil, err
	}
	if ds.ManagedLoginVersion != managedLoginV2 {
		for _, key := range []string{clientID, UIAllClients} {
			if u, ok := ds.UICustomizations[key]; ok {
				return u.public(poolID, key), nil, nil
			}
		}
		return nil, nil, nil
	}
	style := &ManagedLoginStyle{PoolID: poolID, ClientID: clientID}
	// The version hashes what the pages take from the style, of the
	// assets (up to 40 MB, read for every page) their length and first
	// bytes: a replacement also changes LastModifiedDate.
	h := sha256.New()
	ps, err := s.cfg.Store.GetPoolSetting(ctx, poolID, brandingClientSetting(clientID))
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return nil, nil, err
	default:
		rec, err := s.branding(ctx, s.cfg.Store, poolID, string(ps.Value))
		var ce *cognito.Error
		if errors.As(err, &ce) && ce.Type == cognito.TypeResourceNotFound {
			// Deleted between the two reads: Cognito's style.
			break
		}
		if err != nil {
			return nil, nil, err
		}
		b := rec.Branding
		style.Settings, style.Assets = b.Settings, b.Assets
		fmt.Fprintf(h, "%s\x00%d\x00%s\x00", b.ManagedLoginBrandingID, b.LastModifiedDate.UnixNano(), b.Settings)
		for _, a := range b.Assets {
			fmt.Fprintf(h, "%s/%s/%s/%d/%x\x00", a.Category, a.ColorMode, a.Extension, len(a.Bytes), a.Bytes[:min(len(a.Bytes), 256)])
		}
	}
	style.Version = hex.EncodeToString(h.Sum(nil)[:6])
	return nil, style, nil
}

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

// ManagedLoginRef names the managed login style an app client's hosted
// pages wear, as stored now. It is cheap to read (the pool's domain and
// the client's pointer to its style, not the style), so a node can check
// on every request that a style it compiled earlier is still current.
type ManagedLoginRef struct {
	PoolID   string
	ClientID string
	// ID is the style's; empty when the client has none, and its pages
	// wear Cognito's style.
	ID string
	// Revision changes with every write of the style. It is empty for a
	// style last written before revisions were recorded: only reading
	// the style tells what it is.
	Revision string
}

// ManagedLoginStyle is the managed login branding of an app client, as
// its hosted pages apply it.
type ManagedLoginStyle struct {
	// ManagedLoginRef is the style read, which may be newer than the ref
	// it was read by.
	ManagedLoginRef
	// Settings and Assets are the client's style; both are empty when it
	// has none or its style uses Cognito's values.
	Settings json.RawMessage
	Assets   []cognito.AssetType
	// Version changes whenever the style does, so the URLs of what it
	// serves can carry it and be cached for long.
	Version string
}

// HostedStyle returns the style of an app client's hosted pages: its UI
// customization on a classic domain, a reference to its managed login
// branding on a managed login one (ManagedLoginStyle reads it); both nil
// when the pool has no domain or a classic domain has no customization.
func (s *Service) HostedStyle(ctx context.Context, poolID, clientID string) (*UICustomization, *ManagedLoginRef, error) {
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
	ref := &ManagedLoginRef{PoolID: poolID, ClientID: clientID}
	p, err := clientBranding(ctx, s.cfg.Store, poolID, clientID)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return nil, nil, err
	default:
		ref.ID, ref.Revision = p.ID, p.Revision
	}
	return nil, ref, nil
}

// ManagedLoginStyle reads the style ref names: Cognito's when ref has no
// ID or the style has been deleted since ref was read.
func (s *Service) ManagedLoginStyle(ctx context.Context, ref ManagedLoginRef) (*ManagedLoginStyle, error) {
	style := &ManagedLoginStyle{ManagedLoginRef: ManagedLoginRef{PoolID: ref.PoolID, ClientID: ref.ClientID}}
	// The version hashes what the pages take from the style, of the
	// assets their length and first bytes: a replacement also changes
	// the revision and LastModifiedDate.
	h := sha256.New()
	if ref.ID != "" {
		rec, err := s.branding(ctx, s.cfg.Store, ref.PoolID, ref.ID)
		var ce *cognito.Error
		switch {
		case errors.As(err, &ce) && ce.Type == cognito.TypeResourceNotFound:
			// Deleted since ref was read: Cognito's style.
		case err != nil:
			return nil, err
		default:
			b := rec.Branding
			style.ID, style.Revision = b.ManagedLoginBrandingID, rec.Revision
			style.Settings, style.Assets = b.Settings, b.Assets
			fmt.Fprintf(h, "%s\x00%s\x00%d\x00%s\x00", b.ManagedLoginBrandingID, rec.Revision, b.LastModifiedDate.UnixNano(), b.Settings)
			for _, a := range b.Assets {
				fmt.Fprintf(h, "%s/%s/%s/%d/%x\x00", a.Category, a.ColorMode, a.Extension, len(a.Bytes), a.Bytes[:min(len(a.Bytes), 256)])
			}
		}
	}
	style.Version = hex.EncodeToString(h.Sum(nil)[:6])
	return style, nil
}

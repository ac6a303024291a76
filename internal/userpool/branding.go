package userpool

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

// Managed login branding (Create/Describe/DescribeByClient/Update/
// DeleteManagedLoginBranding): one style per app client, its settings
// document and assets stored and returned as given. The hosted pages of a
// pool whose domain is of ManagedLoginVersion 2 apply what they can of
// them (hosted_style.go, package managedlogin). ReturnMergedResources
// returns what is stored: Userpool knows Cognito's defaults only for the
// keys its pages apply, not the whole document.

// Messages of the branding rules; Cognito's wording is not published.
const (
	brandingMsgExists      = "Managed login branding already exists for app client %s."
	brandingMsgNotFound    = "Managed login branding %s does not exist."
	brandingMsgNoClient    = "App client %s has no managed login branding."
	brandingMsgCognitoOnly = "Settings and Assets cannot be given when UseCognitoProvidedValues is true."
)

// brandingRecord is a style as stored under brandingSetting(id).
type brandingRecord struct {
	ClientID string
	Branding cognito.ManagedLoginBrandingType
	// Revision is new on every write of the style (see brandingPointer).
	Revision string `json:",omitempty"`
}

// brandingPointer is what brandingClientSetting(clientID) holds: the id of
// the client's style and the Revision of its last write, written in the
// same transaction as the style. The hosted pages read it on every request
// to learn whether the style they compiled is still the stored one
// without reading the style itself, which may hold 40 MB of assets.
// LastModifiedDate cannot serve: it has millisecond precision, and two
// writes within one millisecond (or under a stopped clock) would look
// alike.
type brandingPointer struct {
	ID       string
	Revision string `json:",omitempty"`
}

func brandingSetting(id string) string             { return "branding/" + id }
func brandingClientSetting(clientID string) string { return "branding-client/" + clientID }

// encodeBrandingPointer is the stored form of p.
func encodeBrandingPointer(p brandingPointer) []byte {
	b, _ := json.Marshal(p) // two strings: cannot fail
	return b
}

// decodeBrandingPointer reads a stored pointer. A style created before
// revisions were recorded has its bare id there (a UUID, which never
// starts with "{"), and no revision until its next update.
func decodeBrandingPointer(v []byte) (brandingPointer, error) {
	if len(v) == 0 || v[0] != '{' {
		return brandingPointer{ID: string(v)}, nil
	}
	var p brandingPointer
	if err := json.Unmarshal(v, &p); err != nil {
		return brandingPointer{}, fmt.Errorf("decode managed login branding pointer: %w", err)
	}
	return p, nil
}

// clientBranding reads the pointer to a client's style; ErrNotFound when
// the client has none.
func clientBranding(ctx context.Context, st store.Store, poolID, clientID string) (brandingPointer, error) {
	ps, err := st.GetPoolSetting(ctx, poolID, brandingClientSetting(clientID))
	if err != nil {
		return brandingPointer{}, err
	}
	return decodeBrandingPointer(ps.Value)
}

// checkBrandingValues refuses Settings or Assets alongside
// UseCognitoProvidedValues, which means "Cognito's defaults, nothing
// else".
func checkBrandingValues(useCognito *bool, settings json.RawMessage, assets []cognito.AssetType) error {
	if useCognito != nil && *useCognito && (len(settings) > 0 || len(assets) > 0) {
		return cognito.InvalidParameter(brandingMsgCognitoOnly)
	}
	return nil
}

// CreateManagedLoginBranding gives an app client its style.
func (s *Service) CreateManagedLoginBranding(ctx context.Context, in *cognito.CreateManagedLoginBrandingInput) (*cognito.ManagedLoginBrandingType, error) {
	if err := checkBrandingValues(in.UseCognitoProvidedValues, in.Settings, in.Assets); err != nil {
		return nil, err
	}
	now := cognito.Epoch(s.now())
	b := cognito.ManagedLoginBrandingType{
		ManagedLoginBrandingID: uuid.NewString(), UserPoolID: in.UserPoolID,
		UseCognitoProvidedValues: boolPtr(in.UseCognitoProvidedValues != nil && *in.UseCognitoProvidedValues),
		Settings:                 in.Settings, Assets: in.Assets, CreationDate: now, LastModifiedDate: now,
	}
	err := s.cfg.Store.InTx(ctx, func(tx store.Store) error {
		if _, err := s.poolClient(ctx, tx, in.UserPoolID, in.ClientID); err != nil {
			return err
		}
		if _, err := tx.GetPoolSetting(ctx, in.UserPoolID, brandingClientSetting(in.ClientID)); err == nil {
			return cognito.New(cognito.TypeManagedLoginBrandingExists, fmt.Sprintf(brandingMsgExists, in.ClientID))
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		return s.putBranding(ctx, tx, brandingRecord{ClientID: in.ClientID, Branding: b})
	})
	if err != nil {
		return nil, err
	}
	return &b, nil
}

// DescribeManagedLoginBranding returns a style by its id.
func (s *Service) DescribeManagedLoginBranding(ctx context.Context, poolID, id string) (*cognito.ManagedLoginBrandingType, error) {
	rec, err := s.branding(ctx, s.cfg.Store, poolID, id)
	if err != nil {
		return nil, err
	}
	return &rec.Branding, nil
}

// DescribeManagedLoginBrandingByClient returns an app client's style.
func (s *Service) DescribeManagedLoginBrandingByClient(ctx context.Context, poolID, clientID string) (*cognito.ManagedLoginBrandingType, error) {
	if _, err := s.poolClient(ctx, s.cfg.Store, poolID, clientID); err != nil {
		return nil, err
	}
	p, err := clientBranding(ctx, s.cfg.Store, poolID, clientID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, cognito.ResourceNotFound(fmt.Sprintf(brandingMsgNoClient, clientID))
	}
	if err != nil {
		return nil, err
	}
	return s.DescribeManagedLoginBranding(ctx, poolID, p.ID)
}

// UpdateManagedLoginBranding changes a style: UseCognitoProvidedValues
// true drops its settings and assets; otherwise the Settings and Assets
// given replace the stored ones and those omitted stay.
func (s *Service) UpdateManagedLoginBranding(ctx context.Context, in *cognito.UpdateManagedLoginBrandingInput) (*cognito.ManagedLoginBrandingType, error) {
	if err := checkBrandingValues(in.UseCognitoProvidedValues, in.Settings, in.Assets); err != nil {
		return nil, err
	}
	var out brandingRecord
	err := s.cfg.Store.InTx(ctx, func(tx store.Store) error {
		rec, err := s.branding(ctx, tx, in.UserPoolID, in.ManagedLoginBrandingID)
		if err != nil {
			return err
		}
		b := &rec.Branding
		switch {
		case in.UseCognitoProvidedValues != nil && *in.UseCognitoProvidedValues:
			b.UseCognitoProvidedValues, b.Settings, b.Assets = boolPtr(true), nil, nil
		default:
			b.UseCognitoProvidedValues = boolPtr(false)
			if len(in.Settings) > 0 {
				b.Settings = in.Settings
			}
			if in.Assets != nil {
				b.Assets = in.Assets
			}
		}
		b.LastModifiedDate = cognito.Epoch(s.now())
		out = rec
		return s.putBranding(ctx, tx, rec)
	})
	if err != nil {
		return nil, err
	}
	return &out.Branding, nil
}

// DeleteManagedLoginBranding deletes a style; its client falls back to
// Cognito's default style.
func (s *Service) DeleteManagedLoginBranding(ctx context.Context, poolID, id string) error {
	return s.cfg.Store.InTx(ctx, func(tx store.Store) error {
		rec, err := s.branding(ctx, tx, poolID, id)
		if err != nil {
			return err
		}
		return deleteBranding(ctx, tx, poolID, rec.ClientID, id)
	})
}

// deleteClientBranding deletes the style of a client being deleted, if it
// has one.
func deleteClientBranding(ctx context.Context, tx store.Store, poolID, clientID string) error {
	p, err := clientBranding(ctx, tx, poolID, clientID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	return deleteBranding(ctx, tx, poolID, clientID, p.ID)
}

func deleteBranding(ctx context.Context, tx store.Store, poolID, clientID, id string) error {
	if err := tx.DeletePoolSetting(ctx, poolID, brandingSetting(id)); err != nil {
		return err
	}
	return tx.DeletePoolSetting(ctx, poolID, brandingClientSetting(clientID))
}

// branding reads a style of a pool; a missing pool or style is Cognito's
// not-found.
func (s *Service) branding(ctx context.Context, st store.Store, poolID, id string) (brandingRecord, error) {
	if _, err := st.GetPool(ctx, poolID); err != nil {
		return brandingRecord{}, poolError(poolID, err)
	}
	ps, err := st.GetPoolSetting(ctx, poolID, brandingSetting(id))
	if errors.Is(err, store.ErrNotFound) {
		return brandingRecord{}, cognito.ResourceNotFound(fmt.Sprintf(brandingMsgNotFound, id))
	}
	if err != nil {
		return brandingRecord{}, err
	}
	var rec brandingRecord
	if err := json.Unmarshal(ps.Value, &rec); err != nil {
		return brandingRecord{}, fmt.Errorf("decode managed login branding %s: %w", id, err)
	}
	return rec, nil
}

// putBranding writes a style under a new revision, and its client's
// pointer with that revision.
func (s *Service) putBranding(ctx context.Context, tx store.Store, rec brandingRecord) error {
	rec.Revision = uuid.NewString()
	value, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	b := rec.Branding
	if err := tx.PutPoolSetting(ctx, store.PoolSetting{PoolID: b.UserPoolID, Name: brandingSetting(b.ManagedLoginBrandingID), Value: value, UpdatedAt: s.now()}); err != nil {
		return err
	}
	return tx.PutPoolSetting(ctx, store.PoolSetting{PoolID: b.UserPoolID, Name: brandingClientSetting(rec.ClientID),
		Value: encodeBrandingPointer(brandingPointer{ID: b.ManagedLoginBrandingID, Revision: rec.Revision}), UpdatedAt: s.now()})
}

func boolPtr(b bool) *bool { return &b }

package userpool

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

// Terms of use and privacy policies (CreateTerms, DescribeTerms,
// ListTerms, UpdateTerms, DeleteTerms): links an app client shows, at
// most one of each name per client. The hosted sign-up page shows a
// client's terms and asks for them to be accepted.

// termsSetting is the store.PoolSettings name of a pool's terms, kept as
// one document (a map from id to terms): a pool has at most two per
// client, and ListTerms pages over them in id order.
const termsSetting = "terms"

// termsDefaultLink is the locale every set of links must have.
const termsDefaultLink = "cognito:default"

// termsPageSize is ListTerms' page when MaxResults is omitted.
const termsPageSize = 10

// Messages of the terms rules; Cognito's wording is not published.
const (
	termsMsgExists      = "App client %s already has %s terms."
	termsMsgNotFound    = "Terms %s do not exist."
	termsMsgDefaultLink = "Links must include a cognito:default link."
	termsMsgBadLink     = "%s is not an https or http URL."
)

// loadTerms reads a pool's terms, checking the pool exists.
func loadTerms(ctx context.Context, st store.Store, poolID string) (map[string]cognito.TermsType, error) {
	if _, err := st.GetPool(ctx, poolID); err != nil {
		return nil, poolError(poolID, err)
	}
	all := map[string]cognito.TermsType{}
	ps, err := st.GetPoolSetting(ctx, poolID, termsSetting)
	if errors.Is(err, store.ErrNotFound) {
		return all, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(ps.Value, &all); err != nil {
		return nil, fmt.Errorf("decode terms of %s: %w", poolID, err)
	}
	return all, nil
}

// changeTerms runs fn over a pool's terms in one transaction and stores
// what it leaves.
func (s *Service) changeTerms(ctx context.Context, poolID string, fn func(tx store.Store, all map[string]cognito.TermsType) error) error {
	return s.cfg.Store.InTx(ctx, func(tx store.Store) error {
		all, err := loadTerms(ctx, tx, poolID)
		if err != nil {
			return err
		}
		if err := fn(tx, all); err != nil {
			return err
		}
		return s.storeTerms(ctx, tx, poolID, all)
	})
}

func (s *Service) storeTerms(ctx context.Context, tx store.Store, poolID string, all map[string]cognito.TermsType) error {
	value, err := json.Marshal(all)
	if err != nil {
		return err
	}
	return tx.PutPoolSetting(ctx, store.PoolSetting{PoolID: poolID, Name: termsSetting, Value: value, UpdatedAt: s.now()})
}

// checkTermsLinks requires the default locale and URLs a browser can
// open.
func checkTermsLinks(links map[string]string) error {
	if _, ok := links[termsDefaultLink]; !ok {
		return cognito.InvalidParameter(termsMsgDefaultLink)
	}
	for _, l := range links {
		u, err := url.Parse(l)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return cognito.InvalidParameter(fmt.Sprintf(termsMsgBadLink, l))
		}
	}
	return nil
}

// termsNameTaken reports whether the client has other terms of the name.
func termsNameTaken(all map[string]cognito.TermsType, clientID, name, except string) error {
	for id, t := range all {
		if id != except && t.ClientID == clientID && t.TermsName == name {
			return cognito.New(cognito.TypeTermsExists, fmt.Sprintf(termsMsgExists, clientID, name))
		}
	}
	return nil
}

// CreateTerms adds terms to an app client.
func (s *Service) CreateTerms(ctx context.Context, in *cognito.CreateTermsInput) (*cognito.TermsType, error) {
	if err := checkTermsLinks(in.Links); err != nil {
		return nil, err
	}
	now := cognito.Epoch(s.now())
	t := cognito.TermsType{
		TermsID: uuid.NewString(), UserPoolID: in.UserPoolID, ClientID: in.ClientID, TermsName: in.TermsName,
		TermsSource: in.TermsSource, Enforcement: in.Enforcement, Links: in.Links, CreationDate: now, LastModifiedDate: now,
	}
	err := s.changeTerms(ctx, in.UserPoolID, func(tx store.Store, all map[string]cognito.TermsType) error {
		if _, err := s.poolClient(ctx, tx, in.UserPoolID, in.ClientID); err != nil {
			return err
		}
		if err := termsNameTaken(all, in.ClientID, in.TermsName, ""); err != nil {
			return err
		}
		all[t.TermsID] = t
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// DescribeTerms returns terms by id.
func (s *Service) DescribeTerms(ctx context.Context, poolID, id string) (*cognito.TermsType, error) {
	all, err := loadTerms(ctx, s.cfg.Store, poolID)
	if err != nil {
		return nil, err
	}
	t, ok := all[id]
	if !ok {
		return nil, cognito.ResourceNotFound(fmt.Sprintf(termsMsgNotFound, id))
	}
	return &t, nil
}

// ListTerms returns one page of a pool's terms in id order.
func (s *Service) ListTerms(ctx context.Context, poolID string, maxResults int64, nextToken string) ([]cognito.TermsDescriptionType, string, error) {
	kind := termsSetting + "/" + poolID
	after, err := decodeNextToken(kind, nextToken)
	if err != nil {
		return nil, "", err
	}
	all, err := loadTerms(ctx, s.cfg.Store, poolID)
	if err != nil {
		return nil, "", err
	}
	ids := make([]string, 0, len(all))
	for id := range all {
		if id > after {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	limit := int(maxResults)
	if limit <= 0 {
		limit = termsPageSize
	}
	next := ""
	if len(ids) > limit {
		ids, next = ids[:limit], ids[limit-1]
	}
	out := make([]cognito.TermsDescriptionType, 0, len(ids))
	for _, id := range ids {
		t := all[id]
		out = append(out, cognito.TermsDescriptionType{TermsID: id, TermsName: t.TermsName, Enforcement: t.Enforcement,
			CreationDate: t.CreationDate, LastModifiedDate: t.LastModifiedDate})
	}
	return out, encodeNextToken(kind, next), nil
}

// UpdateTerms changes the members given of terms.
func (s *Service) UpdateTerms(ctx context.Context, in *cognito.UpdateTermsInput) (*cognito.TermsType, error) {
	if in.Links != nil {
		if err := checkTermsLinks(in.Links); err != nil {
			return nil, err
		}
	}
	var out cognito.TermsType
	err := s.changeTerms(ctx, in.UserPoolID, func(_ store.Store, all map[string]cognito.TermsType) error {
		t, ok := all[in.TermsID]
		if !ok {
			return cognito.ResourceNotFound(fmt.Sprintf(termsMsgNotFound, in.TermsID))
		}
		if in.TermsName != "" {
			if err := termsNameTaken(all, t.ClientID, in.TermsName, in.TermsID); err != nil {
				return err
			}
			t.TermsName = in.TermsName
		}
		if in.TermsSource != "" {
			t.TermsSource = in.TermsSource
		}
		if in.Enforcement != "" {
			t.Enforcement = in.Enforcement
		}
		if in.Links != nil {
			t.Links = in.Links
		}
		t.LastModifiedDate = cognito.Epoch(s.now())
		all[in.TermsID], out = t, t
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteTerms deletes terms.
func (s *Service) DeleteTerms(ctx context.Context, poolID, id string) error {
	return s.changeTerms(ctx, poolID, func(_ store.Store, all map[string]cognito.TermsType) error {
		if _, ok := all[id]; !ok {
			return cognito.ResourceNotFound(fmt.Sprintf(termsMsgNotFound, id))
		}
		delete(all, id)
		return nil
	})
}

// deleteClientTerms deletes the terms of a client being deleted.
func (s *Service) deleteClientTerms(ctx context.Context, tx store.Store, poolID, clientID string) error {
	all, err := loadTerms(ctx, tx, poolID)
	if err != nil {
		return err
	}
	n := len(all)
	maps.DeleteFunc(all, func(_ string, t cognito.TermsType) bool { return t.ClientID == clientID })
	if len(all) == n {
		return nil
	}
	return s.storeTerms(ctx, tx, poolID, all)
}

// ClientTerms are an app client's terms, by name, for the hosted sign-up
// page to show and ask to be accepted.
func (s *Service) ClientTerms(ctx context.Context, poolID, clientID string) ([]cognito.TermsType, error) {
	all, err := loadTerms(ctx, s.cfg.Store, poolID)
	if err != nil {
		return nil, err
	}
	var out []cognito.TermsType
	for _, t := range all {
		if t.ClientID == clientID {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b cognito.TermsType) int { return strings.Compare(a.TermsName, b.TermsName) })
	return out, nil
}

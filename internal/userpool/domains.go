package userpool

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

// Cognito's answers about domains. The first three are observed on the
// real service (CloudFormation and Terraform error reports); the others are
// ours, as the reference is silent.
const (
	msgDomainTaken   = "Domain already associated with another user pool."
	msgPoolHasDomain = "User pool already has a domain configured."
	msgPrefixInvalid = `The domain name contains an invalid character. Domain names can only contain lower-case letters, numbers, and hyphens. Please enter a different name that follows this format: ^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$`
	// Update and Delete name both the domain and the pool; a domain that
	// does not exist and one of another pool get the same answer, so a
	// caller cannot probe other pools' domains.
	msgNoSuchDomain       = "No such domain or user pool exists."
	msgCustomDomainName   = "The custom domain %s is not a valid host name."
	msgReservedWord       = "Domain cannot contain reserved word: %s"
	msgManagedLoginRange  = "ManagedLoginVersion must be 1 (hosted UI classic) or 2 (managed login)."
	msgCertOnPrefixDomain = "CustomDomainConfig can only be set on a custom domain."
)

var (
	// dnsLabelRE is one lower-case DNS label: the whole of a prefix
	// domain (the model's DomainType pattern), and each label of a custom
	// domain.
	dnsLabelRE = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$`)
	// Cognito refuses prefixes that could pass for AWS's own pages.
	reservedPrefixWords = []string{"aws", "amazon", "cognito"}
)

// Managed login versions: 1 is the classic hosted UI, 2 managed login.
// Cognito applies 1 when CreateUserPoolDomain does not say.
const (
	managedLoginClassic = 1
	managedLoginV2      = 2
)

// domainSettings is what store.Domain.Settings holds.
type domainSettings struct {
	// CustomDomainConfig is set exactly for custom domains; its absence
	// is what makes a domain a prefix domain.
	CustomDomainConfig  *cognito.CustomDomainConfigType `json:",omitempty"`
	ManagedLoginVersion int64
	// CloudFrontDistribution is generated once at creation. There is no
	// CDN in front of a self-hosted server: the value is a well-formed
	// CloudFront host name only so that tools which read it (Terraform's
	// aws_cognito_user_pool_domain.cloudfront_distribution, CDK's
	// cloudFrontDomainName) get a stable value of the expected shape. DNS
	// for a custom domain must point at the server's --public-url host.
	CloudFrontDistribution string
	// UICustomizations are the hosted UI's CSS and logo by client ID, or
	// UIAllClients for the pool's (ui_customization.go).
	UICustomizations map[string]uiCustomization `json:",omitempty"`
}

func decodeDomain(d store.Domain) (domainSettings, error) {
	var ds domainSettings
	if len(d.Settings) == 0 {
		return ds, nil
	}
	if err := json.Unmarshal(d.Settings, &ds); err != nil {
		return ds, fmt.Errorf("decode domain %s: %w", d.Domain, err)
	}
	return ds, nil
}

// checkDomainName applies the naming rules the model cannot express: a
// prefix domain is one DNS label without the reserved words; a custom
// domain is a host name.
func checkDomainName(name string, custom bool) error {
	if custom {
		labels := strings.Split(name, ".")
		for _, l := range labels {
			if !dnsLabelRE.MatchString(l) {
				return cognito.InvalidParameter(fmt.Sprintf(msgCustomDomainName, name))
			}
		}
		return nil
	}
	if !dnsLabelRE.MatchString(name) {
		return cognito.InvalidParameter(msgPrefixInvalid)
	}
	for _, w := range reservedPrefixWords {
		if strings.Contains(name, w) {
			return cognito.InvalidParameter(fmt.Sprintf(msgReservedWord, w))
		}
	}
	return nil
}

func checkManagedLoginVersion(v int64) error {
	if v != managedLoginClassic && v != managedLoginV2 {
		return cognito.InvalidParameter(msgManagedLoginRange)
	}
	return nil
}

// cloudFrontAlphabet is what CloudFront distribution host names are made
// of (d111111abcdef8.cloudfront.net).
const cloudFrontAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

func newCloudFrontDistribution() string {
	return "d" + randomString(13, cloudFrontAlphabet) + ".cloudfront.net"
}

// CreateUserPoolDomain gives a pool its domain: a prefix domain, or a
// custom domain when CustomDomainConfig is set. Domain names are unique
// across pools and a pool has at most one domain.
func (s *Service) CreateUserPoolDomain(ctx context.Context, in *cognito.CreateUserPoolDomainInput) (*cognito.CreateUserPoolDomainOutput, error) {
	custom := in.CustomDomainConfig != nil
	if err := checkDomainName(in.Domain, custom); err != nil {
		return nil, err
	}
	version := int64(managedLoginClassic)
	if in.ManagedLoginVersion != nil {
		version = *in.ManagedLoginVersion
	}
	if err := checkManagedLoginVersion(version); err != nil {
		return nil, err
	}
	ds := domainSettings{ManagedLoginVersion: version, CloudFrontDistribution: newCloudFrontDistribution()}
	if custom {
		cfg := *in.CustomDomainConfig
		ds.CustomDomainConfig = &cfg
	}
	settings, err := json.Marshal(ds)
	if err != nil {
		return nil, err
	}
	now := s.now()
	err = s.cfg.Store.InTx(ctx, func(st store.Store) error {
		if _, err := st.GetPool(ctx, in.UserPoolID); err != nil {
			return poolError(in.UserPoolID, err)
		}
		if _, err := st.GetPoolDomain(ctx, in.UserPoolID); err == nil {
			return cognito.InvalidParameter(msgPoolHasDomain)
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		err := st.CreateDomain(ctx, store.Domain{Domain: in.Domain, PoolID: in.UserPoolID, Settings: settings, CreatedAt: now, UpdatedAt: now})
		if errors.Is(err, store.ErrAlreadyExists) {
			// The pool has no domain (checked above, in this
			// transaction), so it is the name that is taken.
			return cognito.InvalidParameter(msgDomainTaken)
		}
		return poolError(in.UserPoolID, err)
	})
	if err != nil {
		return nil, err
	}
	return createDomainOutput(ds), nil
}

// Cognito returns CloudFrontDomain only for custom domains: it is the
// target of the DNS alias the owner of the domain sets up.
func createDomainOutput(ds domainSettings) *cognito.CreateUserPoolDomainOutput {
	out := &cognito.CreateUserPoolDomainOutput{ManagedLoginVersion: &ds.ManagedLoginVersion}
	if ds.CustomDomainConfig != nil {
		out.CloudFrontDomain = ds.CloudFrontDistribution
	}
	return out
}

// DescribeUserPoolDomain describes a domain by name alone. An unknown
// domain is not an error: Cognito answers {"DomainDescription":{}}, and
// tools (Terraform among them) test for the empty description.
func (s *Service) DescribeUserPoolDomain(ctx context.Context, in *cognito.DescribeUserPoolDomainInput) (*cognito.DescribeUserPoolDomainOutput, error) {
	d, err := s.cfg.Store.GetDomain(ctx, in.Domain)
	if errors.Is(err, store.ErrNotFound) {
		return &cognito.DescribeUserPoolDomainOutput{DomainDescription: &cognito.DomainDescriptionType{}}, nil
	}
	if err != nil {
		return nil, err
	}
	ds, err := decodeDomain(d)
	if err != nil {
		return nil, err
	}
	return &cognito.DescribeUserPoolDomainOutput{DomainDescription: &cognito.DomainDescriptionType{
		UserPoolID:             d.PoolID,
		AWSAccountID:           s.cfg.AccountID,
		Domain:                 d.Domain,
		CloudFrontDistribution: ds.CloudFrontDistribution,
		// Cognito's Version is a build stamp of the hosted pages; the
		// time of the last change plays that part here.
		Version:             d.UpdatedAt.UTC().Format("20060102150405"),
		Status:              "ACTIVE",
		CustomDomainConfig:  ds.CustomDomainConfig,
		ManagedLoginVersion: &ds.ManagedLoginVersion,
	}}, nil
}

// UpdateUserPoolDomain changes a domain's managed login version and, for
// a custom domain, its certificate. Members left out keep their values.
func (s *Service) UpdateUserPoolDomain(ctx context.Context, in *cognito.UpdateUserPoolDomainInput) (*cognito.UpdateUserPoolDomainOutput, error) {
	if in.ManagedLoginVersion != nil {
		if err := checkManagedLoginVersion(*in.ManagedLoginVersion); err != nil {
			return nil, err
		}
	}
	var ds domainSettings
	err := s.cfg.Store.InTx(ctx, func(st store.Store) error {
		if _, err := st.GetPool(ctx, in.UserPoolID); err != nil {
			return poolError(in.UserPoolID, err)
		}
		_, err := st.UpdateDomain(ctx, in.Domain, func(d *store.Domain) error {
			if d.PoolID != in.UserPoolID {
				return cognito.InvalidParameter(msgNoSuchDomain)
			}
			cur, err := decodeDomain(*d)
			if err != nil {
				return err
			}
			if in.CustomDomainConfig != nil {
				if cur.CustomDomainConfig == nil {
					return cognito.InvalidParameter(msgCertOnPrefixDomain)
				}
				cfg := *in.CustomDomainConfig
				cur.CustomDomainConfig = &cfg
			}
			if in.ManagedLoginVersion != nil {
				cur.ManagedLoginVersion = *in.ManagedLoginVersion
			}
			b, err := json.Marshal(cur)
			if err != nil {
				return err
			}
			d.Settings = b
			d.UpdatedAt = s.now()
			ds = cur
			return nil
		})
		if errors.Is(err, store.ErrNotFound) {
			return cognito.InvalidParameter(msgNoSuchDomain)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	out := createDomainOutput(ds)
	return &cognito.UpdateUserPoolDomainOutput{CloudFrontDomain: out.CloudFrontDomain, ManagedLoginVersion: out.ManagedLoginVersion}, nil
}

// DeleteUserPoolDomain removes a pool's domain. The domain must belong to
// the pool named in the request.
func (s *Service) DeleteUserPoolDomain(ctx context.Context, in *cognito.DeleteUserPoolDomainInput) error {
	return s.cfg.Store.InTx(ctx, func(st store.Store) error {
		if _, err := st.GetPool(ctx, in.UserPoolID); err != nil {
			return poolError(in.UserPoolID, err)
		}
		d, err := st.GetDomain(ctx, in.Domain)
		if errors.Is(err, store.ErrNotFound) || err == nil && d.PoolID != in.UserPoolID {
			return cognito.InvalidParameter(msgNoSuchDomain)
		}
		if err != nil {
			return err
		}
		return st.DeleteDomain(ctx, in.Domain)
	})
}

// poolDomainNames returns a pool's domain the way DescribeUserPool shows
// it: Domain for a prefix domain, CustomDomain for a custom one, both ""
// when the pool has none. Pool settings do not keep the domain (it lives
// in its own record), so DescribeUserPool reads it from here.
func poolDomainNames(ctx context.Context, st store.Store, poolID string) (prefix, custom string, err error) {
	d, err := st.GetPoolDomain(ctx, poolID)
	if errors.Is(err, store.ErrNotFound) {
		return "", "", nil
	}
	if err != nil {
		return "", "", err
	}
	ds, err := decodeDomain(d)
	if err != nil {
		return "", "", err
	}
	if ds.CustomDomainConfig != nil {
		return "", d.Domain, nil
	}
	return d.Domain, "", nil
}

// PoolHasDomain reports whether a pool has a domain (a prefix or a custom
// one). Cognito serves the hosted pages only on a pool's domain, so
// without one there are none.
func (s *Service) PoolHasDomain(ctx context.Context, poolID string) (bool, error) {
	_, err := s.cfg.Store.GetPoolDomain(ctx, poolID)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

package userpool

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/userpool/userpool/internal/cognito"
)

// SAMLKey is a pool's SAML service provider key pair: the key that signs
// its AuthnRequests and decrypts encrypted assertions, and the certificate
// GetSigningCertificate returns for it.
type SAMLKey struct {
	Key         *rsa.PrivateKey
	Certificate *x509.Certificate
}

// SAMLServiceKey returns the pool's SAML key pair, made on first use as
// GetSigningCertificate makes it, so that a sign-in and the certificate an
// administrator gave the IdP always agree.
func (s *Service) SAMLServiceKey(ctx context.Context, poolID string) (*SAMLKey, error) {
	k, err := s.samlSigningKey(ctx, poolID)
	if err != nil {
		return nil, err
	}
	if s.cfg.Sealer == nil {
		return nil, errors.New("SAML signing key: no sealer configured")
	}
	der, err := s.cfg.Sealer.Open(k.Sealed, []byte("saml\x00"+poolID))
	if err != nil {
		return nil, fmt.Errorf("SAML signing key of %s: %w", poolID, err)
	}
	parsed, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("SAML signing key of %s: %w", poolID, err)
	}
	priv, ok := parsed.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("SAML signing key of %s: not an RSA key", poolID)
	}
	cert, err := x509.ParseCertificate(k.Certificate)
	if err != nil {
		return nil, fmt.Errorf("SAML signing certificate of %s: %w", poolID, err)
	}
	return &SAMLKey{Key: priv, Certificate: cert}, nil
}

// addEncryptionCertificate adds to a SAML provider that has
// EncryptedResponses the certificate its IdP must encrypt assertions to,
// ActiveEncryptionCertificate, as Cognito describes it. The pool decrypts
// with its one SAML key, so this is the certificate GetSigningCertificate
// returns (Cognito keeps a separate encryption key).
func (s *Service) addEncryptionCertificate(ctx context.Context, p *cognito.IdentityProviderType) error {
	if p.ProviderType != IdPTypeSAML || p.ProviderDetails[DetailEncryptedResponses] != "true" {
		return nil
	}
	k, err := s.samlSigningKey(ctx, p.UserPoolID)
	if err != nil {
		return err
	}
	p.ProviderDetails[DetailEncryptionCert] = base64.StdEncoding.EncodeToString(k.Certificate)
	return nil
}

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

// SAMLKey is a SAML service provider key pair: the pool's, which signs
// its AuthnRequests and which GetSigningCertificate returns, or a
// provider's own encryption key pair, whose certificate is the
// provider's ActiveEncryptionCertificate.
type SAMLKey struct {
	Key         *rsa.PrivateKey
	Certificate *x509.Certificate
}

// samlKeyPair is a provider's encryption key pair as kept in its sealed
// settings: the private key (PKCS #8) is sealed with the rest of them,
// so it is stored in the provider's row, written in the transaction that
// writes the provider and deleted with it.
type samlKeyPair struct {
	Key         []byte `json:"key"`
	Certificate []byte `json:"certificate"`
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
	return parseSAMLKey(der, k.Certificate)
}

// parseSAMLKey decodes a PKCS #8 RSA key and its DER certificate.
func parseSAMLKey(keyDER, certDER []byte) (*SAMLKey, error) {
	parsed, err := x509.ParsePKCS8PrivateKey(keyDER)
	if err != nil {
		return nil, fmt.Errorf("SAML key: %w", err)
	}
	priv, ok := parsed.(*rsa.PrivateKey)
	if !ok {
		return nil, errors.New("SAML key: not an RSA key")
	}
	cert, err := x509.ParseCertificate(certDER)
	if err != nil {
		return nil, fmt.Errorf("SAML certificate: %w", err)
	}
	return &SAMLKey{Key: priv, Certificate: cert}, nil
}

// wantsEncryptionKey reports whether a provider needs its own encryption
// key pair and has none yet: Cognito assigns one to each SAML provider
// whose responses are encrypted.
func wantsEncryptionKey(typ string, set idpSettings) bool {
	return typ == IdPTypeSAML && set.Details[DetailEncryptedResponses] == "true" && set.Encryption == nil
}

// newSAMLEncryptionKey makes a provider's encryption key pair. Once made
// it is kept for the provider's life, also while encryption is off, so
// that turning it back on gives the IdP the certificate it already has.
func (s *Service) newSAMLEncryptionKey(poolID string) (*samlKeyPair, error) {
	key, cert, err := s.newSAMLKeyPair(poolID, x509.KeyUsageKeyEncipherment)
	if err != nil {
		return nil, fmt.Errorf("SAML encryption key: %w", err)
	}
	return &samlKeyPair{Key: key, Certificate: cert}, nil
}

// providerEncryptionKey is a provider's own encryption key pair; nil for
// a provider that has none (one set up with EncryptedResponses before
// providers had their own, whose IdP encrypts to the pool's signing
// certificate).
func providerEncryptionKey(k *samlKeyPair) (*SAMLKey, error) {
	if k == nil {
		return nil, nil
	}
	return parseSAMLKey(k.Key, k.Certificate)
}

// addEncryptionCertificate adds to a SAML provider that has
// EncryptedResponses the certificate its IdP must encrypt assertions to,
// ActiveEncryptionCertificate: its own encryption certificate, or, for a
// provider that has none, the pool's signing certificate, which its IdP
// was given and which still decrypts.
func (s *Service) addEncryptionCertificate(ctx context.Context, p *cognito.IdentityProviderType, enc *samlKeyPair) error {
	if p.ProviderType != IdPTypeSAML || p.ProviderDetails[DetailEncryptedResponses] != "true" {
		return nil
	}
	if enc != nil {
		p.ProviderDetails[DetailEncryptionCert] = base64.StdEncoding.EncodeToString(enc.Certificate)
		return nil
	}
	k, err := s.samlSigningKey(ctx, p.UserPoolID)
	if err != nil {
		return err
	}
	p.ProviderDetails[DetailEncryptionCert] = base64.StdEncoding.EncodeToString(k.Certificate)
	return nil
}

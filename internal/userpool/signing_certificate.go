package userpool

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

// A pool's SAML signing certificate is valid ten years, as Cognito's are
// (reference §7). Cognito also issues a new one yearly; a pool here keeps
// its first, which stays valid for its ten years.
const (
	samlCertValidity = 10 * 365 * 24 * time.Hour
	samlKeyBits      = 2048
)

// SAMLEntityID is the SAML service provider entity ID (and audience) of
// a pool, as Cognito names it.
func SAMLEntityID(poolID string) string { return "urn:amazon:cognito:sp:" + poolID }

// GetSigningCertificate returns the certificate the pool signs SAML
// requests with, as base64 DER (Cognito's encoding is unverified). The
// key is made on first use; concurrent first uses agree on one.
func (s *Service) GetSigningCertificate(ctx context.Context, in *cognito.GetSigningCertificateInput) (*cognito.GetSigningCertificateOutput, error) {
	k, err := s.samlSigningKey(ctx, in.UserPoolID)
	if err != nil {
		return nil, err
	}
	return &cognito.GetSigningCertificateOutput{Certificate: base64.StdEncoding.EncodeToString(k.Certificate)}, nil
}

// samlSigningKey returns the pool's stored SAML key, made on first use;
// concurrent first uses agree on one.
func (s *Service) samlSigningKey(ctx context.Context, poolID string) (store.SAMLSigningKey, error) {
	st := s.cfg.Store
	k, err := st.GetSAMLSigningKey(ctx, poolID)
	if errors.Is(err, store.ErrNotFound) {
		if err := checkPoolExists(ctx, st, poolID); err != nil {
			return store.SAMLSigningKey{}, err
		}
		if k, err = s.newSAMLSigningKey(poolID); err != nil {
			return store.SAMLSigningKey{}, err
		}
		k, err = st.AddSAMLSigningKey(ctx, k)
		err = poolError(poolID, err)
	}
	return k, err
}

// newSAMLSigningKey makes an RSA key and a self-signed certificate for
// the pool's SAML entity; the private key is sealed for the store.
func (s *Service) newSAMLSigningKey(poolID string) (store.SAMLSigningKey, error) {
	if s.cfg.Sealer == nil {
		return store.SAMLSigningKey{}, errors.New("SAML signing key: no sealer configured")
	}
	der, cert, err := s.newSAMLKeyPair(poolID, x509.KeyUsageDigitalSignature)
	if err != nil {
		return store.SAMLSigningKey{}, fmt.Errorf("SAML signing key: %w", err)
	}
	return store.SAMLSigningKey{
		PoolID: poolID, Sealed: s.cfg.Sealer.Seal(der, []byte("saml\x00"+poolID)), Certificate: cert, CreatedAt: s.now(),
	}, nil
}

// newSAMLKeyPair makes an RSA key (PKCS #8 DER) and a self-signed
// certificate (DER) for the pool's SAML entity, valid as Cognito's are.
func (s *Service) newSAMLKeyPair(poolID string, usage x509.KeyUsage) (key, cert []byte, err error) {
	priv, err := rsa.GenerateKey(rand.Reader, samlKeyBits)
	if err != nil {
		return nil, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return nil, nil, err
	}
	now := s.now()
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: SAMLEntityID(poolID)},
		NotBefore:    now,
		NotAfter:     now.Add(samlCertValidity),
		KeyUsage:     usage,
	}
	if cert, err = x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv); err != nil {
		return nil, nil, err
	}
	if key, err = x509.MarshalPKCS8PrivateKey(priv); err != nil {
		return nil, nil, err
	}
	return key, cert, nil
}

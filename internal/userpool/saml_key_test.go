package userpool

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"sync"
	"testing"
	"time"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

const samlKeyTestMetadata = `<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com/metadata">` +
	`<IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
	`<SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso"/>` +
	`</IDPSSODescriptor></EntityDescriptor>`

// TestSAMLEncryptionKeyOfEarlierProvider checks a SAML provider stored
// with EncryptedResponses before providers had their own encryption key:
// it is described with the pool's signing certificate, which its IdP was
// given, until an update gives it its own key pair. Concurrent updates
// agree on one key.
func TestSAMLEncryptionKeyOfEarlierProvider(t *testing.T) {
	s, st := poolsTestService(t)
	ctx := t.Context()
	pool := resTestPool(t, s, st, "us-east-1_SamlKey01")
	details, err := buildProviderDetails(IdPTypeSAML, map[string]string{DetailMetadataFile: samlKeyTestMetadata, DetailEncryptedResponses: "true"})
	if err != nil {
		t.Fatal(err)
	}
	rec := store.IdentityProvider{PoolID: pool, Name: "Corp", Type: IdPTypeSAML, CreatedAt: s.now(), UpdatedAt: s.now()}
	if rec.Settings, err = s.sealIDPSettings(pool, "Corp", idpSettings{Details: details}); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateIdentityProvider(ctx, rec); err != nil {
		t.Fatal(err)
	}
	signing, err := s.GetSigningCertificate(ctx, &cognito.GetSigningCertificateInput{UserPoolID: pool})
	if err != nil {
		t.Fatal(err)
	}
	desc, err := s.DescribeIdentityProvider(ctx, &cognito.DescribeIdentityProviderInput{UserPoolID: pool, ProviderName: "Corp"})
	if err != nil {
		t.Fatal(err)
	}
	if got := desc.IdentityProvider.ProviderDetails[DetailEncryptionCert]; got != signing.Certificate {
		t.Errorf("earlier provider: ActiveEncryptionCertificate = %.40q…, want the signing certificate", got)
	}
	if p, err := s.IdentityProvider(ctx, pool, "Corp"); err != nil {
		t.Fatal(err)
	} else if k, err := p.EncryptionKey(); err != nil || k != nil {
		t.Fatalf("earlier provider: EncryptionKey = %v, %v; want none", k, err)
	}

	var wg sync.WaitGroup
	certs := make([]string, 2)
	for i := range certs {
		wg.Go(func() {
			out, err := s.UpdateIdentityProvider(ctx, &cognito.UpdateIdentityProviderInput{
				UserPoolID: pool, ProviderName: "Corp", IdpIdentifiers: []string{"corp.example"},
			})
			if err != nil {
				t.Error(err)
				return
			}
			certs[i] = out.IdentityProvider.ProviderDetails[DetailEncryptionCert]
		})
	}
	wg.Wait()
	if certs[0] == "" || certs[0] != certs[1] {
		t.Fatalf("concurrent updates: ActiveEncryptionCertificate %.40q… and %.40q…, want one certificate", certs[0], certs[1])
	}
	if certs[0] == signing.Certificate {
		t.Fatal("after an update: ActiveEncryptionCertificate is still the signing certificate")
	}
	p, err := s.IdentityProvider(ctx, pool, "Corp")
	if err != nil {
		t.Fatal(err)
	}
	enc, err := p.EncryptionKey()
	if err != nil || enc == nil {
		t.Fatalf("after an update: EncryptionKey = %v, %v", enc, err)
	}
	der, _ := base64.StdEncoding.DecodeString(certs[0])
	if !bytes.Equal(enc.Certificate.Raw, der) {
		t.Error("EncryptionKey's certificate is not ActiveEncryptionCertificate")
	}
	pub, ok := enc.Certificate.PublicKey.(*rsa.PublicKey)
	if !ok || !pub.Equal(&enc.Key.PublicKey) || pub.N.BitLen() != samlKeyBits {
		t.Error("EncryptionKey's private key does not match its certificate, or is not RSA-2048")
	}
	if enc.Certificate.KeyUsage&x509.KeyUsageKeyEncipherment == 0 {
		t.Errorf("encryption certificate key usage = %v", enc.Certificate.KeyUsage)
	}
	// The private key is stored sealed, never in the clear.
	stored, err := st.GetIdentityProvider(ctx, pool, "Corp")
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := x509.MarshalPKCS8PrivateKey(enc.Key)
	if bytes.Contains(stored.Settings, plain) || bytes.Contains(stored.Settings, []byte(base64.StdEncoding.EncodeToString(plain))) {
		t.Error("the provider's encryption key is stored in the clear")
	}
}

// BenchmarkParseSAMLKey is what each SAML exchange with a provider that
// has its own encryption key adds: decoding its key pair, as the pool's
// signing key is decoded.
func BenchmarkParseSAMLKey(b *testing.B) {
	s := &Service{cfg: Config{Now: time.Now}}
	enc, err := s.newSAMLEncryptionKey("us-east-1_SamlKey01")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := parseSAMLKey(enc.Key, enc.Certificate); err != nil {
			b.Fatal(err)
		}
	}
}

package samlfed

import (
	"context"
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/beevik/etree"
	"github.com/crewjam/saml"
	"github.com/crewjam/saml/samlsp"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/userpool/userpool/internal/federation"
	"github.com/userpool/userpool/internal/ttlcache"
	"github.com/userpool/userpool/internal/userpool"
)

// Limits of what the service provider accepts and keeps.
const (
	// MaxResponseChars is the longest SAMLResponse accepted, as Cognito's
	// /saml2/idpresponse documents it.
	MaxResponseChars = 100_000
	// idpInitiatedMaxAge is how old an IdP-initiated assertion may be
	// (Cognito: issued within the previous 6 minutes). A solicited one is
	// bounded by its own conditions and the request it answers.
	idpInitiatedMaxAge = 6 * time.Minute
	// metadataTTL is how long metadata read from a MetadataURL is used
	// before it is read again.
	metadataTTL     = time.Hour
	metadataTimeout = 10 * time.Second
	// metadataCacheSize bounds the memory of the metadata cache: a pool
	// has at most 300 providers.
	metadataCacheSize = 1024
)

// Why an answer is refused, as the app and the error page are told it.
// The detail (which check failed) is in the Refusal's error, for the log:
// like Cognito, the browser learns only that the response was not valid.
const (
	msgInvalidResponse  = "Invalid samlResponse or relayState from identity provider"
	msgIdPInitDisabled  = "IdP-initiated sign-in is not enabled for the identity provider %s"
	msgNotEncrypted     = "The identity provider %s must encrypt its assertions (EncryptedResponses)"
	msgIdPStatus        = "The identity provider answered %s"
	msgMetadata         = "The metadata of the identity provider %s could not be read"
	msgNoSSO            = "The metadata of the identity provider %s has no HTTP-Redirect single sign-on service"
	msgIdPInitTooOld    = "The IdP-initiated assertion was issued more than 6 minutes ago"
	msgIdPInitInReplyTo = "An IdP-initiated assertion must not answer a request (InResponseTo)"
)

// Refusal is an answer or a start the service provider did not accept.
// Reason is safe to show; the wrapped error says which check failed and
// is for the log only.
type Refusal struct {
	Reason string
	Err    error
}

func (r *Refusal) Error() string {
	if r.Err == nil {
		return r.Reason
	}
	return r.Reason + ": " + r.Err.Error()
}

func (r *Refusal) Unwrap() error { return r.Err }

func refuse(reason string, err error) error { return &Refusal{Reason: reason, Err: err} }

// Config configures the service provider.
type Config struct {
	// ACSURL is the assertion consumer service, <public URL>/saml2/idpresponse.
	ACSURL string
	// SLOURL is where IdPs answer sign-outs, <public URL>/saml2/logout.
	SLOURL string
	// HTTPClient reads MetadataURLs; nil means one with a 10 s timeout.
	HTTPClient *http.Client
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Assertions records the assertions accepted, in the store every
	// node shares, so that an assertion is accepted once by the whole
	// deployment. Required.
	Assertions UsedAssertions
}

// UsedAssertions records accepted assertions (and LogoutRequests) until
// they expire; *userpool.Service is the implementation. A replay is
// userpool.ErrSAMLAssertionReplayed; any other error is the store's.
type UsedAssertions interface {
	ConsumeSAMLAssertion(ctx context.Context, poolID, provider, id string, expires time.Time) error
}

// ServiceProvider is the SAML service provider of every pool of the server.
// It is safe for concurrent use.
type ServiceProvider struct {
	acs      url.URL
	slo      url.URL
	client   *http.Client
	now      func() time.Time
	metadata *ttlcache.Cache[string, *saml.EntityDescriptor]
	used     UsedAssertions
}

// New returns the service provider.
func New(cfg Config) (*ServiceProvider, error) {
	acs, err := url.Parse(cfg.ACSURL)
	if err != nil || acs.Host == "" {
		return nil, fmt.Errorf("SAML assertion consumer service %q is not an absolute URL", cfg.ACSURL)
	}
	slo, err := url.Parse(cfg.SLOURL)
	if err != nil {
		return nil, fmt.Errorf("SAML single logout service %q: %w", cfg.SLOURL, err)
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: metadataTimeout}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Assertions == nil {
		return nil, errors.New("SAML service provider: no record of used assertions configured")
	}
	return &ServiceProvider{
		acs:      *acs,
		slo:      *slo,
		client:   cfg.HTTPClient,
		now:      cfg.Now,
		metadata: ttlcache.New[string, *saml.EntityDescriptor](metadataCacheSize),
		used:     cfg.Assertions,
	}, nil
}

// Provider is a pool's SAML identity provider as sign-in needs it.
type Provider struct {
	PoolID string
	Name   string
	// Details are its ProviderDetails, as DescribeIdentityProvider
	// returns them.
	Details map[string]string
	// Key is the pool's SAML key pair.
	Key *userpool.SAMLKey
	// EncryptionKey is the provider's own encryption key pair, nil when
	// it has none. Assertions encrypted to it decrypt, and so do those
	// encrypted to Key's certificate, which IdPs of providers set up
	// before providers had their own key were given.
	EncryptionKey *userpool.SAMLKey
}

func (p Provider) flag(key string) bool { return p.Details[key] == "true" }

// Request is an AuthnRequest ready to send to the IdP.
type Request struct {
	// ID is the request's ID, which the IdP's answer must be InResponseTo.
	ID string
	sp *saml.ServiceProvider
	r  *saml.AuthnRequest
}

// RedirectURL is the IdP's single sign-on URL with the request in the
// HTTP-Redirect binding, signed when the provider asks for it.
func (r *Request) RedirectURL(relayState string) (string, error) {
	u, err := r.r.Redirect(relayState, r.sp)
	if err != nil {
		return "", fmt.Errorf("SAML AuthnRequest: %w", err)
	}
	return u.String(), nil
}

// Start makes an AuthnRequest for the provider: SP-initiated sign-in.
func (s *ServiceProvider) Start(ctx context.Context, p Provider) (*Request, error) {
	sp, err := s.serviceProvider(ctx, p)
	if err != nil {
		return nil, err
	}
	sso := sp.GetSSOBindingLocation(saml.HTTPRedirectBinding)
	if sso == "" {
		return nil, refuse(fmt.Sprintf(msgNoSSO, p.Name), nil)
	}
	req, err := sp.MakeAuthenticationRequest(sso, saml.HTTPRedirectBinding, saml.HTTPPostBinding)
	if err != nil {
		return nil, fmt.Errorf("SAML AuthnRequest: %w", err)
	}
	return &Request{ID: req.ID, sp: sp, r: req}, nil
}

// Verify checks the IdP's answer, a SAMLResponse as posted (base64), and
// returns who it vouches for. requestID is the ID of the AuthnRequest it
// must answer; "" accepts an IdP-initiated answer, which the provider must
// allow (IDPInit).
func (s *ServiceProvider) Verify(ctx context.Context, p Provider, samlResponse, requestID string) (*federation.Identity, error) {
	if requestID == "" && !p.flag(userpool.DetailIDPInit) {
		return nil, refuse(fmt.Sprintf(msgIdPInitDisabled, p.Name), nil)
	}
	if len(samlResponse) > MaxResponseChars {
		return nil, refuse(msgInvalidResponse, errors.New("SAMLResponse is too long"))
	}
	raw, err := base64.StdEncoding.DecodeString(samlResponse)
	if err != nil {
		return nil, refuse(msgInvalidResponse, fmt.Errorf("SAMLResponse is not base64: %w", err))
	}
	if p.flag(userpool.DetailEncryptedResponses) {
		if err := requireEncrypted(raw); err != nil {
			return nil, refuse(fmt.Sprintf(msgNotEncrypted, p.Name), err)
		}
	}
	sp, err := s.serviceProvider(ctx, p)
	if err != nil {
		return nil, err
	}
	var ids []string
	if requestID != "" {
		ids = []string{requestID}
	} else {
		sp.AllowIDPInitiated = true
		// crewjam accepts an InResponseTo that matches a listed request;
		// none is listed, so any InResponseTo is refused, as Cognito
		// refuses it on IdP-initiated assertions.
		sp.ValidateRequestID = func(r saml.Response, _ []string) error {
			if r.InResponseTo != "" {
				return refuse(msgIdPInitInReplyTo, nil)
			}
			return nil
		}
	}
	a, err := sp.ParseXMLResponse(raw, ids, s.acs)
	if err != nil {
		return nil, verifyError(err)
	}
	if requestID == "" && s.now().Sub(a.IssueInstant) > idpInitiatedMaxAge {
		return nil, refuse(msgIdPInitTooOld, nil)
	}
	if a.Subject == nil || a.Subject.NameID == nil || a.Subject.NameID.Value == "" {
		return nil, refuse(msgInvalidResponse, errors.New("the assertion has no NameID"))
	}
	return &federation.Identity{
		ProviderName: p.Name,
		ProviderType: userpool.IdPTypeSAML,
		UserID:       a.Subject.NameID.Value,
		Issuer:       a.Issuer.Value,
		Attributes:   Attributes(a),
	}, nil
}

// verifyError turns crewjam's error into a Refusal, keeping its private
// detail (which check failed) for the log.
func verifyError(err error) error {
	var ire *saml.InvalidResponseError
	if errors.As(err, &ire) && ire.PrivateErr != nil {
		err = ire.PrivateErr
	}
	// The store failed to record the assertion: the response may be
	// good, so this is the server's failure, not a refusal.
	var se storeError
	if errors.As(err, &se) {
		return se.err
	}
	var r *Refusal
	if errors.As(err, &r) {
		return r
	}
	var status saml.ErrBadStatus
	if errors.As(err, &status) {
		return refuse(fmt.Sprintf(msgIdPStatus, status.Status), err)
	}
	return refuse(msgInvalidResponse, err)
}

// requireEncrypted refuses a Response whose assertion is in the clear.
func requireEncrypted(raw []byte) error {
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(raw); err != nil || doc.Root() == nil {
		return errors.New("the response is not XML")
	}
	root := doc.Root()
	if root.FindElement("./Assertion") != nil || root.FindElement("./EncryptedAssertion") == nil {
		return errors.New("the response carries no EncryptedAssertion")
	}
	return nil
}

// serviceProvider is crewjam's service provider for one pool and IdP, on
// the server's clock (so that the development clock moves it too).
func (s *ServiceProvider) serviceProvider(ctx context.Context, p Provider) (*saml.ServiceProvider, error) {
	md, err := s.idpMetadata(ctx, p)
	if err != nil {
		return nil, err
	}
	sp := &saml.ServiceProvider{
		EntityID:    userpool.SAMLEntityID(p.PoolID),
		Key:         p.Key.Key,
		Certificate: p.Key.Certificate,
		AcsURL:      s.acs,
		SloURL:      s.slo,
		IDPMetadata: md,
		// The single logout profile requires signed logout messages,
		// whether or not AuthnRequests are signed.
		LogoutSignatureMethod: dsig.RSASHA256SignatureMethod,
		Clock:                 dsig.NewFakeClockAt(s.now()),
		ReplayCache:           replayCache{ctx: ctx, used: s.used, poolID: p.PoolID, provider: p.Name},
	}
	if p.EncryptionKey != nil {
		sp.EncryptionKey = p.EncryptionKey.Key
		sp.EncryptionCertificate = p.EncryptionKey.Certificate
		sp.DecryptionKeys = []*rsa.PrivateKey{p.Key.Key}
	}
	if p.Details[userpool.DetailSigningAlgorithm] == "rsa-sha256" || wantsSignedRequests(md) {
		sp.SignatureMethod = dsig.RSASHA256SignatureMethod
	}
	return sp, nil
}

// wantsSignedRequests reports whether the IdP's metadata asks for signed
// AuthnRequests; they are signed then even without RequestSigningAlgorithm,
// since the IdP would refuse them otherwise.
func wantsSignedRequests(md *saml.EntityDescriptor) bool {
	for _, d := range md.IDPSSODescriptors {
		if d.WantAuthnRequestsSigned != nil && *d.WantAuthnRequestsSigned {
			return true
		}
	}
	return false
}

// idpMetadata reads the IdP's metadata: the MetadataFile, or the document
// at MetadataURL, read at most once an hour.
func (s *ServiceProvider) idpMetadata(ctx context.Context, p Provider) (*saml.EntityDescriptor, error) {
	if doc, ok := p.Details[userpool.DetailMetadataFile]; ok && doc != "" {
		md, err := samlsp.ParseMetadata([]byte(doc))
		if err != nil {
			return nil, refuse(fmt.Sprintf(msgMetadata, p.Name), err)
		}
		return md, nil
	}
	raw := p.Details[userpool.DetailMetadataURL]
	now := s.now()
	if md, ok := s.metadata.Get(raw, now); ok {
		return md, nil
	}
	u, err := url.Parse(raw)
	if err != nil || raw == "" {
		return nil, refuse(fmt.Sprintf(msgMetadata, p.Name), fmt.Errorf("MetadataURL %q", raw))
	}
	ctx, cancel := context.WithTimeout(ctx, metadataTimeout)
	defer cancel()
	md, err := samlsp.FetchMetadata(ctx, s.client, *u)
	if err != nil {
		return nil, refuse(fmt.Sprintf(msgMetadata, p.Name), err)
	}
	s.metadata.Put(raw, md, now.Add(metadataTTL), now)
	return md, nil
}

// replayCache is crewjam's replay cache for one exchange with one pool's
// provider: it records what crewjam consumes in the shared store, under
// the pool and the provider (assertion IDs are unique only among one
// issuer's), with the request's context.
type replayCache struct {
	ctx      context.Context
	used     UsedAssertions
	poolID   string
	provider string
}

// Consume implements saml.AssertionReplayCache.
func (c replayCache) Consume(id string, expires time.Time) error {
	err := c.used.ConsumeSAMLAssertion(c.ctx, c.poolID, c.provider, id, expires)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, userpool.ErrSAMLAssertionReplayed):
		return saml.ErrAssertionReplayed
	default:
		return storeError{err}
	}
}

// storeError is a failure to record an assertion, which verifyError
// keeps apart from the refusals.
type storeError struct{ err error }

func (e storeError) Error() string { return "record the SAML assertion: " + e.err.Error() }
func (e storeError) Unwrap() error { return e.err }

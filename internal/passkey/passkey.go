package passkey

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/protocol/webauthncose"
	"github.com/go-webauthn/webauthn/webauthn"
)

// Timeouts Cognito gives browsers (from its captured options): a minute
// to create a passkey, three to use one.
const (
	RegistrationTimeout = time.Minute
	LoginTimeout        = 3 * time.Minute
)

// Errors of the checks, which callers answer with Cognito's exceptions.
var (
	ErrChallenge      = errors.New("passkey: the response answers another challenge")
	ErrOrigin         = errors.New("passkey: the response comes from an origin outside the relying party")
	ErrRelyingParty   = errors.New("passkey: the credential is bound to another relying party")
	ErrInvalid        = errors.New("passkey: the response is not a valid WebAuthn response")
	ErrUnknownPasskey = errors.New("passkey: the response names no passkey of the user")
)

// RP is a pool's relying party: its id (a domain) and whether user
// verification is "required" or "preferred".
type RP struct {
	ID               string
	UserVerification string
}

// User is whom a ceremony is for: the id is the user's sub (encoded in
// the options as Cognito does, the sub's bytes), the name their username.
type User struct {
	ID          string
	Name        string
	Credentials []webauthn.Credential
}

func (u User) WebAuthnID() []byte                         { return []byte(u.ID) }
func (u User) WebAuthnName() string                       { return u.Name }
func (u User) WebAuthnDisplayName() string                { return u.Name }
func (u User) WebAuthnCredentials() []webauthn.Credential { return u.Credentials }

// relyingParty builds the verifier for one ceremony. origin is the one
// the response came from, once checked to belong to the relying party;
// before a response, the relying party's https origin.
func (rp RP) relyingParty(origin string) (*webauthn.WebAuthn, error) {
	if origin == "" {
		origin = "https://" + rp.ID
	}
	return webauthn.New(&webauthn.Config{
		RPID: rp.ID, RPDisplayName: rp.ID, RPOrigins: []string{origin},
		AttestationPreference: protocol.PreferNoAttestation,
		Timeouts: webauthn.TimeoutsConfig{
			Registration: webauthn.TimeoutConfig{Timeout: RegistrationTimeout, TimeoutUVD: RegistrationTimeout},
			Login:        webauthn.TimeoutConfig{Timeout: LoginTimeout, TimeoutUVD: LoginTimeout},
		},
	})
}

func (rp RP) uv() protocol.UserVerificationRequirement {
	if rp.UserVerification == "required" {
		return protocol.VerificationRequired
	}
	return protocol.VerificationPreferred
}

// originAllowed reports whether a response's origin belongs to the
// relying party: its host is the id or a subdomain of it, over https, or
// over http on localhost, as browsers allow.
func (rp RP) originAllowed(origin string) bool {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	host := u.Hostname()
	if host != rp.ID && !strings.HasSuffix(host, "."+rp.ID) {
		return false
	}
	return u.Scheme == "https" || (u.Scheme == "http" && (host == "localhost" || strings.HasSuffix(host, ".localhost")))
}

// RegistrationOptions returns the CredentialCreationOptions for u (the
// publicKey member, as Cognito answers StartWebAuthnRegistration) and
// the challenge to keep until the response: a discoverable passkey, no
// attestation, u's passkeys excluded.
func (rp RP) RegistrationOptions(u User) (options json.RawMessage, challenge string, err error) {
	w, err := rp.relyingParty("")
	if err != nil {
		return nil, "", err
	}
	exclude := make([]protocol.CredentialDescriptor, 0, len(u.Credentials))
	for _, c := range u.Credentials {
		exclude = append(exclude, c.Descriptor())
	}
	creation, session, err := w.BeginRegistration(u,
		webauthn.WithAuthenticatorSelection(protocol.AuthenticatorSelection{
			RequireResidentKey: protocol.ResidentKeyRequired(), ResidentKey: protocol.ResidentKeyRequirementRequired,
			UserVerification: rp.uv(),
		}),
		webauthn.WithExclusions(exclude),
		webauthn.WithConveyancePreference(protocol.PreferNoAttestation),
		webauthn.WithCredentialParameters(credParams),
	)
	if err != nil {
		return nil, "", err
	}
	b, err := json.Marshal(creation.Response)
	return b, session.Challenge, err
}

// VerifyRegistration checks a RegistrationResponseJSON against the
// challenge given for u and returns the new credential.
func (rp RP) VerifyRegistration(u User, challenge string, response []byte) (*webauthn.Credential, error) {
	parsed, err := protocol.ParseCredentialCreationResponseBytes(response)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	cd := parsed.Response.CollectedClientData
	if err := rp.checkClient(cd, challenge); err != nil {
		return nil, err
	}
	if err := rp.checkRPIDHash(parsed.Response.AttestationObject.AuthData.RPIDHash); err != nil {
		return nil, err
	}
	w, err := rp.relyingParty(cd.Origin)
	if err != nil {
		return nil, err
	}
	c, err := w.CreateCredential(u, rp.session(u, challenge), parsed)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return c, nil
}

// LoginOptions returns the PublicKeyCredentialRequestOptions for u (the
// WEB_AUTHN challenge's CREDENTIAL_REQUEST_OPTIONS) and its challenge.
func (rp RP) LoginOptions(u User) (options json.RawMessage, challenge string, err error) {
	w, err := rp.relyingParty("")
	if err != nil {
		return nil, "", err
	}
	assertion, session, err := w.BeginLogin(u, webauthn.WithUserVerification(rp.uv()))
	if err != nil {
		return nil, "", err
	}
	b, err := json.Marshal(assertion.Response)
	return b, session.Challenge, err
}

// VerifyLogin checks an AuthenticationResponseJSON against the challenge
// given for u and returns the credential used, its sign counter moved on.
func (rp RP) VerifyLogin(u User, challenge string, response []byte) (*webauthn.Credential, error) {
	parsed, err := protocol.ParseCredentialRequestResponseBytes(response)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	cd := parsed.Response.CollectedClientData
	if err := rp.checkClient(cd, challenge); err != nil {
		return nil, err
	}
	if err := rp.checkRPIDHash(parsed.Response.AuthenticatorData.RPIDHash); err != nil {
		return nil, err
	}
	known := false
	for _, c := range u.Credentials {
		known = known || bytes.Equal(c.ID, parsed.RawID)
	}
	if !known {
		return nil, ErrUnknownPasskey
	}
	w, err := rp.relyingParty(cd.Origin)
	if err != nil {
		return nil, err
	}
	c, err := w.ValidateLogin(u, rp.session(u, challenge), parsed)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return c, nil
}

func (rp RP) session(u User, challenge string) webauthn.SessionData {
	return webauthn.SessionData{Challenge: challenge, RelyingPartyID: rp.ID, UserID: u.WebAuthnID(), UserVerification: rp.uv(), CredParams: credParams}
}

// credParams are the key algorithms a passkey may use, Cognito's: ES256
// and RS256.
var credParams = []protocol.CredentialParameter{
	{Type: protocol.PublicKeyCredentialType, Algorithm: webauthncose.AlgES256},
	{Type: protocol.PublicKeyCredentialType, Algorithm: webauthncose.AlgRS256},
}

func (rp RP) checkClient(cd protocol.CollectedClientData, challenge string) error {
	if cd.Challenge != challenge {
		return ErrChallenge
	}
	if !rp.originAllowed(cd.Origin) {
		return ErrOrigin
	}
	return nil
}

func (rp RP) checkRPIDHash(h []byte) error {
	want := sha256.Sum256([]byte(rp.ID))
	if !bytes.Equal(h, want[:]) {
		return ErrRelyingParty
	}
	return nil
}

// CredentialID is a credential's id as clients write it.
func CredentialID(c *webauthn.Credential) string {
	return base64.RawURLEncoding.EncodeToString(c.ID)
}

// Package samlfed is a user pool's SAML 2.0 service provider: it builds
// the AuthnRequest that sends a user to a pool's SAML identity provider,
// and checks the IdP's answer (signature, audience, destination, the
// request it answers, its time window, encryption) before turning it into
// a federation.Identity. The SAML mechanics are github.com/crewjam/saml's;
// this package applies Cognito's settings to them (the entity ID
// urn:amazon:cognito:sp:<pool>, the ACS /saml2/idpresponse, the
// ProviderDetails of a SAML provider) and keeps what is shared between
// sign-ins: fetched metadata and the assertions already used.
package samlfed

// Package samlfed is a user pool's SAML 2.0 service provider: it builds
// the AuthnRequest that sends a user to a pool's SAML identity provider,
// and checks the IdP's answer (signature, audience, destination, the
// request it answers, its time window, encryption) before turning it into
// a federation.Identity. The SAML mechanics are github.com/crewjam/saml's;
// this package applies Cognito's settings to them (the entity ID
// urn:amazon:cognito:sp:<pool>, the ACS /saml2/idpresponse, the
// ProviderDetails of a SAML provider). It keeps the metadata it fetched
// for an hour; the assertions already used it records through
// UsedAssertions in the store every node shares, so that a replay to
// another node behind a load balancer is refused too.
package samlfed

// Package federation holds what Userpool knows of a user signed in at an
// external identity provider (OIDC, SAML or a social provider), independent
// of the protocol that carried it, so that one step turns every upstream
// answer into a pool user and a Userpool authorization code.
package federation

// Package samlfedtest runs a real SAML 2.0 identity provider, crewjam's
// samlidp, for tests of the pools' SAML sign-in: it registers a pool as a
// service provider, holds users, and walks a browser through its login
// form to the response it posts back.
package samlfedtest

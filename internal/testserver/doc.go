// Package testserver starts the whole Userpool server stack for tests: a
// fresh SQLite store, the sealer, the user pool service, the token issuer,
// the auth engine, the admin API and the OAuth2 handler, behind the real
// server handler on an httptest server, all reading one settable clock.
//
// The API and OAuth2 tests each used to build this stack by hand, and the
// copies drifted one option at a time; building it in one place keeps the
// servers the tests talk to the same as each other. Only tests import this
// package; it may import every internal package, and no internal package
// may import it.
package testserver

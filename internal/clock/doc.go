// Package clock is the server's one source of time for its rules: token
// iat and exp and their checks, refresh-token expiry, codes, sessions,
// lockouts, key rotation and garbage collection all read Clock.Now.
//
// In production it is the wall clock. Under `serve --dev` its offset can
// be moved forward through GET and POST /_dev/clock (Handler), so that a
// developer can see what happens in thirty days, or ten years, without
// waiting. What clients compute from their own clocks is checked against
// the wall clock instead, since they cannot know about the offset: SigV4
// signatures and SRP's TIMESTAMP.
package clock

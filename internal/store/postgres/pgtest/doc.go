// Package pgtest gives a test outside the store a schema of its own in the
// machine's PostgreSQL (TEST_POSTGRES_DSN, or the local server with trust
// authentication), dropped when the test ends. Without a reachable server
// the test is skipped, or fails when CI is set, where PostgreSQL is part of
// the job and a skip would hide a broken set-up.
package pgtest

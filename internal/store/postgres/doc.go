// Package postgres is the store backend for several nodes: stateless
// Userpool servers behind a load balancer share one PostgreSQL database, so
// a refresh token rotated on one node and revoked on a second is refused on
// a third at once. It uses pgx v5 directly (pgxpool), not database/sql:
// PostgreSQL's error fields (the SQLSTATE and the name of the violated
// constraint) are what the store's sentinels are made from, and the pool
// caches each statement prepared on each connection.
//
// The store's methods are sqlstore's, shared with the SQLite backend; this
// package opens the pool, migrates, and runs sqlstore's statements
// (sqlstore.DB). The schema mirrors the SQLite backend's migration for
// migration, in PostgreSQL's dialect. Times are
// BIGINT unix milliseconds, as there, rather than TIMESTAMPTZ: the store
// promises milliseconds, comparisons stay exact, and the zero time needs no
// special case. Text keys are COLLATE "C" so listings come out in byte
// order whatever the database's default collation. Migrations are embedded
// and applied by goose under a session-level advisory lock, keyed by the
// schema, so nodes that start together migrate once.
//
// Isolation is chosen per kind of work. A single method outside InTx runs
// under READ COMMITTED: one statement where it can be one (a create, whose
// missing parent shows up as the foreign key's violation; a delete; an
// upsert), otherwise a short transaction whose read-modify-write locks the
// row it reads (SELECT ... FOR UPDATE), so concurrent updaters queue rather
// than fail. Refresh-token rotation locks the token's family row and then
// runs a guarded UPDATE whose fresh READ COMMITTED snapshot sees the
// rotation that held the lock before: exactly one of concurrent rotations
// wins, and a revocation is ordered before or after a rotation, never
// beside it. InTx runs SERIALIZABLE, because its callers read and then
// write whatever they like and SQLite, where writers take turns, gives them
// that; serialisation failures and deadlocks are retried with randomised
// backoff a bounded number of times, then reported as store.ErrConflict.
//
// PostgreSQL aborts a whole transaction when one statement fails, and the
// store promises that a failed method leaves an InTx transaction usable, so
// inside InTx every method runs in a savepoint of its own.
package postgres

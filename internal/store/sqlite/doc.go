// Package sqlite is the store backend for a single node: one file in the
// data directory and no server to run, so `userpool serve` works on a
// laptop or in CI without any set-up. It uses modernc.org/sqlite so the
// binary stays free of cgo and cross-compiles. The store's methods are
// sqlstore's, shared with the PostgreSQL backend; this package opens the
// file, migrates, and runs sqlstore's statements (sqlstore.DB), each fixed
// text rewritten to SQLite's spelling and prepared once.
//
// SQLite allows one writer at a time, and two connections that both start
// a deferred transaction and then try to write can only resolve it by one
// failing with SQLITE_BUSY. The store therefore sends every write through a
// single connection whose transactions begin IMMEDIATE: writers queue in
// database/sql instead of colliding in SQLite, while reads run in parallel
// on a separate pool (WAL mode lets them proceed during a write).
package sqlite

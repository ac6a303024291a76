// Package sqlstore is the one implementation of store.Store on a SQL
// database, shared by the SQLite and PostgreSQL backends: every store
// method, its statements and its mapping of rows and errors is written
// here once, and storetest holds both databases to it.
//
// What truly differs between the databases stays with each backend:
//
//   - DB: how the work of a method runs. Reads, single-statement writes and
//     multi-statement updates each go where the database wants them (SQLite:
//     a read pool and one write connection with IMMEDIATE transactions;
//     PostgreSQL: the pool, READ COMMITTED transactions), and InTx is the
//     database's transaction, with its isolation, its retries on
//     conflicts (SQLITE_BUSY; serialisation failures and deadlocks) and its
//     savepoints for nesting and for methods that fail inside it.
//   - Querier: how a statement runs. Statements are written with
//     PostgreSQL's $n placeholders and spelling; SQLite rewrites each fixed
//     text once, when it prepares and keeps it (Text keeps texts built from
//     values out of that cache), and pgx keeps its own statement cache.
//   - Flavour: what the store's code must know. Which errors are unique
//     and foreign-key violations and which users field a violation names;
//     whether writers lock rows (PostgreSQL runs them at once, SQLite in
//     turn); whether several writes can ride in one statement's WITH, which
//     spares PostgreSQL round trips on the hot paths (a new user with its
//     attributes, a refresh-token rotation). The few methods that differ
//     hold both forms side by side, so a change to one is seen next to the
//     other.
//
// Schemas stay per database (the backends' migrations): the column types
// differ (BLOB and BYTEA, INTEGER and BIGINT or BOOLEAN, TEXT and JSONB,
// COLLATE "C"), while the tables, keys and constraints are the same.
package sqlstore

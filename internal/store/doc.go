// Package store defines the records Userpool keeps and the interface every
// storage backend implements (sqlite, postgres). Uniqueness rules are
// database constraints in each backend, and the storetest suite holds the
// backends to the same behaviour.
package store

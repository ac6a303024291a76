// Package storetest is the conformance suite every store backend must
// pass. The services above the store are written once, against
// store.Store; they can only stay backend-agnostic if the backends agree on
// every edge they rely on: which sentinel a failure returns, that
// uniqueness holds under concurrency, that a failed transaction leaves no
// trace, and that paging and time zones come out the same. A behaviour one
// backend gets right and another does not is a bug the suite should catch,
// so a new rule about the store belongs here before it belongs in a
// backend.
//
// The suite assumes nothing about the backend beyond store.Store: each
// backend's test file only says how to open an empty, migrated store.
package storetest

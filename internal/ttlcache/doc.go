// Package ttlcache is a small, bounded, concurrency-safe map whose entries
// expire. It keeps what the hot path would otherwise read and decode on
// every request (pool and client settings, verified access tokens); the
// caller passes the time, so nothing here reads the wall clock and a
// moved development clock moves expiry with it.
package ttlcache

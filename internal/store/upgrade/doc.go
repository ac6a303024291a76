// Package upgrade runs a store backend's schema migrations forward, as
// both backends must: refusing a database that a newer binary migrated.
package upgrade

// Package seed reads a seed file (YAML, of which JSON is a part) declaring
// user pools with their domains, resource servers, groups, app clients and
// users, and applies it through internal/userpool's own functions, the
// ones the API calls, so that every rule (validation, defaults, hashing)
// holds for seeded data too. Members carry the API's own names
// (CreateUserPool, CreateUserPoolClient, ...), so nothing new is learned.
//
// Applying is idempotent: an entry that exists is matched by its fixed id
// or its name, left alone when the file agrees with it and updated when a
// setting the file names differs; nothing is ever deleted. Export writes a
// pool back as such a file.
package seed

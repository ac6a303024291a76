// Package seal encrypts the few secrets Userpool must be able to read back
// (client secrets, which SECRET_HASH verification needs as an HMAC key, and
// signing keys) so that a copy of the database alone does not reveal them.
// Everything that only needs comparing (refresh tokens, codes, passwords)
// is hashed instead and never comes here.
package seal

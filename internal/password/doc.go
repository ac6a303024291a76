// Package password stores user passwords as argon2id hashes in PHC string
// form. The cost is configurable (cheap under --dev, so test suites that
// create many users stay fast) and travels inside each hash.
package password

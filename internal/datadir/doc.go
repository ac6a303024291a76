// Package datadir manages the secret files Userpool keeps in its data
// directory: the data key that seals secrets at rest and the generated
// admin key pair. Both are created on first start with mode 0600, so a
// fresh `userpool serve` is secure without any set-up.
package datadir

//go:build !cgo

package tokens

import "errors"

// Without cgo there is no OpenSSL to load: crypto/rsa signs.
func newOpenSSLSigner() (Signer, error) {
	return nil, errors.New("built without cgo")
}

//go:build cgo

package tokens

/*
#cgo LDFLAGS: -ldl
#include <dlfcn.h>
#include <stddef.h>
#include <stdlib.h>

// The libcrypto 3 functions the signer calls, found with dlsym in the
// library golang-fips/openssl has loaded: the build needs the C library's
// headers only, not OpenSSL's, and runs where libcrypto.so.3 is installed.
static struct {
	void *(*d2i_PrivateKey)(int, void **, const unsigned char **, long);
	void (*EVP_PKEY_free)(void *);
	void *(*EVP_PKEY_CTX_new)(void *, void *);
	void (*EVP_PKEY_CTX_free)(void *);
	int (*EVP_PKEY_sign_init)(void *);
	int (*EVP_PKEY_CTX_set_rsa_padding)(void *, int);
	int (*EVP_PKEY_CTX_set_signature_md)(void *, const void *);
	const void *(*EVP_sha256)(void);
	int (*EVP_PKEY_sign)(void *, unsigned char *, size_t *, const unsigned char *, size_t);
	void (*ERR_clear_error)(void);
} up_evp;

// up_evp_load finds the functions in name, which must be loaded already:
// RTLD_NOLOAD never maps a second copy. 0 when one is missing.
static int up_evp_load(const char *name) {
	void *h = dlopen(name, RTLD_NOW | RTLD_NOLOAD);
	if (h == NULL) return 0;
#define UP_SYM(f) if ((*(void **)&up_evp.f = dlsym(h, #f)) == NULL) return 0;
	UP_SYM(d2i_PrivateKey)
	UP_SYM(EVP_PKEY_free)
	UP_SYM(EVP_PKEY_CTX_new)
	UP_SYM(EVP_PKEY_CTX_free)
	UP_SYM(EVP_PKEY_sign_init)
	UP_SYM(EVP_PKEY_CTX_set_rsa_padding)
	UP_SYM(EVP_PKEY_CTX_set_signature_md)
	UP_SYM(EVP_sha256)
	UP_SYM(EVP_PKEY_sign)
	UP_SYM(ERR_clear_error)
#undef UP_SYM
	return 1;
}

// up_evp_key reads a PKCS#1 RSAPrivateKey (6 is EVP_PKEY_RSA).
static void *up_evp_key(const unsigned char *der, long len) {
	void *k = up_evp.d2i_PrivateKey(6, NULL, &der, len);
	if (k == NULL) up_evp.ERR_clear_error();
	return k;
}

static void up_evp_key_free(void *k) { up_evp.EVP_PKEY_free(k); }

// up_evp_ctx makes a context that signs SHA-256 digests with PKCS#1 v1.5
// padding (1 is RSA_PKCS1_PADDING), as RS256 does. OpenSSL lets one
// context make any number of signatures with the same parameters.
static void *up_evp_ctx(void *k) {
	void *c = up_evp.EVP_PKEY_CTX_new(k, NULL);
	if (c == NULL) {
		up_evp.ERR_clear_error();
		return NULL;
	}
	if (up_evp.EVP_PKEY_sign_init(c) != 1 || up_evp.EVP_PKEY_CTX_set_rsa_padding(c, 1) != 1 ||
		up_evp.EVP_PKEY_CTX_set_signature_md(c, up_evp.EVP_sha256()) != 1) {
		up_evp.EVP_PKEY_CTX_free(c);
		up_evp.ERR_clear_error();
		return NULL;
	}
	return c;
}

static void up_evp_ctx_free(void *c) { up_evp.EVP_PKEY_CTX_free(c); }

static int up_evp_sign(void *c, unsigned char *sig, size_t *siglen, const unsigned char *digest, size_t n) {
	int rc = up_evp.EVP_PKEY_sign(c, sig, siglen, digest, n);
	if (rc != 1) up_evp.ERR_clear_error();
	return rc;
}
*/
import "C"

import (
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"unsafe"
)

// loadEVP finds the functions evpKey calls in lib, which must be loaded.
func loadEVP(lib string) error {
	name := C.CString(lib)
	defer C.free(unsafe.Pointer(name))
	if C.up_evp_load(name) != 1 {
		return fmt.Errorf("%s lacks a function the signer needs", lib)
	}
	return nil
}

// evpKey is a key in OpenSSL's form with the contexts that sign with it.
// golang-fips/openssl makes a new EVP_PKEY_CTX for every signature, and
// sets its padding and digest, about 30 µs of a 1 ms signature here; a
// context is reusable, so the key keeps those it made, each used by one
// signature at a time.
type evpKey struct {
	size int // of a signature, in bytes
	c    *evpContexts
}

// evpContexts is what evpKey holds in C memory, freed with it.
type evpContexts struct {
	key unsafe.Pointer

	mu   sync.Mutex
	idle []unsafe.Pointer
	max  int // idle contexts kept; more are freed when they are done
}

// newEVPKey copies a key into OpenSSL through its PKCS#1 encoding, CRT
// values included, so that OpenSSL signs with the same key crypto/rsa
// would.
func newEVPKey(k *rsa.PrivateKey) (*evpKey, error) {
	if len(k.Primes) != 2 {
		return nil, fmt.Errorf("tokens: OpenSSL signs two-prime keys only, not %d", len(k.Primes))
	}
	der := x509.MarshalPKCS1PrivateKey(k)
	p := C.up_evp_key((*C.uchar)(unsafe.Pointer(&der[0])), C.long(len(der)))
	clear(der)
	if p == nil {
		return nil, errors.New("tokens: OpenSSL refused the key")
	}
	c := &evpContexts{key: p, max: 2 * runtime.GOMAXPROCS(0)}
	e := &evpKey{size: k.Size(), c: c}
	runtime.AddCleanup(e, (*evpContexts).free, c)
	return e, nil
}

// signRS256 signs a SHA-256 digest with PKCS#1 v1.5 padding.
func (e *evpKey) signRS256(digest []byte) ([]byte, error) {
	if len(digest) != 32 {
		return nil, fmt.Errorf("tokens: a SHA-256 digest has 32 bytes, not %d", len(digest))
	}
	ctx, err := e.c.get()
	if err != nil {
		return nil, err
	}
	sig := make([]byte, e.size)
	n := C.size_t(len(sig))
	rc := C.up_evp_sign(ctx, (*C.uchar)(unsafe.Pointer(&sig[0])), &n, (*C.uchar)(unsafe.Pointer(&digest[0])), C.size_t(len(digest)))
	if rc != 1 {
		// A context whose signature failed is not trusted again.
		C.up_evp_ctx_free(ctx)
		runtime.KeepAlive(e)
		return nil, errors.New("tokens: OpenSSL could not sign")
	}
	e.c.put(ctx)
	runtime.KeepAlive(e)
	return sig[:n], nil
}

// get returns an idle context, or a new one.
func (c *evpContexts) get() (unsafe.Pointer, error) {
	c.mu.Lock()
	if n := len(c.idle); n > 0 {
		ctx := c.idle[n-1]
		c.idle = c.idle[:n-1]
		c.mu.Unlock()
		return ctx, nil
	}
	c.mu.Unlock()
	ctx := C.up_evp_ctx(c.key)
	if ctx == nil {
		return nil, errors.New("tokens: OpenSSL could not make a signing context")
	}
	return ctx, nil
}

// put keeps a context for the next signature, or frees it when enough
// are kept already.
func (c *evpContexts) put(ctx unsafe.Pointer) {
	c.mu.Lock()
	if len(c.idle) < c.max {
		c.idle = append(c.idle, ctx)
		ctx = nil
	}
	c.mu.Unlock()
	if ctx != nil {
		C.up_evp_ctx_free(ctx)
	}
}

// free releases the contexts and the key once the evpKey is unreachable,
// when no signature can be using them.
func (c *evpContexts) free() {
	for _, ctx := range c.idle {
		C.up_evp_ctx_free(ctx)
	}
	c.idle = nil
	C.up_evp_key_free(c.key)
}

package srp

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"math/big"
)

// ErrInvalidChallenge means an SRP_B (or SALT) sent by a server is not a hex number,
// or B ≡ 0 (mod N): with B ≡ 0 the client's S would not depend on the
// password, so SRP-6a aborts.
var ErrInvalidChallenge = errors.New("srp: invalid SRP_B or SALT")

// Client is the client half of one handshake, as amazon-cognito-identity-js
// performs it for USER_SRP_AUTH. Userpool's own client library and command
// line sign in through it; the server never uses it.
type Client struct {
	a, bigA *big.Int
}

// NewClient draws a fresh ephemeral secret a; send A() as SRP_A.
func NewClient() (*Client, error) {
	for {
		buf := make([]byte, secretBytes)
		if _, err := rand.Read(buf); err != nil {
			return nil, err
		}
		a := new(big.Int).SetBytes(buf)
		bigA := new(big.Int).Exp(generator, a, groupN)
		// A ≡ 0 has a probability of about 2^-512; drawing again is the
		// whole remedy, as on the server's side.
		if bigA.Sign() != 0 {
			return &Client{a: a, bigA: bigA}, nil
		}
	}
}

// A is the client's public value for SRP_A, in hex.
func (c *Client) A() string { return c.bigA.Text(16) }

// Sign answers a PASSWORD_VERIFIER challenge: it returns the
// PASSWORD_CLAIM_SIGNATURE for the challenge's SALT and SRP_B (hex, as
// sent), the decoded SECRET_BLOCK and the TIMESTAMP the client will send.
// poolName is the part of the pool id after "_" and userID the challenge's
// USER_ID_FOR_SRP.
func (c *Client) Sign(poolName, userID, password, saltHex, srpB string, secretBlock []byte, timestamp string) (string, error) {
	bigB, ok := new(big.Int).SetString(srpB, 16)
	if !ok || bigB.Sign() <= 0 || new(big.Int).Mod(bigB, groupN).Sign() == 0 {
		return "", ErrInvalidChallenge
	}
	salt, ok := new(big.Int).SetString(saltHex, 16)
	if !ok || salt.Sign() < 0 {
		return "", ErrInvalidChallenge
	}
	u := new(big.Int).SetBytes(hashBytes(padBytes(c.bigA), padBytes(bigB)))
	if u.Sign() == 0 {
		return "", ErrInvalidChallenge
	}
	x := privateKey(poolName, userID, password, salt.Bytes())
	// S = (B − k·g^x)^(a + u·x) mod N
	base := new(big.Int).Exp(generator, x, groupN)
	base.Mul(base, multiplier)
	base.Sub(bigB, base)
	base.Mod(base, groupN)
	exp := new(big.Int).Mul(u, x)
	exp.Add(exp, c.a)
	s := base.Exp(base, exp, groupN)
	key := hkdf(padBytes(u), padBytes(s))
	return base64.StdEncoding.EncodeToString(signature(key, poolName, userID, secretBlock, timestamp)), nil
}

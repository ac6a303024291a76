package srp

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"math/big"
	"sync"
)

// nHex is the 3072-bit MODP prime of RFC 3526 §4 (also RFC 5054's 3072-bit
// group), the one amazon-cognito-identity-js hard-codes.
const nHex = "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1" +
	"29024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
	"EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245" +
	"E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
	"EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D" +
	"C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
	"83655D23DCA3AD961C62F356208552BB9ED529077096966D" +
	"670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
	"E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9" +
	"DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
	"15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64" +
	"ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
	"ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6B" +
	"F12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
	"BBE117577A615D6C770988C0BAD946E208E24FA074E5AB31" +
	"43DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF"

const (
	// groupBytes is the length of N, and of every verifier NewVerifier makes.
	groupBytes = 384
	// saltBytes matches the 16 random bytes the JS SDK uses for device salts.
	saltBytes = 16
	// secretBytes is the length of the server's ephemeral b. RFC 3526 §8
	// sizes DH exponents at twice the group's estimated strength, at most
	// 420 bits for 3072-bit MODP; 512 bits clears that, and each modexp
	// costs a fraction of what a full 3072-bit exponent would (BenchmarkExp).
	secretBytes = 64
	// maxAHexLen bounds SRP_A before parsing: A < N needs at most 768 hex
	// digits, the rest allows leading zeros without letting a client make
	// the server parse an arbitrarily long number.
	maxAHexLen = 1024
	// infoBits is the HKDF info string of Cognito's key derivation.
	infoBits = "Caldera Derived Key"
)

var (
	groupN    = mustHex(nHex)
	generator = big.NewInt(2)
	// multiplier is SRP-6a's k = H(padHex(N) || padHex(g)).
	multiplier = new(big.Int).SetBytes(hashBytes(padBytes(groupN), padBytes(generator)))
	nMinusOne  = new(big.Int).Sub(groupN, big.NewInt(1))
)

// ErrInvalidA means SRP_A is not a hex number in [1, N-1]. Accepting A ≡ 0
// (mod N) would make S = 0 whatever the password, so SRP-6a forbids it.
var ErrInvalidA = errors.New("srp: invalid SRP_A")

// ErrInvalidVerifier means a verifier is 0, 1, N-1 or not below N. Devices
// upload their own verifiers (ConfirmDevice), and with one of those values S
// is computable without the device password.
var ErrInvalidVerifier = errors.New("srp: invalid verifier")

// ErrInvalidB means a server secret handed to NewServerWithB is empty, zero
// or longer than the group.
var ErrInvalidB = errors.New("srp: invalid server secret")

func mustHex(s string) *big.Int {
	n, ok := new(big.Int).SetString(s, 16)
	if !ok {
		panic("srp: bad constant " + s)
	}
	return n
}

// padBytes is the byte form of the clients' padHex: the big-endian bytes of a
// non-negative n, with a 0x00 in front when the top bit is set (so the value
// reads as positive), and a single 0x00 for zero. An odd-length hex string
// padded with one "0" decodes to exactly n's minimal bytes, so that case
// needs nothing.
func padBytes(n *big.Int) []byte {
	b := n.Bytes()
	if len(b) == 0 || b[0] >= 0x80 {
		return append([]byte{0}, b...)
	}
	return b
}

// padHex is padBytes in the lower-case hex the clients hash.
func padHex(n *big.Int) string { return hex.EncodeToString(padBytes(n)) }

func hashBytes(parts ...[]byte) []byte {
	h := sha256.New()
	for _, p := range parts {
		h.Write(p)
	}
	return h.Sum(nil)
}

// privateKey is x = H(padHex(salt) || H_hex(poolName + userID + ":" + password)).
// The salt counts as a number, as amazon-cognito-identity-js and
// alexrudd/cognito-srp parse SALT into a big integer before padding it: its
// leading zero bytes do not matter.
func privateKey(poolName, userID, password string, salt []byte) *big.Int {
	inner := sha256.Sum256([]byte(poolName + userID + ":" + password))
	return new(big.Int).SetBytes(hashBytes(padBytes(new(big.Int).SetBytes(salt)), inner[:]))
}

// NewVerifier computes what the server keeps when a password is set: a random
// salt and v = g^x mod N. poolName is the part of the pool id after "_";
// userID is the USER_ID_FOR_SRP the challenge will carry (the internal
// username).
func NewVerifier(poolName, userID, password string) (salt, verifier []byte, err error) {
	salt = make([]byte, saltBytes)
	if _, err := rand.Read(salt); err != nil {
		return nil, nil, err
	}
	return salt, VerifierWithSalt(poolName, userID, password, salt), nil
}

// VerifierWithSalt is NewVerifier with a given salt: the deterministic form
// for tests, and the computation a device performs for ConfirmDevice with
// the DeviceGroupKey as poolName and the DeviceKey as userID. The result is
// always groupBytes long.
func VerifierWithSalt(poolName, userID, password string, salt []byte) []byte {
	x := privateKey(poolName, userID, password, salt)
	v := new(big.Int).Exp(generator, x, groupN)
	return v.FillBytes(make([]byte, groupBytes))
}

// VerifierLen is the length of every verifier VerifierWithSalt makes.
const VerifierLen = groupBytes

// SaltHex is the SALT challenge parameter for a stored salt: padHex of the
// salt as a number. Clients disagree on what they hash (pycognito pads the
// SALT string as received, the JS SDK and alexrudd/cognito-srp re-encode the
// number), and only this canonical form makes them agree with each other and
// with the verifier.
func SaltHex(salt []byte) string { return padHex(new(big.Int).SetBytes(salt)) }

// CheckVerifier reports whether a verifier is usable, returning
// ErrInvalidVerifier if not. ConfirmDevice should call it on the
// DeviceSecretVerifierConfig it receives, so that a bad verifier is refused
// when stored rather than at the device's next sign-in.
func CheckVerifier(verifier []byte) error {
	_, err := parseVerifier(verifier)
	return err
}

func parseVerifier(verifier []byte) (*big.Int, error) {
	if len(verifier) > groupBytes+1 {
		return nil, ErrInvalidVerifier
	}
	v := new(big.Int).SetBytes(verifier)
	if v.Cmp(big.NewInt(1)) <= 0 || v.Cmp(nMinusOne) >= 0 {
		return nil, ErrInvalidVerifier
	}
	return v, nil
}

// parseA reads SRP_A strictly: hex digits only (big.Int.SetString would also
// take a sign), bounded in length, and 0 < A < N.
func parseA(srpA string) (*big.Int, error) {
	if len(srpA) == 0 || len(srpA) > maxAHexLen {
		return nil, ErrInvalidA
	}
	for i := 0; i < len(srpA); i++ {
		c := srpA[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return nil, ErrInvalidA
		}
	}
	a, ok := new(big.Int).SetString(srpA, 16)
	if !ok || a.Sign() == 0 || a.Cmp(groupN) >= 0 {
		return nil, ErrInvalidA
	}
	return a, nil
}

// Server is the server half of one handshake. It is safe for concurrent use.
type Server struct {
	bigA, bigB, b, v, u *big.Int

	once sync.Once
	key  []byte // HKDF output, derived on first Verify
}

// NewServer starts a handshake for the client's SRP_A (hex) against a stored
// verifier, with a fresh random b. It returns ErrInvalidA or
// ErrInvalidVerifier for unusable inputs; send B() as SRP_B.
//
// The client does not repeat SRP_A in its PASSWORD_VERIFIER response, so a
// caller that finishes the handshake elsewhere (another request, another
// node) must carry SRP_A together with SecretB(), for instance sealed in the
// SECRET_BLOCK, and rebuild the Server with NewServerWithB.
func NewServer(srpA string, verifier []byte) (*Server, error) {
	bigA, err := parseA(srpA)
	if err != nil {
		return nil, err
	}
	v, err := parseVerifier(verifier)
	if err != nil {
		return nil, err
	}
	for {
		b := make([]byte, secretBytes)
		if _, err := rand.Read(b); err != nil {
			return nil, err
		}
		s, err := newServer(bigA, v, new(big.Int).SetBytes(b))
		// A zero b, B or u has a probability of at most about 2^-256;
		// drawing again is the whole remedy.
		if err == nil {
			return s, nil
		}
	}
}

// NewServerWithB rebuilds the Server that NewServer made, from the same
// SRP_A, verifier and the b its SecretB returned.
func NewServerWithB(srpA string, verifier, b []byte) (*Server, error) {
	bigA, err := parseA(srpA)
	if err != nil {
		return nil, err
	}
	v, err := parseVerifier(verifier)
	if err != nil {
		return nil, err
	}
	if len(b) > groupBytes {
		return nil, ErrInvalidB
	}
	return newServer(bigA, v, new(big.Int).SetBytes(b))
}

func newServer(bigA, v, b *big.Int) (*Server, error) {
	if b.Sign() == 0 {
		return nil, ErrInvalidB
	}
	// B = (k·v + g^b) mod N
	bigB := new(big.Int).Exp(generator, b, groupN)
	bigB.Add(bigB, new(big.Int).Mul(multiplier, v))
	bigB.Mod(bigB, groupN)
	if bigB.Sign() == 0 {
		// Clients refuse B ≡ 0.
		return nil, ErrInvalidB
	}
	// u = H(padHex(A) || padHex(B)); u = 0 would take the verifier out of
	// S, so SRP-6a aborts on it.
	u := new(big.Int).SetBytes(hashBytes(padBytes(bigA), padBytes(bigB)))
	if u.Sign() == 0 {
		return nil, ErrInvalidB
	}
	return &Server{bigA: bigA, bigB: bigB, b: b, v: v, u: u}, nil
}

// B is the server's public value for SRP_B, in hex as the clients parse it.
func (s *Server) B() string { return s.bigB.Text(16) }

// SecretB is the server's ephemeral secret b, for NewServerWithB. With b and
// a recorded handshake anyone can test password guesses offline (b is what
// keeps S from an eavesdropper), so it must leave the server only sealed.
func (s *Server) SecretB() []byte {
	return s.b.FillBytes(make([]byte, max(secretBytes, (s.b.BitLen()+7)/8)))
}

// sharedKey derives Cognito's HKDF key from S:
// PRK = HMAC(padHex(u), padHex(S)), K = HMAC(PRK, "Caldera Derived Key"‖0x01)[:16].
func (s *Server) sharedKey() []byte {
	s.once.Do(func() { s.key = hkdf(padBytes(s.u), padBytes(s.premaster())) })
	return s.key
}

// premaster is S = (A·v^u)^b mod N, the value the client reaches as
// (B − k·g^x)^(a + u·x) mod N.
func (s *Server) premaster() *big.Int {
	base := new(big.Int).Exp(s.v, s.u, groupN)
	base.Mul(base, s.bigA)
	base.Mod(base, groupN)
	return base.Exp(base, s.b, groupN)
}

func hkdf(salt, ikm []byte) []byte {
	extract := hmac.New(sha256.New, salt)
	extract.Write(ikm)
	expand := hmac.New(sha256.New, extract.Sum(nil))
	expand.Write([]byte(infoBits))
	expand.Write([]byte{1})
	return expand.Sum(nil)[:16]
}

// signature is PASSWORD_CLAIM_SIGNATURE before base64:
// HMAC(K, poolName || userID || secretBlock || timestamp).
func signature(key []byte, poolName, userID string, secretBlock []byte, timestamp string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(poolName))
	m.Write([]byte(userID))
	m.Write(secretBlock)
	m.Write([]byte(timestamp))
	return m.Sum(nil)
}

// Verify reports whether signatureB64 is the PASSWORD_CLAIM_SIGNATURE of this
// handshake. poolName is the part of the pool id after "_" (the
// DeviceGroupKey for DEVICE_PASSWORD_VERIFIER), userID is USER_ID_FOR_SRP (the
// DeviceKey for devices), secretBlock is the decoded
// PASSWORD_CLAIM_SECRET_BLOCK and timestamp is TIMESTAMP exactly as sent.
//
// The message concatenates poolName and userID without a separator, so both
// must come from the server's own records (the sealed block), never from the
// request. Verify checks only the proof of the password: the caller still
// checks that the secret block is one it issued for this user and is fresh,
// and that ParseTimestamp accepts the timestamp and it is close to now.
func (s *Server) Verify(poolName, userID string, secretBlock []byte, timestamp, signatureB64 string) bool {
	got, err := base64.StdEncoding.Strict().DecodeString(signatureB64)
	if err != nil || len(got) != sha256.Size {
		return false
	}
	want := signature(s.sharedKey(), poolName, userID, secretBlock, timestamp)
	return subtle.ConstantTimeCompare(got, want) == 1
}

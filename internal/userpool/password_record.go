package userpool

import (
	"errors"
	"strings"
	"time"

	"github.com/userpool/userpool/internal/srp"
	"github.com/userpool/userpool/internal/store"
)

// passwordRecord is everything the server keeps of a password: the
// argon2id hash that USER_PASSWORD_AUTH and the hosted login check, and
// the SRP salt and verifier that USER_SRP_AUTH checks, sealed with the
// data key (SRPVerifier opens them). The verifier can
// only be computed while the plaintext is at hand, so every path that sets
// a password (SignUp, AdminCreateUser and its RESEND, AdminSetUserPassword,
// NEW_PASSWORD_REQUIRED, ConfirmForgotPassword, ChangePassword) builds one
// with newPasswordRecord and stores it with setOn; a path that stored only
// the hash would leave the user unable to sign in with SRP.
type passwordRecord struct {
	hash        string
	srpSalt     []byte
	srpVerifier []byte
}

// newPasswordRecord hashes password for the user whose internal username
// is username, in the pool poolID. The SRP verifier binds the pool name
// and the internal username (USER_ID_FOR_SRP), which never change.
func (s *Service) newPasswordRecord(poolID, username, password string) (passwordRecord, error) {
	hash, err := s.cfg.Passwords.Hash(password)
	if err != nil {
		return passwordRecord{}, err
	}
	salt, verifier, err := srp.NewVerifier(SRPPoolName(poolID), username, password)
	if err != nil {
		return passwordRecord{}, err
	}
	return passwordRecord{
		hash:        hash,
		srpSalt:     s.cfg.Sealer.Seal(salt, srpAD(poolID, username, "salt")),
		srpVerifier: s.cfg.Sealer.Seal(verifier, srpAD(poolID, username, "verifier")),
	}, nil
}

// srpAD binds a sealed SRP salt or verifier to its user (the internal
// username, which never changes) and to its role, so neither can be
// copied onto another user or swapped for the other.
func srpAD(poolID, username, part string) []byte {
	return []byte("srp-" + part + ":" + poolID + ":" + username)
}

// SRPVerifier returns the SRP salt and verifier of a user, opened; both
// nil when the user has none (a password set before the server computed
// them).
//
// They are sealed because, like the argon2 hash beside them, they allow
// offline guessing of the password from a copy of the database, and
// guessing against a verifier costs one exponentiation, not argon2's
// memory. Rows written before they were sealed hold them in the clear
// (recognised by the verifier's length, which a sealed one never has:
// sealing adds a nonce and a tag). Those keep working as they are, and are
// sealed the next time the password is set.
func (s *Service) SRPVerifier(u store.User) (salt, verifier []byte, err error) {
	switch {
	case len(u.SRPVerifier) == 0:
		return nil, nil, nil
	case len(u.SRPVerifier) == srp.VerifierLen:
		return u.SRPSalt, u.SRPVerifier, nil
	}
	salt, err1 := s.cfg.Sealer.Open(u.SRPSalt, srpAD(u.PoolID, u.Username, "salt"))
	verifier, err2 := s.cfg.Sealer.Open(u.SRPVerifier, srpAD(u.PoolID, u.Username, "verifier"))
	if err := errors.Join(err1, err2); err != nil {
		return nil, nil, err
	}
	return salt, verifier, nil
}

// setOn stores the password in a user record, set at now.
func (p passwordRecord) setOn(u *store.User, now time.Time) {
	u.PasswordHash, u.SRPSalt, u.SRPVerifier = p.hash, p.srpSalt, p.srpVerifier
	u.PasswordUpdatedAt = now
}

// SRPPoolName is the pool name of Cognito's SRP maths: the part of the
// pool id after the region and "_" ("pxAHZcSSX" in "us-east-1_pxAHZcSSX").
func SRPPoolName(poolID string) string {
	if _, name, ok := strings.Cut(poolID, "_"); ok {
		return name
	}
	return poolID
}

package userpool

import (
	"strings"
	"time"

	"github.com/userpool/userpool/internal/srp"
	"github.com/userpool/userpool/internal/store"
)

// passwordRecord is everything the server keeps of a password: the
// argon2id hash that USER_PASSWORD_AUTH and the hosted login check, and
// the SRP salt and verifier that USER_SRP_AUTH checks. The verifier can
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
	return passwordRecord{hash: hash, srpSalt: salt, srpVerifier: verifier}, nil
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

// Package srp is the server side of Cognito's SRP-6a variant, the maths behind
// USER_SRP_AUTH / PASSWORD_VERIFIER and DEVICE_SRP_AUTH /
// DEVICE_PASSWORD_VERIFIER. It must match amazon-cognito-identity-js, Amplify,
// pycognito and alexrudd/cognito-srp bit for bit: the 3072-bit RFC 3526
// group with g = 2 and SHA-256, the clients' padHex rule before every hash,
// the "Caldera Derived Key" HKDF step and the PASSWORD_CLAIM_SIGNATURE HMAC.
// It is pure: no store, no clock, no I/O.
//
// # Why the server keeps a verifier
//
// In SRP the password never crosses the wire, not even hashed: the client
// proves it knows the password by deriving the same session key as the
// server. The server's side of that derivation needs v = g^x mod N, where x
// hashes the salt, pool, user and password. v cannot be computed from the
// argon2id hash in internal/password, so whoever sets a password (SignUp,
// AdminCreateUser, AdminSetUserPassword, ChangePassword,
// ConfirmForgotPassword, NEW_PASSWORD_REQUIRED) must also store a fresh salt
// and verifier from NewVerifier, while the plaintext is at hand. A device
// computes its own verifier (amazon-cognito-identity-js generateHashDevice)
// and uploads it with ConfirmDevice; the server never learns that password.
//
// What the verifier protects: an eavesdropper on a handshake learns nothing
// that allows an offline guess of the password, and a stolen v does not by
// itself let anyone sign in as the user. What it does not: v is
// password-equivalent for offline guessing (each guess costs one modexp, far
// cheaper than argon2id), so it deserves the same care as the password hash,
// and anyone holding v can pose as the server to that user.
//
// # A handshake
//
// InitiateAuth with SRP_A: NewServer(SRP_A, verifier) → challenge
// PASSWORD_VERIFIER with SALT = SaltHex(salt), SRP_B = B(), USER_ID_FOR_SRP
// and a SECRET_BLOCK the caller seals (user, SRP_A, SecretB(), issue time).
// RespondToAuthChallenge: open the block, NewServerWithB, Verify the
// signature, check the block's freshness and the TIMESTAMP (ParseTimestamp)
// against the clock. Verify compares in constant time. math/big's modular
// exponentiation is not constant-time; the secret exponents it sees are b,
// fresh for each handshake and used twice, and x, used once when a password
// is set, so no secret is exposed to repeated timing.
package srp

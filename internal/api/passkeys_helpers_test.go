package api_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"testing"

	"github.com/go-webauthn/webauthn/protocol/webauthncbor"
)

// A software authenticator for the passkey tests: it answers
// navigator.credentials.create and .get as a browser with a platform
// passkey would, built here from crypto/ecdsa and CBOR, independently of
// the server's verifier. Its key is ES256 (COSE -7), its attestation
// "none", and it always verifies the user.

type softAuthenticator struct {
	key        *ecdsa.PrivateKey
	id         []byte
	userHandle []byte
	count      uint32
	origin     string
	// noUV makes get answer without user verification, as a security
	// key without a PIN would.
	noUV bool
}

func newSoftAuthenticator(t *testing.T, origin string) *softAuthenticator {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	id := make([]byte, 32)
	rand.Read(id)
	return &softAuthenticator{key: key, id: id, origin: origin}
}

var b64 = base64.RawURLEncoding

// Authenticator data flags: user present, user verified, attested
// credential data.
const (
	flagUP = 0x01
	flagUV = 0x04
	flagAT = 0x40
)

func (a *softAuthenticator) authData(rpID string, flags byte, attested []byte) []byte {
	h := sha256.Sum256([]byte(rpID))
	out := append(h[:], flags)
	out = binary.BigEndian.AppendUint32(out, a.count)
	return append(out, attested...)
}

func (a *softAuthenticator) clientData(t *testing.T, typ, challenge string) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{"type": typ, "challenge": challenge, "origin": a.origin, "crossOrigin": false})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// create answers CredentialCreationOptions with a RegistrationResponseJSON.
func (a *softAuthenticator) create(t *testing.T, options map[string]any) map[string]any {
	t.Helper()
	rp, _ := options["rp"].(map[string]any)
	user, _ := options["user"].(map[string]any)
	challenge, _ := options["challenge"].(string)
	rpID, _ := rp["id"].(string)
	handle, err := b64.DecodeString(user["id"].(string))
	if err != nil || challenge == "" || rpID == "" {
		t.Fatalf("creation options without challenge, rp.id or user.id: %v", options)
	}
	a.userHandle = handle
	var x, y [32]byte
	a.key.PublicKey.X.FillBytes(x[:])
	a.key.PublicKey.Y.FillBytes(y[:])
	cose, err := webauthncbor.Marshal(map[int]any{1: 2, 3: -7, -1: 1, -2: x[:], -3: y[:]})
	if err != nil {
		t.Fatal(err)
	}
	attested := make([]byte, 16) // AAGUID: none
	attested = binary.BigEndian.AppendUint16(attested, uint16(len(a.id)))
	attested = append(append(attested, a.id...), cose...)
	att, err := webauthncbor.Marshal(map[string]any{"fmt": "none", "attStmt": map[string]any{}, "authData": a.authData(rpID, flagUP|flagUV|flagAT, attested)})
	if err != nil {
		t.Fatal(err)
	}
	return map[string]any{
		"id": b64.EncodeToString(a.id), "rawId": b64.EncodeToString(a.id), "type": "public-key",
		"response": map[string]any{
			"clientDataJSON":    b64.EncodeToString(a.clientData(t, "webauthn.create", challenge)),
			"attestationObject": b64.EncodeToString(att),
			"transports":        []string{"internal"},
		},
		"clientExtensionResults": map[string]any{}, "authenticatorAttachment": "platform",
	}
}

// get answers CREDENTIAL_REQUEST_OPTIONS with an
// AuthenticationResponseJSON, as a string, as Amplify sends it.
func (a *softAuthenticator) get(t *testing.T, options string) string {
	t.Helper()
	var o struct {
		Challenge string `json:"challenge"`
		RPID      string `json:"rpId"`
	}
	if err := json.Unmarshal([]byte(options), &o); err != nil || o.Challenge == "" || o.RPID == "" {
		t.Fatalf("request options %q: %v", options, err)
	}
	a.count++
	flags := byte(flagUP | flagUV)
	if a.noUV {
		flags = flagUP
	}
	auth := a.authData(o.RPID, flags, nil)
	cd := a.clientData(t, "webauthn.get", o.Challenge)
	cdHash := sha256.Sum256(cd)
	digest := sha256.Sum256(append(append([]byte{}, auth...), cdHash[:]...))
	sig, err := ecdsa.SignASN1(rand.Reader, a.key, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(map[string]any{
		"id": b64.EncodeToString(a.id), "rawId": b64.EncodeToString(a.id), "type": "public-key",
		"response": map[string]any{
			"clientDataJSON": b64.EncodeToString(cd), "authenticatorData": b64.EncodeToString(auth),
			"signature": b64.EncodeToString(sig), "userHandle": b64.EncodeToString(a.userHandle),
		},
		"clientExtensionResults": map[string]any{}, "authenticatorAttachment": "platform",
	})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

package tokens

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"

	"github.com/userpool/userpool/internal/metrics"
)

var b64 = base64.RawURLEncoding

// jwsHeader is the protected header of every token a key signs: exactly
// kid and alg, in Cognito's order.
func jwsHeader(kid string) string {
	h, _ := json.Marshal(struct {
		KID string `json:"kid"`
		Alg string `json:"alg"`
	}{kid, "RS256"})
	return b64.EncodeToString(h)
}

// signJWS returns the compact JWS of payload under key.
func signJWS(ctx context.Context, s Signer, key *Key, payload []byte) (string, error) {
	var b strings.Builder
	b.Grow(len(key.header) + 1 + b64.EncodedLen(len(payload)) + 1 + b64.EncodedLen(key.Private.Size()))
	b.WriteString(key.header)
	b.WriteByte('.')
	b.WriteString(b64.EncodeToString(payload))
	digest := sha256.Sum256([]byte(b.String()))
	sig, err := s.SignRS256(ctx, key, digest[:])
	if err != nil {
		return "", err
	}
	b.WriteByte('.')
	b.WriteString(b64.EncodeToString(sig))
	metrics.TokensIssued.WithLabelValues(key.Use).Inc() // "id" or "access"
	return b.String(), nil
}

// Errors of verifyJWS; the caller turns them into Cognito's messages.
var (
	errMalformed = errors.New("tokens: malformed token")
	errSignature = errors.New("tokens: signature does not verify")
)

// verifyJWS checks a compact RS256 JWS against the public key its kid
// names and returns the payload.
func verifyJWS(token string, lookup func(kid string) *rsa.PublicKey) ([]byte, error) {
	h, rest, ok := strings.Cut(token, ".")
	if !ok {
		return nil, errMalformed
	}
	p, s, ok := strings.Cut(rest, ".")
	if !ok || strings.Contains(s, ".") {
		return nil, errMalformed
	}
	hb, err := b64.DecodeString(h)
	if err != nil {
		return nil, errMalformed
	}
	var header struct {
		KID string `json:"kid"`
		Alg string `json:"alg"`
	}
	if json.Unmarshal(hb, &header) != nil || header.Alg != "RS256" || header.KID == "" {
		return nil, errMalformed
	}
	pub := lookup(header.KID)
	if pub == nil {
		return nil, errSignature
	}
	sig, err := b64.DecodeString(s)
	if err != nil {
		return nil, errMalformed
	}
	digest := sha256.Sum256([]byte(token[:len(h)+1+len(p)]))
	if rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig) != nil {
		return nil, errSignature
	}
	payload, err := b64.DecodeString(p)
	if err != nil {
		return nil, errMalformed
	}
	return payload, nil
}

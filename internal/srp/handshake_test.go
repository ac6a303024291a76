package srp

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"math/big"
	mrand "math/rand/v2"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	cognitosrp "github.com/alexrudd/cognito-srp/v4"
)

// challenge is one client's run against the server: the server's challenge
// parameters, the client's answer, and the server rebuilt from SecretB as a
// second node would do it.
type challenge struct {
	client   *cognitosrp.CognitoSRP
	server   *Server
	rebuilt  *Server
	params   map[string]string
	response map[string]string
	block    []byte
}

// runHandshake drives alexrudd/cognito-srp, an independent Go client, through
// InitiateAuth and PASSWORD_VERIFIER against a verifier stored for
// (poolName, userID, stored). The client signs in with tried.
func runHandshake(t *testing.T, poolName, userID, stored, tried string, salt []byte, at time.Time) challenge {
	t.Helper()
	var verifier []byte
	if salt == nil {
		var err error
		salt, verifier, err = NewVerifier(poolName, userID, stored)
		if err != nil {
			t.Fatal(err)
		}
	} else {
		verifier = VerifierWithSalt(poolName, userID, stored, salt)
	}
	return runWithVerifier(t, "eu-west-1_"+poolName, userID, tried, salt, verifier, at)
}

func runWithVerifier(t *testing.T, poolID, userID, tried string, salt, verifier []byte, at time.Time) challenge {
	t.Helper()
	client, err := cognitosrp.NewCognitoSRP(userID, tried, poolID, "client-id", nil)
	if err != nil {
		t.Fatal(err)
	}
	srpA := client.GetAuthParams()["SRP_A"]
	server, err := NewServer(srpA, verifier)
	if err != nil {
		t.Fatalf("NewServer: %v", err)
	}
	block := make([]byte, 48)
	rand.Read(block)
	params := map[string]string{
		"USERNAME":        userID,
		"USER_ID_FOR_SRP": userID,
		"SALT":            SaltHex(salt),
		"SRP_B":           server.B(),
		"SECRET_BLOCK":    base64.StdEncoding.EncodeToString(block),
	}
	response, err := client.PasswordVerifierChallenge(params, at)
	if err != nil {
		t.Fatal(err)
	}
	rebuilt, err := NewServerWithB(srpA, verifier, server.SecretB())
	if err != nil {
		t.Fatalf("NewServerWithB: %v", err)
	}
	if rebuilt.B() != server.B() {
		t.Fatal("rebuilt server has another B")
	}
	return challenge{client: client, server: server, rebuilt: rebuilt, params: params, response: response, block: block}
}

func (c challenge) verify(s *Server) bool {
	block, err := base64.StdEncoding.DecodeString(c.response["PASSWORD_CLAIM_SECRET_BLOCK"])
	if err != nil {
		return false
	}
	return s.Verify(c.client.GetUserPoolName(), c.params["USER_ID_FOR_SRP"], block, c.response["TIMESTAMP"], c.response["PASSWORD_CLAIM_SIGNATURE"])
}

// randomText draws from ASCII, Latin-1, Cyrillic, CJK, emoji and a
// combining mark, so that UTF-8 encoding of the password is exercised.
func randomText(r *mrand.Rand, min, max int) string {
	pools := [][]rune{
		[]rune("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"),
		[]rune("éèçñüßøåÆ¿¡"),
		[]rune("пароль"),
		[]rune("密码パスワード비밀번호"),
		[]rune("🔑🙂👩‍💻"),
		{'\u0301', '\u200d', '\u00a0'},
	}
	n := min + r.IntN(max-min+1)
	var sb strings.Builder
	for range n {
		p := pools[r.IntN(len(pools))]
		sb.WriteRune(p[r.IntN(len(p))])
	}
	return sb.String()
}

func TestHandshakeRandomPasswords(t *testing.T) {
	r := mrand.New(mrand.NewPCG(6, 73))
	n := 40
	if testing.Short() {
		n = 8
	}
	for i := range n {
		password := randomText(r, 1, 64)
		userID := randomText(r, 1, 24)
		if i%2 == 0 {
			userID = "3c1e9d52-8a44-4f0e-b1c7-" + hex.EncodeToString([]byte(password))[:12]
		}
		at := time.Date(2020+r.IntN(10), time.Month(1+r.IntN(12)), 1+r.IntN(28), r.IntN(24), r.IntN(60), r.IntN(60), 0, time.UTC)
		c := runHandshake(t, "pxAHZcSSX", userID, password, password, nil, at)
		if !c.verify(c.server) {
			t.Errorf("password %q user %q: signature rejected", password, userID)
		}
		if !c.verify(c.rebuilt) {
			t.Errorf("password %q user %q: signature rejected by the rebuilt server", password, userID)
		}
	}
}

func TestHandshakeRejects(t *testing.T) {
	at := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	c := runHandshake(t, "pxAHZcSSX", "alice", "Correct-Horse-1", "Correct-Horse-1", nil, at)
	if !c.verify(c.rebuilt) {
		t.Fatal("the right password is rejected; the cases below would prove nothing")
	}
	pool, user := c.client.GetUserPoolName(), c.params["USER_ID_FOR_SRP"]
	ts, sig := c.response["TIMESTAMP"], c.response["PASSWORD_CLAIM_SIGNATURE"]
	flipped := bytes.Clone(c.block)
	flipped[len(flipped)/2] ^= 1
	rawSig, _ := base64.StdEncoding.DecodeString(sig)
	badSig := bytes.Clone(rawSig)
	badSig[0] ^= 0x80
	otherB, err := NewServer(c.client.GetAuthParams()["SRP_A"], VerifierWithSalt("pxAHZcSSX", "alice", "Correct-Horse-1", []byte("salt")))
	if err != nil {
		t.Fatal(err)
	}
	rebuiltWrongB, err := NewServerWithB(c.client.GetAuthParams()["SRP_A"], c.server.v.FillBytes(make([]byte, groupBytes)), otherB.SecretB())
	if err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name                string
		s                   *Server
		pool, user, ts, sig string
		block               []byte
	}{
		{"tampered secret block", c.rebuilt, pool, user, ts, sig, flipped},
		{"truncated secret block", c.rebuilt, pool, user, ts, sig, c.block[:len(c.block)-1]},
		{"another timestamp", c.rebuilt, pool, user, FormatTimestamp(at.Add(time.Second)), sig, c.block},
		{"zero-padded day", c.rebuilt, pool, user, strings.Replace(ts, " 2 ", " 02 ", 1), sig, c.block},
		{"another pool", c.rebuilt, "pxAHZcSSY", user, ts, sig, c.block},
		{"another user", c.rebuilt, pool, "alicf", ts, sig, c.block},
		{"flipped signature bit", c.rebuilt, pool, user, ts, base64.StdEncoding.EncodeToString(badSig), c.block},
		{"truncated signature", c.rebuilt, pool, user, ts, base64.StdEncoding.EncodeToString(rawSig[:31]), c.block},
		{"signature not base64", c.rebuilt, pool, user, ts, "!" + sig[1:], c.block},
		{"unpadded signature", c.rebuilt, pool, user, ts, strings.TrimRight(sig, "="), c.block},
		{"empty signature", c.rebuilt, pool, user, ts, "", c.block},
		{"server rebuilt with another b", rebuiltWrongB, pool, user, ts, sig, c.block},
	} {
		if tc.s.Verify(tc.pool, tc.user, tc.block, tc.ts, tc.sig) {
			t.Errorf("%s: Verify = true", tc.name)
		}
	}
}

func TestHandshakeWrongPassword(t *testing.T) {
	at := time.Date(2024, 7, 9, 15, 4, 5, 0, time.UTC)
	for _, tried := range []string{"Correct-Horse-2", "correct-horse-1", "Correct-Horse-1 ", "", "Corréct-Horse-1"} {
		c := runHandshake(t, "pxAHZcSSX", "alice", "Correct-Horse-1", tried, nil, at)
		if c.verify(c.server) || c.verify(c.rebuilt) {
			t.Errorf("password %q accepted for %q", tried, "Correct-Horse-1")
		}
	}
	// The verifier is bound to the pool and the user as well.
	salt, verifier, err := NewVerifier("otherPool", "alice", "Correct-Horse-1")
	if err != nil {
		t.Fatal(err)
	}
	if c := runWithVerifier(t, "eu-west-1_pxAHZcSSX", "alice", "Correct-Horse-1", salt, verifier, at); c.verify(c.server) {
		t.Error("verifier made for another pool accepted")
	}
	salt, verifier, _ = NewVerifier("pxAHZcSSX", "bob", "Correct-Horse-1")
	if c := runWithVerifier(t, "eu-west-1_pxAHZcSSX", "alice", "Correct-Horse-1", salt, verifier, at); c.verify(c.server) {
		t.Error("verifier made for another user accepted")
	}
}

// TestHandshakeSalts covers salts whose bytes are not their canonical padHex:
// leading zero bytes, a high first bit, a single byte, all zeros. SaltHex
// must send what the verifier hashed.
func TestHandshakeSalts(t *testing.T) {
	at := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, salt := range [][]byte{
		{0, 0, 0x12, 0x34}, {0, 0x9a, 0xbc}, {0x80, 1, 2, 3}, {0x0a, 0xbc}, {7}, {0, 0, 0}, bytes.Repeat([]byte{0xff}, 16),
	} {
		c := runHandshake(t, "pxAHZcSSX", "alice", "pw", "pw", salt, at)
		if !c.verify(c.rebuilt) {
			t.Errorf("salt %x (SALT %s): signature rejected", salt, c.params["SALT"])
		}
	}
}

// jsPadHex is amazon-cognito-identity-js's padHex written as the JS does it,
// on strings, for the device check below.
func jsPadHex(n *big.Int) string {
	s := n.Text(16)
	if len(s)%2 != 0 {
		s = "0" + s
	}
	if regexp.MustCompile(`^[89a-fA-F]`).MatchString(s) {
		s = "00" + s
	}
	return s
}

// jsGenerateHashDevice follows AuthenticationHelper.generateHashDevice and
// CognitoUser's DeviceSecretVerifierConfig encoding step by step.
func jsGenerateHashDevice(t *testing.T, groupKey, deviceKey string, random16 []byte) (saltB64, verifierB64, password string) {
	t.Helper()
	pw := make([]byte, 40)
	rand.Read(pw)
	password = base64.StdEncoding.EncodeToString(pw)
	sum := sha256.Sum256([]byte(groupKey + deviceKey + ":" + password))
	hashedString := hex.EncodeToString(sum[:])
	saltToHashDevices := jsPadHex(new(big.Int).SetBytes(random16))
	xBytes, err := hex.DecodeString(saltToHashDevices + hashedString)
	if err != nil {
		t.Fatal(err)
	}
	xSum := sha256.Sum256(xBytes)
	v := new(big.Int).Exp(big.NewInt(2), new(big.Int).SetBytes(xSum[:]), groupN)
	saltRaw, _ := hex.DecodeString(saltToHashDevices)
	vRaw, _ := hex.DecodeString(jsPadHex(v))
	return base64.StdEncoding.EncodeToString(saltRaw), base64.StdEncoding.EncodeToString(vRaw), password
}

func TestDeviceVerifierRoundTrip(t *testing.T) {
	at := time.Date(2024, 3, 5, 9, 30, 0, 0, time.UTC)
	groupKey := "-gP5r3xqK"
	for i, first := range []byte{0x9a, 0x0c, 0x5e, 0x00, 0xff} {
		random16 := make([]byte, 16)
		rand.Read(random16)
		random16[0] = first
		deviceKey := "us-east-1_0e7a8e4c-6f6e-4f4c-9b5e-2d5a8c1b9e7" + string(rune('0'+i))
		saltB64, verifierB64, password := jsGenerateHashDevice(t, groupKey, deviceKey, random16)

		// What ConfirmDevice stores.
		salt, err := base64.StdEncoding.DecodeString(saltB64)
		if err != nil {
			t.Fatal(err)
		}
		verifier, err := base64.StdEncoding.DecodeString(verifierB64)
		if err != nil {
			t.Fatal(err)
		}
		if err := CheckVerifier(verifier); err != nil {
			t.Fatalf("CheckVerifier = %v", err)
		}
		if !bytes.Equal(new(big.Int).SetBytes(verifier).Bytes(), new(big.Int).SetBytes(VerifierWithSalt(groupKey, deviceKey, password, salt)).Bytes()) {
			t.Errorf("first byte %#x: VerifierWithSalt disagrees with generateHashDevice", first)
		}
		// DEVICE_SRP_AUTH: the DeviceGroupKey takes the pool name's place.
		c := runWithVerifier(t, "device_"+groupKey, deviceKey, password, salt, verifier, at)
		if c.client.GetUserPoolName() != groupKey {
			t.Fatalf("client pool name = %q", c.client.GetUserPoolName())
		}
		if !c.verify(c.rebuilt) {
			t.Errorf("first byte %#x: device signature rejected", first)
		}
		if c := runWithVerifier(t, "device_"+groupKey, deviceKey, password+"x", salt, verifier, at); c.verify(c.rebuilt) {
			t.Errorf("first byte %#x: wrong device password accepted", first)
		}
	}
}

func TestServerConcurrentVerify(t *testing.T) {
	c := runHandshake(t, "pxAHZcSSX", "alice", "pw", "pw", nil, time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC))
	var wg sync.WaitGroup
	results := make([]bool, 8)
	for i := range results {
		wg.Go(func() { results[i] = c.verify(c.rebuilt) })
	}
	wg.Wait()
	for i, ok := range results {
		if !ok {
			t.Errorf("goroutine %d: Verify = false", i)
		}
	}
}

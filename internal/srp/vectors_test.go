package srp

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"math/big"
	"os"
	"testing"
	"time"
)

// vectors is testdata/vectors.json, written by testdata/vectors.py, an
// independent Python implementation of the client maths (pycognito's
// aws_srp.py). Regenerate with
//
//	python3 internal/srp/testdata/vectors.py > internal/srp/testdata/vectors.json
type vectors struct {
	N      string `json:"N"`
	K      string `json:"k"`
	PadHex []struct {
		In  string `json:"in"`
		Out string `json:"out"`
	} `json:"pad_hex"`
	Timestamps []struct {
		Fields [6]int `json:"fields"`
		Out    string `json:"out"`
	} `json:"timestamps"`
	Cases []vectorCase `json:"cases"`
}

type vectorCase struct {
	Name        string `json:"name"`
	PoolName    string `json:"pool_name"`
	UserID      string `json:"user_id"`
	Password    string `json:"password"`
	Salt        string `json:"salt"`
	SmallA      string `json:"a"`
	SmallB      string `json:"b"`
	SecretBlock string `json:"secret_block"`
	Timestamp   string `json:"timestamp"`
	X           string `json:"x"`
	Verifier    string `json:"verifier"`
	A           string `json:"A"`
	B           string `json:"B"`
	U           string `json:"u"`
	S           string `json:"S"`
	PaddedU     string `json:"padded_u"`
	PaddedS     string `json:"padded_S"`
	Key         string `json:"key"`
	Signature   string `json:"signature"`
	// Only for the device case: what ConfirmDevice receives from the JS SDK.
	DeviceSaltB64     string `json:"device_salt_b64"`
	DeviceVerifierB64 string `json:"device_verifier_b64"`
}

func loadVectors(t *testing.T) vectors {
	t.Helper()
	raw, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v vectors
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Cases) == 0 || len(v.PadHex) == 0 {
		t.Fatal("vectors.json has no cases")
	}
	return v
}

func hexInt(t *testing.T, s string) *big.Int {
	t.Helper()
	n, ok := new(big.Int).SetString(s, 16)
	if !ok {
		t.Fatalf("bad hex %q", s)
	}
	return n
}

func hexBytes(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

func TestGroupConstants(t *testing.T) {
	v := loadVectors(t)
	if got := groupN.Text(16); got != v.N {
		t.Errorf("N = %s\nwant %s", got, v.N)
	}
	if groupN.BitLen() != 3072 || len(groupN.Bytes()) != groupBytes {
		t.Errorf("N has %d bits", groupN.BitLen())
	}
	// k is the same constant in every Cognito SRP client.
	const wantK = "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6"
	if got := multiplier.Text(16); got != v.K || got != wantK {
		t.Errorf("k = %s, vectors say %s", got, v.K)
	}
}

func TestPadHex(t *testing.T) {
	v := loadVectors(t)
	for _, c := range v.PadHex {
		if got := padHex(hexInt(t, c.In)); got != c.Out {
			t.Errorf("padHex(%s) = %s, want %s", c.In, got, c.Out)
		}
	}
	// The edge cases by name, so that a regenerated vectors file cannot
	// quietly drop them.
	for in, want := range map[int64]string{0: "00", 0xf: "0f", 0x7f: "7f", 0x80: "0080", 0xabc: "0abc", 0x8000: "008000"} {
		if got := padHex(big.NewInt(in)); got != want {
			t.Errorf("padHex(%#x) = %s, want %s", in, got, want)
		}
	}
}

func TestTimestampVectors(t *testing.T) {
	v := loadVectors(t)
	for _, c := range v.Timestamps {
		f := c.Fields
		at := time.Date(f[0], time.Month(f[1]), f[2], f[3], f[4], f[5], 0, time.UTC)
		if got := FormatTimestamp(at); got != c.Out {
			t.Errorf("FormatTimestamp(%v) = %q, want %q", at, got, c.Out)
		}
		back, err := ParseTimestamp(c.Out)
		if err != nil || !back.Equal(at) {
			t.Errorf("ParseTimestamp(%q) = %v, %v; want %v", c.Out, back, err, at)
		}
	}
}

func TestKnownAnswers(t *testing.T) {
	v := loadVectors(t)
	seen := map[string]bool{}
	for _, c := range v.Cases {
		t.Run(c.Name, func(t *testing.T) {
			seen[c.Name] = true
			salt := hexBytes(t, c.Salt)
			if got := privateKey(c.PoolName, c.UserID, c.Password, salt).Text(16); got != c.X {
				t.Errorf("x = %s, want %s", got, c.X)
			}
			verifier := VerifierWithSalt(c.PoolName, c.UserID, c.Password, salt)
			if len(verifier) != groupBytes {
				t.Errorf("verifier is %d bytes", len(verifier))
			}
			if got := new(big.Int).SetBytes(verifier).Text(16); got != c.Verifier {
				t.Errorf("verifier = %s, want %s", got, c.Verifier)
			}
			if got := SaltHex(salt); got != c.Salt {
				t.Errorf("SaltHex = %s, want %s", got, c.Salt)
			}
			if got := new(big.Int).Exp(generator, hexInt(t, c.SmallA), groupN).Text(16); got != c.A {
				t.Fatalf("g^a = %s, want %s", got, c.A)
			}

			s, err := NewServerWithB(c.A, verifier, hexInt(t, c.SmallB).Bytes())
			if err != nil {
				t.Fatal(err)
			}
			if s.B() != c.B {
				t.Errorf("B = %s, want %s", s.B(), c.B)
			}
			if got := s.u.Text(16); got != c.U {
				t.Errorf("u = %s, want %s", got, c.U)
			}
			if got := padHex(s.u); got != c.PaddedU {
				t.Errorf("padHex(u) = %s, want %s", got, c.PaddedU)
			}
			// The client's S, from (B − k·g^x)^(a+u·x), equals the server's.
			premaster := s.premaster()
			if got := premaster.Text(16); got != c.S {
				t.Errorf("S = %s, want %s", got, c.S)
			}
			if got := padHex(premaster); got != c.PaddedS {
				t.Errorf("padHex(S) = %s, want %s", got, c.PaddedS)
			}
			if got := hex.EncodeToString(s.sharedKey()); got != c.Key {
				t.Errorf("HKDF key = %s, want %s", got, c.Key)
			}
			block, err := base64.StdEncoding.DecodeString(c.SecretBlock)
			if err != nil {
				t.Fatal(err)
			}
			if got := base64.StdEncoding.EncodeToString(signature(s.sharedKey(), c.PoolName, c.UserID, block, c.Timestamp)); got != c.Signature {
				t.Errorf("signature = %s, want %s", got, c.Signature)
			}
			if !s.Verify(c.PoolName, c.UserID, block, c.Timestamp, c.Signature) {
				t.Error("Verify rejected the client's signature")
			}
			if s.Verify(c.PoolName, c.UserID, block, c.Timestamp+" ", c.Signature) {
				t.Error("Verify accepted the signature for another timestamp")
			}
		})
	}
	// The cases whose point is a padding edge must stay in the file, and
	// must still exercise their edge.
	for _, name := range []string{"short u", "short S", "odd S", "device", "non-ascii password, high-bit salt", "odd-length salt"} {
		if !seen[name] {
			t.Errorf("vectors.json lacks case %q", name)
		}
	}
	for _, c := range v.Cases {
		switch c.Name {
		case "short u":
			if len(c.PaddedU) >= 64 {
				t.Errorf("short u: padHex(u) has %d digits", len(c.PaddedU))
			}
		case "short S":
			if len(c.PaddedS) >= 2*groupBytes {
				t.Errorf("short S: padHex(S) has %d digits", len(c.PaddedS))
			}
		case "odd S":
			if len(c.S)%2 == 0 {
				t.Errorf("odd S: S has %d digits", len(c.S))
			}
		}
	}
}

// TestKnownDeviceVerifier takes DeviceSecretVerifierConfig as the JS SDK
// uploads it (base64 of padHex bytes) and authenticates the device with it.
func TestKnownDeviceVerifier(t *testing.T) {
	v := loadVectors(t)
	var c vectorCase
	for _, x := range v.Cases {
		if x.Name == "device" {
			c = x
		}
	}
	if c.DeviceVerifierB64 == "" {
		t.Fatal("no device case")
	}
	salt, err := base64.StdEncoding.DecodeString(c.DeviceSaltB64)
	if err != nil {
		t.Fatal(err)
	}
	uploaded, err := base64.StdEncoding.DecodeString(c.DeviceVerifierB64)
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckVerifier(uploaded); err != nil {
		t.Fatalf("CheckVerifier(uploaded) = %v", err)
	}
	if new(big.Int).SetBytes(uploaded).Cmp(new(big.Int).SetBytes(VerifierWithSalt(c.PoolName, c.UserID, c.Password, salt))) != 0 {
		t.Error("uploaded device verifier differs from VerifierWithSalt(DeviceGroupKey, DeviceKey, password, salt)")
	}
	if got := SaltHex(salt); got != c.Salt {
		t.Errorf("SaltHex(device salt) = %s, want %s", got, c.Salt)
	}
	s, err := NewServerWithB(c.A, uploaded, hexInt(t, c.SmallB).Bytes())
	if err != nil {
		t.Fatal(err)
	}
	block, _ := base64.StdEncoding.DecodeString(c.SecretBlock)
	if !s.Verify(c.PoolName, c.UserID, block, c.Timestamp, c.Signature) {
		t.Error("device signature rejected")
	}
}

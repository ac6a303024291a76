package datadir

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/userpool/userpool/internal/seal"
)

// File names inside the data directory.
const (
	DataKeyFile   = "data.key"
	AdminKeysFile = "admin-keys.json"
)

// Ensure creates the data directory if it is missing, readable only by its
// owner.
func Ensure(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("datadir: %w", err)
	}
	return nil
}

// DataKey returns the key that seals client secrets and signing keys: the
// base64 value given (USERPOOL_DATA_KEY, which several nodes sharing one
// database must all set), or the key file in dir, created on first use.
func DataKey(dir, given string) ([]byte, error) {
	if given != "" {
		k, err := base64.StdEncoding.DecodeString(strings.TrimSpace(given))
		if err != nil || len(k) != seal.KeySize {
			return nil, fmt.Errorf("datadir: the data key must be %d bytes in base64", seal.KeySize)
		}
		return k, nil
	}
	path := filepath.Join(dir, DataKeyFile)
	b, err := os.ReadFile(path)
	if err == nil {
		k, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(b)))
		if err != nil || len(k) != seal.KeySize {
			return nil, fmt.Errorf("datadir: %s is not a %d-byte base64 key", path, seal.KeySize)
		}
		return k, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("datadir: %w", err)
	}
	k := make([]byte, seal.KeySize)
	rand.Read(k)
	if err := writeNew(path, []byte(base64.StdEncoding.EncodeToString(k)+"\n")); err != nil {
		return nil, err
	}
	return k, nil
}

// AdminKey is an access key pair that may call the admin (IAM) actions.
type AdminKey struct {
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string `json:"SecretAccessKey"`
}

// AdminKeys returns the admin key pair stored in dir, generating one on
// first start. created is true when this call generated it, so the caller
// prints it once.
func AdminKeys(dir string) (key AdminKey, created bool, err error) {
	path := filepath.Join(dir, AdminKeysFile)
	b, err := os.ReadFile(path)
	if err == nil {
		if err := json.Unmarshal(b, &key); err != nil || key.AccessKeyID == "" || key.SecretAccessKey == "" {
			return AdminKey{}, false, fmt.Errorf("datadir: %s is not a key pair", path)
		}
		return key, false, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return AdminKey{}, false, fmt.Errorf("datadir: %w", err)
	}
	key = AdminKey{AccessKeyID: "AKUP" + randomString(16, upperAlnum), SecretAccessKey: randomString(40, secretChars)}
	b, _ = json.MarshalIndent(key, "", "  ")
	if err := writeNew(path, append(b, '\n')); err != nil {
		return AdminKey{}, false, err
	}
	return key, true, nil
}

const (
	upperAlnum  = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	secretChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
)

// randomString draws from an alphabet whose size divides 256, so every
// character is equally likely.
func randomString(n int, alphabet string) string {
	b := make([]byte, n)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// writeNew writes a secret file with mode 0600, failing if it exists, so two
// processes starting together cannot overwrite each other's key.
func writeNew(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("datadir: %w", err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("datadir: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("datadir: %w", err)
	}
	return f.Close()
}

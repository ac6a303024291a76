package config

import (
	"testing"

	"github.com/spf13/pflag"

	"github.com/userpool/userpool/internal/password"
)

func load(t *testing.T, args []string, env map[string]string) (*Config, error) {
	t.Helper()
	fs := pflag.NewFlagSet("serve", pflag.ContinueOnError)
	Register(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return Load(fs, func(k string) string { return env[k] })
}

func TestPrecedence(t *testing.T) {
	c, err := load(t, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:9229" || c.Data != "./.userpool" || c.Store != ".userpool/userpool.db" || c.PublicURL != "http://127.0.0.1:9229" {
		t.Errorf("defaults: %+v", c)
	}
	c, err = load(t, nil, map[string]string{"USERPOOL_ADDR": "127.0.0.1:7000"})
	if err != nil || c.Addr != "127.0.0.1:7000" {
		t.Errorf("env: %v %v", c.Addr, err)
	}
	c, err = load(t, []string{"--addr", "127.0.0.1:8000"}, map[string]string{"USERPOOL_ADDR": "127.0.0.1:7000"})
	if err != nil || c.Addr != "127.0.0.1:8000" {
		t.Errorf("flag over env: %v %v", c.Addr, err)
	}
}

func TestDevLowersArgon2UnlessSet(t *testing.T) {
	c, err := load(t, []string{"--dev"}, nil)
	if err != nil || c.Argon2MemoryKiB != 256 || c.Argon2Iterations != 1 {
		t.Errorf("dev: %+v %v", c, err)
	}
	c, err = load(t, []string{"--dev", "--argon2-memory", "4096"}, nil)
	if err != nil || c.Argon2MemoryKiB != 4096 {
		t.Errorf("dev with explicit memory: %+v %v", c, err)
	}
	c, err = load(t, nil, map[string]string{"USERPOOL_DEV": "true"})
	if err != nil || !c.Dev {
		t.Errorf("USERPOOL_DEV: %+v %v", c, err)
	}
}

func TestInvalid(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
	}{
		{"addr", []string{"--addr", "nope"}, nil},
		{"public url", []string{"--public-url", "ftp://x"}, nil},
		{"half admin key", nil, map[string]string{"USERPOOL_ADMIN_ACCESS_KEY_ID": "AK"}},
		{"log level", []string{"--log-level", "loud"}, nil},
		{"argon2", []string{"--argon2-memory", "x"}, nil},
		{"region", []string{"--region", "us_east"}, nil},
		{"dev env", nil, map[string]string{"USERPOOL_DEV": "maybe"}},
		{"max connections", []string{"--max-connections", "-1"}, nil},
		{"rate limits syntax", []string{"--rate-limits", "UserAuthentication"}, nil},
		{"rate limits category", nil, map[string]string{"USERPOOL_RATE_LIMITS": "SignIn=5"}},
		{"rate limits under --dev", []string{"--dev", "--rate-limits", "UserAuthentication=5"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := load(t, tc.args, tc.env); err == nil {
				t.Error("accepted")
			}
		})
	}
}

// Each flag's help shows the type of its value, and the storage commands
// (keys) have no address to listen on.
func TestFlagKinds(t *testing.T) {
	fs := pflag.NewFlagSet("serve", pflag.ContinueOnError)
	Register(fs)
	for name, want := range map[string]string{
		"addr": "string", "argon2-memory": "int", "argon2-iterations": "int", "smtp-port": "int",
		"shutdown-timeout": "duration", "dev": "bool",
	} {
		if got := fs.Lookup(name).Value.Type(); got != want {
			t.Errorf("--%s is a %s, want %s", name, got, want)
		}
	}
	storage := pflag.NewFlagSet("keys", pflag.ContinueOnError)
	RegisterStorage(storage)
	var names []string
	storage.VisitAll(func(f *pflag.Flag) { names = append(names, f.Name) })
	if len(names) != 2 || storage.Lookup("data") == nil || storage.Lookup("store") == nil {
		t.Errorf("storage flags = %v, want data and store", names)
	}
	c, err := Load(storage, func(string) string { return "" })
	if err != nil || c.Data != "./.userpool" {
		t.Errorf("Load over the storage flags: %+v, %v", c, err)
	}
}

// Quotas are off by default and taken as given outside --dev; connections
// are bounded by default.
func TestLimitsSettings(t *testing.T) {
	c, err := load(t, nil, nil)
	if err != nil || c.RateLimits != "" || c.MaxConnections != 1024 {
		t.Fatalf("defaults: %+v %v", c, err)
	}
	c, err = load(t, []string{"--rate-limits", "UserAuthentication=120,UserCreation=50", "--max-connections", "0"}, nil)
	if err != nil || c.RateLimits != "UserAuthentication=120,UserCreation=50" || c.MaxConnections != 0 {
		t.Fatalf("set: %+v %v", c, err)
	}
}

// A password hashed at --dev's earlier cost (1024 KiB) still verifies
// under the current one: a development data directory keeps its users.
func TestDevArgon2KeepsEarlierHashes(t *testing.T) {
	old, err := password.Hasher{MemoryKiB: 1024, Iterations: 1}.Hash("Earlier-password-1")
	if err != nil {
		t.Fatal(err)
	}
	dev := password.Hasher{MemoryKiB: DevArgon2MemoryKiB, Iterations: DevArgon2Iterations}
	if ok, err := dev.Verify(old, "Earlier-password-1"); !ok || err != nil {
		t.Fatalf("verify a 1024 KiB hash at the dev cost: %v %v", ok, err)
	}
	if ok, _ := dev.Verify(old, "Wrong-password-1"); ok {
		t.Fatal("a wrong password verified")
	}
}

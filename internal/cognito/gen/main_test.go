package main

import (
	"bytes"
	"os"
	"testing"

	"github.com/userpool/userpool/internal/cognito"
)

// TestReproducible regenerates the wire types from the machine's botocore
// (python3 with boto3, as the end-to-end suite needs). From the model the
// committed file records (cognito.ModelSHA256) the result must be that
// file, byte for byte: nobody edited it by hand, and the generator still
// makes what is committed. From another model (a newer botocore) it must
// at least be deterministic; regenerating is then a deliberate step (go
// generate ./internal/cognito), reviewed with the stored documents'
// format (internal/userpool's storedFormat) in mind.
func TestReproducible(t *testing.T) {
	path, err := botocoreModel()
	if err == nil {
		_, err = os.Stat(path)
	}
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("botocore's cognito-idp model: %v", err)
		}
		t.Skipf("botocore's cognito-idp model is not installed (python3 with boto3): %v", err)
	}
	m, err := load(path)
	if err != nil {
		t.Fatal(err)
	}
	got, err := generate(m)
	if err != nil {
		t.Fatal(err)
	}
	if m.sha256 != cognito.ModelSHA256 {
		t.Logf("botocore has model %s; zz_generated.go was made from %s: checking determinism only", m.sha256, cognito.ModelSHA256)
		again, err := generate(m)
		if err != nil || !bytes.Equal(got, again) {
			t.Fatalf("two generations from one model differ (%v)", err)
		}
		return
	}
	committed, err := os.ReadFile("../zz_generated.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, committed) {
		t.Fatal("zz_generated.go is not what the generator makes from its recorded model: run go generate ./internal/cognito")
	}
}

package password

import (
	"fmt"
	"testing"
)

// BenchmarkVerify is one password check at the costs that matter: the
// production default (19 MiB, two passes) and what --dev used and uses.
func BenchmarkVerify(b *testing.B) {
	for _, h := range []Hasher{{MemoryKiB: 19456, Iterations: 2}, {MemoryKiB: 1024, Iterations: 1}, {MemoryKiB: 256, Iterations: 1}} {
		b.Run(fmt.Sprintf("m=%d,t=%d", h.MemoryKiB, h.Iterations), func(b *testing.B) {
			hash, err := h.Hash("Bench-password-1")
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if ok, err := h.Verify(hash, "Bench-password-1"); !ok || err != nil {
					b.Fatal(ok, err)
				}
			}
		})
	}
}

package api

import (
	"testing"

	"github.com/userpool/userpool/internal/cognito"
)

// The dispatch table must authenticate each action the way the service
// model says: SigV4 exactly for the actions the model does not mark as
// callable without it.
func TestTableMatchesModelAuth(t *testing.T) {
	a := New(Config{})
	unsigned := map[string]bool{}
	for _, op := range cognito.Operations {
		unsigned[op.Name] = op.Unsigned
	}
	for name, act := range a.actions {
		u, ok := unsigned[name]
		if !ok {
			t.Errorf("%s is not an action of the service model", name)
			continue
		}
		if (act.auth == authSigV4) == u {
			t.Errorf("%s: auth mode %d disagrees with the model (unsigned=%v)", name, act.auth, u)
		}
	}
}

package auth

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/password"
	"github.com/userpool/userpool/internal/store"
)

// slowHasher checks passwords as slowly as the server's argon2id cost
// does, and counts the checks, so that tests can see how many guesses
// were checked rather than time them.
type slowHasher struct {
	password.Hasher
	delay    time.Duration
	verifies atomic.Int64
	// started, when not nil, receives once per check as it begins.
	started chan struct{}
}

func (h *slowHasher) Verify(hash, pw string) (bool, error) {
	h.verifies.Add(1)
	if h.started != nil {
		h.started <- struct{}{}
	}
	time.Sleep(h.delay)
	return h.Hasher.Verify(hash, pw)
}

func newSlowHasher() *slowHasher {
	return &slowHasher{Hasher: password.Hasher{MemoryKiB: 64, Iterations: 1}, delay: 20 * time.Millisecond}
}

func passwordSignIn(h *hostedEnv, t *testing.T, clientID, username, pw string) error {
	_, err := h.e.InitiateAuth(t.Context(), InitiateRequest{ClientID: clientID, Flow: cognito.AuthFlowUserPasswordAuth,
		Params: map[string]string{"USERNAME": username, "PASSWORD": pw}})
	return err
}

// Concurrent wrong passwords are checked no more than sequential ones
// would be: each is counted before it is checked, so from the fifth on
// the user is locked out and the rest are refused unchecked.
func TestConcurrentGuessesCountedBeforeChecked(t *testing.T) {
	hasher := newSlowHasher()
	h := newHostedEnvWith(t, hasher)
	clientID := h.client(t, "", "ALLOW_USER_PASSWORD_AUTH")
	h.user(t, "alice", hostedTestPassword, false)
	hasher.verifies.Store(0)

	const guesses = 60
	answers := make(chan string, guesses)
	var wg sync.WaitGroup
	for range guesses {
		wg.Go(func() {
			err := passwordSignIn(h, t, clientID, "alice", "Wrong-1!")
			var ce *cognito.Error
			if !errors.As(err, &ce) {
				answers <- fmt.Sprint("unexpected: ", err)
				return
			}
			answers <- ce.Message
		})
	}
	wg.Wait()
	close(answers)
	counts := map[string]int{}
	for a := range answers {
		counts[a]++
	}
	want := map[string]int{msgIncorrect: lockoutFree, msgAttemptsExceeded: guesses - lockoutFree}
	if len(counts) != len(want) || counts[msgIncorrect] != want[msgIncorrect] || counts[msgAttemptsExceeded] != want[msgAttemptsExceeded] {
		t.Errorf("answers = %v, want %v", counts, want)
	}
	if n := hasher.verifies.Load(); n != lockoutFree {
		t.Errorf("%d of %d concurrent guesses were checked, want %d", n, guesses, lockoutFree)
	}
}

// The right password sent while a burst of wrong ones is being checked
// is refused once the burst has locked the user out, as it would be
// after them one by one.
func TestRightPasswordAfterConcurrentGuesses(t *testing.T) {
	hasher := newSlowHasher()
	h := newHostedEnvWith(t, hasher)
	clientID := h.client(t, "", "ALLOW_USER_PASSWORD_AUTH")
	h.user(t, "alice", hostedTestPassword, false)
	hasher.started = make(chan struct{}, 64)

	var wg sync.WaitGroup
	for range 40 {
		wg.Go(func() { passwordSignIn(h, t, clientID, "alice", "Wrong-1!") })
	}
	// Five guesses are being checked: sequentially, the user would be
	// locked out once they are.
	for range lockoutFree {
		<-hasher.started
	}
	_, err := h.e.HostedSignIn(t.Context(), clientID, "alice", hostedTestPassword)
	wg.Wait()
	wantHostedError(t, err, cognito.TypeNotAuthorized, msgAttemptsExceeded)
}

// Fewer than five failures lock nobody out, even when the last one is
// dated after now: counted by a node whose clock is ahead, or by an
// attempt that read the clock an instant later.
func TestFailureAheadOfTheClockIsNoLockout(t *testing.T) {
	h := newHostedEnv(t)
	clientID := h.client(t, "", "ALLOW_USER_PASSWORD_AUTH")
	sub := h.user(t, "alice", hostedTestPassword, false)
	if _, err := h.svc.UpdateSignInState(t.Context(), h.pool, sub, func(u *store.User) {
		recordFailure(u, h.now.Add(time.Second))
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.e.HostedSignIn(t.Context(), clientID, "alice", hostedTestPassword); err != nil {
		t.Fatalf("sign-in after one failure dated a second ahead: %v", err)
	}
}

// Right passwords sent at once all sign in: counting each attempt before
// its check must not add them up into a lockout.
func TestConcurrentRightPasswordsSignIn(t *testing.T) {
	hasher := newSlowHasher()
	h := newHostedEnvWith(t, hasher)
	clientID := h.client(t, "", "ALLOW_USER_PASSWORD_AUTH")
	h.user(t, "alice", hostedTestPassword, false)

	const signIns = 16
	errs := make(chan error, signIns)
	var wg sync.WaitGroup
	for range signIns {
		wg.Go(func() {
			_, err := h.e.HostedSignIn(t.Context(), clientID, "alice", hostedTestPassword)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent sign-in with the right password: %v", err)
		}
	}
}

package auth

import (
	"context"
	"hash/maphash"
)

// attemptLanes serialises the password checks of one user on this node.
//
// Why: passwordAttempt counts an attempt as a failure before checking it,
// so that concurrent guesses meet the lockout (the store decides, on every
// node). Counted that way, five checks of the same user in flight at once
// would lock the user out even when every one of them carries the right
// password: a service that signs one account in from many goroutines
// would see "Password attempts exceeded". One lane per user on each node
// keeps at most one of a user's attempts counted-but-unchecked per node,
// so concurrent right passwords on a node wait their turn (one password
// check, some 20 ms, each) instead of being refused, while the count in
// the store still bounds guesses across nodes.
//
// The lanes are a fixed array of semaphores picked by a hash of the pool
// and sub: memory stays bounded whatever the number of users, and two
// users sharing a lane only wait for each other's check.
type attemptLanes struct {
	seed  maphash.Seed
	lanes [laneCount]chan struct{}
}

const laneCount = 1024

func newAttemptLanes() *attemptLanes {
	l := &attemptLanes{seed: maphash.MakeSeed()}
	for i := range l.lanes {
		l.lanes[i] = make(chan struct{}, 1)
	}
	return l
}

// enter waits for the lane of the user (poolID, sub), or for ctx to end;
// the returned function leaves it.
func (l *attemptLanes) enter(ctx context.Context, poolID, sub string) (leave func(), err error) {
	var h maphash.Hash
	h.SetSeed(l.seed)
	h.WriteString(poolID)
	h.WriteByte(0)
	h.WriteString(sub)
	lane := l.lanes[h.Sum64()%laneCount]
	select {
	case lane <- struct{}{}:
		return func() { <-lane }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

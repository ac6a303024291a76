package clock

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Clock is the wall clock moved forward by an offset, zero unless a
// development server has been told otherwise. It is safe for concurrent
// use.
type Clock struct {
	wall   func() time.Time
	offset atomic.Int64 // nanoseconds
}

// New returns a clock reading wall, or time.Now when wall is nil.
func New(wall func() time.Time) *Clock {
	if wall == nil {
		wall = time.Now
	}
	return &Clock{wall: wall}
}

// Now is the wall clock plus the offset.
func (c *Clock) Now() time.Time { return c.wall().Add(c.Offset()) }

// Offset is how far the clock is ahead of the wall clock.
func (c *Clock) Offset() time.Duration { return time.Duration(c.offset.Load()) }

// ErrAdvance means an advance that is not forward, or would carry the
// clock past what time.Duration holds (about 292 years).
var ErrAdvance = errors.New("the clock only moves forward, by less than 290 years in all")

// maxOffset keeps Now and every expiry computed from it representable.
const maxOffset = 290 * 365 * 24 * time.Hour

// Advance moves the clock forward by d. Time never goes back except
// through Reset: the rules assume it does not (a used code or a rotated
// refresh token must not become fresh again).
func (c *Clock) Advance(d time.Duration) error {
	for {
		old := c.offset.Load()
		if d <= 0 || time.Duration(old) > maxOffset-d {
			return ErrAdvance
		}
		if c.offset.CompareAndSwap(old, old+int64(d)) {
			return nil
		}
	}
}

// Reset brings the clock back to the wall clock.
func (c *Clock) Reset() { c.offset.Store(0) }

// ParseDuration reads a Go duration ("90m", "1h30m") in which "d" also
// counts days of 24 hours ("30d", "3650d", "1d12h"), as developers write
// token lifetimes.
func ParseDuration(s string) (time.Duration, error) {
	var total time.Duration
	rest := s
	if i := strings.IndexByte(rest, 'd'); i > 0 {
		days, err := strconv.ParseInt(rest[:i], 10, 64)
		if err != nil || days < 0 || days > int64(maxOffset/(24*time.Hour)) {
			return 0, fmt.Errorf("invalid duration %q", s)
		}
		total, rest = time.Duration(days)*24*time.Hour, rest[i+1:]
		if rest == "" {
			return total, nil
		}
	}
	d, err := time.ParseDuration(rest)
	if err != nil || d < 0 || d > math.MaxInt64-total {
		return 0, fmt.Errorf("invalid duration %q: a Go duration such as 90m or 720h, or days such as 30d", s)
	}
	return total + d, nil
}

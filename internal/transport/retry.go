package transport

import (
	"context"
	"math/rand/v2"
	"time"
)

// RetryPolicy bounds the attempts of one call. The operation's context bounds them too: no
// retry starts when the remaining time cannot cover its delay.
type RetryPolicy struct {
	MaxAttempts int
	BaseDelay   time.Duration
	MaxDelay    time.Duration
}

// DefaultRetryPolicy: up to 10 attempts, the delay doubling from 250ms to at most 8s.
var DefaultRetryPolicy = RetryPolicy{MaxAttempts: 10, BaseDelay: 250 * time.Millisecond, MaxDelay: 8 * time.Second}

// Backoff returns the delay before attempt n+1: exponential, capped, with "equal jitter" (half
// fixed, half random) so many clients throttled together do not retry in lockstep.
func (p RetryPolicy) Backoff(n int) time.Duration {
	d := p.BaseDelay
	for i := 1; i < n && d < p.MaxDelay; i++ {
		d *= 2
	}
	if d > p.MaxDelay {
		d = p.MaxDelay
	}
	half := d / 2
	if half <= 0 {
		return d
	}
	return half + rand.N(half+1) //nolint:gosec // G404: retry jitter needs no cryptographic randomness
}

// Sleep waits d or until ctx ends, and then says why: nil, or the context's error. It is the one
// context-aware pause of the module (retries, the limiter, create resends, read-after-create
// waits, the mocks' delays).
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

package transport

import (
	"context"
	"math"
	"sync"
	"time"
)

// The APIs count requests in a sliding second and refuse one that finds the last second full.
// Processes sharing such a limit and pacing evenly at rates that sum to it still collide: a
// process at 2.5 a second has 3 requests in some seconds, and eight of them fill the window by
// chance long before they reach the limit on average. Cutting rates on every refusal (the AWS
// SDKs' CUBIC) only trades throughput for throttling along that curve (figures in
// docs/benchmarks.md, "The adaptive rate limiter").
//
// So each process holds a share of the window instead of a rate: a number of requests it may
// have in any window (the server's second, 2 % wider for network jitter), and sends again only
// once one of its own requests has left the window; shares summing to the limit never collide.
// A throttled answer means the window was full: the process keeps what it holds of it (one
// request less than its share at most, so that another can grow), once per congestion event.
// Held back by its share, it asks for one more request per window after a pause (longer for a
// larger share, so small holders catch up), then sooner and sooner while no refusal comes: a
// process left alone is back at its configured rate, never above it, within about 4 s from a
// share of 2 (10 s from 9 of 20). A throttled answer while nearly all of the last second's
// accepted requests were the process's own is taken for jitter (one of its requests held up on
// the way), not for a shared limit.
const (
	// window is the span a share is counted over: a slot is used again only once the server
	// has surely let it go.
	window = time.Duration(float64(time.Second) * rateMargin)
	// ownWindow is the window the servers count requests in.
	ownWindow = time.Second
	// firstProbe and probePerShare: after a cut, the share grows by one after the longer of
	// firstProbe and probePerShare × the share; each further step comes after half the previous
	// wait, down to minProbe, until the next cut. Every probe into a full window costs one
	// throttled answer, so firstProbe bounds the throttling of processes that fill the limit.
	firstProbe    = 1500 * time.Millisecond
	probePerShare = 500 * time.Millisecond
	minProbe      = 50 * time.Millisecond
	// minAdaptiveRate is the lowest share, in requests per second, unless the configured rate
	// is lower; a process is cut below one request a window only when refused at that.
	minAdaptiveRate = 0.5
	// ownShare: a throttled answer while this process's own accepted requests of the last
	// second fill this share of the limit is taken for jitter and does not cut.
	ownShare = 0.9
	// horizon is how far ahead a waiter holds a slot: one further off looks again then, so
	// that a share grown meanwhile serves it sooner.
	horizon = 250 * time.Millisecond
)

// clock is the time source of an AdaptiveLimiter; tests use a fake one.
type clock interface {
	Now() time.Time
	// Sleep waits d or until ctx ends.
	Sleep(ctx context.Context, d time.Duration) error
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	return Sleep(ctx, d)
}

// slot is a request of the last window: let go (sent), or reserved by a waiter.
type slot struct {
	at   time.Time
	sent bool
}

// AdaptiveLimiter paces the requests of one operation: at most the configured rate, evenly
// spaced 2 % wider, and at most its share of the server's window. It is safe for concurrent use.
type AdaptiveLimiter struct {
	mu    sync.Mutex
	clock clock
	// max is the configured rate in requests per second; the limiter never exceeds it.
	max float64
	// share is the number of requests this process may have in any window; under 1, a rate.
	share float64
	// slots are this process's requests of the last window, oldest first, less the throttled.
	slots []slot
	// next is the earliest time the next request may be sent (the spacing at max).
	next time.Time
	// cuts counts the cuts; a waiter whose slot was reserved before a cut reserves it again.
	cuts int
	// lastCut is when the share was last cut; it may grow at nextProbe, then again probeWait
	// later.
	lastCut   time.Time
	nextProbe time.Time
	probeWait time.Duration
}

// NewAdaptiveLimiter returns a limiter of at most requestsPerSecond (which must be positive).
func NewAdaptiveLimiter(requestsPerSecond float64) *AdaptiveLimiter {
	return newAdaptiveLimiter(requestsPerSecond, realClock{})
}

func newAdaptiveLimiter(requestsPerSecond float64, c clock) *AdaptiveLimiter {
	return &AdaptiveLimiter{clock: c, max: requestsPerSecond, share: math.Ceil(requestsPerSecond)}
}

// Wait blocks until the next request may be sent, or ctx ends, and returns the time it was let
// go: pass that to Throttled if the answer says the request was throttled.
func (l *AdaptiveLimiter) Wait(ctx context.Context) (time.Time, error) {
	for {
		l.mu.Lock()
		now := l.clock.Now()
		at, reserved, cuts := l.reserve(now)
		l.mu.Unlock()
		if err := l.clock.Sleep(ctx, at.Sub(now)); err != nil {
			if reserved {
				l.mu.Lock()
				l.release(at, cuts)
				l.mu.Unlock()
			}
			return time.Time{}, err
		}
		if !reserved {
			continue
		}
		l.mu.Lock()
		sent, ok := l.take(at, cuts)
		l.mu.Unlock()
		if ok {
			return sent, nil
		}
	}
}

// reserve returns the time a request asking at now may go, and holds that slot for it
// (reserved; cuts is to be passed to take or release with the slot), or the time to look again.
func (l *AdaptiveLimiter) reserve(now time.Time) (at time.Time, reserved bool, cuts int) {
	l.trim(now)
	if l.bound(now) {
		l.grow(now)
	}
	at = l.earliest(now)
	if at.Sub(now) > horizon {
		return now.Add(horizon), false, l.cuts
	}
	l.slots = append(l.slots, slot{at: at})
	l.next = at.Add(l.interval())
	return at, true, l.cuts
}

// take turns the slot reserved for at into a request let go now; false if the share was cut
// since: the slot, handed out under the old share, must be reserved again.
func (l *AdaptiveLimiter) take(at time.Time, cuts int) (time.Time, bool) {
	if l.cuts != cuts {
		return time.Time{}, false
	}
	now := l.clock.Now()
	if i := l.find(at, false); i >= 0 {
		l.slots[i] = slot{at: now, sent: true}
		// Keep the order: a waiter may wake after one that reserved a later slot.
		for ; i+1 < len(l.slots) && l.slots[i+1].at.Before(now); i++ {
			l.slots[i], l.slots[i+1] = l.slots[i+1], l.slots[i]
		}
	}
	return now, true
}

// Delayed tells the limiter that the request it let go at sentAt was sent only at at (it waited
// for the machine's shared schedule), and returns at: pass that to Throttled.
func (l *AdaptiveLimiter) Delayed(sentAt, at time.Time) time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	if i := l.find(sentAt, true); i >= 0 {
		l.slots[i].at = at
		// Keep the order, as take does.
		for ; i+1 < len(l.slots) && l.slots[i+1].at.Before(at); i++ {
			l.slots[i], l.slots[i+1] = l.slots[i+1], l.slots[i]
		}
	}
	return at
}

// release gives back the slot reserved for at by a waiter that gave up.
func (l *AdaptiveLimiter) release(at time.Time, cuts int) {
	if l.cuts == cuts {
		l.remove(at, false)
	}
}

func (l *AdaptiveLimiter) remove(at time.Time, sent bool) {
	if i := l.find(at, sent); i >= 0 {
		l.slots = append(l.slots[:i], l.slots[i+1:]...)
	}
}

// find returns the index of the slot at at, or -1; the newest are searched first.
func (l *AdaptiveLimiter) find(at time.Time, sent bool) int {
	for i := len(l.slots) - 1; i >= 0; i-- {
		if l.slots[i].sent == sent && l.slots[i].at.Equal(at) {
			return i
		}
	}
	return -1
}

// trim drops the slots that left the window by now.
func (l *AdaptiveLimiter) trim(now time.Time) {
	i := 0
	for i < len(l.slots) && !l.slots[i].at.After(now.Add(-window)) {
		i++
	}
	if i > 0 {
		l.slots = append(l.slots[:0], l.slots[i:]...)
	}
}

// quota is the number of requests the share allows in a window.
func (l *AdaptiveLimiter) quota() int {
	return max(1, int(l.share))
}

// interval is the spacing of requests: the configured rate's, 2% wider to absorb network
// jitter, or the share's when it is under one request a window.
func (l *AdaptiveLimiter) interval() time.Duration {
	r := l.max
	if l.share < 1 {
		r = math.Min(r, l.share)
	}
	return time.Duration(float64(time.Second) * rateMargin / r)
}

// bound tells whether the share, not the configured rate, holds a request asking at now back.
func (l *AdaptiveLimiter) bound(now time.Time) bool {
	if l.share < 1 {
		return l.next.After(now)
	}
	return len(l.slots) >= l.quota()
}

// earliest is the earliest time from now the share and the spacing let one more request go.
func (l *AdaptiveLimiter) earliest(now time.Time) time.Time {
	at := now
	if l.next.After(at) {
		at = l.next
	}
	if n := l.quota(); len(l.slots) >= n {
		// Wait for the oldest of the share's slots to leave the window.
		if free := l.slots[len(l.slots)-n].at.Add(window); free.After(at) {
			at = free
		}
	}
	return at
}

// grow raises a share cut a while ago by one request a window, and brings the next step closer.
func (l *AdaptiveLimiter) grow(now time.Time) {
	limit := math.Ceil(l.max)
	if l.share >= limit || now.Before(l.nextProbe) {
		return
	}
	l.share = math.Min(limit, l.share+1)
	l.probeWait = max(l.probeWait/2, minProbe)
	l.nextProbe = now.Add(l.probeWait)
}

// Throttled tells the limiter that the API refused for rate a request let go at sentAt.
func (l *AdaptiveLimiter) Throttled(sentAt time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	// Refused, it is not in the server's window: it takes none of the share.
	l.remove(sentAt, true)
	l.trim(now)
	held := 0
	for _, s := range l.slots {
		if s.sent && s.at.After(now.Add(-ownWindow)) {
			held++
		}
	}
	if float64(held) >= ownShare*l.max {
		// Jitter: its own requests fill the window. Skip a slot so the window can drain.
		if next := now.Add(l.interval()); next.After(l.next) {
			l.next = next
		}
		return
	}
	// Once per congestion event: requests sent before the last cut were sent under the old
	// share, which that cut already answered.
	if sentAt.Before(l.lastCut) {
		return
	}
	floor := math.Min(l.max, minAdaptiveRate)
	if l.share > 1 {
		floor = math.Min(l.max, 1)
	}
	l.share = math.Max(floor, math.Min(float64(held), l.share-1))
	l.lastCut = now
	l.probeWait = max(firstProbe, time.Duration(l.share*float64(probePerShare)))
	l.nextProbe = now.Add(l.probeWait)
	l.cuts++
	// The slots reserved under the old share are taken back (their waiters reserve again).
	kept := l.slots[:0]
	for _, s := range l.slots {
		if s.sent {
			kept = append(kept, s)
		}
	}
	l.slots = kept
	if next := now.Add(l.interval()); next.After(l.next) {
		l.next = next
	}
}

// Rate returns the rate, in requests per second, the limiter allows now: its share of the
// server's second, at most the configured rate.
func (l *AdaptiveLimiter) Rate() float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return math.Min(l.max, l.share)
}

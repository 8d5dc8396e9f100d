package transport

import (
	"context"
	"math"
	"sync"
	"time"
)

// The adaptive limiter follows the AWS SDKs' adaptive retry mode (its client rate limiter),
// which applies TCP CUBIC's congestion control to API calls: on a throttled answer the sending
// rate is cut to beta times the rate measured when it happened; then it grows back along a cubic
// curve, fast at first, flat around the rate that was throttled, then probing past it, never
// above the configured rate. Several processes sharing one limit each cut only when they
// themselves are refused, so together they settle just under the limit instead of each sending
// at it. Two changes from the AWS SDKs: the rate measured is the one the API accepted from this
// process in the last second (its share of a limit shared with others), not only the rate it
// sent, so that a process converges in one or two cuts rather than seven; and a throttled
// answer while the last second's accepted requests were nearly all this process's own is
// taken for jitter, not cut for (see ownShare).
const (
	// adaptiveBeta is the share of the measured rate kept after a throttled answer.
	adaptiveBeta = 0.7
	// adaptiveScale is CUBIC's C, in requests per second per second³: how fast the rate grows
	// back. The AWS SDKs use 0.4; smaller is gentler on a shared limit (fewer throttled answers)
	// at the cost of a slower return to the full rate after a lone throttle.
	adaptiveScale = 0.4
	// minAdaptiveRate is the floor of the cut rate (the AWS SDKs' minimum fill rate), unless the
	// configured rate is lower.
	minAdaptiveRate = 0.5
	// measureBucket and measureSmoothing measure the sending rate as the AWS SDKs do: requests
	// counted per half second, smoothed exponentially.
	measureBucket    = 500 * time.Millisecond
	measureSmoothing = 0.8
	// ownShare: a throttled answer while this process's own accepted requests of the last
	// second fill this share of the limit is taken for jitter (one of its requests held up on
	// the way, the next arriving too early for a server counting per second), not for a limit
	// shared with others, and does not cut the rate. A process alone keeps its full rate on a
	// busy network; one sharing the limit is refused while it holds only part of it.
	ownShare = 0.9
	// ownWindow is the window the servers count requests in.
	ownWindow = time.Second
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
	return sleep(ctx, d)
}

// AdaptiveLimiter paces the requests of one operation: evenly spaced (burst 1) at the configured
// rate, 2% wider to absorb network jitter, and slower for a while after the API throttles. It is
// safe for concurrent use.
type AdaptiveLimiter struct {
	mu    sync.Mutex
	clock clock
	// max is the configured rate in requests per second; the limiter never exceeds it.
	max float64
	// next is the earliest time the next request may be sent.
	next time.Time
	// cuts counts the cuts; a waiter whose slot was reserved before a cut reserves it again.
	cuts int

	// adaptive is true between a throttled answer and the return to max.
	adaptive bool
	// lastThrottle is when the last cut happened; lastMax is the rate the process got through
	// then, which the cubic recovers to, and k the time in seconds it takes to get there.
	lastThrottle time.Time
	lastMax      float64
	k            float64
	// sent and refused are the send times of the requests let go, and of those throttled, in
	// the last ownWindow.
	sent, refused []time.Time

	// The measured sending rate.
	bucket   time.Time
	count    int
	measured float64
}

// NewAdaptiveLimiter returns a limiter of at most requestsPerSecond (which must be positive).
func NewAdaptiveLimiter(requestsPerSecond float64) *AdaptiveLimiter {
	return newAdaptiveLimiter(requestsPerSecond, realClock{})
}

func newAdaptiveLimiter(requestsPerSecond float64, c clock) *AdaptiveLimiter {
	return &AdaptiveLimiter{clock: c, max: requestsPerSecond}
}

// Wait blocks until the next request may be sent, or ctx ends, and returns the time it was let
// go: pass that to Throttled if the answer says the request was throttled.
func (l *AdaptiveLimiter) Wait(ctx context.Context) (time.Time, error) {
	for {
		l.mu.Lock()
		now := l.clock.Now()
		slot := l.reserve(now)
		cuts := l.cuts
		l.mu.Unlock()
		if err := l.clock.Sleep(ctx, slot.Sub(now)); err != nil {
			return time.Time{}, err
		}
		l.mu.Lock()
		if l.cuts != cuts {
			// The rate was cut while this request waited for a slot reserved at the old rate:
			// reserve again at the new one rather than send into a full limit.
			l.mu.Unlock()
			continue
		}
		sent := l.clock.Now()
		l.measure(sent)
		l.mu.Unlock()
		return sent, nil
	}
}

// reserve returns the slot of a request asking at now and moves next past it.
func (l *AdaptiveLimiter) reserve(now time.Time) time.Time {
	slot := now
	if l.next.After(now) {
		slot = l.next
	}
	l.next = slot.Add(l.interval(slot))
	return slot
}

// interval is the spacing of requests at time t.
func (l *AdaptiveLimiter) interval(t time.Time) time.Duration {
	return time.Duration(float64(time.Second) * rateMargin / l.rateAt(t))
}

// rateAt is the allowed rate at t: the configured rate, or the cubic recovery after a cut.
func (l *AdaptiveLimiter) rateAt(t time.Time) float64 {
	if !l.adaptive {
		return l.max
	}
	dt := t.Sub(l.lastThrottle).Seconds() - l.k
	r := adaptiveScale*dt*dt*dt + l.lastMax
	if r >= l.max {
		l.adaptive = false
		return l.max
	}
	return math.Max(r, l.floor())
}

func (l *AdaptiveLimiter) floor() float64 {
	return math.Min(minAdaptiveRate, l.max)
}

// trimBefore drops the times before t from the front of ts.
func trimBefore(ts []time.Time, t time.Time) []time.Time {
	i := 0
	for i < len(ts) && ts[i].Before(t) {
		i++
	}
	if i > len(ts)/2 {
		// Copy now and then, so the backing array does not grow without end.
		return append(ts[:0:0], ts[i:]...)
	}
	return ts[i:]
}

// measure counts a request sent at t in the measured rate and in the requests of the window.
func (l *AdaptiveLimiter) measure(t time.Time) {
	l.sent = append(trimBefore(l.sent, t.Add(-ownWindow)), t)
	bucket := t.Truncate(measureBucket)
	if l.bucket.IsZero() {
		l.bucket = bucket
	}
	l.count++
	if bucket.After(l.bucket) {
		current := float64(l.count) / bucket.Sub(l.bucket).Seconds()
		l.measured = current*measureSmoothing + l.measured*(1-measureSmoothing)
		l.count = 0
		l.bucket = bucket
	}
}

// Throttled tells the limiter that the API refused for rate a request let go at sentAt. The rate
// is cut once per congestion event: answers to requests sent before the last cut were sent at
// the old rate, which that cut already answered.
func (l *AdaptiveLimiter) Throttled(sentAt time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	l.refused = append(trimBefore(l.refused, now.Add(-ownWindow)), sentAt)
	l.sent = trimBefore(l.sent, now.Add(-ownWindow))
	if l.adaptive && sentAt.Before(l.lastThrottle) {
		return
	}
	current := l.rateAt(now)
	if own := len(l.sent) - len(l.refused); float64(own) >= ownShare*l.max {
		// Skip a slot, as the old fixed limiter's backoff did, so the window can drain.
		if next := now.Add(l.interval(now)); next.After(l.next) {
			l.next = next
		}
		return
	}
	// The rate to cut from: what this process really got through, the share of the limit the
	// others leave it, when that is less than allowed: its requests of the last second that
	// were not refused, or its sending rate measured recently.
	base := math.Min(current, math.Max(float64(len(l.sent)-len(l.refused))/ownWindow.Seconds(), l.floor()))
	if l.measured > 0 && l.measured < base && now.Sub(l.bucket) <= 2*measureBucket {
		base = l.measured
	}
	l.lastMax = base
	l.k = math.Cbrt(base * (1 - adaptiveBeta) / adaptiveScale)
	l.lastThrottle = now
	l.adaptive = true
	l.cuts++
	// Space the next request at the new rate from now: the slots handed out at the old rate
	// are taken back (their waiters reserve again).
	l.next = now.Add(l.interval(now))
}

// Rate returns the rate, in requests per second, the limiter allows now.
func (l *AdaptiveLimiter) Rate() float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.rateAt(l.clock.Now())
}

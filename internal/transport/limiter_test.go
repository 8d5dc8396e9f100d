package transport

import (
	"container/heap"
	"context"
	"math"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeClock is a clock whose time moves only when told to, or when a goroutine sleeps (tests
// that sleep on it run one goroutine).
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.Advance(d)
	return nil
}

func (c *fakeClock) Advance(d time.Duration) {
	if d <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// sendFor lets requests go as fast as l allows for d and returns the time of the last.
func sendFor(t *testing.T, l *AdaptiveLimiter, clk *fakeClock, d time.Duration) time.Time {
	t.Helper()
	end := clk.Now().Add(d)
	var last time.Time
	for clk.Now().Before(end) {
		sent, err := l.Wait(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		last = sent
	}
	return last
}

func TestAdaptiveLimiterPacesJustUnderTheConfiguredRate(t *testing.T) {
	clk := newFakeClock()
	l := newAdaptiveLimiter(20, clk)
	start := clk.Now()
	var last time.Time
	for range 41 {
		sent, err := l.Wait(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if !last.IsZero() && sent.Sub(last) < 50*time.Millisecond {
			t.Fatalf("two requests %s apart at 20/s", sent.Sub(last))
		}
		last = sent
	}
	// 40 intervals of 1.02/20 s: 2.04 s, 98% of the limit.
	if got := last.Sub(start); got < 2030*time.Millisecond || got > 2050*time.Millisecond {
		t.Errorf("41 requests at 20/s took %s, want 2.04s", got)
	}
}

// othersFillTheWindow makes the server's last second hold only l's last keep requests, the
// rest of the limit taken by other processes: a throttled answer then is not taken for jitter.
func othersFillTheWindow(l *AdaptiveLimiter, keep int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.sent) > keep {
		l.sent = l.sent[len(l.sent)-keep:]
	}
}

// throttleShared sends one request and reports it throttled, with half the window others'.
func throttleShared(t *testing.T, l *AdaptiveLimiter, clk *fakeClock) time.Time {
	t.Helper()
	sent, err := l.Wait(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Millisecond)
	othersFillTheWindow(l, 10)
	l.Throttled(sent)
	return sent
}

func TestAdaptiveLimiterTakesAThrottleInAWindowOfItsOwnForJitter(t *testing.T) {
	clk := newFakeClock()
	l := newAdaptiveLimiter(20, clk)
	sent := sendFor(t, l, clk, 3*time.Second)
	// Every request of the last second was this process's and accepted: the server's window
	// was full of its own requests, one of which arrived late. No cut.
	l.Throttled(sent)
	if r := l.Rate(); r != 20 {
		t.Fatalf("rate after a throttled answer in a window of its own = %.2f, want 20", r)
	}
	// The window drains: the next request waits at least one interval.
	next, _ := l.Wait(context.Background())
	if gap := next.Sub(sent); gap < 50*time.Millisecond {
		t.Errorf("next request %s after the throttled one, want at least one interval", gap)
	}
	// Refused while it sent little (others fill the limit): a shared limit, cut.
	clk.Advance(2 * time.Second)
	sent, _ = l.Wait(context.Background())
	clk.Advance(time.Millisecond)
	l.Throttled(sent)
	if r := l.Rate(); r >= 0.75*20 {
		t.Errorf("rate after a throttled answer with the window not its own = %.2f, want it cut", r)
	}
}

func TestAdaptiveLimiterCutsOnAThrottledAnswer(t *testing.T) {
	clk := newFakeClock()
	l := newAdaptiveLimiter(20, clk)
	sendFor(t, l, clk, 3*time.Second)
	sent := throttleShared(t, l, clk)
	// Of its requests in the server's last second, 9 went through (10, one of them refused):
	// the others left it 9 a second, and the cut keeps 70% of that.
	if r := l.Rate(); r < 0.7*9-0.01 || r > 0.7*9+0.01 {
		t.Fatalf("rate after a throttled answer = %.2f, want 0.7 × 9 = 6.3", r)
	}
	// The next request waits the new interval, not the old one.
	next, err := l.Wait(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if gap := next.Sub(sent); gap < time.Second/7 {
		t.Errorf("next request %s after the throttled one, want at least 1/6.3 s", gap)
	}
}

func TestAdaptiveLimiterCutsFromTheRateItSent(t *testing.T) {
	clk := newFakeClock()
	l := newAdaptiveLimiter(20, clk)
	// A process sending 5 a second (its own pace, well under its limit of 20).
	for range 20 {
		if _, err := l.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
		clk.Advance(200 * time.Millisecond)
	}
	sent, _ := l.Wait(context.Background())
	clk.Advance(time.Millisecond)
	l.Throttled(sent)
	if r := l.Rate(); r > 0.7*5.5 {
		t.Errorf("rate after a throttled answer while sending 5/s = %.2f, want about 0.7 × 5", r)
	}
}

func TestAdaptiveLimiterCutsOncePerThrottlingEvent(t *testing.T) {
	clk := newFakeClock()
	l := newAdaptiveLimiter(20, clk)
	sendFor(t, l, clk, time.Second)
	var inFlight []time.Time
	for range 5 {
		sent, _ := l.Wait(context.Background())
		inFlight = append(inFlight, sent)
	}
	clk.Advance(time.Millisecond)
	othersFillTheWindow(l, 10)
	// Five requests sent at the old rate come back throttled: one cut, not five. The first
	// answer finds 9 of its requests through in the last second: 0.7 × 9.
	for _, sent := range inFlight {
		l.Throttled(sent)
	}
	once := l.Rate()
	if once < 0.7*9-0.01 || once > 0.7*9+0.01 {
		t.Fatalf("rate after five answers of one burst = %.2f, want one cut to 6.3", once)
	}
	// A request sent after the cut and throttled again is a new event: cut again.
	throttleShared(t, l, clk)
	if twice := l.Rate(); twice > 0.8*once {
		t.Errorf("rate after a second event = %.2f, want it cut again from %.2f", twice, once)
	}
}

func TestAdaptiveLimiterRecoversThenProbesButNeverExceedsTheMaximum(t *testing.T) {
	clk := newFakeClock()
	l := newAdaptiveLimiter(20, clk)
	sendFor(t, l, clk, 2*time.Second)
	throttleShared(t, l, clk)
	cut := l.Rate()
	peak := l.lastMax
	prev := cut
	reachedPeakAt := time.Duration(-1)
	for elapsed := 100 * time.Millisecond; elapsed <= 20*time.Second; elapsed += 100 * time.Millisecond {
		clk.Advance(100 * time.Millisecond)
		r := l.Rate()
		if r < prev-1e-9 {
			t.Fatalf("rate fell from %.3f to %.3f at +%s without a throttled answer", prev, r, elapsed)
		}
		if r > 20 {
			t.Fatalf("rate %.3f above the maximum 20 at +%s", r, elapsed)
		}
		if reachedPeakAt < 0 && r >= peak-1e-6 {
			reachedPeakAt = elapsed
		}
		prev = r
	}
	// CUBIC: back to the throttled rate after k = cbrt((peak - cut) / 0.4) s (about 2.5 s from
	// 19.6/s), then past it, up to the configured maximum.
	k := time.Duration(math.Cbrt((peak-cut)/adaptiveScale) * float64(time.Second))
	if reachedPeakAt < k-200*time.Millisecond || reachedPeakAt > k+200*time.Millisecond {
		t.Errorf("back at the throttled rate %.2f after %s, want about %s", peak, reachedPeakAt, k)
	}
	if prev != 20 {
		t.Errorf("rate 20 s after one throttled answer = %.3f, want the maximum 20", prev)
	}
	// The first half of the recovery is the fast part: more than half the way back at k/2.
	sendFor(t, l, clk, 2*time.Second)
	throttleShared(t, l, clk)
	cut, peak = l.Rate(), l.lastMax
	k = time.Duration(math.Cbrt((peak-cut)/adaptiveScale) * float64(time.Second))
	clk.Advance(k / 2)
	if r := l.Rate(); r-cut < (peak-cut)/2 || r >= peak {
		t.Errorf("rate at k/2 = %.2f, want more than half way from %.2f to %.2f", r, cut, peak)
	}
}

func TestAdaptiveLimiterNeverGoesBelowItsFloor(t *testing.T) {
	clk := newFakeClock()
	l := newAdaptiveLimiter(20, clk)
	for range 50 {
		sent, _ := l.Wait(context.Background())
		clk.Advance(time.Millisecond)
		l.Throttled(sent)
	}
	if r := l.Rate(); r != minAdaptiveRate {
		t.Errorf("rate after 50 throttled answers in a row = %.3f, want the floor %.1f", r, minAdaptiveRate)
	}
	// A configured rate under the floor is never exceeded.
	slow := newAdaptiveLimiter(0.2, clk)
	throttleShared(t, slow, clk)
	if r := slow.Rate(); r > 0.2 {
		t.Errorf("rate of a 0.2/s limiter after a cut = %.3f, above its maximum", r)
	}
}

func TestAdaptiveLimiterWaitEndsWithItsContext(t *testing.T) {
	l := NewAdaptiveLimiter(0.1)
	if _, err := l.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := l.Wait(ctx); err == nil || time.Since(start) > 2*time.Second {
		t.Fatalf("Wait = %v after %s; want the context's error at once", err, time.Since(start))
	}
}

// TestAdaptiveLimiterIsSafeForConcurrentUse runs under go test -race: many goroutines waiting,
// reporting throttled answers and reading the rate at once.
func TestAdaptiveLimiterIsSafeForConcurrentUse(t *testing.T) {
	// On the fake clock every sleep moves time on at once: the test checks safety, not timing.
	l := newAdaptiveLimiter(1000, newFakeClock())
	var wg sync.WaitGroup
	var sent atomic.Int32
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 10 {
				at, err := l.Wait(ctx)
				if err != nil {
					t.Error(err)
					return
				}
				sent.Add(1)
				if i == 0 && g%4 == 0 {
					l.Throttled(at)
				}
				if l.Rate() > 1000 {
					t.Error("rate above the maximum")
				}
			}
		}()
	}
	wg.Wait()
	if sent.Load() != 8*10 {
		t.Errorf("%d requests let go, want %d", sent.Load(), 8*10)
	}
}

func TestClientSlowsDownAfterAThrottledAnswer(t *testing.T) {
	// Ten answers, then a throttled one: the process got 10 requests through in the last
	// second, against a limit of 50 of its own.
	statuses := make([]int, 10, 11)
	for i := range statuses {
		statuses[i] = http.StatusOK
	}
	srv, _ := serverAnswering(t, append(statuses, http.StatusTooManyRequests)...)
	c := New(Options{Subsystem: "test", RequestsPerSecond: 50, Retry: fastRetry})
	for range 11 {
		if _, err := c.Do(context.Background(), call(srv.URL, true)); err != nil {
			t.Fatal(err)
		}
	}
	// Cut to 0.7 × the 9 or 10 a second it got through, then growing back slowly.
	if r := c.limiter("Test").Rate(); r > 15 {
		t.Errorf("rate after a throttled answer = %.1f, want it cut to about 7 (0.7 × the 10 a second it got through)", r)
	}
	if r := c.limiter("Other").Rate(); r != 50 {
		t.Errorf("another operation's rate = %.1f, want 50: limits are per operation", r)
	}
}

// The tests below simulate several processes, each with its own limiter, sharing one API limit
// counted as the mocks count it (at most limit accepted requests in any one second), with
// simulated time: what the benchmark's many-pipelines case measures with real terraform.

type simEvent struct {
	at  time.Time
	seq int
	run func()
}

type simQueue []*simEvent

func (q simQueue) Len() int { return len(q) }
func (q simQueue) Less(i, j int) bool {
	if q[i].at.Equal(q[j].at) {
		return q[i].seq < q[j].seq
	}
	return q[i].at.Before(q[j].at)
}
func (q simQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *simQueue) Push(x any) {
	if e, ok := x.(*simEvent); ok {
		*q = append(*q, e)
	}
}
func (q *simQueue) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}

type sharedLimitResult struct {
	share     float64 // accepted requests per second over the run, as a share of the limit
	throttled float64 // throttled answers per request
}

// simLimit and simParallel are the API's limit (requests per second) and the calls each
// process runs at a time (terraform's default parallelism) in the simulations.
const simLimit, simParallel = 20, 10

// simulateSharedLimit runs procs processes of perProc calls each, simParallel at a time, against
// a limit of simLimit requests per second; adaptive false pins every limiter at the limit, as
// the providers did before. Requests reach the server within 2 ms, and with jitter, 2% of them
// between jitter/2 and jitter late.
func simulateSharedLimit(seed uint64, procs, perProc int, adaptive bool, jitter time.Duration) sharedLimitResult {
	limit, parallel := simLimit, simParallel
	rng := rand.New(rand.NewPCG(seed, 1)) //nolint:gosec // G404: a reproducible simulation
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clk := &fakeClock{now: start}
	var q simQueue
	seq := 0
	at := func(t time.Time, f func()) {
		seq++
		heap.Push(&q, &simEvent{at: t, seq: seq, run: f})
	}
	var hits []time.Time
	requests, throttled, accepted := 0, 0, 0
	var first, last time.Time
	admit := func(now time.Time) bool {
		requests++
		if first.IsZero() {
			first = now
		}
		last = now
		kept := hits[:0]
		for _, h := range hits {
			if h.After(now.Add(-time.Second)) {
				kept = append(kept, h)
			}
		}
		hits = kept
		if len(hits) >= limit {
			throttled++
			return false
		}
		hits = append(hits, now)
		accepted++
		return true
	}
	backoff := func(n int) time.Duration {
		d := DefaultRetryPolicy.BaseDelay << min(n-1, 5)
		d = min(d, DefaultRetryPolicy.MaxDelay)
		return d/2 + time.Duration(rng.Int64N(int64(d/2)+1))
	}
	const rtt = 3 * time.Millisecond
	for range procs {
		l := newAdaptiveLimiter(float64(limit), clk)
		remaining := perProc
		var next func()
		var send func(attempt int)
		send = func(attempt int) {
			slot := l.reserve(clk.now)
			cuts := l.cuts
			at(slot, func() {
				if l.cuts != cuts {
					send(attempt)
					return
				}
				sent := clk.now
				l.measure(sent)
				arrival := sent.Add(time.Duration(rng.Int64N(int64(2 * time.Millisecond))))
				if jitter > 0 && rng.IntN(100) < 2 {
					// Now and then a request is held up on the way (a busy machine, a retransmit).
					arrival = sent.Add(jitter/2 + time.Duration(rng.Int64N(int64(jitter/2))))
				}
				var ok bool
				at(arrival, func() { ok = admit(arrival) })
				at(arrival.Add(rtt), func() {
					if ok {
						next()
						return
					}
					if adaptive {
						l.Throttled(sent)
					}
					at(clk.now.Add(backoff(attempt)), func() { send(attempt + 1) })
				})
			})
		}
		next = func() {
			if remaining == 0 {
				return
			}
			remaining--
			at(clk.now.Add(time.Duration(1+rng.IntN(3))*time.Millisecond), func() { send(1) })
		}
		// The processes start within half a second of each other.
		offset := time.Duration(rng.IntN(500)) * time.Millisecond
		for range parallel {
			at(start.Add(offset), next)
		}
	}
	for q.Len() > 0 {
		e, ok := heap.Pop(&q).(*simEvent)
		if !ok {
			break
		}
		clk.now = e.at
		e.run()
	}
	return sharedLimitResult{
		share:     float64(accepted-1) / last.Sub(first).Seconds() / float64(limit),
		throttled: float64(throttled) / float64(requests),
	}
}

func TestAdaptiveLimitersAloneKeepTheFullRate(t *testing.T) {
	r := simulateSharedLimit(1, 1, 200, true, 0)
	if r.share < 0.97 || r.throttled != 0 {
		t.Errorf("one process alone: %.1f%% of the limit, %.1f%% throttled; want ≥ 97%% and none", r.share*100, r.throttled*100)
	}
	// On a busy machine some requests are held up on the way (here 2% by 30 to 60 ms), and the
	// next one then arrives too early for a server counting per second: answers taken for jitter
	// that do not slow the process down.
	for seed := uint64(1); seed <= 5; seed++ {
		r := simulateSharedLimit(seed, 1, 400, true, 60*time.Millisecond)
		if r.share < 0.95 {
			t.Errorf("one process alone with jitter (seed %d): %.1f%% of the limit, %.1f%% throttled; want ≥ 95%%", seed, r.share*100, r.throttled*100)
		}
	}
}

func TestAdaptiveLimitersConvergeUnderASharedLimit(t *testing.T) {
	const seeds = 5
	var fixed, adaptive sharedLimitResult
	for seed := uint64(1); seed <= seeds; seed++ {
		f := simulateSharedLimit(seed, 8, 200, false, 0)
		a := simulateSharedLimit(seed, 8, 200, true, 0)
		fixed.share += f.share / seeds
		fixed.throttled += f.throttled / seeds
		adaptive.share += a.share / seeds
		adaptive.throttled += a.throttled / seeds
	}
	t.Logf("8 processes × 200 calls at 20/s: fixed limiters %.1f%% of the limit, %.1f%% throttled; adaptive %.1f%%, %.1f%% throttled",
		fixed.share*100, fixed.throttled*100, adaptive.share*100, adaptive.throttled*100)
	// Only the calls that create count here; the benchmark's share also counts the read-backs,
	// which follow the accepted creates and are rarely throttled, so its share is about half.
	if adaptive.share < 0.85 || adaptive.throttled > 0.25 {
		t.Errorf("adaptive limiters: %.1f%% of the limit with %.1f%% of requests throttled; want ≥ 85%% and ≤ 25%%", adaptive.share*100, adaptive.throttled*100)
	}
	if adaptive.throttled > fixed.throttled/3 {
		t.Errorf("adaptive limiters were throttled %.1f%% of the time, fixed ones %.1f%%: want a third at most", adaptive.throttled*100, fixed.throttled*100)
	}
}

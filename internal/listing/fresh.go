package listing

import (
	"context"
	"sync"
	"time"

	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
)

// FreshLists shares listings between concurrent callers that each need one that started after
// they asked (the lookups of CreateAdopting: before a create is sent, and after an unknown
// outcome). A caller joins the listing that will start next, never one already under way, so
// what it gets is as fresh as a listing of its own; callers that arrive while a listing runs
// share the next one. Many creates at once then cost a few listings instead of one each.
//
// With JoinUntilSent, a caller also joins a listing under way whose first request has not been
// sent yet (it waits in the client's rate limiter, or in the machine's shared schedule): what
// the listing returns is still all from after the caller asked, and when many creates queue
// for the limit, each listing serves all of them that arrived while it waited. While the API is
// slow to answer (the last listing's slowest request took slowAnswer or more) and the list
// operation is not queued (that listing's first request went out at once), a caller that comes
// after a listing's first request went out starts the next listing at once, beside the one
// under way (at most maxOverlap of a key at a time), instead of waiting for it to end: behind an
// API's latency, waiting for the rest of a listing and then a whole one of its own doubled a
// create's wait. Where requests queue for the rate limit, or answers come at once and a
// listing's time is its pages' spacing under the limit, listings run one after the other: side
// by side they would only share the operation's slots and each take longer (measured: 8 × 50
// creates against one limit fell from 96 to 73 % of it). It is only for list functions whose
// every answer comes from requests sent through transport.Client.Do on the context they are
// given (never from a cache).
type FreshLists[T any] struct {
	// JoinUntilSent: see above; set it before the first Get.
	JoinUntilSent bool
	// Machine, if set, shares the listings with the other processes of the machine that list
	// the same keys of the same account (MachineLists); it needs JoinUntilSent. Set it before
	// the first Get.
	Machine *MachineLists[T]

	mu    sync.Mutex
	lists map[string]*freshList[T]
}

// maxOverlap is how many listings of one key may run at once with JoinUntilSent while the list
// operation is slow to answer and not queued: two hide a listing's latency from the callers
// that just missed one.
const maxOverlap = 2

// slowAnswer: a listing whose slowest request took this long to be answered is slow; the next
// listings of its key may overlap. Where answers come at once and a listing's time is the rate
// limit's spacing of its pages, listings side by side would only split the operation's slots.
const slowAnswer = 20 * time.Millisecond

// queuedAfter: a listing whose first request waited longer than this to go out was queued (for
// the rate limit); the next listings of its key then run one at a time.
const queuedAfter = 10 * time.Millisecond

type freshList[T any] struct {
	running int             // listings under way
	next    *freshFlight[T] // the listing the next callers join; it starts when a place is free
	// queued: the last listing's first request waited for the rate limit (queuedAfter);
	// slow: its slowest request took slowAnswer or longer to be answered.
	queued, slow bool
}

type freshFlight[T any] struct {
	started bool
	// slowest is the longest its requests took to be answered so far.
	slowest time.Duration
	done    chan struct{}
	value   T
	err     error
	// waiters still wait for it; when the last one gives up (Ctrl-C, a timeout), the listing
	// is cancelled.
	waiters int
	cancel  context.CancelFunc
}

// Get returns the result of a listing of key that started after Get was called. The listing is
// shared: it runs on the first caller's context values, and ends when it is done or when every
// caller waiting for it has given up; ctx bounds only this caller's wait.
func (f *FreshLists[T]) Get(ctx context.Context, key string, list func(context.Context) (T, error)) (T, error) {
	f.mu.Lock()
	if f.lists == nil {
		f.lists = map[string]*freshList[T]{}
	}
	l := f.lists[key]
	if l == nil {
		l = &freshList[T]{}
		f.lists[key] = l
	}
	flight := l.next
	if flight == nil {
		flight = &freshFlight[T]{done: make(chan struct{})}
		l.next = flight
	}
	flight.waiters++
	start := false
	if limit := f.overlap(l); l.running < limit && !flight.started {
		start, flight.started = true, true
		l.running++
	}
	f.mu.Unlock()
	if start {
		go f.run(context.WithoutCancel(ctx), key, l, flight, list)
	}
	select {
	case <-flight.done:
		return flight.value, flight.err
	case <-ctx.Done():
		f.mu.Lock()
		flight.waiters--
		if flight.waiters == 0 && flight.cancel != nil {
			flight.cancel()
		}
		f.mu.Unlock()
		var zero T
		return zero, ctx.Err()
	}
}

// overlap is how many listings of l may run at once; f.mu is held.
func (f *FreshLists[T]) overlap(l *freshList[T]) int {
	if f.JoinUntilSent && l.slow && !l.queued {
		return maxOverlap
	}
	return 1
}

// run lists for the callers of flight, then starts the listing callers joined meanwhile, if
// any, and skips a listing every caller of which has given up.
func (f *FreshLists[T]) run(ctx context.Context, key string, l *freshList[T], flight *freshFlight[T], list func(context.Context) (T, error)) {
	for flight != nil {
		f.mu.Lock()
		if !f.JoinUntilSent && l.next == flight {
			l.next = nil // under way: later callers need the next one
		}
		listCtx, cancel := context.WithCancel(ctx)
		flight.cancel = cancel
		if flight.waiters == 0 {
			cancel()
		}
		current := flight // the hooks below keep this listing; flight moves on when it ends
		seal := func() {}
		if f.JoinUntilSent {
			// The flight takes callers until its first request goes out (or it ends).
			var once sync.Once
			start := time.Now()
			seal = func() {
				once.Do(func() {
					f.mu.Lock()
					if l.next == current {
						l.next = nil
					}
					l.queued = time.Since(start) > queuedAfter
					f.mu.Unlock()
				})
			}
			listCtx = transport.WithBeforeSend(listCtx, seal)
		}
		f.mu.Unlock()
		listCtx = transport.WithRoundTrip(listCtx, func(d time.Duration) {
			f.mu.Lock()
			current.slowest = max(current.slowest, d)
			l.slow = current.slowest >= slowAnswer
			f.mu.Unlock()
		})
		if listCtx.Err() == nil {
			if f.Machine != nil && f.JoinUntilSent {
				flight.value, flight.err = f.Machine.List(listCtx, key, list)
			} else {
				flight.value, flight.err = list(listCtx)
			}
		} else {
			flight.err = listCtx.Err()
		}
		seal()
		cancel()
		close(flight.done)

		// The place is free: start the listing waiting for one, if any.
		f.mu.Lock()
		flight = l.next
		if flight != nil && !flight.started {
			flight.started = true
		} else {
			flight = nil
			l.running--
		}
		f.mu.Unlock()
	}
}

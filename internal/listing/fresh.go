package listing

import (
	"context"
	"sync"

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
// for the limit, each listing serves all of them that arrived while it waited. It is only for
// list functions whose every answer comes from requests sent through transport.Client.Do on
// the context they are given (never from a cache).
type FreshLists[T any] struct {
	// JoinUntilSent: see above; set it before the first Get.
	JoinUntilSent bool

	mu    sync.Mutex
	lists map[string]*freshList[T]
}

type freshList[T any] struct {
	running bool
	next    *freshFlight[T] // the listing the next callers join; it starts when none runs
}

type freshFlight[T any] struct {
	done  chan struct{}
	value T
	err   error
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
	start := !l.running
	if start {
		l.running = true
	}
	f.mu.Unlock()
	if start {
		go f.run(context.WithoutCancel(ctx), l, list)
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

// run lists for the callers waiting on l.next, again while callers joined meanwhile, and skips
// a listing every caller of which has given up.
func (f *FreshLists[T]) run(ctx context.Context, l *freshList[T], list func(context.Context) (T, error)) {
	for {
		f.mu.Lock()
		flight := l.next
		l.next = nil
		if flight == nil {
			l.running = false
			f.mu.Unlock()
			return
		}
		listCtx, cancel := context.WithCancel(ctx)
		flight.cancel = cancel
		if flight.waiters == 0 {
			cancel()
		}
		seal := func() {}
		if f.JoinUntilSent {
			// The flight takes callers until its first request goes out (or it ends).
			l.next = flight
			var once sync.Once
			seal = func() {
				once.Do(func() {
					f.mu.Lock()
					if l.next == flight {
						l.next = nil
					}
					f.mu.Unlock()
				})
			}
			listCtx = transport.WithBeforeSend(listCtx, seal)
		}
		f.mu.Unlock()
		if listCtx.Err() == nil {
			flight.value, flight.err = list(listCtx)
		} else {
			flight.err = listCtx.Err()
		}
		seal()
		cancel()
		close(flight.done)
	}
}

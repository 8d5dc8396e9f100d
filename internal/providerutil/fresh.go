package providerutil

import (
	"context"
	"sync"
)

// FreshLists shares listings between concurrent callers that each need one that started after
// they asked (the lookups of CreateAdopting: before a create is sent, and after an unknown
// outcome). A caller joins the listing that will start next, never one already under way, so
// what it gets is as fresh as a listing of its own; callers that arrive while a listing runs
// share the next one. Many creates at once then cost a few listings instead of one each.
type FreshLists[T any] struct {
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
}

// Get returns the result of a listing of key that started after Get was called. The listing runs
// detached from ctx (other callers share it); ctx bounds only this caller's wait.
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
	start := !l.running
	if start {
		l.running, l.next = true, nil
	}
	f.mu.Unlock()
	if start {
		go f.run(context.WithoutCancel(ctx), l, flight, list)
	}
	select {
	case <-flight.done:
		return flight.value, flight.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// run lists for flight, then starts the listing that callers joined meanwhile, if any.
func (f *FreshLists[T]) run(ctx context.Context, l *freshList[T], flight *freshFlight[T], list func(context.Context) (T, error)) {
	for flight != nil {
		flight.value, flight.err = list(ctx)
		close(flight.done)
		f.mu.Lock()
		flight, l.next = l.next, nil
		l.running = flight != nil
		f.mu.Unlock()
	}
}

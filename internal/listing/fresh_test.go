package listing

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
)

// Every caller gets a listing that started after it asked; callers that arrive while one runs
// share the next.
func TestFreshListsShareOnlyListingsThatStartedAfterTheCall(t *testing.T) {
	var f FreshLists[int]
	var started atomic.Int32
	release := make(chan struct{})
	list := func(context.Context) (int, error) {
		n := int(started.Add(1))
		if n == 1 {
			<-release
		}
		return n, nil
	}
	first := make(chan int)
	go func() { v, _ := f.Get(context.Background(), "k", list); first <- v }()
	for started.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	// Ten callers arrive while listing 1 runs: none may get it; they share listing 2.
	var wg sync.WaitGroup
	got := make([]int, 10)
	for i := range got {
		wg.Add(1)
		go func() { defer wg.Done(); got[i], _ = f.Get(context.Background(), "k", list) }()
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	if v := <-first; v != 1 {
		t.Fatalf("the first caller got listing %d", v)
	}
	wg.Wait()
	for i, v := range got {
		if v != 2 {
			t.Errorf("caller %d got listing %d, want 2 (started after it asked, shared)", i, v)
		}
	}
	if v, _ := f.Get(context.Background(), "k", list); v != 3 || started.Load() != 3 {
		t.Errorf("a later caller got listing %d after %d listings, want a new one, 3", v, started.Load())
	}
	// Another key lists on its own; a caller whose context ends stops waiting.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := f.Get(ctx, "other", func(context.Context) (int, error) { time.Sleep(time.Second); return 0, nil }); err == nil {
		t.Error("a cancelled caller waited for the listing")
	}
}

// A listing every waiter of which gave up is cancelled, not left running.
func TestFreshListsCancelAListingNobodyWaitsFor(t *testing.T) {
	var f FreshLists[int]
	ended := make(chan error, 1)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	_, err := f.Get(ctx, "k", func(ctx context.Context) (int, error) {
		<-ctx.Done()
		ended <- ctx.Err()
		return 0, ctx.Err()
	})
	if err == nil {
		t.Fatal("the cancelled caller got a result")
	}
	select {
	case err := <-ended:
		if err == nil {
			t.Error("the listing ended without its context's error")
		}
	case <-time.After(2 * time.Second):
		t.Fatal("the listing went on after its only waiter gave up")
	}
	// The next caller gets a new listing.
	if v, err := f.Get(context.Background(), "k", func(context.Context) (int, error) { return 7, nil }); v != 7 || err != nil {
		t.Errorf("Get = %d, %v after a cancelled listing", v, err)
	}
}

// With JoinUntilSent, callers join a listing under way until its first request is sent through
// transport.Client.Do; later callers share the next.
func TestFreshListsJoinUntilTheFirstRequestIsSent(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok")) }))
	defer srv.Close()
	c := transport.New(transport.Options{Subsystem: "test"})
	f := FreshLists[int]{JoinUntilSent: true}
	var started atomic.Int32
	queued, send, sent, release := make(chan struct{}), make(chan struct{}), make(chan struct{}), make(chan struct{})
	list := func(ctx context.Context) (int, error) {
		n := int(started.Add(1))
		if n == 1 {
			close(queued)
			<-send // waiting in the limiter
		}
		err := listRequest(ctx, c, srv.URL)
		if n == 1 {
			close(sent)
			<-release
		}
		return n, err
	}
	get, results := getter(t, &f, list)
	go get()
	<-queued
	go get() // arrives while listing 1 has sent nothing: joins it
	for {
		f.mu.Lock()
		w := f.lists["k"].next.waiters
		f.mu.Unlock()
		if w == 2 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	close(send)
	<-sent
	go get() // arrives after listing 1's request went out: gets the next
	close(release)
	got := []int{<-results, <-results, <-results}
	slices.Sort(got)
	if !slices.Equal(got, []int{1, 1, 2}) {
		t.Errorf("callers got listings %v, want [1 1 2]", got)
	}
}

// While the API is slow to answer and the list operation is not queued, a caller that comes
// after a listing's first request went out starts the next listing at once, beside it, rather
// than after it; at most maxOverlap run at once. Once a listing's first request waited for the
// rate limit, they run one at a time.
func TestFreshListsOverlapListingsOnlyWhileSlowAndNotQueued(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(2 * slowAnswer)
		_, _ = w.Write([]byte("ok"))
	}))
	defer srv.Close()
	c := transport.New(transport.Options{Subsystem: "test"})
	f := FreshLists[int]{JoinUntilSent: true}
	var started, running, most atomic.Int32
	var queueFor atomic.Int64 // how long the next listing's first request waits, as in a limiter
	sent := make(chan int, 10)
	release := make(chan struct{})
	list := func(ctx context.Context) (int, error) {
		n := int(started.Add(1))
		if r := running.Add(1); r > most.Load() {
			most.Store(r)
		}
		defer running.Add(-1)
		time.Sleep(time.Duration(queueFor.Load()))
		err := listRequest(ctx, c, srv.URL)
		sent <- n
		<-release // every listing is held after its request
		return n, err
	}
	get, results := getter(t, &f, list)
	go get()
	if n := <-sent; n != 1 {
		t.Fatalf("listing %d sent first", n)
	}
	queueFor.Store(int64(3 * queuedAfter))
	go get() // listing 1 went out at once: listing 2 starts beside it (and is queued)
	select {
	case n := <-sent:
		if n != 2 {
			t.Fatalf("listing %d sent second", n)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the second listing did not start while the first one ran")
	}
	go get() // two run: listing 3 waits for a place
	time.Sleep(50 * time.Millisecond)
	if n := started.Load(); n != 2 {
		t.Fatalf("%d listings started while two ran, want 2", n)
	}
	release <- struct{}{} // one of them ends: listing 3 starts in its place
	if n := <-sent; n != 3 {
		t.Fatalf("listing %d sent third", n)
	}
	// Two end, one runs. Listing 2's and 3's first requests were queued: listing 4 waits for
	// the one that runs, though there is a place beside it.
	release <- struct{}{}
	first := []int{<-results, <-results}
	go get()
	time.Sleep(50 * time.Millisecond)
	if n := started.Load(); n != 3 {
		t.Fatalf("%d listings started after queued ones, want 3 (one at a time)", n)
	}
	close(release)
	got := append(first, <-results, <-results)
	slices.Sort(got)
	if !slices.Equal(got, []int{1, 2, 3, 4}) {
		t.Errorf("callers got listings %v, want [1 2 3 4]", got)
	}
	if most.Load() > maxOverlap {
		t.Errorf("%d listings ran at once, want at most %d", most.Load(), maxOverlap)
	}
}

// Where the API answers at once, a listing's time is its pages' spacing under the rate limit,
// which listings side by side would only split: a caller that comes after a listing's first
// request went out waits for it to end and shares the next one.
func TestFreshListsDoNotOverlapWhereAnswersComeAtOnce(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok")) }))
	defer srv.Close()
	c := transport.New(transport.Options{Subsystem: "test"})
	f := FreshLists[int]{JoinUntilSent: true}
	var started atomic.Int32
	sent := make(chan int, 10)
	release := make(chan struct{})
	list := func(ctx context.Context) (int, error) {
		n := int(started.Add(1))
		err := listRequest(ctx, c, srv.URL)
		sent <- n
		<-release
		return n, err
	}
	get, results := getter(t, &f, list)
	go get()
	<-sent
	go get()
	go get()
	time.Sleep(50 * time.Millisecond)
	if n := started.Load(); n != 1 {
		t.Fatalf("%d listings started while one answered at once ran, want 1", n)
	}
	release <- struct{}{} // listing 1 ends: the two later callers share listing 2
	if n := <-sent; n != 2 {
		t.Fatalf("listing %d sent second", n)
	}
	close(release)
	got := []int{<-results, <-results, <-results}
	slices.Sort(got)
	if !slices.Equal(got, []int{1, 2, 2}) {
		t.Errorf("callers got listings %v, want [1 2 2]", got)
	}
}

// listRequest sends the one request of a test listing through c, so that the hooks the listing's
// context carries (WithBeforeSend, WithRoundTrip) run.
func listRequest(ctx context.Context, c *transport.Client, url string) error {
	_, err := c.Do(ctx, transport.Call{Operation: "List", Idempotent: true,
		NewRequest: func(ctx context.Context) (*http.Request, error) {
			return transport.NewRequest(ctx, http.MethodGet, url, nil)
		},
		Check: func(*transport.Response) error { return nil }})
	return err
}

// getter returns a function that calls f.Get for key "k" with list and sends what it got to
// results.
func getter(t *testing.T, f *FreshLists[int], list func(context.Context) (int, error)) (get func(), results chan int) {
	results = make(chan int, 10)
	return func() {
		v, err := f.Get(context.Background(), "k", list)
		if err != nil {
			t.Error(err)
		}
		results <- v
	}, results
}

package listing

import (
	"context"
	"errors"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
)

// machine returns n simulated processes sharing one machine's listings: each its own
// MachineLists with its own process id, all alive until the test ends.
func machine(t *testing.T, n int) []*MachineLists[[]string] {
	t.Helper()
	t.Setenv("TMPDIR", t.TempDir())
	t.Setenv(transport.SharedRateLimitEnv, "")
	client := func() *transport.Client {
		return transport.New(transport.Options{Subsystem: "test", Endpoint: "https://api.example", Identity: "AKID"})
	}
	if client().SharedFile("probe") == nil {
		t.Skip("no shared folder on this platform")
	}
	dead := map[int]bool{}
	var mu sync.Mutex
	processAlive = func(pid int) bool { mu.Lock(); defer mu.Unlock(); return pid >= 1000 && !dead[pid] }
	t.Cleanup(func() { processAlive = processRunning })
	lists := make([]*MachineLists[[]string], n)
	for i := range lists {
		// Each process its own client, so its own descriptor and lock of the file.
		c := client()
		lists[i] = &MachineLists[[]string]{processID: 1000 + i, File: func(key string) *transport.SharedFile { return c.SharedFile("lookups " + key) }}
	}
	return lists
}

// walker is a list function whose first request goes out (BeforeSend, as transport.Do) when
// send is closed, and which answers with its name once answer is closed.
type walker struct {
	name         string
	send, answer chan struct{}
	calls        atomic.Int32
	err          error
}

func newWalker(name string) *walker {
	return &walker{name: name, send: make(chan struct{}), answer: make(chan struct{})}
}

func (w *walker) list(ctx context.Context) ([]string, error) {
	w.calls.Add(1)
	select {
	case <-w.send:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	transport.BeforeSend(ctx)
	select {
	case <-w.answer:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return []string{w.name}, w.err
}

type listed struct {
	v   []string
	err error
}

func listIn(ctx context.Context, m *MachineLists[[]string], w *walker) chan listed {
	out := make(chan listed, 1)
	go func() { v, err := m.List(ctx, "k", w.list); out <- listed{v, err} }()
	return out
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// A process whose listing is needed while another's walk has not sent its first request joins
// that walk: it sends nothing and gets the walk's result; its own listing is sealed (it takes
// no more callers) when it joins.
func TestMachineListsJoinAWalkNotSentYet(t *testing.T) {
	p := machine(t, 2)
	a, b := newWalker("a"), newWalker("b")
	gotA := listIn(context.Background(), p[0], a)
	waitFor(t, "a walks", func() bool { return a.calls.Load() == 1 })

	sealed := atomic.Bool{}
	ctx := transport.WithBeforeSend(context.Background(), func() { sealed.Store(true) })
	gotB := listIn(ctx, p[1], b)
	waitFor(t, "b joins and is sealed", sealed.Load)
	close(a.send)
	close(a.answer)
	for name, got := range map[string]chan listed{"a": gotA, "b": gotB} {
		if r := <-got; r.err != nil || len(r.v) != 1 || r.v[0] != "a" {
			t.Errorf("%s got %v, %v; want a's listing", name, r.v, r.err)
		}
	}
	if n := b.calls.Load(); n != 0 {
		t.Errorf("b listed %d times; it should have taken a's walk", n)
	}
}

// A walk whose first request went out before a process's callers asked cannot serve them: the
// process waits for it to end and then walks itself (a later process joins that walk).
func TestMachineListsNeverTakeAWalkSentBeforeTheCallersAsked(t *testing.T) {
	p := machine(t, 3)
	a, b, c := newWalker("a"), newWalker("b"), newWalker("c")
	gotA := listIn(context.Background(), p[0], a)
	close(a.send)
	time.Sleep(20 * time.Millisecond) // a's first request is out
	gotB := listIn(context.Background(), p[1], b)
	time.Sleep(20 * time.Millisecond)
	if n := b.calls.Load(); n != 0 {
		t.Fatalf("b walked while a's walk was under way (%d)", n)
	}
	close(a.answer)
	if r := <-gotA; r.err != nil || r.v[0] != "a" {
		t.Fatalf("a got %v, %v", r.v, r.err)
	}
	waitFor(t, "b walks after a", func() bool { return b.calls.Load() == 1 })
	gotC := listIn(context.Background(), p[2], c)
	time.Sleep(20 * time.Millisecond)
	close(b.send)
	close(b.answer)
	for name, got := range map[string]chan listed{"b": gotB, "c": gotC} {
		if r := <-got; r.err != nil || len(r.v) != 1 || r.v[0] != "b" {
			t.Errorf("%s got %v, %v; want b's listing (from after it asked)", name, r.v, r.err)
		}
	}
	if n := c.calls.Load(); n != 0 {
		t.Errorf("c listed %d times; b's walk had not sent when c asked", n)
	}
}

// A failed walk is not shared (its error may be its own process's): who joined it walks next.
// A walk whose process died is not waited for.
func TestMachineListsShareNoFailureAndWaitForNoDeadProcess(t *testing.T) {
	p := machine(t, 3)
	a, b := newWalker("a"), newWalker("b")
	a.err = errors.New("a's context ended")
	gotA := listIn(context.Background(), p[0], a)
	waitFor(t, "a walks", func() bool { return a.calls.Load() == 1 })
	gotB := listIn(context.Background(), p[1], b)
	time.Sleep(20 * time.Millisecond)
	close(a.send)
	close(a.answer)
	if r := <-gotA; r.err == nil {
		t.Fatal("a's own failure was lost")
	}
	waitFor(t, "b walks after a's failure", func() bool { return b.calls.Load() == 1 })
	close(b.send)
	close(b.answer)
	if r := <-gotB; r.err != nil || r.v[0] != "b" {
		t.Errorf("b got %v, %v; want its own listing", r.v, r.err)
	}

	// A process announces a walk and dies: the next one walks at once.
	d := newWalker("dead")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	listIn(ctx, p[0], d)
	waitFor(t, "the doomed walk starts", func() bool { return d.calls.Load() == 1 })
	processAlive = func(pid int) bool { return pid == 1002 }
	c := newWalker("c")
	close(c.send)
	close(c.answer)
	done := listIn(context.Background(), p[2], c)
	select {
	case r := <-done:
		if r.err != nil || r.v[0] != "c" {
			t.Errorf("c got %v, %v; want its own listing", r.v, r.err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("c waited for a dead process's walk")
	}
}

// A walk whose first request went out without its time written in the file (the lock was held
// too long) is not shared: a process that joined it afterwards, seeing no time, walks itself.
func TestMachineListsShareNoWalkWhoseSendTimeIsMissing(t *testing.T) {
	p := machine(t, 2)
	a, b := newWalker("a"), newWalker("b")
	gotA := listIn(context.Background(), p[0], a)
	waitFor(t, "a walks", func() bool { return a.calls.Load() == 1 })
	held := make(chan struct{})
	go p[1].File("k").Locked(context.Background(), func(*os.File) bool { // another process's lock
		close(held)
		close(a.send) // a's first request goes out while the file is locked for longer than it waits
		time.Sleep(300 * time.Millisecond)
		return true
	})
	<-held
	time.Sleep(350 * time.Millisecond)
	gotB := listIn(context.Background(), p[1], b) // asks after a's request went out
	time.Sleep(20 * time.Millisecond)
	close(a.answer)
	if r := <-gotA; r.err != nil || r.v[0] != "a" {
		t.Fatalf("a got %v, %v", r.v, r.err)
	}
	close(b.send)
	close(b.answer)
	if r := <-gotB; r.err != nil || len(r.v) != 1 || r.v[0] != "b" || b.calls.Load() != 1 {
		t.Errorf("b got %v, %v after %d walks; want its own listing", r.v, r.err, b.calls.Load())
	}
}

// Whatever is wrong with the file, a listing is never failed by it: garbage is replaced, and
// without a file every process lists alone.
func TestMachineListsSurviveABadFile(t *testing.T) {
	p := machine(t, 1)
	var path string
	p[0].File("k").Locked(context.Background(), func(f *os.File) bool {
		path = f.Name()
		_, err := f.WriteAt([]byte("{not a header"), 0)
		return err == nil
	})
	w := newWalker("w")
	close(w.send)
	close(w.answer)
	for range 2 {
		if v, err := p[0].List(context.Background(), "k", w.list); err != nil || v[0] != "w" {
			t.Fatalf("got %v, %v", v, err)
		}
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() <= headerSize {
		t.Errorf("the file was not rewritten with a header and a result: %v, %v", fi, err)
	}
	var none *MachineLists[[]string]
	if v, err := none.List(context.Background(), "k", w.list); err != nil || v[0] != "w" {
		t.Errorf("without sharing: %v, %v", v, err)
	}
	off := &MachineLists[[]string]{File: func(string) *transport.SharedFile { return nil }}
	if v, err := off.List(context.Background(), "k", w.list); err != nil || v[0] != "w" {
		t.Errorf("without a file: %v, %v", v, err)
	}
}

// The property the sharing must keep, with FreshLists in front as the providers use it: many
// callers in four processes, each gets a listing whose first request went out after it asked,
// and callers are served by other processes' walks.
func TestMachineListsServeEveryCallerAListingFromAfterItAsked(t *testing.T) {
	p := machine(t, 4)
	var sends atomic.Int64 // the number of first requests sent so far: a listing's "time"
	var walks, calls, cross atomic.Int32
	var wg sync.WaitGroup
	for i := range p {
		// A listing's value is its time × 10 + the process that walked it.
		list := func(ctx context.Context) (int64, error) {
			walks.Add(1)
			time.Sleep(2 * time.Millisecond) // queued for the limit
			transport.BeforeSend(ctx)
			at := sends.Add(1)
			time.Sleep(10 * time.Millisecond) // the pages
			return at*10 + int64(i), nil
		}
		f := &FreshLists[int64]{JoinUntilSent: true, Machine: &MachineLists[int64]{processID: p[i].processID, File: p[i].File}}
		for range 25 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 4 {
					asked := sends.Load()
					v, err := f.Get(context.Background(), "k", list)
					calls.Add(1)
					if at := v / 10; err != nil || at <= asked {
						t.Errorf("a caller that asked after listing %d got listing %d (%v)", asked, at, err)
					}
					if v%10 != int64(i) {
						cross.Add(1)
					}
					time.Sleep(time.Duration(1+i) * time.Millisecond)
				}
			}()
		}
	}
	wg.Wait()
	t.Logf("%d calls in 4 processes: %d walks, %d calls served by another process's walk", calls.Load(), walks.Load(), cross.Load())
	if cross.Load() == 0 {
		t.Error("no caller was served by another process's walk")
	}
}

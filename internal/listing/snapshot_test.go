package listing

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

type item struct{ id, name string }

// fakeList is a cloud's list call over objects, pageSize a page, counting its calls.
type fakeList struct {
	mu       sync.Mutex
	objects  []item
	pageSize int
	// noTotal hides the total, as IAM's list does.
	noTotal bool
	calls   atomic.Int32
	// gate, when set, holds every call until it is closed.
	gate chan struct{}
	// started is signalled when a call begins.
	started chan struct{}
	err     error
}

// pageSize is the fake list's page size.
const pageSize = 100

func newFakeList(n int) *fakeList {
	f := &fakeList{pageSize: pageSize}
	for i := range n {
		f.objects = append(f.objects, item{id: fmt.Sprintf("p%04d", i), name: "v1"})
	}
	return f
}

func (f *fakeList) set(id, name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.objects {
		if f.objects[i].id == id {
			f.objects[i].name = name
		}
	}
}

func (f *fakeList) list(ctx context.Context, _ string, token string) (ListPage[item], error) {
	f.calls.Add(1)
	if f.err != nil {
		return ListPage[item]{}, f.err
	}
	// The page is what the cloud held when the call arrived, however long the answer takes.
	page := f.page(token)
	if f.started != nil {
		f.started <- struct{}{}
	}
	if f.gate != nil {
		select {
		case <-f.gate:
		case <-ctx.Done():
			return ListPage[item]{}, ctx.Err()
		}
	}
	return page, nil
}

func (f *fakeList) page(token string) ListPage[item] {
	f.mu.Lock()
	defer f.mu.Unlock()
	start := 0
	if token != "" {
		start, _ = strconv.Atoi(token)
	}
	end := min(start+f.pageSize, len(f.objects))
	page := ListPage[item]{Items: append([]item(nil), f.objects[start:end]...)}
	if end < len(f.objects) {
		page.Next = strconv.Itoa(end)
	}
	if !f.noTotal {
		page.Total = len(f.objects)
	}
	return page
}

func (f *fakeList) snapshots(mod func(*SnapshotConfig[item])) *Snapshots[item] {
	cfg := SnapshotConfig[item]{List: f.list, ID: func(i item) string { return i.id }, PageSize: f.pageSize}
	if mod != nil {
		mod(&cfg)
	}
	return NewSnapshots(cfg)
}

func id(i int) string { return fmt.Sprintf("p%04d", i) }

// refresh looks up ids 0..n-1 one after the other and returns how many were served.
func refresh(s *Snapshots[item], scope string, n int) int {
	served := 0
	for i := range n {
		if _, ok := s.Lookup(context.Background(), scope, id(i)); ok {
			served++
		}
	}
	return served
}

func TestSnapshotReadsDirectlyBelowTheThreshold(t *testing.T) {
	f := newFakeList(50)
	s := f.snapshots(nil)
	if served := refresh(s, "", DefaultSnapshotMinReads-1); served != 0 || f.calls.Load() != 0 {
		t.Fatalf("%d reads: %d served, %d list calls; want every read direct and no list", DefaultSnapshotMinReads-1, served, f.calls.Load())
	}
}

func TestSnapshotServesTheRestOfARefreshFromOneFetchOfEveryPage(t *testing.T) {
	f := newFakeList(1000)
	s := f.snapshots(nil)
	served := refresh(s, "", 1000)
	// 9 direct reads, then the 10th lists the 10 pages and every read from it on is served.
	if served != 1000-(DefaultSnapshotMinReads-1) || f.calls.Load() != 10 {
		t.Fatalf("1,000 reads: %d served with %d list calls; want %d served with 10", served, f.calls.Load(), 1000-(DefaultSnapshotMinReads-1))
	}
	got, ok := s.Lookup(context.Background(), "", id(500))
	if !ok || got != (item{id: id(500), name: "v1"}) {
		t.Errorf("Lookup = %v, %v; want the listed object", got, ok)
	}
}

func TestSnapshotConcurrentReadersShareOneFetch(t *testing.T) {
	f := newFakeList(300)
	f.gate = make(chan struct{})
	s := f.snapshots(func(c *SnapshotConfig[item]) { c.MinReads = 1 })
	var wg sync.WaitGroup
	var served atomic.Int32
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, ok := s.Lookup(context.Background(), "", id(i)); ok {
				served.Add(1)
			}
		}()
	}
	time.Sleep(50 * time.Millisecond) // let the readers pile up behind the fetch
	close(f.gate)
	wg.Wait()
	if f.calls.Load() != 3 || served.Load() != 50 {
		t.Fatalf("50 concurrent readers: %d list calls, %d served; want 3 calls (one per page) and 50 served", f.calls.Load(), served.Load())
	}
}

func TestSnapshotNeverSaysNotFound(t *testing.T) {
	f := newFakeList(100)
	s := f.snapshots(func(c *SnapshotConfig[item]) { c.MinReads = 1 })
	refresh(s, "", 5)
	// Created moments ago and not yet in the list (or deleted): "read it directly".
	if _, ok := s.Lookup(context.Background(), "", "p9999"); ok {
		t.Fatal("an object missing from the list was served")
	}
	if f.calls.Load() != 1 {
		t.Errorf("%d list calls; a missing object must not make the snapshot list again", f.calls.Load())
	}
}

func TestSnapshotNeverServesAnObjectThisProcessWrote(t *testing.T) {
	f := newFakeList(100)
	s := f.snapshots(func(c *SnapshotConfig[item]) { c.MinReads = 1 })
	s.Wrote(id(3)) // an update or delete of p0003, before anything was listed
	refresh(s, "", 20)
	if _, ok := s.Lookup(context.Background(), "", id(3)); ok {
		t.Error("an object this process updated was served from a snapshot taken after the write")
	}
	s.Wrote(id(7)) // and one written after the snapshot was taken
	refresh(s, "", 20)
	if _, ok := s.Lookup(context.Background(), "", id(7)); ok {
		t.Error("an object this process wrote was served from a snapshot")
	}
	if _, ok := s.Lookup(context.Background(), "", id(8)); !ok {
		t.Error("an object nobody wrote was not served after a fresh fetch")
	}
}

func TestSnapshotTakenBeforeAWriteIsNeverUsedAgain(t *testing.T) {
	f := newFakeList(100)
	s := f.snapshots(func(c *SnapshotConfig[item]) { c.MinReads = 1 })
	refresh(s, "", 5)
	// The process writes (a create elsewhere); out of band, p0050 changes.
	s.Wrote("new-id")
	f.set(id(50), "v2")
	for range 3 {
		if got, ok := s.Lookup(context.Background(), "", id(50)); ok && got.name != "v2" {
			t.Fatalf("served %q from the snapshot taken before the write", got.name)
		}
	}
	// Once the reads pay for it again, a new snapshot is taken, which shows the change.
	refresh(s, "", 5)
	got, ok := s.Lookup(context.Background(), "", id(50))
	if !ok || got.name != "v2" {
		t.Errorf("after a new fetch: %v, %v; want v2 served", got, ok)
	}
	if f.calls.Load() != 2 {
		t.Errorf("%d list calls, want 2", f.calls.Load())
	}
}

func TestSnapshotFetchedWhileAWriteRunsIsDiscarded(t *testing.T) {
	f := newFakeList(100)
	f.gate = make(chan struct{})
	f.started = make(chan struct{}, 10)
	s := f.snapshots(func(c *SnapshotConfig[item]) { c.MinReads = 1 })
	result := make(chan bool)
	go func() {
		_, ok := s.Lookup(context.Background(), "", id(1))
		result <- ok
	}()
	<-f.started
	// A write lands while the page (holding p0002 as v1) is on its way, and p0002 changes.
	s.Wrote("new-id")
	f.set(id(2), "v2")
	close(f.gate)
	if <-result {
		t.Fatal("a snapshot fetched while the process wrote served a read")
	}
	if got, ok := s.Lookup(context.Background(), "", id(2)); ok && got.name != "v2" {
		t.Fatalf("the discarded snapshot served %q to a later read", got.name)
	}
	if f.calls.Load() != 2 {
		t.Errorf("%d list calls, want 2: the discarded one and a fresh one", f.calls.Load())
	}
}

func TestSnapshotDoesNotListALargeAccountForASmallState(t *testing.T) {
	// 5,000 objects, 100 a page: the whole list costs 50 calls.
	f := newFakeList(5000)
	s := f.snapshots(nil)
	refresh(s, "", 3)
	if f.calls.Load() != 0 {
		t.Fatalf("a state of 3: %d list calls, want none", f.calls.Load())
	}
	s = f.snapshots(nil)
	f.calls.Store(0)
	refresh(s, "", 30)
	// The 10th read fetches the first page (it says the list holds 5,000); 30 reads never pay
	// for the other 49 pages.
	if f.calls.Load() != 1 {
		t.Fatalf("a state of 30: %d list calls, want 1", f.calls.Load())
	}
	f.calls.Store(0)
	s = f.snapshots(nil)
	served := refresh(s, "", 1000)
	// Direct reads until they have cost as much as the list (50), then the list: about twice
	// the best possible, never more.
	if calls := int(f.calls.Load()) + (1000 - served); calls > 2*50+DefaultSnapshotMinReads || f.calls.Load() != 50 {
		t.Fatalf("a state of 1,000: %d list calls and %d direct reads", f.calls.Load(), 1000-served)
	}
}

func TestSnapshotWithoutATotalFetchesPagesAsTheReadsPayForThem(t *testing.T) {
	// 5,000 objects, 100 a page, and no total (IAM's list says only whether a next page exists).
	f := newFakeList(5000)
	f.noTotal = true
	s := f.snapshots(func(c *SnapshotConfig[item]) { c.PageSize = 0 })
	refresh(s, "", 30)
	if calls := f.calls.Load(); calls > 15 {
		t.Fatalf("30 reads: %d list calls, want at most half the reads", calls)
	}
	// A small account without a total: one page holds it all.
	small := newFakeList(80)
	small.noTotal = true
	s = small.snapshots(func(c *SnapshotConfig[item]) { c.PageSize = 0 })
	if served := refresh(s, "", 80); small.calls.Load() != 1 || served != 80-(DefaultSnapshotMinReads-1) {
		t.Fatalf("80 reads of an 80-object account: %d list calls, %d served", small.calls.Load(), served)
	}
}

func TestSnapshotCanBeTurnedOff(t *testing.T) {
	f := newFakeList(100)
	s := f.snapshots(func(c *SnapshotConfig[item]) { c.Disabled = true })
	if served := refresh(s, "", 100); served != 0 || f.calls.Load() != 0 {
		t.Fatalf("disabled: %d served, %d list calls; want none", served, f.calls.Load())
	}
	var none *Snapshots[item]
	none.Wrote("x")
	if _, ok := none.Lookup(context.Background(), "", "x"); ok {
		t.Fatal("a nil Snapshots served a read")
	}
}

func TestSnapshotFailedListFallsBackToDirectReads(t *testing.T) {
	f := newFakeList(100)
	f.err = errors.New("403 Forbidden: no permission to list")
	s := f.snapshots(func(c *SnapshotConfig[item]) { c.MinReads = 1 })
	if served := refresh(s, "", 50); served != 0 || f.calls.Load() != 1 {
		t.Fatalf("failed list: %d served, %d list calls; want none served and no second try", served, f.calls.Load())
	}
}

func TestSnapshotExpires(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	f := newFakeList(100)
	s := f.snapshots(func(c *SnapshotConfig[item]) { c.MinReads = 1; c.MaxAge = time.Minute; c.Now = clock })
	refresh(s, "", 5)
	f.set(id(1), "v2")
	mu.Lock()
	now = now.Add(2 * time.Minute)
	mu.Unlock()
	got, ok := s.Lookup(context.Background(), "", id(1))
	if ok && got.name != "v2" {
		t.Fatalf("a snapshot older than MaxAge served %q", got.name)
	}
}

func TestSnapshotScopesAreSeparate(t *testing.T) {
	f := newFakeList(100)
	s := f.snapshots(nil)
	refresh(s, "org-a", 5)
	refresh(s, "org-b", 5)
	if f.calls.Load() != 0 {
		t.Fatalf("5 reads in each of two scopes: %d list calls, want none (each scope counts its own reads)", f.calls.Load())
	}
}

func TestSnapshotReaderStopsWaitingWhenItsContextEnds(t *testing.T) {
	f := newFakeList(100)
	f.gate = make(chan struct{})
	defer close(f.gate)
	s := f.snapshots(func(c *SnapshotConfig[item]) { c.MinReads = 1 })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, ok := s.Lookup(ctx, "", id(1)); ok || time.Since(start) > 5*time.Second {
		t.Fatalf("Lookup = %v after %s; want false as soon as the context ends", ok, time.Since(start))
	}
}

// A read through WithoutSnapshots (a data source) is never served from a snapshot, even one
// already taken, and does not make the process list.
func TestSnapshotNeverServesAReadWithoutSnapshots(t *testing.T) {
	f := newFakeList(50)
	s := f.snapshots(nil)
	direct := WithoutSnapshots(context.Background())
	for i := range 20 {
		if _, ok := s.Lookup(direct, "", id(i)); ok {
			t.Fatalf("read %d through WithoutSnapshots was served from a snapshot", i)
		}
	}
	if f.calls.Load() != 0 {
		t.Fatalf("20 reads through WithoutSnapshots listed %d times, want 0", f.calls.Load())
	}
	refresh(s, "", 20) // a refresh takes a snapshot
	calls := f.calls.Load()
	if calls == 0 {
		t.Fatal("the refresh took no snapshot; the test proves nothing")
	}
	if _, ok := s.Lookup(direct, "", id(30)); ok {
		t.Error("a read through WithoutSnapshots was served from the refresh's snapshot")
	}
}

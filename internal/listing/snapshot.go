package listing

import (
	"context"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Snapshot defaults.
const (
	// DefaultSnapshotMinReads is how many reads of a scope go to the API one by one before the
	// process lists the scope: Terraform refreshes ten resources at a time by default, so a
	// state smaller than that never lists.
	DefaultSnapshotMinReads = 10
	// DefaultSnapshotMaxAge bounds how old a snapshot may be when it serves a read; a refresh
	// reads every resource within seconds.
	DefaultSnapshotMaxAge = time.Minute
	// DefaultSnapshotFetchTimeout bounds one fetch of a scope's pages.
	DefaultSnapshotFetchTimeout = 2 * time.Minute
)

// ListPage is one page of a cloud's list call.
type ListPage[T any] struct {
	Items []T
	// Next names the next page; "" after the last.
	Next string
	// Total is how many objects the whole list holds, when the API says so; 0 when it does not.
	Total int
}

// SnapshotConfig configures Snapshots.
type SnapshotConfig[T any] struct {
	// List fetches the page of scope that token names ("" the first), at the API's largest page
	// size. It should leave out objects that a read by id would call not found (e.g. a status
	// saying deleted): an object missing from a snapshot is read directly.
	List func(ctx context.Context, scope, token string) (ListPage[T], error)
	// ID returns an object's id, the key that Lookup takes.
	ID func(T) string
	// PageSize is how many objects a full page holds; with a page's Total it tells how many
	// pages a whole list costs. 0: unknown, the pages are then fetched one at a time.
	PageSize int
	// MinReads: reads of a scope sent directly before the scope is first listed; 0 means
	// DefaultSnapshotMinReads.
	MinReads int
	// MaxAge: a snapshot older than this serves no read; 0 means DefaultSnapshotMaxAge.
	MaxAge time.Duration
	// FetchTimeout bounds one fetch; 0 means DefaultSnapshotFetchTimeout.
	FetchTimeout time.Duration
	// Disabled turns snapshots off: every Lookup says "read it directly" and nothing is listed.
	Disabled bool
	// Now is the clock; nil means time.Now (tests set it).
	Now func() time.Time
}

// Snapshots serve the reads of one provider process from list calls: one snapshot per scope
// (an organization, a domain, or "" for a whole account), fetched once with every page, with
// concurrent readers waiting for the same fetch. The rules keep a snapshot exactly as correct as
// a read by id:
//
//   - an object missing from a snapshot is "not in the snapshot", never "not found": Lookup
//     answers false and the caller reads it directly;
//   - a snapshot never serves an object this process has written (Wrote), nor is a snapshot
//     used once the process has written anything after (or while) it was taken;
//   - a scope is listed only when that saves calls: after MinReads reads, and only as far as
//     the reads seen pay for the pages (the rest of the list is fetched once the reads seen are
//     at least the pages the whole list costs, estimated from the first page's total; without
//     a total, a next page once they are twice the pages), so a small state in a large account
//     does not list the account, and a refresh never costs more than about twice its best;
//   - a failed list is never retried in the process: the reads go direct.
//
// A nil *Snapshots is valid and disabled. Methods are safe for concurrent use.
type Snapshots[T any] struct {
	cfg SnapshotConfig[T]

	mu sync.Mutex
	// epoch counts the writes; a snapshot is usable only while the epoch it was taken in lasts.
	epoch   uint64
	written map[string]struct{}
	scopes  map[string]*scopeSnapshot[T]
}

type scopeSnapshot[T any] struct {
	// reads counts the Lookups since the scope's last snapshot was discarded.
	reads int
	// items is what the pages fetched so far hold; nil when there is no snapshot.
	items map[string]T
	// epoch and taken say when the snapshot was started.
	epoch uint64
	taken time.Time
	// next is the token of the next page to fetch; "" once every page is in (complete).
	next     string
	complete bool
	// pages fetched, and the pages the whole list costs (estimated from a page's total).
	pages, pagesNeeded int
	// fetching is closed when the fetch in progress ends; nil when none runs.
	fetching chan struct{}
	// failed stops every further list of the scope.
	failed bool
}

// NewSnapshots returns the snapshots of one provider process.
func NewSnapshots[T any](cfg SnapshotConfig[T]) *Snapshots[T] {
	if cfg.MinReads <= 0 {
		cfg.MinReads = DefaultSnapshotMinReads
	}
	if cfg.MaxAge <= 0 {
		cfg.MaxAge = DefaultSnapshotMaxAge
	}
	if cfg.FetchTimeout <= 0 {
		cfg.FetchTimeout = DefaultSnapshotFetchTimeout
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Snapshots[T]{cfg: cfg, written: map[string]struct{}{}, scopes: map[string]*scopeSnapshot[T]{}}
}

// directReads is the context key of WithoutSnapshots.
type directReads struct{}

// WithoutSnapshots returns a context whose reads never come from a snapshot. Data sources read
// with it: a data source may be read during an apply, after another provider process (an
// alias) wrote the object, and this process's snapshot cannot know about that write.
func WithoutSnapshots(ctx context.Context) context.Context {
	return context.WithValue(ctx, directReads{}, true)
}

// Lookup returns the object id of scope from the scope's snapshot. ok false means "not in the
// snapshot" (snapshots off, too few reads yet, written by this process, missing from the list,
// or the list failed): read the object directly, and conclude nothing from its absence.
func (s *Snapshots[T]) Lookup(ctx context.Context, scope, id string) (object T, ok bool) {
	if s == nil || s.cfg.Disabled || ctx.Value(directReads{}) != nil {
		return object, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.scopes[scope]
	if st == nil {
		st = &scopeSnapshot[T]{}
		s.scopes[scope] = st
	}
	st.reads++
	if _, w := s.written[id]; w {
		return object, false
	}
	// Wait for at most one fetch: a reader never waits on a chain of them.
	waited := false
	for {
		if s.usable(st) {
			if object, ok = st.items[id]; ok {
				return object, true
			}
		} else if st.items != nil && st.fetching == nil {
			// Taken before a write, or too old: never used again; the reads start over.
			s.discard(st)
		}
		if st.fetching == nil && !waited && s.shouldFetch(st) {
			s.startFetch(ctx, scope, st)
		}
		if st.fetching == nil || waited {
			return object, false
		}
		ch := st.fetching
		s.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
		}
		s.mu.Lock()
		if ctx.Err() != nil {
			return object, false
		}
		waited = true
		if _, w := s.written[id]; w {
			return object, false
		}
	}
}

// Wrote records writes: call it before sending an update or a delete, with the object's id,
// and after a create, with the new id (and before it too, with no id, if a snapshot could be
// fetched while the create runs). Those objects are never served from a snapshot again, and no
// snapshot taken before the call is used after it.
func (s *Snapshots[T]) Wrote(ids ...string) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.epoch++
	for _, id := range ids {
		if id != "" {
			s.written[id] = struct{}{}
		}
	}
}

// usable reports whether st holds a snapshot that may serve reads now.
func (s *Snapshots[T]) usable(st *scopeSnapshot[T]) bool {
	return st.items != nil && st.epoch == s.epoch && s.cfg.Now().Sub(st.taken) <= s.cfg.MaxAge
}

func (s *Snapshots[T]) discard(st *scopeSnapshot[T]) {
	st.items, st.next, st.complete, st.pages, st.pagesNeeded, st.reads = nil, "", false, 0, 0, 0
}

// shouldFetch decides whether listing (more of) the scope now saves calls.
func (s *Snapshots[T]) shouldFetch(st *scopeSnapshot[T]) bool {
	switch {
	case st.failed || st.reads < s.cfg.MinReads:
		return false
	case st.items == nil:
		return true
	case st.complete:
		return false
	}
	return st.reads >= s.pagesWanted(st)
}

// pagesWanted is how many reads must have been seen before the next page is fetched: the
// cost of the whole list in pages, when a page gave the total; else twice the pages fetched
// with the next, so that an unknown list never costs more than half the reads seen.
func (s *Snapshots[T]) pagesWanted(st *scopeSnapshot[T]) int {
	if st.pagesNeeded > 0 {
		return max(st.pagesNeeded, st.pages+1)
	}
	return 2 * (st.pages + 1)
}

// startFetch starts fetching pages of the scope, from the first or from where the last fetch
// stopped. The fetch outlives the reader that started it (other readers wait for it) but not
// FetchTimeout.
func (s *Snapshots[T]) startFetch(ctx context.Context, scope string, st *scopeSnapshot[T]) {
	done := make(chan struct{})
	st.fetching = done
	if st.items == nil {
		st.items, st.epoch, st.taken = map[string]T{}, s.epoch, s.cfg.Now()
	}
	fetchCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.FetchTimeout)
	go func() {
		defer cancel()
		s.fetch(fetchCtx, scope, st)
		s.mu.Lock()
		st.fetching = nil
		s.mu.Unlock()
		close(done)
	}()
}

// fetch lists pages while the reads seen pay for them and no write intervenes.
func (s *Snapshots[T]) fetch(ctx context.Context, scope string, st *scopeSnapshot[T]) {
	s.mu.Lock()
	token, epoch := st.next, st.epoch
	s.mu.Unlock()
	for {
		page, err := s.cfg.List(ctx, scope, token)
		s.mu.Lock()
		if err != nil {
			st.failed = true
			s.mu.Unlock()
			tflog.Debug(ctx, "listing failed; reads go to the API one by one", map[string]any{"scope": scope, "error": err.Error()})
			return
		}
		if s.epoch != epoch || st.epoch != epoch {
			// Something was written while the page was fetched: the snapshot may or may not show
			// it, so it is never used.
			s.discard(st)
			s.mu.Unlock()
			return
		}
		for _, item := range page.Items {
			st.items[s.cfg.ID(item)] = item
		}
		st.pages++
		if page.Total > 0 && s.cfg.PageSize > 0 {
			st.pagesNeeded = (page.Total + s.cfg.PageSize - 1) / s.cfg.PageSize
		}
		// A page repeating its own token would loop forever: treat it as the last.
		if page.Next == "" || page.Next == token || len(page.Items) == 0 {
			st.next, st.complete = "", true
		} else {
			st.next = page.Next
		}
		more := !st.complete && st.reads >= s.pagesWanted(st)
		pages, items, complete := st.pages, len(st.items), st.complete
		s.mu.Unlock()
		if !more {
			tflog.Debug(ctx, "list snapshot fetched", map[string]any{"scope": scope, "pages": pages, "objects": items, "complete": complete})
			return
		}
		token = page.Next
	}
}

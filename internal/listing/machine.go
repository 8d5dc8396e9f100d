package listing

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
)

// MachineLists shares the listings FreshLists runs between the processes of one machine that
// list one account with one identity (the pipelines of one CI host, each a terraform apply with
// its own provider process). Within a process, FreshLists already lets the creates that asked
// meanwhile share a listing; across processes, every apply walked the account for itself, and
// with 16 applies creating 800 projects the list operation's limit, not the creates', set the
// pace (docs/benchmarks.md, "The shared schedule").
//
// The rule is FreshLists': a listing serves a caller only if its first request went out after
// the caller asked. One process at a time walks a key on a machine, announced in the key's
// shared file (transport.SharedFile) with the time its first request went out; a process whose
// callers need a listing joins that walk if its first request has not gone out yet, or went out
// after the process stopped taking callers for it (its listing is then sealed, as if it had
// sent a request itself), and takes the walk's result from the file when it is written.
// Otherwise it waits for the walk to end and walks next, for everyone who asked meanwhile.
//
// What it never does: serve a listing that started before a caller asked, wait for a process
// that died (the walk names its process and beats while it runs), or fail a listing because of
// the file. Whatever goes wrong with the file (it cannot be opened, locked or trusted; a result
// does not decode; the walker gave up), the process walks for itself, as without sharing. A
// walk that fails is not shared: its error may be its own process's (a cancelled context).
//
// The file holds the last result (the projects the listing found) until the next walk, and is
// swept when not written for an hour; it is this user's own (transport.SharedFile).
type MachineLists[T any] struct {
	// File returns the shared file of a key, nil for none (sharing off).
	File func(key string) *transport.SharedFile

	// processID is this process's id in the file; 0 means os.Getpid() (tests give each
	// simulated process its own).
	processID int
}

// processAlive tells whether a process runs; tests simulate processes.
var processAlive = processRunning

func (m *MachineLists[T]) pid() int {
	if m.processID != 0 {
		return m.processID
	}
	return os.Getpid()
}

// headerSize is the fixed size of the file's header, a JSON object padded with spaces and ended
// by a newline; the result of the last walk follows it. Polling reads the header alone.
const headerSize = 512

// pollEvery is how often a process waiting for another's walk reads the header: a listing's
// pages come at most 20 a second, so waiting a few ms longer costs nothing.
const pollEvery = 5 * time.Millisecond

// staleBeat: a walk whose process has not written for this long is taken as abandoned, even
// if its process lives (its request may wait for the rate limit up to maxQueued intervals).
const staleBeat = 2 * time.Minute

// maxResult bounds a result read from the file (the listing of a large account is a few MB).
const maxResult = 64 << 20

// boardHeader is the file's header.
type boardHeader struct {
	// Walk is the walk under way, if any.
	Walk *boardWalk `json:"walk,omitempty"`
	// Done is the last walk that ended well, whose result follows the header.
	Done *boardDone `json:"done,omitempty"`
}

type boardWalk struct {
	ID  string `json:"id"`
	PID int    `json:"pid"`
	// Sent is when its first request went out (machineNow), 0 until then; Beat when its process
	// last wrote.
	Sent int64 `json:"sent"`
	Beat int64 `json:"beat"`
}

type boardDone struct {
	ID  string `json:"id"`
	Len int64  `json:"len"`
}

// readHeader reads the header; an empty file has an empty one, anything unreadable none.
func readHeader(f *os.File) (boardHeader, bool) {
	var h boardHeader
	buf := make([]byte, headerSize)
	n, err := f.ReadAt(buf, 0)
	if n == 0 && errors.Is(err, io.EOF) {
		return h, true
	}
	if n != headerSize || buf[headerSize-1] != '\n' {
		return h, false
	}
	return h, json.Unmarshal(bytes.TrimRight(buf, " \n"), &h) == nil
}

// writeHeader writes h over the header, leaving the result after it as it is.
func writeHeader(f *os.File, h boardHeader) bool {
	b, err := json.Marshal(h)
	if err != nil || len(b) >= headerSize {
		return false
	}
	buf := bytes.Repeat([]byte{' '}, headerSize)
	copy(buf, b)
	buf[headerSize-1] = '\n'
	_, err = f.WriteAt(buf, 0)
	return err == nil
}

// alive tells whether the walk's process still runs and wrote lately.
func (w *boardWalk) alive(now int64) bool {
	return now-w.Beat < int64(staleBeat) && processAlive(w.PID)
}

// List returns what list returns, or the result of another process's walk of key that went
// out after this call's callers asked (see above). ctx carries FreshLists' hooks: joining a
// walk seals the caller's listing (transport.BeforeSend), as sending its first request would.
func (m *MachineLists[T]) List(ctx context.Context, key string, list func(context.Context) (T, error)) (T, error) {
	var file *transport.SharedFile
	if m != nil && m.File != nil {
		file = m.File(key)
	}
	if file == nil {
		return list(ctx)
	}
	// sealed: when this listing stopped taking callers (machineNow), 0 while it takes them.
	var sealed int64
	for {
		// One look under the file's lock decides: announce a walk of this process's, join the
		// walk under way, or wait for it. Joining seals this listing under the same lock, so
		// the walk's first request (whose time its process writes under the lock before it
		// sends) cannot go out between the look and the seal.
		var other *boardWalk
		id := ""
		join := false
		if !file.Locked(ctx, func(f *os.File) bool {
			h, valid := readHeader(f)
			if !valid {
				h = boardHeader{}
				if f.Truncate(0) != nil {
					return false
				}
			}
			now := machineNow()
			if w := h.Walk; w != nil && w.alive(now) {
				other = w
				if w.PID != m.pid() && (w.Sent == 0 || (sealed != 0 && w.Sent > sealed)) {
					join = true
					if sealed == 0 {
						transport.BeforeSend(ctx)
						sealed = machineNow()
					}
				}
				return true
			}
			id = newWalkID()
			h.Walk = &boardWalk{ID: id, PID: m.pid(), Beat: now}
			return writeHeader(f, h)
		}) {
			if err := ctx.Err(); err != nil {
				var zero T
				return zero, err
			}
			return list(ctx) // the file cannot be used: list alone
		}
		switch {
		case id != "":
			return m.walk(ctx, file, id, list)
		case other.PID == m.pid():
			// This process's own walk: FreshLists lets a second one run beside it only while the
			// API is slow and the operation not queued, where waiting would cost latency.
			return list(ctx)
		case join:
			// Its first request goes out after every caller of this listing asked.
			v, got, err := m.await(ctx, file, other.ID, true)
			if got || err != nil {
				return v, err
			}
		default:
			// It went out before some caller asked: wait for it to end, then walk or join.
			if _, _, err := m.await(ctx, file, other.ID, false); err != nil {
				var zero T
				return zero, err
			}
		}
	}
}

// await polls the file until walk id ends. With result, it returns the walk's result (got) if
// it ended well; got is false when it did not (failed, abandoned) or its result is unreadable,
// and the caller lists again.
func (m *MachineLists[T]) await(ctx context.Context, file *transport.SharedFile, id string, result bool) (v T, got bool, err error) {
	for {
		if err := transport.Sleep(ctx, pollEvery); err != nil {
			return v, false, err
		}
		ended := false
		ok := file.Locked(ctx, func(f *os.File) bool {
			h, valid := readHeader(f)
			switch {
			case !valid:
				ended = true
			case h.Done != nil && h.Done.ID == id:
				ended = true
				if result {
					got = readResult(f, h.Done.Len, &v)
				}
			case h.Walk == nil || h.Walk.ID != id || !h.Walk.alive(machineNow()):
				ended = true
			}
			return true
		})
		if !ok || ended {
			if ctx.Err() != nil {
				return v, false, ctx.Err()
			}
			return v, got, nil
		}
	}
}

// readResult decodes the result of n bytes after the header into v.
func readResult(f *os.File, n int64, v any) bool {
	if n <= 0 || n > maxResult {
		return false
	}
	buf := make([]byte, n)
	if _, err := f.ReadAt(buf, headerSize); err != nil {
		return false
	}
	return json.Unmarshal(buf, v) == nil
}

// walk lists for this process and every process that joins walk id, announced in the file.
func (m *MachineLists[T]) walk(ctx context.Context, file *transport.SharedFile, id string, list func(context.Context) (T, error)) (T, error) {
	// update rewrites this walk's entry, if it is still this walk's.
	update := func(ctx context.Context, fn func(f *os.File, h *boardHeader) bool) bool {
		return file.Locked(ctx, func(f *os.File) bool {
			h, valid := readHeader(f)
			if !valid || h.Walk == nil || h.Walk.ID != id {
				return false
			}
			return fn(f, &h)
		})
	}
	var once sync.Once
	var lastBeat time.Time
	var beatMu sync.Mutex
	// stamped: the time of the first request is in the file. A walk whose time could not be
	// written (a lock not had in time) is not shared: someone who joined it afterwards, seeing no
	// time, could take a listing from before its callers asked.
	var stamped atomic.Bool
	walkCtx := transport.WithBeforeSend(ctx, func() {
		once.Do(func() {
			stamped.Store(update(ctx, func(f *os.File, h *boardHeader) bool {
				h.Walk.Sent, h.Walk.Beat = machineNow(), machineNow()
				return writeHeader(f, *h)
			}))
		})
	})
	walkCtx = transport.WithRoundTrip(walkCtx, func(time.Duration) {
		beatMu.Lock()
		due := time.Since(lastBeat) > staleBeat/8
		if due {
			lastBeat = time.Now()
		}
		beatMu.Unlock()
		if due {
			update(ctx, func(f *os.File, h *boardHeader) bool {
				h.Walk.Beat = machineNow()
				return writeHeader(f, *h)
			})
		}
	})
	v, err := list(walkCtx)
	// The end is written even when ctx ended, so that those who joined do not wait for the beat.
	endCtx := context.WithoutCancel(ctx)
	update(endCtx, func(f *os.File, h *boardHeader) bool {
		h.Walk = nil
		if err == nil && stamped.Load() {
			if result, merr := json.Marshal(v); merr == nil && len(result) <= maxResult {
				if _, werr := f.WriteAt(result, headerSize); werr == nil && f.Truncate(headerSize+int64(len(result))) == nil {
					h.Done = &boardDone{ID: id, Len: int64(len(result))}
					return writeHeader(f, *h)
				}
			}
		}
		// Failed, or the result could not be written: those who joined list again.
		h.Done = nil
		return writeHeader(f, *h) && f.Truncate(headerSize) == nil
	})
	return v, err
}

// newWalkID names a walk: unique among the walks of a machine.
func newWalkID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

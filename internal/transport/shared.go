package transport

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The shared schedule: processes of one machine (one user, one temporary directory) that call
// one API with one identity share one schedule per operation, so that their requests are paced
// together instead of colliding in the server's window. The schedule is a small file holding
// the next free send time; a request, under an exclusive lock on the file, takes the slot
// max(now, next) and writes next = slot + the configured rate's interval (2 % wider), then
// sleeps until its slot. Eight `terraform apply` runs of one pipeline host then send like one
// process at the configured rate (docs/benchmarks.md, "The shared schedule").
//
// The file holds only a time, so a process that dies leaves nothing to clean up; a schedule
// that cannot be used (no directory, a file owned by someone else, a symlink, a lock not had
// within lockPatience, unreadable contents) never fails a request: the request is paced by the
// process's own AdaptiveLimiter alone, which is always in front of the schedule (it also cuts
// the process's share when other machines fill the account's limit).
//
// Platforms without flock (windows) have no shared schedule (shared_other.go).

// SharedRateLimitEnv turns the shared schedule off when set to "off" (or "0", "false", "no").
const SharedRateLimitEnv = "PROJECTKIT_SHARED_RATE_LIMIT"

// maxQueued bounds how far ahead of now a schedule's next free time may be, in intervals: no
// machine has that many requests of one operation waiting at once, so a time further off (the
// clock was set back, or the file was written by something else) is not trusted.
const maxQueued = 1024

// lockPatience is how long a request waits for the schedule's lock (held for microseconds)
// before it goes without the schedule.
const lockPatience = 100 * time.Millisecond

// sharedEnabled tells whether the environment leaves the shared schedule on.
func sharedEnabled() bool {
	switch strings.ToLower(strings.TrimSpace(os.Getenv(SharedRateLimitEnv))) {
	case "off", "0", "false", "no":
		return false
	}
	return true
}

// sharedDir is the folder of the schedules: one per user in the temporary directory.
func sharedDir() string {
	return filepath.Join(os.TempDir(), fmt.Sprintf("projectkit-rate-%d", os.Getuid()))
}

// sharedKey names the schedule of one operation: the endpoint (scheme and host), the identity
// the API counts requests against (an access key id, never a secret), the operation and the
// configured rate, hashed so that the name shows none of them.
func sharedKey(endpoint, identity, operation string, requestsPerSecond float64) string {
	h := sha256.New()
	fmt.Fprintf(h, "projectkit-rate v1\x00%s\x00%s\x00%s\x00%s", strings.ToLower(endpoint), identity, operation,
		strconv.FormatFloat(requestsPerSecond, 'g', -1, 64))
	return hex.EncodeToString(h.Sum(nil))
}

// sharedFile is one file of the shared folder: a schedule, or a SharedFile.
type sharedFile struct {
	dir, path string

	// mu serializes this process's uses of the file: one descriptor, kept open (opening and
	// checking it for every request was half of a request's CPU in the client), and flock
	// locks belong to the open file, not to the goroutine.
	mu   sync.Mutex
	file *os.File
}

// sharedSchedule is one operation's schedule file.
type sharedSchedule struct {
	sharedFile
	interval time.Duration
}

// newSharedSchedule returns the schedule named key in dir, spaced at the configured rate 2 %
// wider, or nil where the platform has none.
func newSharedSchedule(dir, key string, requestsPerSecond float64) *sharedSchedule {
	if !sharedSupported || requestsPerSecond <= 0 {
		return nil
	}
	return &sharedSchedule{sharedFile: sharedFile{dir: dir, path: filepath.Join(dir, key)},
		interval: time.Duration(float64(time.Second) * rateMargin / requestsPerSecond)}
}

// SharedFile is a file of the shared schedules' folder that the processes of one machine
// calling one endpoint with one identity use together, each under an exclusive lock:
// listing.MachineLists keeps the listings it shares between them there. Like the schedules, it
// is this user's own (folder 0700, file 0600, never a symlink), and it is swept when not written
// for an hour.
type SharedFile struct {
	f *sharedFile
}

// SharedFile returns the shared file called name for this client's endpoint and identity, or
// nil where the client has no shared folder (no identity, PROJECTKIT_SHARED_RATE_LIMIT=off, a
// platform without flock): then nothing is shared.
func (c *Client) SharedFile(name string) *SharedFile {
	if c.sharedDir == "" {
		return nil
	}
	// One per name for the client's life, as the schedules: its descriptor stays open and is
	// opened and checked once, not for every listing.
	c.mu.Lock()
	defer c.mu.Unlock()
	if f, ok := c.files[name]; ok {
		return f
	}
	// A rate of 0 names no schedule (those have a positive one): the names never meet.
	f := &SharedFile{f: &sharedFile{dir: c.sharedDir, path: filepath.Join(c.sharedDir, sharedKey(c.opts.Endpoint, c.opts.Identity, "file\x00"+name, 0))}}
	if c.files == nil {
		c.files = map[string]*SharedFile{}
	}
	c.files[name] = f
	return f
}

// Locked runs fn on the open file under its exclusive lock. false: the file could not be
// opened, trusted or locked within lockPatience (fn did not run), or fn returned false.
func (s *SharedFile) Locked(ctx context.Context, fn func(*os.File) bool) bool {
	return s.f.locked(ctx, fn)
}

// scheduleWidth is the size of the file's contents: the next free time in Unix nanoseconds,
// 20 digits, and a newline.
const scheduleWidth = 21

func formatNext(t time.Time) []byte {
	return fmt.Appendf(nil, "%020d\n", t.UnixNano())
}

// parseNext reads the file's contents: the zero time for an empty file (a new schedule), false
// for anything else than formatNext wrote.
func parseNext(b []byte) (time.Time, bool) {
	if len(b) == 0 {
		return time.Time{}, true
	}
	if len(b) != scheduleWidth || b[scheduleWidth-1] != '\n' {
		return time.Time{}, false
	}
	n, err := strconv.ParseInt(string(b[:scheduleWidth-1]), 10, 64)
	if err != nil || n < 0 {
		return time.Time{}, false
	}
	return time.Unix(0, n), true
}

// next computes the slot a request asking at now takes, from the file's contents, and the
// contents to write; ok is false when the contents cannot be trusted (the request goes without
// the schedule, and the file is written anew from now so that the next request has it again).
func (s *sharedSchedule) next(contents []byte, now time.Time) (slot time.Time, write []byte, ok bool) {
	next, ok := parseNext(contents)
	if ok && next.After(now.Add(maxQueued*s.interval)) {
		ok = false
	}
	if !ok {
		return time.Time{}, formatNext(now.Add(s.interval)), false
	}
	slot = now
	if next.After(slot) {
		slot = next
	}
	return slot, formatNext(slot.Add(s.interval)), true
}

// Wait takes a slot on the schedule and sleeps until it. false: the schedule could not be used,
// and the request goes without it. A waiter whose context ends gives its slot back if no later
// slot was taken since; otherwise the slot stays unused (a gap of one interval in the shared
// pace), which is cheaper than moving every later waiter.
func (s *sharedSchedule) Wait(ctx context.Context) (time.Time, bool, error) {
	slot, ok := s.take(ctx)
	if !ok {
		return time.Time{}, false, ctx.Err()
	}
	if d := time.Until(slot); d > 0 {
		if err := Sleep(ctx, d); err != nil {
			s.giveBack(slot)
			return time.Time{}, true, err
		}
	}
	return time.Now(), true, nil
}

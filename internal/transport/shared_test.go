//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package transport

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// checkSpacing fails unless every two slots are at least interval apart.
func checkSpacing(t *testing.T, slots []time.Time, interval time.Duration) {
	t.Helper()
	slices.SortFunc(slots, func(a, b time.Time) int { return a.Compare(b) })
	for i := 1; i < len(slots); i++ {
		if d := slots[i].Sub(slots[i-1]); d < interval {
			t.Fatalf("slots %d and %d are %s apart, less than the interval %s", i-1, i, d, interval)
		}
	}
}

func TestSharedScheduleGoroutinesNeverCloserThanTheInterval(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "rate")
	key := sharedKey("https://api.example", "AKID", "CreateProject", 200)
	const workers, each = 8, 25
	var mu sync.Mutex
	var slots []time.Time
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := newSharedSchedule(dir, key, 200) // a handle of its own, as another process has
			for range each {
				slot, ok := s.take(context.Background())
				if !ok {
					t.Error("the schedule could not be used")
					return
				}
				mu.Lock()
				slots = append(slots, slot)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(slots) != workers*each {
		t.Fatalf("%d slots, want %d", len(slots), workers*each)
	}
	checkSpacing(t, slots, newSharedSchedule(dir, key, 200).interval)
	for path, want := range map[string]os.FileMode{dir: 0o700, filepath.Join(dir, key): 0o600} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s has mode %o, want %o", path, got, want)
		}
	}
}

func TestSharedScheduleWaitSleepsUntilItsSlot(t *testing.T) {
	s := newSharedSchedule(filepath.Join(t.TempDir(), "rate"), "k", 20)
	start := time.Now()
	for k := range 4 {
		at, ok, err := s.Wait(context.Background())
		if err != nil || !ok {
			t.Fatalf("Wait: %v, %v", ok, err)
		}
		// The k-th slot is k intervals after the first, which is no earlier than start. A sleep
		// may overshoot its slot (on a busy machine by milliseconds), never undershoot it.
		if slot := start.Add(time.Duration(k) * s.interval); at.Before(slot) {
			t.Fatalf("Wait %d returned at %s, before its slot at %s", k, at.Sub(start), slot.Sub(start))
		}
	}
}

// The helper process of TestSharedScheduleProcessesNeverCloserThanTheInterval: takes slots and
// prints them.
func TestSharedScheduleHelperProcess(t *testing.T) {
	dir := os.Getenv("PROJECTKIT_TEST_SHARED_DIR")
	if dir == "" {
		t.Skip("only run by TestSharedScheduleProcessesNeverCloserThanTheInterval")
	}
	s := newSharedSchedule(dir, "k", 200)
	for range 50 {
		slot, ok := s.take(context.Background())
		if !ok {
			t.Fatal("the schedule could not be used")
		}
		fmt.Println("slot", slot.UnixNano())
	}
}

func TestSharedScheduleProcessesNeverCloserThanTheInterval(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	dir := filepath.Join(t.TempDir(), "rate")
	const procs = 4
	outs := make([][]byte, procs)
	errs := make([]error, procs)
	var wg sync.WaitGroup
	for i := range procs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(os.Args[0], "-test.run=^TestSharedScheduleHelperProcess$", "-test.count=1") //nolint:gosec // G204: the test binary itself, re-run as a helper process
			cmd.Env = append(os.Environ(), "PROJECTKIT_TEST_SHARED_DIR="+dir)
			outs[i], errs[i] = cmd.Output()
		}()
	}
	wg.Wait()
	var slots []time.Time
	for i, out := range outs {
		if errs[i] != nil {
			t.Fatalf("helper %d: %v\n%s", i, errs[i], out)
		}
		sc := bufio.NewScanner(strings.NewReader(string(out)))
		for sc.Scan() {
			if v, ok := strings.CutPrefix(sc.Text(), "slot "); ok {
				n, err := strconv.ParseInt(v, 10, 64)
				if err != nil {
					t.Fatal(err)
				}
				slots = append(slots, time.Unix(0, n))
			}
		}
	}
	if len(slots) != procs*50 {
		t.Fatalf("%d slots, want %d", len(slots), procs*50)
	}
	checkSpacing(t, slots, newSharedSchedule(dir, "k", 200).interval)
}

func TestSharedScheduleCorruptFileFallsBackThenRecovers(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "rate")
	s := newSharedSchedule(dir, "k", 20)
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, junk := range []string{"garbage", "-0000000000000000001\n", "99999999999999999999\n", fmt.Sprintf("%020d\n", time.Now().Add(time.Hour).UnixNano())} {
		if err := os.WriteFile(s.path, []byte(junk), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, ok, err := s.Wait(context.Background()); ok || err != nil {
			t.Fatalf("%q: Wait = %v, %v; want the local limiter alone (false, nil)", junk, ok, err)
		}
		// The file was written anew: the next request has the schedule again.
		if _, ok := s.take(context.Background()); !ok {
			t.Fatalf("%q: the schedule was not repaired", junk)
		}
	}
}

func TestSharedScheduleRefusesSymlinksAndOthersFolders(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "rate")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(base, "elsewhere")
	if err := os.WriteFile(target, []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := newSharedSchedule(dir, "k", 20)
	if err := os.Symlink(target, s.path); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.take(context.Background()); ok {
		t.Error("a symlink was used as the schedule")
	}
	if b, _ := os.ReadFile(target); string(b) != "keep" {
		t.Errorf("the symlink's target was written: %q", b)
	}

	// A folder others may write.
	open := filepath.Join(base, "open")
	if err := os.Mkdir(open, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(open, 0o777); err != nil {
		t.Fatal(err)
	}
	if _, ok := newSharedSchedule(open, "k", 20).take(context.Background()); ok {
		t.Error("a folder others may write was used")
	}
	// A symlink in place of the folder.
	link := filepath.Join(base, "link")
	if err := os.Symlink(dir, link); err != nil {
		t.Fatal(err)
	}
	if _, ok := newSharedSchedule(link, "other", 20).take(context.Background()); ok {
		t.Error("a symlink was used as the folder")
	}
	// A schedule file others may write.
	s = newSharedSchedule(dir, "loose", 20)
	if err := os.WriteFile(s.path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(s.path, 0o666); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.take(context.Background()); ok {
		t.Error("a file others may write was used")
	}
}

func TestSharedScheduleWaitHonoursTheContext(t *testing.T) {
	s := newSharedSchedule(filepath.Join(t.TempDir(), "rate"), "k", 1)
	first, ok := s.take(context.Background())
	if !ok {
		t.Fatal("the schedule could not be used")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, ok, err := s.Wait(ctx)
	if !errors.Is(err, context.DeadlineExceeded) || !ok {
		t.Fatalf("Wait = %v, %v; want the context's error", ok, err)
	}
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Errorf("Wait returned after %s, not when the context ended", d)
	}
	// The slot given up was the last one taken: it is given back, and the next request has it.
	second, ok := s.take(context.Background())
	if !ok {
		t.Fatal("the schedule could not be used")
	}
	if want := first.Add(s.interval); !second.Equal(want) {
		t.Errorf("the next slot is %s after the first, want %s (the abandoned one given back)", second.Sub(first), s.interval)
	}
}

func TestClientSharedScheduleSwitches(t *testing.T) {
	t.Setenv(SharedRateLimitEnv, "")
	if c := New(Options{RequestsPerSecond: 20, Endpoint: "https://x", Identity: "AKID"}); c.sharedDir == "" {
		t.Error("no shared schedule by default")
	}
	if c := New(Options{RequestsPerSecond: 20, Endpoint: "https://x"}); c.sharedDir != "" {
		t.Error("a shared schedule without an identity")
	}
	for _, off := range []string{"off", "OFF", "0", "false", "no"} {
		t.Setenv(SharedRateLimitEnv, off)
		if c := New(Options{RequestsPerSecond: 20, Endpoint: "https://x", Identity: "AKID"}); c.sharedDir != "" {
			t.Errorf("%s=%s: a shared schedule", SharedRateLimitEnv, off)
		}
	}
}

// A shared file is one per endpoint, identity and name, private to the user, and none where
// there are no shared schedules.
func TestClientSharedFile(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	t.Setenv(SharedRateLimitEnv, "")
	c := New(Options{Endpoint: "https://x", Identity: "AKID"})
	write := func(f *SharedFile, text string) {
		t.Helper()
		if !f.Locked(context.Background(), func(file *os.File) bool { _, err := file.WriteAt([]byte(text), 0); return err == nil }) {
			t.Fatal("Locked failed")
		}
	}
	read := func(f *SharedFile) (text string, mode os.FileMode) {
		f.Locked(context.Background(), func(file *os.File) bool {
			b, _ := io.ReadAll(io.NewSectionReader(file, 0, 100))
			fi, _ := file.Stat()
			text, mode = string(b), fi.Mode().Perm()
			return true
		})
		return text, mode
	}
	if first := c.SharedFile("a"); c.SharedFile("a") != first {
		t.Error("a name's shared file is made anew for every use (a descriptor opened each time)")
	}
	write(c.SharedFile("a"), "from a")
	if text, mode := read(New(Options{Endpoint: "https://x", Identity: "AKID"}).SharedFile("a")); text != "from a" || mode != 0o600 {
		t.Errorf("another client of the same identity reads %q (mode %v)", text, mode)
	}
	for name, other := range map[string]*SharedFile{
		"another name":     c.SharedFile("b"),
		"another identity": New(Options{Endpoint: "https://x", Identity: "AKID2"}).SharedFile("a"),
		"another endpoint": New(Options{Endpoint: "https://y", Identity: "AKID"}).SharedFile("a"),
	} {
		if text, _ := read(other); text != "" {
			t.Errorf("%s reads %q", name, text)
		}
	}
	if New(Options{Endpoint: "https://x"}).SharedFile("a") != nil {
		t.Error("a shared file without an identity")
	}
	t.Setenv(SharedRateLimitEnv, "off")
	if New(Options{Endpoint: "https://x", Identity: "AKID"}).SharedFile("a") != nil {
		t.Errorf("%s=off: a shared file", SharedRateLimitEnv)
	}
}

func TestClientsOfOneIdentityArePacedTogether(t *testing.T) {
	srv, n := serverAnswering(t)
	dir := filepath.Join(t.TempDir(), "rate")
	const rate, each = 50, 10
	newClient := func(identity string) *Client {
		c := New(Options{Subsystem: "test", RequestsPerSecond: rate, Retry: fastRetry, Endpoint: srv.URL, Identity: identity})
		c.sharedDir = dir
		return c
	}
	run := func(clients ...*Client) time.Duration {
		start := time.Now()
		var wg sync.WaitGroup
		for _, c := range clients {
			for range each {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if _, err := c.Do(context.Background(), call(srv.URL, true)); err != nil {
						t.Error(err)
					}
				}()
			}
		}
		wg.Wait()
		return time.Since(start)
	}
	interval := newSharedSchedule(dir, "k", rate).interval
	// Two processes of one identity: 20 requests one interval apart at least.
	if d := run(newClient("AKID"), newClient("AKID")); d < 19*interval {
		t.Errorf("two clients of one identity sent 20 requests in %s, want at least %s", d, 19*interval)
	}
	// Of two identities: each at the rate, side by side.
	if d := run(newClient("A"), newClient("B")); d > 15*interval {
		t.Errorf("two clients of different identities sent 20 requests in %s, want about %s (paced apart)", d, 9*interval)
	}
	if n.Load() != 4*each {
		t.Errorf("%d requests, want %d", n.Load(), 4*each)
	}
}

func TestSweepRemovesOnlyStaleSchedules(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "rate")
	stale := newSharedSchedule(dir, sharedKey("https://old", "A", "Op", 20), 20)
	fresh := newSharedSchedule(dir, sharedKey("https://new", "A", "Op", 20), 20)
	for _, s := range []*sharedSchedule{stale, fresh} {
		if _, ok := s.take(context.Background()); !ok {
			t.Fatal("the schedule could not be used")
		}
	}
	other := filepath.Join(dir, "not-a-schedule")
	if err := os.WriteFile(other, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-2 * staleAfter)
	for _, p := range []string{stale.path, other} {
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	sweep(dir)
	if _, err := os.Lstat(stale.path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the stale schedule is still there (%v)", err)
	}
	for _, p := range []string{fresh.path, other} {
		if _, err := os.Lstat(p); err != nil {
			t.Errorf("%s was removed: %v", p, err)
		}
	}
	// A handle on the swept schedule makes it anew.
	if _, ok := stale.take(context.Background()); !ok {
		t.Error("the swept schedule could not be used again")
	}
}

func TestSweepIfDueSweepsOnceInSweepEvery(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "rate")
	s := newSharedSchedule(dir, sharedKey("https://old", "A", "Op", 20), 20)
	if _, ok := s.take(context.Background()); !ok {
		t.Fatal("the schedule could not be used")
	}
	makeStale := func() {
		old := time.Now().Add(-2 * staleAfter)
		if err := os.Chtimes(s.path, old, old); err != nil {
			t.Fatal(err)
		}
	}
	exists := func() bool {
		_, err := os.Lstat(s.path)
		return err == nil
	}
	makeStale()
	sweepIfDue(dir) // never swept: sweeps
	if exists() {
		t.Fatal("the first sweepIfDue did not sweep")
	}
	if _, ok := s.take(context.Background()); !ok {
		t.Fatal("the schedule could not be used")
	}
	makeStale()
	sweepIfDue(dir) // swept just now: does not look
	if !exists() {
		t.Fatal("a second sweepIfDue within sweepEvery swept again")
	}
	marker := filepath.Join(dir, sweptMarker)
	long := time.Now().Add(-sweepEvery - time.Minute)
	if err := os.Chtimes(marker, long, long); err != nil {
		t.Fatal(err)
	}
	sweepIfDue(dir) // the last sweep is sweepEvery ago: sweeps
	if exists() {
		t.Error("sweepIfDue did not sweep sweepEvery after the last sweep")
	}
	if fi, err := os.Lstat(marker); err != nil || time.Since(fi.ModTime()) > time.Minute {
		t.Errorf("the marker was not renewed (%v)", err)
	}
	// A marker that is a symlink is not followed, and nothing is swept through it.
	if err := os.Remove(marker); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(t.TempDir(), "elsewhere")
	if err := os.Symlink(target, marker); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.take(context.Background()); !ok {
		t.Fatal("the schedule could not be used")
	}
	makeStale()
	sweepIfDue(dir)
	if !exists() {
		t.Error("swept although the marker is a symlink")
	}
	if _, err := os.Lstat(target); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the symlink's target was created (%v)", err)
	}
}

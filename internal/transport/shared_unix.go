//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package transport

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

const sharedSupported = true

// take reserves the next free slot; false when the schedule cannot be used.
func (s *sharedSchedule) take(ctx context.Context) (time.Time, bool) {
	var slot time.Time
	var ok bool
	locked := s.rewrite(ctx, func(contents []byte) []byte {
		var write []byte
		slot, write, ok = s.next(contents, time.Now())
		return write
	})
	return slot, locked && ok
}

// giveBack frees slot if it is still the last one taken.
func (s *sharedSchedule) giveBack(slot time.Time) {
	s.rewrite(context.Background(), func(contents []byte) []byte {
		if next, ok := parseNext(contents); ok && next.Equal(slot.Add(s.interval)) {
			return formatNext(slot)
		}
		return nil
	})
}

// rewrite runs fn on the schedule's contents under the file's lock and writes what fn returns
// (nothing if nil). false: the file could not be opened, trusted, locked, read or written.
func (s *sharedSchedule) rewrite(ctx context.Context, fn func([]byte) []byte) bool {
	return s.locked(ctx, func(f *os.File) bool {
		buf := make([]byte, scheduleWidth+1)
		n, err := f.ReadAt(buf, 0)
		if err != nil && !errors.Is(err, io.EOF) {
			return false
		}
		write := fn(buf[:n])
		if write == nil {
			return true
		}
		if _, err := f.WriteAt(write, 0); err != nil {
			return false
		}
		return n <= len(write) || f.Truncate(int64(len(write))) == nil
	})
}

// locked runs fn on the open file under an exclusive lock. false: the file could not be
// opened, trusted or locked (fn did not run), or fn returned false.
func (s *sharedFile) locked(ctx context.Context, fn func(*os.File) bool) bool {
	// A file swept away (sweep) between our open and our lock is opened again.
	for range 3 {
		if done, ok := s.lockedOnce(ctx, fn); done {
			return ok
		}
	}
	return false
}

// lockedOnce is one try of locked; done is false when the file locked is no longer the one at
// the path.
func (s *sharedFile) lockedOnce(ctx context.Context, fn func(*os.File) bool) (done, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.file == nil {
		f, err := s.open()
		if err != nil {
			return true, false
		}
		s.file = f
	}
	f := s.file
	fd := int(f.Fd())
	if !lock(ctx, fd) {
		return true, false
	}
	defer syscall.Flock(fd, syscall.LOCK_UN) //nolint:errcheck // closing the file unlocks it too
	if !samePath(f, s.path) {
		// Swept (or replaced) since it was opened: open the one at the path.
		_ = f.Close()
		s.file = nil
		return false, false
	}
	return true, fn(f)
}

// samePath tells whether f is still the file at path.
func samePath(f *os.File, path string) bool {
	fi, err := f.Stat()
	if err != nil {
		return false
	}
	at, err := os.Lstat(path) //nolint:gosec // G703: the path is os.TempDir() joined with a hex hash, checked as this user's own
	return err == nil && os.SameFile(fi, at)
}

// staleAfter: a schedule not written for this long is swept away (sweep); any process still
// using it writes it at its next request, so only schedules of endpoints no longer called go.
const staleAfter = time.Hour

// sweepEvery: the folder is swept by one process in this long at most. A sweep looks at every
// file, and after a test run there are thousands (one per test server): swept by every process
// at its start, they cost more CPU than all of a short command's requests.
const sweepEvery = 10 * time.Minute

// sweptMarker is the file whose modification time says when the folder was last swept (its
// name is not a schedule's, so sweep never removes it).
const sweptMarker = "swept"

// sweepIfDue sweeps dir unless it was swept less than sweepEvery ago.
func sweepIfDue(dir string) {
	if !privateDir(dir) {
		return
	}
	marker := filepath.Join(dir, sweptMarker)
	if fi, err := os.Lstat(marker); err == nil && time.Since(fi.ModTime()) < sweepEvery {
		return
	}
	f, err := os.OpenFile(marker, os.O_WRONLY|os.O_CREATE|syscall.O_NOFOLLOW|syscall.O_CLOEXEC, 0o600) //nolint:gosec // G304: the path is the checked folder joined with a constant
	if err != nil {
		return
	}
	_ = f.Close()
	now := time.Now()
	if os.Chtimes(marker, now, now) != nil {
		return
	}
	sweep(dir)
}

// privateDir tells whether dir is a folder of this user's that no one else may use.
func privateDir(dir string) bool {
	fi, err := os.Lstat(dir)
	return err == nil && fi.IsDir() && ownedPrivate(fi) == nil
}

// sweep removes the schedules of dir not written for staleAfter, so that the folder does not
// grow with every endpoint ever called (test servers listen on a new port each time). A file
// is removed only under its lock, and a process that opened it before takes it again (locked).
func sweep(dir string) {
	if !privateDir(dir) {
		return
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	old := time.Now().Add(-staleAfter)
	for _, e := range entries {
		if !e.Type().IsRegular() || len(e.Name()) != 64 {
			continue
		}
		if fi, err := e.Info(); err != nil || fi.ModTime().After(old) {
			continue
		}
		path := filepath.Join(dir, e.Name())
		f, err := os.OpenFile(path, os.O_RDWR|syscall.O_NOFOLLOW|syscall.O_CLOEXEC, 0)
		if err != nil {
			continue
		}
		if syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil {
			if fi, err := f.Stat(); err == nil && fi.ModTime().Before(old) && ownedPrivate(fi) == nil && samePath(f, path) {
				_ = os.Remove(path)
			}
		}
		_ = f.Close()
	}
}

// open opens (or creates) the file: in a folder of this user's, mode 0700, never through a
// symlink, and only a regular file of this user's that no one else may write.
func (s *sharedFile) open() (*os.File, error) {
	if err := os.Mkdir(s.dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) { //nolint:gosec // G703: the path is os.TempDir() joined with a hex hash, checked as this user's own
		return nil, err
	}
	dir, err := os.Lstat(s.dir) //nolint:gosec // G703: the path is os.TempDir() joined with a hex hash, checked as this user's own
	if err == nil && !dir.IsDir() {
		err = errors.New("the schedule folder is not a folder")
	}
	if err == nil {
		err = ownedPrivate(dir)
	}
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(s.path, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW|syscall.O_CLOEXEC, 0o600) //nolint:gosec // G703: the path is os.TempDir() joined with a hex hash, checked as this user's own
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = errors.New("the schedule is not a regular file")
	}
	if err == nil {
		err = ownedPrivate(fi)
	}
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	return f, nil
}

// ownedPrivate accepts a file of this user's that no one else may write (nor, for a folder, list).
func ownedPrivate(fi fs.FileInfo) error {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || int(st.Uid) != os.Getuid() {
		return errors.New("the schedule is not this user's")
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		return errors.New("the schedule is a symlink")
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return errors.New("others may use the schedule")
	}
	return nil
}

// lock takes the exclusive lock on fd, trying for lockPatience at most.
func lock(ctx context.Context, fd int) bool {
	deadline := time.Now().Add(lockPatience)
	for {
		err := syscall.Flock(fd, syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return true
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			return false
		}
		if time.Now().After(deadline) || Sleep(ctx, time.Millisecond) != nil {
			return false
		}
	}
}

//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package listing

import (
	"errors"
	"syscall"

	"golang.org/x/sys/unix"
)

// machineNow is the machine's monotonic clock in nanoseconds: the same in every process, and
// never set back (wall time may be).
func machineNow() int64 {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts); err != nil {
		return 0
	}
	return ts.Nano()
}

// processRunning tells whether a process of that id runs (one of another user's counts too).
func processRunning(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
